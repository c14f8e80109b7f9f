import type { Report } from '../errors'
import type { Store } from '../identity/storage'
import { createLiveness } from './liveness'
import { withLock } from './lock'
import { findOrphans, fromStored, type Item, QUEUE_PREFIX, toStored } from './orphans'

export { type Item, QUEUE_PREFIX } from './orphans'

/**
 * A chunk holds what one slice of intake produced, at most this many messages and bytes: written
 * once, in one `setItem` far below the 100 KB where a write starts to cost the page (a 500 KB
 * `setItem` takes about 47 ms, docs/browsers.md).
 */
const CHUNK_MESSAGES = 50
const CHUNK_BYTES = 64 * 1024

export interface Limits {
  _maxMessages: number
  _maxBytes: number
  _maxAgeMs: number
}

/** Messages stored under one key. */
interface Chunk {
  _key: string
  _items: Item[]
  /** messages not yet settled */
  _left: number
  /** 0: not written yet (consent withheld it), 1: as written, 2: some settled since */
  _state: number
}

/**
 * The persisted queue of one tab: what each slice of intake produced is written once as a chunk
 * of its own (`atrack_q2_<tab>.<n>`), and removed when all its messages are settled. A chunk partly
 * settled is rewritten only when the page is left, so that the next page sends nothing twice: a
 * crash meanwhile costs at most duplicates the backend drops by messageId. So the bytes written
 * stay within a small constant of the messages' own, whatever the backlog: no rewrite for a
 * heartbeat, an attempt count or a backoff. Each tab writes only its own keys, so tabs never
 * overwrite each other's messages; the chunks of a closed, reloaded or crashed tab are adopted,
 * chunk by chunk, by one live tab under a lock.
 */
export function createQueue(
  store: Store | undefined,
  tabId: string,
  limits: Limits,
  report: Report,
  guard = (fn: () => void) => fn(),
  /** whether anything may be written now: not while consent is withdrawn (back to pending) */
  allowed: () => boolean = () => true,
) {
  const items: Item[] = []
  const chunkOf = new Map<Item, Chunk>()
  const chunks = new Set<Chunk>()
  const live = store && createLiveness(store, tabId, guard, allowed)
  let bytes = 0
  let count = 0
  let left = false

  /** Writes a chunk with what it still holds (`keep`), or removes it when that is nothing. */
  const write = (chunk: Chunk, keep: (i: Item) => boolean) => {
    if (!store || !allowed()) return
    const kept = chunk._items.filter(keep)
    chunk._state = 1
    if (!kept.length) return store._remove(chunk._key)
    live!._stored(true)
    store._set(chunk._key, toStored(kept))
  }

  const settle = (item: Item) => {
    const chunk = chunkOf.get(item)
    if (!chunk) return
    chunkOf.delete(item)
    items.splice(items.indexOf(item), 1)
    bytes -= item._size
    if (chunk._state) chunk._state = 2
    if (--chunk._left) return
    chunks.delete(chunk)
    store?._remove(chunk._key)
    if (!chunks.size) live?._stored(false)
  }

  const drop = (code: 'queue_full' | 'expired', removed: Item[], why: string) => {
    if (!removed.length) return
    removed.forEach(settle)
    report(code, removed.length + ' queued message(s) dropped: ' + why, { count: removed.length, messageId: removed[0]._id })
  }

  const pending = (i: Item) => chunkOf.has(i)

  const queue = {
    /** Pending messages, oldest first: what the sender walks. */
    _items: items,

    /** Adds messages (a slice of intake, or an adopted chunk): written at once, as chunks of their own. */
    _add(added: Item[], now: number) {
      let chunk: Chunk | undefined
      let size = 0
      for (const item of added) {
        size += item._size
        if (!chunk || chunk._left == CHUNK_MESSAGES || size > CHUNK_BYTES) {
          chunks.add((chunk = { _key: QUEUE_PREFIX + tabId + '.' + count++, _items: [], _left: 0, _state: 0 }))
          size = item._size
        }
        chunk._items.push(item)
        chunk._left++
        chunkOf.set(item, chunk)
        items.push(item)
        bytes += item._size
      }
      // adopted messages can be older than ours: the caps go by time (a sorted list sorts in linear time)
      items.sort((a, b) => a._t - b._t)
      const old = items.findIndex((i) => now - i._t <= limits._maxAgeMs)
      drop('expired', items.slice(0, old < 0 ? items.length : old), 'older than maxQueueAge')
      let n = 0
      for (let b = bytes; n < items.length && (items.length - n > limits._maxMessages || b > limits._maxBytes); n++) b -= items[n]._size
      drop('queue_full', items.slice(0, n), 'over the queue cap')
      queue._persist()
    },

    /** A message is delivered, handed over, or dropped: it leaves the queue, and its chunk when it was the last. */
    _settle: settle,

    /**
     * Writes what is not written yet. At page exit (`leaving`: pagehide, and every call after it
     * until the page is shown again) the chunks are also rewritten without what was settled, and
     * without the messages whose keepalive request is in flight (`handed`): the browser finishes
     * that request after the page is gone, as it does an accepted beacon. Then the tab says it has
     * gone, and the next page adopts its chunks at once.
     */
    _persist(leaving?: boolean, handed: (item: Item) => boolean = () => false) {
      left ||= !!leaving
      for (const chunk of chunks) {
        if (!chunk._state || (left && (chunk._state > 1 || chunk._items.some(handed)))) write(chunk, (i) => pending(i) && !(left && handed(i)))
      }
      if (leaving) live?._gone(true)
    },

    /** Forgets every message (consent denied) and removes its keys. */
    _clear: () => [...items].forEach(settle),

    /** Back from the back/forward cache: chunks another tab adopted meanwhile are no longer ours. */
    _resume() {
      left = false
      live?._gone(false)
      for (const chunk of chunks) if (chunk._state && store!._get(chunk._key) == null) chunk._items.filter(pending).forEach(settle)
    },

    /**
     * Takes over the chunks of tabs that are gone, one chunk at a time: each is written under this
     * tab's key before the other is removed, so a crash halfway costs at most a duplicate the
     * backend drops. Messages keep their place in time and their messageId.
     */
    async _adopt(): Promise<number | undefined> {
      if (!store?._keys) return
      const locks = navigator.locks
      const held = locks && new Set(((await locks.query()).held || []).map((l) => l.name!))
      const now = Date.now()
      const { _keys: keys, _next: next } = findOrphans(store, tabId, held, now)
      if (keys.length) {
        await withLock('atrack_adopt', store, tabId, () => {
          for (const key of keys) {
            // another tab may have taken it since the scan
            const raw = store._get(key)
            if (raw == null) continue
            try {
              const known = new Set(items.map((i) => i._id))
              queue._add(fromStored(raw).filter((i) => !known.has(i._id)), now)
            } catch {
              // a liveness key is no list of messages: removed with its tab's chunks, unreported
              if (/\.|^atrack_q1_/.test(key)) report('storage', 'corrupt queue removed')
            }
            store._remove(key)
          }
        })
      }
      return next
    },

    _stop: () => live?._stop(),
  }
  return queue
}

export type Queue = ReturnType<typeof createQueue>
