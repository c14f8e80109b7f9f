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
/**
 * A chunk partly delivered is rewritten without its settled messages only when they are at least
 * half its stored bytes (so the rewrites of one chunk add up to less than the chunk itself), and
 * only after this pause: a chunk being delivered is usually gone by then, and costs no rewrite.
 */
const REWRITE_MS = 1000

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
  /** message bytes as last written, and those settled since: what a rewrite would save */
  _stored: number
  _settled: number
}

/**
 * The persisted queue of one tab: what each slice of intake produced is written once as a chunk
 * of its own (`atrack_q2_<tab>.<n>`), and removed when all its messages are settled. Each tab
 * writes only its own keys, so tabs never overwrite each other's messages and never send the same
 * message twice; the chunks of a closed, reloaded or crashed tab are adopted, chunk by chunk, by
 * one live tab under a lock. Bytes written stay within a small constant of the messages' own,
 * whatever the backlog: no rewrite for a heartbeat, an attempt count or a backoff.
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
  /** chunks made while nothing could be written (consent withdrawn) */
  const unwritten = new Set<Chunk>()
  const live = store && createLiveness(store, tabId, guard, allowed)
  let bytes = 0
  let count = 0
  let left = false
  let timer: ReturnType<typeof setTimeout> | undefined

  /** Writes a chunk with what it still holds (`keep`), or removes it when that is nothing. */
  const write = (chunk: Chunk, keep = (i: Item) => chunkOf.has(i)) => {
    if (!store || !allowed()) return void unwritten.add(chunk)
    unwritten.delete(chunk)
    const kept = chunk._items.filter(keep)
    if (!kept.length) return store._remove(chunk._key)
    live!._start()
    chunk._stored = kept.reduce((sum, i) => sum + i._size, 0)
    chunk._settled = 0
    store._set(chunk._key, toStored(kept))
  }

  /** Rewrites the chunks whose settled messages are worth it; all of them with `always` (page exit). */
  const rewrite = (always?: boolean, keep?: (i: Item) => boolean) => {
    clearTimeout(timer)
    timer = undefined
    for (const chunk of chunks) if (always ? chunk._settled : chunk._settled * 2 >= chunk._stored) write(chunk, keep)
  }

  const settle = (item: Item) => {
    const chunk = chunkOf.get(item)
    if (!chunk) return
    chunkOf.delete(item)
    items.splice(items.indexOf(item), 1)
    bytes -= item._size
    chunk._settled += item._size
    if (--chunk._left) {
      if (chunk._settled * 2 >= chunk._stored) timer ||= setTimeout(() => guard(() => rewrite()), REWRITE_MS)
      return
    }
    chunks.delete(chunk)
    unwritten.delete(chunk)
    store?._remove(chunk._key)
    if (!chunks.size) live?._end()
  }

  const drop = (code: 'queue_full' | 'expired', removed: Item[], why: string) => {
    if (!removed.length) return
    removed.forEach(settle)
    report(code, removed.length + ' queued message(s) dropped: ' + why, { count: removed.length, messageId: removed[0]._id })
  }

  const queue = {
    /** Pending messages, oldest first: what the sender walks. */
    _items: items,

    /** Adds messages (a slice of intake, or an adopted chunk): written at once, as chunks of their own. */
    _add(added: Item[], now: number) {
      const from = items.length
      let chunk: Chunk | undefined
      let size = 0
      for (const item of added) {
        size += item._size
        if (!chunk || chunk._left == CHUNK_MESSAGES || size > CHUNK_BYTES) {
          chunks.add((chunk = { _key: QUEUE_PREFIX + tabId + '.' + count++, _items: [], _left: 0, _stored: 0, _settled: 0 }))
          size = item._size
        }
        chunk._items.push(item)
        chunk._left++
        chunkOf.set(item, chunk)
        items.push(item)
        bytes += item._size
      }
      // adopted messages can be older than ours: keep the queue in time order for the caps
      for (let at = Math.max(from, 1); at < items.length; at++) {
        if (items[at]._t < items[at - 1]._t) {
          items.sort((a, b) => a._t - b._t)
          break
        }
      }
      const old = items.findIndex((i) => now - i._t <= limits._maxAgeMs)
      drop('expired', items.slice(0, old < 0 ? items.length : old), 'older than maxQueueAge')
      let n = 0
      for (let b = bytes; n < items.length && (items.length - n > limits._maxMessages || b > limits._maxBytes); n++) b -= items[n]._size
      drop('queue_full', items.slice(0, n), 'over the queue cap')
      for (const chunk of chunks) if (chunk._left && !chunk._stored) write(chunk)
    },

    /** A message is delivered, handed over, or dropped: it leaves the queue, and its chunk when it was the last. */
    _settle: settle,

    /**
     * The page is hidden (`leaving` false) or left (pagehide): chunks are rewritten without what
     * was settled, so the next page sends nothing twice. Once left, a message whose keepalive
     * request is in flight (`handed`) is left out too: the browser finishes that request after the
     * page is gone, as it does an accepted beacon. The tab's chunks are then adoptable at once.
     */
    _persist(leaving?: boolean, handed: (item: Item) => boolean = () => false) {
      left ||= !!leaving
      const keep = (i: Item) => chunkOf.has(i) && !(left && handed(i))
      if (allowed()) {
        unwritten.forEach((chunk) => write(chunk, keep))
        if (left) for (const chunk of chunks) if (chunk._items.some(handed)) chunk._settled ||= 1
        // hidden, the tab may yet be killed: a duplicate the backend drops is cheaper than a rewrite
        rewrite(left, keep)
      }
      // chunks final first: once the tab says it has gone, the next page adopts them at once
      if (leaving) live?._leave()
    },

    /** Forgets every message (consent denied) and removes its keys. */
    _clear() {
      ;[...chunkOf.keys()].forEach(settle)
    },

    /** Back from the back/forward cache: chunks another tab adopted meanwhile are no longer ours. */
    _resume() {
      left = false
      live?._back()
      for (const chunk of chunks) {
        if (store && !unwritten.has(chunk) && store._get(chunk._key) == null) {
          chunk._items.filter((i) => chunkOf.has(i)).forEach(settle)
        }
      }
    },

    /**
     * Takes over the chunks of tabs that are gone, one chunk at a time: each is written under this
     * tab's key before the other is removed, so a crash halfway costs at most a duplicate the
     * backend drops. Messages keep their place in time and their messageId.
     */
    async _adopt(): Promise<number | undefined> {
      if (!store?._keys) return
      const locks = typeof navigator != 'undefined' ? navigator.locks : undefined
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
              // a liveness key is no list of messages: removed after its tab's chunks, unreported
              if (/\.|^atrack_q1_/.test(key)) report('storage', 'corrupt queue removed')
            }
            store._remove(key)
          }
        })
      }
      return next
    },

    _stop() {
      clearTimeout(timer)
      live?._stop()
    },
  }
  return queue
}

export type Queue = ReturnType<typeof createQueue>
