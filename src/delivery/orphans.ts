import type { Store } from '../identity/storage'

/** Versioned prefix of the per-tab queue keys: `atrack_q1_<tabId>`. */
export const QUEUE_PREFIX = 'atrack_q1_'
/** Web Lock held by each live tab: `atrack_tab_<tabId>`. */
export const LOCK_PREFIX = 'atrack_tab_'
/**
 * Without Web Locks, a queue whose tab wrote nothing for this long is taken to be dead (timers of
 * hidden tabs may run once a minute: Chrome's intensive throttling).
 */
const STALE_MS = 90_000
/** With Web Locks a tab's lock tells whether it lives; this covers the moment before it is granted. */
const UNLOCKED_MS = 2000

/** A tab's queue as stored under its key. */
export interface Stored {
  /** heartbeat: last write, epoch ms */
  h: number
  /** 1 when the tab has gone (pagehide): adoptable at once */
  x?: number
  q: { p: string; t: number; b: unknown }[]
}

/**
 * The queue keys of tabs that are gone, other than `own`: adoptable at once when the tab left
 * (pagehide); when it holds no Web Lock (`held`: the names held now), after a moment for a lock
 * not yet granted; without Web Locks, once it has been silent too long. `next`: when to look again
 * for a queue that is not yet adoptable, in case its tab dies without a word.
 *
 * @example findOrphans(store, 'atrack_q1_me', new Set(['atrack_tab_other']), Date.now()) // { _orphans: [], _next: 90000 }
 */
export function findOrphans(store: Store, own: string, held: Set<string> | undefined, now: number): { _orphans: string[]; _next?: number } {
  let next: number | undefined
  const orphans = store._keys!(QUEUE_PREFIX).filter((k) => {
    if (k == own) return false
    try {
      const s: Stored = JSON.parse(store._get(k) || '{}')
      const wait = s.x
        ? 0
        : held?.has(LOCK_PREFIX + k.slice(QUEUE_PREFIX.length)) === false
          ? UNLOCKED_MS - (now - s.h)
          : held ? STALE_MS : STALE_MS - (now - s.h)
      // a missing or broken heartbeat (NaN) counts as gone: adopted, or reported as corrupt
      if (!(wait > 0)) return true
      // at most STALE_MS: a heartbeat from the future (a clock set back) must not overflow setTimeout
      next = Math.min(next ?? STALE_MS, wait)
      return false
    } catch {
      return true
    }
  })
  return { _orphans: orphans, _next: next }
}
