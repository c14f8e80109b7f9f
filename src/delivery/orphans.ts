import type { Store } from '../identity/storage'

/** Versioned prefix of the per-tab queue keys: `atrack_q1_<tabId>`. */
export const QUEUE_PREFIX = 'atrack_q1_'
/**
 * A live tab with messages pending rewrites its queue every 20 s (the heartbeat); one silent this
 * long is gone (crashed, or killed in the background). Timers of hidden tabs may run only once a
 * minute (Chrome's intensive throttling), hence the margin.
 */
const STALE_MS = 90_000

/** A tab's queue as stored under its key. */
export interface Stored {
  /** heartbeat: last write, epoch ms */
  h: number
  /** 1 when the tab has gone (pagehide): adoptable at once */
  x?: number
  q: { p: string; t: number; b: unknown }[]
}

/**
 * The queue keys of tabs that are gone, other than `own`: at once when the tab left (pagehide),
 * else once its heartbeat is stale. `next`: when to look again for a queue not yet adoptable, in
 * case its tab dies without a word. One mechanism for every browser: Web Locks are missing on
 * plain-http sites, and a tab that is only looking at the locks of others keeps the page out of
 * the back/forward cache.
 *
 * @example findOrphans(store, 'atrack_q1_me', Date.now()) // { orphans: [], next: 90000 }
 */
export function findOrphans(store: Store, own: string, now: number): { orphans: string[]; next?: number } {
  let next: number | undefined
  const orphans = store._keys!(QUEUE_PREFIX).filter((k) => {
    let wait = 0
    try {
      const s: Stored = JSON.parse(store._get(k) || '{}')
      if (!s.x) wait = STALE_MS - (now - s.h)
    } catch {
      // corrupt: adopted, and reported as such
    }
    // a missing or broken heartbeat (NaN) counts as gone
    if (k == own || !(wait > 0)) return k != own
    next = Math.min(next ?? wait, wait)
  })
  return { orphans, next }
}
