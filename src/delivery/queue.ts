import type { Report } from '../errors'
export { QUEUE_PREFIX } from './orphans'
import { findOrphans, LOCK_PREFIX, QUEUE_PREFIX, type Stored } from './orphans'
import { withLock } from './lock'
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

/** Live tabs with pending messages rewrite their key this often, proving they are alive. */
const HEARTBEAT_MS = 20_000
/** Removals are persisted lazily: a message re-sent after a crash is a duplicate the backend drops. */
const REMOVE_WRITE_MS = 500
/**
 * While nothing can be sent (offline, backing off) additions are written at most once a second:
 * rewriting a 1,000-message queue costs 1.3–1.8 ms (docs/browsers.md), too much for every click.
 * Page exit writes at once.
 */
const IDLE_WRITE_MS = 1000
/** Below this a queue is written at once whatever the network does, so a crash loses nothing
 * (a rewrite costs about 0.1 ms per 20 KB, docs/browsers.md). */
const SMALL_QUEUE_BYTES = 32 * 1024

export interface Limits {
  _maxMessages: number
  _maxBytes: number
  _maxAgeMs: number
}


/**
 * The persisted queue of one tab. Each tab writes only its own key, so tabs never overwrite each
 * other's messages and never send the same message twice; a queue left by a closed, reloaded or
 * crashed tab is adopted by exactly one live tab under a lock. The queue alone decides when it is
 * written. `handed` tells which messages the browser has taken over (a keepalive request in
 * flight): once the page is left they are no longer this queue's to keep.
 */
