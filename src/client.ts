import { watchClicks } from './capture/clicks'
import { cheapTimezone, createPageContext, environment, isBot, pageInfo } from './capture/context'
import { type Builder, createBuilder, type Moment } from './capture/message'
import { watchPageviews } from './capture/pageviews'
import { createSessions, type Landing, landingTouch } from './capture/session'
import { type Pipe, createPipe } from './delivery/pipe'
import { createTasks } from './delivery/tasks'
import { createReporter, once, type Report } from './errors'
import { type ConsentState, createConsent, REFUSAL_KEY } from './identity/consent'
import { uuidv4 } from './identity/identity'
import { createStores, smallStore } from './identity/storage'
import { type Config, resolveOptions } from './options'
import { copy, isObject, NOT_JSON, objectOr, serialisable, text } from './values'
import type { ATrackOptions, Attributes, Consent, Context, InitPayload, InitResult, Message, Mode, TrackPayload, User } from './types'

type Step = (build: Builder) => void

/**
 * The A-Track client: captures each call at its moment, and composes the stages after it
 * (ARCHITECTURE.md). Every public method catches its own failures and reports them through
 * `onError`: nothing here throws into the page or rejects, except the constructor on bad options.
 *
 * @example
 * const atrack = new ATrack({ publicKey: 'pub_xxx' })
 * await atrack.init()
 * atrack.track('cta_clicked', { plan: 'pro' })
 */
export class ATrack {
  private _c: Config
  private _report: Report
  /** Reports each code once: storage failures (one per write otherwise) and dropBots (one per message). */
  private _once: Report
  private _global: Context
  /** Calls made before the stores are open, in order; undefined once they are. */
  private _pre?: (() => void)[] = []
  /** What calls captured while consent is pending, built in order once it is granted. */
  private _held: Step[] = []
  private _consent?: ConsentState
  private _build?: Builder
  private _pipe?: Pipe
  private _init?: Promise<InitResult>
  private _env?: Context
  private _supplied?: string
  private _landing?: Landing
  /** URL of the last page view, and the referrer of the current page (the previous page after an SPA navigation). */
  private _lastUrl?: string
  private _pageRef?: string
  private _pageContext = createPageContext()
  private _off: (() => void)[] = []
  private _tasks = createTasks()

  /** Throws a TypeError naming the option when the options are invalid. */
  constructor(options: ATrackOptions) {
    this._c = resolveOptions(options)
    this._report = createReporter(this._c.onError, !!this._c.debug)
    this._once = once(this._report)
    this._global = copy(objectOr(this._c.context))
  }

  /**
   * Starts page views and click capture at once; restores or creates the visitor, sends `/init` for
   * a new visitor or session, and starts delivery in a later task. Idempotent.
   */
  init(payload?: InitPayload): Promise<InitResult> {
    return (this._init ||= new Promise<InitResult>((resolve) => {
      const start = () => {
        const c = this._c
        const p = objectOr(payload)
        const user = objectOr(p.user)
        const attributes = serialisable(user.attributes) ? copy(user.attributes) : undefined
        Object.assign(this._global, copy(objectOr(p.context)))
        this._guard(() => {
          this._landing = landingTouch(Date.now())
          const at = this._moment()
          // /init goes first, then calls made before init(), then the first page view
          this._pre!.unshift(() => this._step((build) => build._start(at, attributes)))
          if (c.autoPageviews !== false) this._off.push(watchPageviews(() => this.page(), c.hashRouting))
          if (c.autocapture !== false) this._off.push(watchClicks((e, a) => this.track(e, a), c.trackOutboundLinks))
        })
        // storage, identity and building wait for a later task: the page goes first
        this._tasks._later(() => {
          this._guard(() => this._open(text(user.uuid)))
          const id = this._build?._id()
          resolve({ uuid: id?.uuid || '', isNewUser: !!id?.isNewUser })
        })
      }
      // a prerendered page may never be shown: it sends nothing, not even /init, until it is
      if (typeof document != 'undefined' && (document as { prerendering?: boolean }).prerendering) {
        document.addEventListener('prerenderingchange', start, { once: true })
      } else start()
    }))
  }

