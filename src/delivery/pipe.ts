import { randomId } from '../identity/identity'
import type { Stores } from '../identity/storage'
import type { Config } from '../options'
import type { Context } from '../types'
import { type Pending, prepare } from './intake'
import { createQueue } from './queue'
import { createDelivery, type DeliveryHooks } from './sender'
import type { Tasks } from './tasks'

/** The first look for other tabs' queues waits for the page's load to be over. */
const ADOPT_AFTER_MS = 500

/**
 * Everything after a message is built, one way: intake (serialising), the persisted queue, the
 * sender. Created once consent allows storing anything; the pipeline gives it built messages and
 * tells it of the page's turning points. Nothing here calls back up but the hooks' reports.
 */
export function createPipe(c: Config, stores: Stores, tasks: Tasks, h: DeliveryHooks) {
  let again: ReturnType<typeof setTimeout> | undefined
  const queue = createQueue(stores._durable ? stores._local : undefined, randomId(10), c, h._report, h._guard, h._granted)
  const delivery = createDelivery(c, queue, h, tasks._later)

  // takes over queues of tabs that are gone; looks again while another tab's queue may yet be orphaned
  const adopt = (): void =>
    void Promise.resolve(h._granted() ? queue._adopt() : undefined).then((next) => {
      delivery._pump()
      clearTimeout(again)
      if (next != null) again = setTimeout(() => h._guard(adopt), Math.max(next, 100))
    }, () => undefined)
  // other tabs' queues are looked for once the page is loaded: a page load pays nothing for them
  again = setTimeout(() => h._guard(adopt), ADOPT_AFTER_MS)

  return {
    /** Serialises built messages (the page's unchanging context `env` joins each), queues and sends them. */
    _take(batch: Pending[], env: Context) {
      const now = Date.now()
      queue._add(prepare(batch, c, h._report, h._log, now, env), now)
      delivery._pump()
    },

    /** The page is hidden (`leaving` false) or left (pagehide): what is pending goes by beacon, the rest is kept. */
    _exit(leaving: boolean) {
      delivery._exit(leaving)
      queue._persist(leaving, delivery._handed)
    },

    /** The page is visible again, or back from the back/forward cache (`restored`). */
    _shown(restored: boolean) {
      delivery._back()
      if (restored) queue._resume()
      adopt()
    },

    _online() {
      delivery._online()
      adopt()
    },

    _offline: delivery._offline,

    /** Consent is granted again: what waited in memory is written and sent. */
    _wake() {
      queue._persist()
      delivery._pump()
    },

    /** Resolves when the queue is empty or nothing more can be sent now. */
    _flush: delivery._flush,

    /** Forgets every message (consent denied) and says how many there were. */
    _clear(): number {
      const dropped = queue._items.length
      queue._clear()
      return dropped
    },

    _stop() {
      clearTimeout(again)
      delivery._stop()
      queue._stop()
    },
  }
}

export type Pipe = ReturnType<typeof createPipe>