export function createQueue(
  store: Store | undefined,
  tabId: string,
  limits: Limits,
  report: Report,
  handed: (item: Item) => boolean = () => false,
  guard = (fn: () => void) => fn(),
  /** whether anything may be written now: not while consent is withdrawn (back to pending) */
  allowed: () => boolean = () => true,
) {
  const key = QUEUE_PREFIX + tabId
  const items: Item[] = []
  let bytes = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let dueAt = 0
  /** additions not yet written: a send must not leave before they are */
  let unsaved = false
  let written = false
  let hidden = false
  let release: (() => void) | undefined
  const locks = typeof navigator != 'undefined' ? navigator.locks : undefined

  /**
   * Holds a Web Lock named after the tab while it lives, so other tabs know its queue is not an
   * orphan; the browser releases it when the tab dies. Released at pagehide, because a held lock
   * keeps the page out of the back/forward cache (WPT web-locks/bfcache/held).
   */
  const hold = () => {
    hidden = false
    if (store && locks && !release) {
      locks.request(LOCK_PREFIX + tabId, () => (hidden ? undefined : new Promise<void>((r) => (release = r)))).catch(() => undefined)
    }
  }
  hold()

  const drop = (code: 'queue_full' | 'expired', removed: Item[], why: string) => {
    if (!removed.length) return
    removed.forEach((i) => (bytes -= i._size))
    report(code, removed.length + ' queued message(s) dropped: ' + why, { count: removed.length, messageId: removed[0]._id })
  }

  const enforce = (now: number) => {
    const old = items.findIndex((i) => now - i._t <= limits._maxAgeMs)
    drop('expired', items.splice(0, old < 0 ? items.length : old), 'older than maxQueueAge')
    let n = 0
    for (let b = bytes; n < items.length && (items.length - n > limits._maxMessages || b > limits._maxBytes); n++) b -= items[n]._size
    drop('queue_full', items.splice(0, n), 'over the queue cap')
  }

  /**
   * The stored form. Leaving the page, a message whose keepalive request is in flight is left out:
   * the browser finishes that request after the page is gone, as it does an accepted beacon, so
   * the next page must not send it again.
   */
  const serialise = () =>
    '{"h":' + Date.now() + (hidden ? ',"x":1' : '') + ',"q":[' +
    items.filter((i) => !(hidden && handed(i))).map((i) => '{"p":"' + i._path + '","t":' + i._t + ',"b":' + i._body + '}').join(',') +
    ']}'

  /** Writes within `ms`, keeping an earlier write already planned. */
  const later = (ms: number) => {
    if (timer && dueAt <= Date.now() + ms) return
    clearTimeout(timer)
    dueAt = Date.now() + ms
    timer = setTimeout(() => guard(queue._persist), ms)
  }

  const parse = (raw: string | null): Item[] => {
    const s: Stored = JSON.parse(raw || '{"q":[]}')
    return s.q.map((m) => {
      const body = JSON.stringify(m.b)
      return { _path: m.p, _t: m.t, _body: body, _size: utf8Bytes(body), _id: (m.b as { messageId: string }).messageId }
    })
  }

  const queue = {
    _items: items,

    /**
     * Adds messages. A small queue is written at once, so a crash loses nothing; a large one
     * within a second, or before a send (`_save`), whichever comes first.
     */
    _add(added: Item[], now: number) {
      for (const i of added) {
        // adopted messages can be older than ours: keep the queue in time order for the caps
        if (items.length && i._t < items[items.length - 1]._t) items.splice(items.findIndex((j) => j._t > i._t), 0, i)
        else items.push(i)
        bytes += i._size
      }
      enforce(now)
      unsaved = true
      if (bytes < SMALL_QUEUE_BYTES) queue._persist()
      else later(IDLE_WRITE_MS)
    },

    _remove(item: Item) {
      const at = items.indexOf(item)
      if (at < 0) return
      items.splice(at, 1)
      bytes -= item._size
      if (!items.length) queue._persist()
      else later(REMOVE_WRITE_MS)
    },

    /** Writes what was added and not yet written; called before any send. */
    _save() {
      if (unsaved) queue._persist()
    },

    /**
     * Writes this tab's queue now. `exiting` (pagehide) marks it adoptable by the next page at once;
     * every write after it, until the page is shown again, keeps that form, whatever order the
     * browser fires its exit events in.
     */
    _persist(exiting?: boolean) {
      if (exiting) {
        // released even with nothing queued: a held lock keeps the page out of the bfcache
        hidden = true
        release?.()
        release = undefined
      }
      // consent withdrawn: what is queued waits in memory, unwritten, until it is granted again
      if (!allowed()) return
      unsaved = false
      clearTimeout(timer)
      timer = undefined
      if (!store || !(items.length || written)) return
      written = store._set(key, serialise()) && items.length > 0
      if (!items.length) store._remove(key)
      // the heartbeat: a live tab rewrites its pending queue so others do not take it for dead
      else if (!hidden) later(HEARTBEAT_MS)
    },

    /** Forgets every message (consent denied), persisting at once. */
    _clear() {
      items.length = bytes = 0
      queue._persist()
    },

    /** Back from the back/forward cache: reclaim our key, unless another tab adopted it meanwhile. */
    _resume() {
      hold()
      if (store && written && store._get(key) == null) {
        items.length = bytes = 0
        written = false
      }
      queue._persist()
    },

    /**
     * Takes over the queues of tabs that are gone. Their messages keep their place in time and
     * their messageId, so a tab that died mid-send costs at most a duplicate the backend drops.
     */
    async _adopt(): Promise<number | undefined> {
      if (!store?._keys) return
      const held = locks && new Set(((await locks.query()).held || []).map((l) => l.name!))
      const now = Date.now()
      const { _orphans: orphans, _next: next } = findOrphans(store, key, held, now)
      if (!orphans.length) return next
      await withLock('atrack_adopt', store, tabId, () => {
        const adopted: Item[] = []
        for (const k of orphans) {
          try {
            adopted.push(...parse(store._get(k)))
          } catch {
            report('storage', 'corrupt queue removed')
          }
          store._remove(k)
        }
        const known = new Set(items.map((i) => i._id))
        queue._add(adopted.filter((i) => !known.has(i._id)), now)
        // the orphans' keys are gone: their messages must be on disk under ours before anything else
        queue._persist()
      })
      return next
    },
  }
  return queue
}

export type Queue = ReturnType<typeof createQueue>
