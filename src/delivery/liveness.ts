import type { Store } from '../identity/storage'
import { LOCK_PREFIX, QUEUE_PREFIX } from './orphans'

/** Without Web Locks, a tab with messages stored says it lives this often (`findOrphans` waits 90 s). */
const HEARTBEAT_MS = 20_000

/**
 * How a tab with messages stored tells other tabs it is alive, so they leave its chunks alone: a
 * tiny key of its own (`atrack_q2_<tabId>`), never a rewrite of its messages, and a Web Lock named
 * after the tab, which the browser releases when the tab dies. Where there are no Web Locks
 * (plain-http sites) the key is rewritten every 20 s instead. Nothing is asked of the browser
 * until the first message is stored: a page load that queues nothing pays for none of it.
 *
 * @example const live = createLiveness(store, 'tab1', guard, () => true); live._stored(true); live._gone(true); live._gone(false)
 */
export function createLiveness(store: Store, tabId: string, guard: (fn: () => void) => void, allowed: () => boolean) {
  const key = QUEUE_PREFIX + tabId
  const locks = navigator.locks
  let on = false
  let left = false
  let release: (() => void) | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  const say = () => {
    clearTimeout(timer)
    // consent withdrawn: nothing is written, but the heartbeat goes on for when it is granted again
    if (allowed()) store._set(key, Date.now() + (left ? 'x' : ''))
    if (!locks && !left) timer = setTimeout(() => guard(say), HEARTBEAT_MS)
  }
  /**
   * Held while the tab lives; released at pagehide, because a held lock keeps the page out of the
   * back/forward cache (WPT web-locks/bfcache/held).
   */
  const hold = () => {
    if (locks && !release && !left) {
      locks.request(LOCK_PREFIX + tabId, () => (left ? undefined : new Promise<void>((r) => (release = r)))).catch(() => undefined)
    }
  }

  return {
    /** Messages are stored now (`stored`), or none any more: say so once, or take the word back. */
    _stored(stored: boolean) {
      if (stored == on) return
      on = stored
      clearTimeout(timer)
      if (on) {
        say()
        hold()
      } else store._remove(key)
    },
    /** The tab is going (pagehide: its chunks are adoptable at once), or shown again. */
    _gone(gone: boolean) {
      left = gone
      release?.()
      release = undefined
      if (on) {
        say()
        hold()
      }
    },
    _stop: () => clearTimeout(timer),
  }
}
