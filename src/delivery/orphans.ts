import type { Store } from '../identity/storage'
import { utf8Bytes } from './transport'

/** A queued message, serialised once when it is queued. */
export interface Item {
  /** endpoint path: '/event', '/init' or '/attributes' */
  _path: string
  /** the JSON body as sent */
  _body: string
  _id: string
  /** queued at, epoch ms */
  _t: number
  /** UTF-8 bytes of the body */
  _size: number
}

/**
 * Versioned prefix of the queue's keys. A tab's messages are stored in chunks, each written once:
 * `atrack_q2_<tabId>.<n>`, a JSON array of `{ p, t, b }`. Its liveness is a tiny key of its own,
 * `atrack_q2_<tabId>`: the epoch ms of its last word, with `x` appended once the tab has gone.
 */
export const QUEUE_PREFIX = 'atrack_q2_'
/** 0.1.0 kept a tab's whole queue in one key: `atrack_q1_<tabId>` = `{ h, x?, q: [{ p, t, b }] }`. */
export const LEGACY_PREFIX = 'atrack_q1_'
/** Web Lock held by each live tab with messages stored: `atrack_tab_<tabId>`. */
export const LOCK_PREFIX = 'atrack_tab_'
/**
 * Without Web Locks, a tab that gave no word for this long is taken to be dead (timers of
 * hidden tabs may run once a minute: Chrome's intensive throttling).
 */
const STALE_MS = 90_000
/** With Web Locks a tab's lock tells whether it lives; this covers the moment before it is granted. */
const UNLOCKED_MS = 2000

/** The stored form of messages: their JSON bodies as they are, not escaped again. */
export const toStored = (items: Item[]): string =>
  '[' + items.map((i) => '{"p":"' + i._path + '","t":' + i._t + ',"b":' + i._body + '}').join(',') + ']'

/** Messages from their stored form; throws on a corrupt value. */
export function fromStored(raw: string): Item[] {
  const value = JSON.parse(raw)
  // a 0.1.0 queue is an object whose `q` is the list
  return (value.q || value).map((m: { p: string; t: number; b: { messageId: string } }) => {
    const body = JSON.stringify(m.b)
    return { _path: m.p, _t: m.t, _body: body, _size: utf8Bytes(body), _id: m.b.messageId }
  })
}

/**
 * The keys of tabs that are gone, other than `own`: their message chunks and liveness keys. A tab is gone at once when it
 * said so (pagehide); when it holds no Web Lock (`held`: the names held now), after a moment for a
 * lock not yet granted; without Web Locks, once it has been silent too long. `_next`: when to look
 * again for a tab that is not yet gone, in case it dies without a word.
 *
 * @example findOrphans(store, 'me', new Set(['atrack_tab_other']), Date.now()) // { _keys: [], _next: 90000 }
 */
export function findOrphans(store: Store, own: string, held: Set<string> | undefined, now: number): { _keys: string[]; _next?: number } {
  let next: number | undefined
  const judged = new Map<string, boolean>()
  const gone = (tab: string, live: string) => {
    const wait = /x$/.test(live)
      ? 0
      : held?.has(LOCK_PREFIX + tab) === false
        ? UNLOCKED_MS - (now - parseInt(live))
        : held ? STALE_MS : STALE_MS - (now - parseInt(live))
    // a missing or broken liveness (NaN) counts as gone: adopted, or reported as corrupt
    if (!(wait > 0)) return true
    // at most STALE_MS: a heartbeat from the future (a clock set back) must not overflow setTimeout
    next = Math.min(next ?? STALE_MS, wait)
    return false
  }
  const keys = store._keys!('atrack_q').filter((k) => {
    const tab = k.slice(QUEUE_PREFIX.length).split('.')[0]
    // a tab of 0.1.0 held the same Web Lock while alive: without it (or without Web Locks) it is
    // gone; a live one on a plain-http site then costs duplicates the backend drops, never a loss
    if (k.startsWith(LEGACY_PREFIX)) return gone(tab, '')
    if (!k.startsWith(QUEUE_PREFIX) || tab == own) return false
    if (!judged.has(tab)) judged.set(tab, gone(tab, store._get(QUEUE_PREFIX + tab) || ''))
    return judged.get(tab)
  })
  // a tab's liveness key may go before its chunks: chunks without one are gone all the same
  return { _keys: keys, _next: next }
}