  /** Sends an event: `track('order_created', { plan: 'pro' })` or `track({ event, attributes, timestamp, uuid, context })`. */
  track(event: string | TrackPayload, attributes?: Attributes): void {
    this._guard(() => {
      const p = typeof event == 'string' ? { event, attributes } : objectOr(event)
      const name = text(p.event)
      if (!name) return this._invalid('track() needs an event name')
      if (p.attributes != null && !isObject(p.attributes)) return this._invalid('track(): ' + NOT_JSON)
      const at = this._moment(p.context)
      const time = new Date(p.timestamp ?? at._t)
      if (isNaN(+time)) return this._invalid('track() timestamp is not a date: ' + p.timestamp)
      const attrs = copy(p.attributes || {})
      const uuid = text(p.uuid)
      this._step((build) => build._event(at, name, attrs, time.toISOString(), uuid))
    })
  }

  /** Sends a `page_view` with `{ url, path, title, referrer }` (automatic unless `autoPageviews: false`). */
  page(attributes?: Attributes): void {
    this._guard(() => {
      if (this._lastUrl && this._lastUrl != location.href) this._pageRef = this._lastUrl
      this._lastUrl = location.href
      this.track('page_view', { ...pageInfo(this._pageRef), ...objectOr(attributes) })
    })
  }

  /** Updates the visitor's attributes on the backend (`/attributes`); merged unless `{ mode: 'replace' }`. */
  setAttributes(attributes: Attributes, options?: { mode?: Mode }): Promise<void> {
    this._guard(() => {
      if (!serialisable(attributes)) return this._invalid('setAttributes(): ' + NOT_JSON)
      const attrs = copy(attributes)
      this._step((build) => build._attributes(attrs, options?.mode == 'replace' ? 'replace' : 'merge'))
    })
    return Promise.resolve()
  }

  /** The current visitor, or null until `init()` has resolved. */
  getUser(): User | null {
    const id = this._build?._id()
    return id ? { uuid: id.uuid, attributes: { ...id.attributes } } : null
  }

  /** Adopts a known id (e.g. after login); `/init` carries the previous uuid as `context.previousUuid`. */
  identify(uuid: string, attributes?: Attributes): void {
    this._guard(() => {
      if (!text(uuid)) return this._invalid('identify() needs an id')
      if (attributes != null && !serialisable(attributes)) return this._invalid('identify(): ' + NOT_JSON)
      const at = this._moment()
      const attrs = copy(objectOr(attributes))
      this._step((build) => {
        const previousUuid = build._id().uuid
        if (previousUuid != uuid) build._become(at, { uuid, attributes: attrs, isNewUser: false }, { previousUuid })
        else if (attributes) build._attributes(attrs, 'merge')
      })
    })
  }

  /** Logout: a new anonymous uuid, attributes cleared. */
  reset(): void {
    this._guard(() => {
      const at = this._moment()
      const uuid = uuidv4()
      this._step((build) => build._become(at, { uuid, attributes: {}, isNewUser: true }))
    })
  }

  /** Stops all tracking and removes what the SDK stored; the refusal itself is kept across visits. */
  optOut(): void {
    this.setConsent('denied')
  }

  /** Undoes `optOut()`. */
  optIn(): void {
    this.setConsent('granted')
  }

  /** `'granted'` stores and sends what waited; `'denied'` drops it and removes the SDK's keys; `'pending'` holds new messages in memory. */
  setConsent(consent: Consent): void {
    this._when(() => {
      if (!['granted', 'denied', 'pending'].includes(consent)) return this._invalid('setConsent() takes granted, denied or pending')
      const was = this._consent!._state()
      this._consent!._set(consent)
      if (consent == 'denied') {
        const dropped = this._held.splice(0).length + (this._pipe?._clear() || 0)
        if (dropped) this._report('opted_out', dropped + ' message(s) dropped: consent denied', { count: dropped })
      } else if (consent == 'granted' && was != 'granted') this._grant()
    })
  }

  /** Resolves when the queue is empty or nothing more can be sent now (offline, backing off, no consent). */
  flush(): Promise<void> {
    return new Promise<void>((resolve) => this._when(() => void Promise.resolve(this._pipe?._flush()).then(resolve, resolve)))
  }

