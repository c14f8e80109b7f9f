import { cheapTimezone, environment, isBot } from './capture/context'
import { type Builder, createBuilder } from './capture/message'
import { createSessions, type Landing } from './capture/session'
import { createPipe, type Pipe } from './delivery/pipe'
import { createTasks } from './delivery/tasks'
import type { Report } from './errors'
import { type ConsentState, createConsent, REFUSAL_KEY } from './identity/consent'
import { createStores, smallStore } from './identity/storage'
import type { Config } from './options'
import type { Consent, Context, InitResult, Message, User } from './types'

/** Steps built per task: 500 take about 2 ms (`npm run bench`), far from a long task. */
const BUILD_SLICE = 500

/** What a call does with the visitor and the messages, given the builder once it may run. */
export type Step = (build: Builder) => void

export interface PipelineHooks {
  _report: Report
  /** reports each code once */
  _once: Report
  _log: (line: string) => void
  _guard: (fn: () => void) => void
  /** the page came back from the back/forward cache */
  _restored: () => void
}

/**
 * Where captured calls wait and become messages. Until storage is open (a later task after
 * `init()`) calls are kept in order. Consent alone decides what happens next: granted, a step is
 * built in the later task that serialises it (at once at exit, on flush() and getUser()), in call
 * order, and its messages go to delivery; pending, it is held, and meanwhile played on an
 * in-memory visitor whose messages go nowhere, so `getUser()` follows a login or logout made
 * while waiting; denied, it is dropped and reported.
 */
