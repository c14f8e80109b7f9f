import { randomId } from '../identity/identity'
import type { Report } from '../errors'
import type { Stores } from '../identity/storage'
import type { Config } from '../options'
import type { Context, Message } from '../types'
import { type Pending, prepare } from './intake'
import { watchLifecycle } from './lifecycle'
import { createQueue } from './queue'
import { createDelivery } from './sender'
import type { Tasks } from './tasks'

/**
 * Messages serialised per task: a burst of 1,000 becomes twenty tasks of a few milliseconds each
 * instead of one long task (over 50 ms it delays the page's input: docs/browsers.md).
 */
const SLICE = 50

export interface PipeHooks {
  _report: Report
  _log: (line: string) => void
  /** the page's unchanging context, read the first time a message needs it */
  _env: () => Context
  /** builds what calls captured and not built yet, into `_push`, a slice or `all`; true when some are left */
  _drain: (all?: boolean) => boolean
  /** runs a handler, reporting what it throws */
  _guard: (fn: () => void) => void
  /** the page came back from the back/forward cache */
  _restored: () => void
  /** whether consent allows storing and sending now (it may go back to pending after a grant) */
  _granted: () => boolean
}

/**
 * Everything after a message is built: intake (serialising in later tasks, in slices), the
 * persisted queue, delivery, and the page's exit. Created once consent allows storing anything.
 */
export function createPipe(c: Config, stores: Stores, tasks: Tasks, h: PipeHooks) {
  let intake: Pending[] = []
  let scheduled = false
  let again: ReturnType<typeof setTimeout> | undefined
  const queue = createQueue(stores._durable ? stores._local : undefined, randomId(10), c, h._report, (item) => delivery._handed(item), h._guard, h._granted)
  const delivery = createDelivery(c, queue, h)

  /** Moves built messages into the queue: a slice per task, or everything at once (`all`: exit, flush). */
  const process = (all?: boolean) => {
    const more = h._drain(all)
    scheduled = false
    const batch = intake.splice(0, all ? intake.length : SLICE)
    if (batch.length) {
      const now = Date.now()
      queue._add(prepare(batch, c, h._report, h._log, now, h._env()), now)
      delivery._pump()
    }
    if (more || intake.length) schedule()
  }
  const schedule = () => {
    if (!scheduled) tasks._later(() => h._guard(process))
    scheduled = true
  }

  // takes over queues of tabs that are gone; looks again while another tab's queue may yet be orphaned
  const adopt = (): void =>
    void Promise.resolve(h._granted() ? queue._adopt() : undefined).then((next) => {
      delivery._pump()
      clearTimeout(again)
      if (next != null) again = setTimeout(() => h._guard(adopt), Math.max(next, 100))
    }, () => undefined)

  const stop = watchLifecycle({
    _hidden: (leaving) => h._guard(() => {
      process(true)
      delivery._exit(leaving)
      queue._persist(leaving)
    }),
    _shown: (restored) => h._guard(() => {
      delivery._back()
      if (restored) {
        queue._resume()
        h._restored()
      }
      adopt()
    }),
    _online: () => h._guard(() => (delivery._online(), adopt())),
    _offline: delivery._offline,
  })
  adopt()

  return {
    /** Takes a built message; it is serialised and queued in a later task. */
    _push(path: string, message: Message) {
      intake.push([path, message])
      schedule()
    },

    /** Asks for the later task that builds and serialises. */
    _schedule: schedule,

    /** Consent is granted again: what waited in memory is written and sent. */
    _wake() {
      queue._persist()
      delivery._pump()
    },

    /** Resolves when the queue is empty or nothing more can be sent now. */
    _flush(): Promise<void> {
      process(true)
      return delivery._flush()
    },

    /** Forgets every message (consent denied) and says how many there were. */
    _clear(): number {
      const dropped = intake.length + queue._items.length
      intake = []
      queue._clear()
      return dropped
    },

    _stop() {
      stop()
      clearTimeout(again)
      delivery._stop()
    },
  }
}

export type Pipe = ReturnType<typeof createPipe>