  // ——— inside ———

  /** Opens the stores (the first later task after `init()`), then replays what was called meanwhile. */
  private _open(supplied?: string): void {
    try {
      const c = this._c
      const stores = createStores(c.storage, c.cookieDomain, this._once)
      const consent = (this._consent = createConsent(stores, c.consent || 'granted', c.respectDnt))
      this._supplied = supplied
      if (!cheapTimezone()) this._tasks._later(() => this._guard(() => this._environment()))
      if (consent._state() == 'granted') this._grant()
      else this._rebuild()
      // an opt-out in another tab holds here too (the storage event reaches other tabs in milliseconds)
      const onStorage = (e: StorageEvent) => e.key == REFUSAL_KEY && e.newValue && consent._state() != 'denied' && this.setConsent('denied')
      addEventListener('storage', onStorage)
      this._off.push(() => removeEventListener('storage', onStorage))
    } finally {
      // whatever failed (a server has no window), the calls made meanwhile run, and report what fails
      const calls = this._pre!
      this._pre = undefined
      calls.forEach((call) => this._guard(call))
    }
  }

  /** Consent allows storing: the visitor from real storage (an earlier visit's uuid wins), delivery, and what waited. */
  private _grant(): void {
    this._rebuild()
    this._pipe ||= createPipe(this._c, this._consent!._stores(), this._tasks, {
      _report: this._report,
      _log: this._log,
      _env: () => this._environment(),
      _guard: (fn) => this._guard(fn),
      _restored: () => this._c.autoPageviews !== false && this.page(),
      _mayAdopt: () => this._consent!._state() == 'granted',
    })
    this._held.splice(0).forEach((step) => step(this._build!))
  }

  private _rebuild(): void {
    const stores = this._consent!._stores()
    const sessions = createSessions(smallStore(stores), this._c._timeoutMs, this._landing!)
    const emit = (path: string, message: Message) => this._consent!._state() == 'granted' && this._pipe!._push(path, message)
    this._build = createBuilder(stores, sessions, emit, this._supplied, this._build?._id().uuid)
  }

  /** The page's unchanging context, read once. */
  private _environment(): Context {
    return (this._env ||= environment())
  }

  /** What a call captures at once: its time, the page as it is now, the global and the call's context. */
  private _moment(context?: Context): Moment {
    return { _t: Date.now(), _page: this._pageContext(this._pageRef), _context: { ...this._global, ...copy(objectOr(context)) } }
  }

  /** A call's message(s): built now, held until consent arrives, or dropped after a refusal. */
  private _step(step: Step): void {
    if (this._pre) return void this._pre.push(() => this._step(step))
    const state = this._consent!._state()
    if (this._c.dropBots && isBot()) this._once('opted_out', 'dropBots: automated browser')
    else if (state == 'denied') this._report('opted_out', 'opted out: not sent')
    else {
      // pending: held for consent, and meanwhile played on the in-memory visitor, whose messages
      // go nowhere, so getUser() already shows a login or logout made while waiting
      if (state == 'pending') this._held.push(step)
      this._guard(() => step(this._build!))
    }
  }

  /** One readable console line per message and per delivery result, with `debug`. */
  private _log = (line: string): void => {
    if (this._c.debug) console.log('[atrack] ' + line)
  }

  private _invalid(message: string): void {
    this._report('invalid_argument', message)
  }

  /** Runs `fn` now if the stores are open, or right after; catches everything. */
  private _when(fn: () => void): void {
    if (this._pre) this._pre.push(() => this._guard(fn))
    else this._guard(fn)
  }

  /** Runs `fn`; what it throws is reported, never thrown. */
  private _guard(fn: () => void): void {
    try {
      fn()
    } catch (e) {
      this._report('internal', 'caught: ' + e, { cause: e })
    }
  }

  /** @internal Stops listening to the page (tests, hot module reload); queued messages stay persisted. */
  _stop(): void {
    this._off.splice(0).forEach((off) => off())
    this._tasks._stop()
    this._pipe?._stop()
  }
}