export function createPipeline(c: Config, h: PipelineHooks) {
  let pre: (() => void)[] | undefined = []
  const held: Step[] = []
  let consent: ConsentState | undefined
  let build: Builder | undefined
  /** Steps granted but not yet built: built in the later task that serialises them, in order. */
  const ready: Step[] = []
  /** The steps that are events: what the queue cap may drop (never an init(), a login or a logout). */
  const events = new WeakSet<Step>()
  let pipe: Pipe | undefined
  let env: Context | undefined
  let landing: Landing | undefined
  let supplied: string | undefined
  let started = false
  const tasks = createTasks()
  const off: (() => void)[] = []

  /**
   * Builds what calls captured, in call order: a slice per intake task, or all at once when asked
   * (exit, flush, getUser). A burst over the queue cap would push out its own oldest messages:
   * those are not even built.
   */
  const drain = (all?: boolean) => {
    let over = ready.length - c._maxMessages
    if (over > 0) {
      const count = over
      const kept = ready.filter((fn) => !(over > 0 && events.has(fn) && over--))
      ready.splice(0, ready.length, ...kept)
      h._report('queue_full', count - over + ' queued message(s) dropped: over the queue cap', { count: count - over })
    }
    ready.splice(0, all ? ready.length : BUILD_SLICE).forEach((fn) => h._guard(() => fn(build!)))
    return ready.length > 0
  }

  /** The page's unchanging context, read once: in a task of its own, or when a message needs it. */
  const environmentOnce = () => (env ||= environment())
  const emit = (path: string, message: Message) => consent!._state() == 'granted' && pipe!._push(path, message)

  /**
   * The visitor over the storage consent allows. With steps held (consent arriving), the visitor
   * the memory one started from: on a first grant the one from storage (an earlier visit's uuid
   * wins over the one made in memory), after an earlier grant on this page the one carried over;
   * the logins and logouts made meanwhile are replayed after, each once. Without steps held
   * (consent changing again on this page) the current visitor goes on, uuid and attributes.
   */
  const rebuild = () => {
    const stores = consent!._stores()
    const sessions = createSessions(smallStore(stores), c._timeoutMs, landing!)
    // held steps replay from where the memory visitor started: carried over if it was, else storage
    const carried = build && (held.length ? build._carried && build._origin : build._id())
    build = createBuilder(stores, sessions, emit, supplied, build?._origin.uuid, carried || undefined)
  }

  const grant = () => {
    rebuild()
    if (pipe) pipe._wake()
    pipe ||= createPipe(c, consent!._stores(), tasks, {
      ...h,
      _env: environmentOnce,
      _drain: drain,
      _granted: () => consent!._state() == 'granted',
    })
    // built in slices like any granted step: a long wait for consent must not make a long task
    ready.push(...held.splice(0))
    if (ready.length) pipe._schedule()
  }

  const when = (fn: () => void) => (pre ? void pre.push(() => h._guard(fn)) : h._guard(fn))

  const step = (fn: Step, event?: boolean): void => {
    if (event) events.add(fn)
    if (pre) return void pre.push(() => step(fn))
    const state = consent!._state()
    if (c.dropBots && isBot()) h._once('opted_out', 'dropBots: automated browser')
    else if (state == 'denied') h._report('opted_out', 'opted out: not sent')
    else if (state == 'granted') {
      ready.push(fn)
      pipe!._schedule()
    } else {
      held.push(fn)
      h._guard(() => fn(build!))
    }
  }

  /** Opens the stores, then runs what was called meanwhile, whatever failed (a server has no window). */
  const open = () => {
    try {
      const stores = createStores(c.storage, c.cookieDomain, h._once)
      const state = (consent = createConsent(stores, c.consent || 'granted', c.respectDnt))
      if (!cheapTimezone()) tasks._later(() => h._guard(environmentOnce))
      if (state._state() == 'granted') grant()
      else rebuild()
      // an opt-out in another tab holds here too (the storage event reaches other tabs in milliseconds)
      const onStorage = (e: StorageEvent) => e.key == REFUSAL_KEY && e.newValue && state._state() != 'denied' && setConsent('denied')
      addEventListener('storage', onStorage)
      off.push(() => removeEventListener('storage', onStorage))
    } finally {
      const calls = pre!
      pre = undefined
      calls.forEach(h._guard)
    }
  }

  const setConsent = (next: Consent) => {
    // what was called while granted is built as it was, whatever comes now (a refusal then drops it)
    drain(true)
    const was = consent!._state()
    consent!._set(next)
    // no longer granted: the visitor goes on in memory, so nothing is stored from now on
    if (was == 'granted' && next != 'granted') rebuild()
    if (next == 'denied') {
      const dropped = held.splice(0).length + (pipe?._clear() || 0)
      if (dropped) h._report('opted_out', dropped + ' message(s) dropped: consent denied', { count: dropped })
    } else if (next == 'granted' && was != 'granted') grant()
  }

  return {
    /**
     * Starts the visit: the visit's touch, the page's own uuid, and the `init()` step, which goes
     * before the calls made earlier. Storage opens in a later task; the promise resolves after it.
     */
    _start(visit: Landing | undefined, uuid: string | undefined, first: Step | undefined): Promise<InitResult> {
      landing = visit
      supplied = uuid
      started = true
      if (first) pre!.unshift(() => step(first))
      return new Promise((resolve) =>
        tasks._later(() => {
          h._guard(open)
          const id = build?._id()
          resolve({ uuid: id?.uuid || '', isNewUser: !!id?.isNewUser })
        }),
      )
    },
    _step: step,
    /** Runs `fn` once storage is open. */
    _when: when,
    _setConsent: (next: Consent) => when(() => setConsent(next)),
    /** The current visitor, a copy; null until storage is open. */
    _user(): User | null {
      drain(true)
      const id = build?._id()
      return id ? { uuid: id.uuid, attributes: { ...id.attributes } } : null
    },
    /** Before `init()` nothing can be sent: it resolves at once. */
    _flush: () => new Promise<void>((resolve) => (pre && !started ? resolve() : when(() => void Promise.resolve(pipe?._flush()).then(resolve, resolve)))),
    _stop() {
      off.splice(0).forEach((stop) => stop())
      tasks._stop()
      pipe?._stop()
    },
  }
}

export type Pipeline = ReturnType<typeof createPipeline>
