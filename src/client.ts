import { nanoid } from 'nanoid'
import { watchClicks } from './capture/clicks'
import { privacySignal, REFUSAL_KEY, saveRefusal, storedRefusal } from './identity/consent'
import { createPageContext, pageInfo, SDK_VERSION, staticContext } from './capture/context'
import { createDelivery, type Delivery } from './delivery/sender'
import { createReporter, once, type Report } from './errors'
import { type Identity, loadIdentity, saveIdentity, uuidv4 } from './identity/identity'
import { prepare, type Pending } from './delivery/intake'
import { watchLifecycle } from './delivery/lifecycle'
import { type Config, resolveOptions } from './options'
import { watchPageviews } from './capture/pageviews'
import { createQueue, type Queue } from './delivery/queue'
import { createSessions } from './capture/session'
import { clearAll, createStores, memoryStore, smallStore, type Stores } from './identity/storage'
import type {
  ATrackOptions, Attributes, Consent, Context, InitPayload, InitResult, Message, Mode, TrackPayload, User,
} from './types'

const NOT_JSON = 'attributes must be a JSON object'

const isObject = (v: unknown): v is Attributes => !!v && typeof v == 'object' && !Array.isArray(v)
/** `v` if it is an object, else an empty one: arguments from the page may be anything. */
const objectOr = <T extends object>(v: T | undefined): T => (isObject(v) ? v : {}) as T
/** `v` if it is a non-empty string. */
const text = (v: unknown): string | undefined => (typeof v == 'string' && v) || undefined

/** User attributes are stored, so they must survive JSON (no cycles, no BigInt). */
function serialisable(v: unknown): v is Attributes {
  try {
    return isObject(v) && !!JSON.stringify(v)
  } catch {
    return false
  }
}

/**
 * The A-Track client. Every public method catches its own failures and reports them through
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
  private _stores?: Stores
  private _active?: Stores
  private _id?: Identity
  private _consent: Consent
  private _static?: Context
  private _sessions?: ReturnType<typeof createSessions>
  private _queue?: Queue
  private _delivery?: Delivery
  private _intake: Pending[] = []
  private _held: Pending[] = []
  private _pre: (() => void)[] = []
  private _init?: Promise<InitResult>
  private _ready?: boolean
  private _scheduled?: boolean
  /** URL of the last page view, and the referrer of the current page (the previous page after an SPA navigation). */
  private _lastUrl?: string
  private _pageRef?: string
  private _pageContext = createPageContext()
  private _supplied?: boolean
  /** the /init of `init()`, and whether the page asked for it (a user given): see `_grant` */
  private _startInit?: string
  private _forced?: boolean
  private _off: (() => void)[] = []

  /** Throws a TypeError naming the option when the options are invalid. */
  constructor(options: ATrackOptions) {
    this._c = resolveOptions(options)
    this._report = createReporter(this._c.onError, !!this._c.debug)
    this._once = once(this._report)
    this._consent = this._c.consent || 'granted'
  }

  /**
   * Restores or creates the visitor, sends `/init` for a new visitor or session, and starts page
   * views, click capture and delivery. Idempotent: later calls return the first result.
   */
  init(payload?: InitPayload): Promise<InitResult> {
    return (this._init ||= new Promise<InitResult>((resolve) => {
      const start = () => {
        this._guard(() => this._start(objectOr(payload)))
        this._ready = true
        this._pre.splice(0).forEach((call) => call())
        resolve({ uuid: this._id?.uuid || '', isNewUser: !!this._id?.isNewUser })
      }
      // a prerendered page may never be shown: it sends nothing, not even /init, until it is
      if (typeof document != 'undefined' && (document as { prerendering?: boolean }).prerendering) {
        document.addEventListener('prerenderingchange', start, { once: true })
      } else {
        start()
      }
    }))
  }

  /** Sends an event: `track('order_created', { plan: 'pro' })` or `track({ event, attributes, timestamp, uuid, context })`. */
  track(event: string | TrackPayload, attributes?: Attributes): void {
    this._when(() => {
      const p = typeof event == 'string' ? { event, attributes } : objectOr(event)
      if (!text(p.event)) return this._invalid('track() needs an event name')
      if (p.attributes != null && !isObject(p.attributes)) return this._invalid('track(): ' + NOT_JSON)
      const at = p.timestamp == null ? new Date() : new Date(p.timestamp)
      if (isNaN(+at)) return this._invalid('track() timestamp is not a date: ' + p.timestamp)
      this._send('/event', {
        ...this._envelope(p.uuid),
        event: p.event,
        attributes: p.attributes || {},
        timestamp: at.toISOString(),
        context: this._context(objectOr(p.context)),
      })
    })
  }

  /** Sends a `page_view` with `{ url, path, title, referrer }` (automatic unless `autoPageviews: false`). */
  page(attributes?: Attributes): void {
    this._when(() => {
      if (this._lastUrl && this._lastUrl != location.href) this._pageRef = this._lastUrl
      this._lastUrl = location.href
      const info = pageInfo(this._pageRef)
      this.track('page_view', { ...info, ...objectOr(attributes) })
    })
  }

  /** Updates the visitor's attributes on the backend (`/attributes`); merged unless `{ mode: 'replace' }`. */
  setAttributes(attributes: Attributes, options?: { mode?: Mode }): Promise<void> {
    return this._whenAsync(() => {
      const id = this._id
      if (!id || !serialisable(attributes)) return this._invalid('setAttributes(): ' + NOT_JSON)
      const mode = options?.mode == 'replace' ? 'replace' : 'merge'
      id.attributes = mode == 'merge' ? { ...id.attributes, ...attributes } : { ...attributes }
      saveIdentity(this._active!, id)
      this._send('/attributes', { ...this._envelope(), mode, attributes, profile: {} })
    })
  }

  /** The current visitor, or null before `init()`. */
  getUser(): User | null {
    const id = this._id
    return id ? { uuid: id.uuid, attributes: { ...id.attributes } } : null
  }

  /**
   * Adopts a known id (e.g. after login). `/init` goes out with the previous uuid as
   * `context.previousUuid`, so the backend can alias the anonymous history to it.
   */
  identify(uuid: string, attributes?: Attributes): void {
    this._when(() => {
      if (!text(uuid)) return this._invalid('identify() needs an id')
      if (attributes != null && !serialisable(attributes)) return this._invalid('identify(): ' + NOT_JSON)
      const previous = this._id!.uuid
      if (previous == uuid) return attributes ? void this.setAttributes(attributes) : undefined
      this._become({ uuid, attributes: objectOr(attributes), isNewUser: false }, { previousUuid: previous })
    })
  }

  /** Logout: a new anonymous uuid, attributes cleared. */
  reset(): void {
    this._when(() => this._become({ uuid: uuidv4(), attributes: {}, isNewUser: true }))
  }

  /** Stops all tracking and removes what the SDK stored; the refusal itself is kept across visits. */
  optOut(): void {
    this.setConsent('denied')
  }

  /** Undoes `optOut()`. */
  optIn(): void {
    this.setConsent('granted')
  }

  /**
   * `'granted'` persists the uuid and sends what waited; `'denied'` drops it and removes every key
   * the SDK wrote; `'pending'` holds new messages in memory.
   */
  setConsent(consent: Consent): void {
    this._when(() => {
      if (!['granted', 'denied', 'pending'].includes(consent)) return this._invalid('setConsent() takes granted, denied or pending')
      const was = this._consent
      this._consent = consent
      saveRefusal(this._stores!, consent == 'denied')
      if (consent == 'denied') {
        const dropped = this._held.length + this._intake.length + (this._queue?._items.length || 0)
        this._held = []
        this._intake = []
        this._queue?._clear()
        clearAll(this._stores!, ['atrack_uid', 'atrack_user', 'atrack_session', 'atrack_first'])
        this._active = { local: memoryStore() }
        this._sessions!._moveTo(this._active.local)
        if (dropped) this._report('opted_out', dropped + ' message(s) dropped: consent denied', { count: dropped })
      } else if (consent == 'granted' && was != 'granted') {
        this._grant()
      }
    })
  }

  /** Resolves when the queue is empty or nothing more can be sent now (offline, backing off, no consent). */
  flush(): Promise<void> {
    return this._whenAsync(() => {
      this._process()
      return this._delivery?._flush()
    })
  }

  // ——— inside ———

  private _start(payload: InitPayload): void {
    const c = this._c
    const stores = (this._stores = createStores(c.storage, c.cookieDomain, this._once))
    if (storedRefusal(stores) || (c.respectDnt && privacySignal())) this._consent = 'denied'
    const granted = this._consent == 'granted'
    this._active = granted ? stores : { local: memoryStore() }
    const user = objectOr(payload.user)
    const supplied = text(user.uuid)
    const id = (this._id = loadIdentity(this._active, supplied))
    this._supplied = !!supplied
    const attributes = serialisable(user.attributes) ? user.attributes : {}
    if (user.attributes) {
      id.attributes = { ...id.attributes, ...attributes }
      saveIdentity(this._active, id)
    }
    this._static = staticContext()
    this._sessions = createSessions(smallStore(this._active), c._timeoutMs)
    if (granted) this._deliver()
    const context = this._context(objectOr(payload.context))
    if (id.isNewUser || supplied || user.attributes || this._sessions._isNew) {
      const envelope = this._envelope()
      this._startInit = envelope.messageId
      this._forced = !!(supplied || user.attributes)
      this._send('/init', { ...envelope, isNewUser: id.isNewUser, mode: 'merge', context, attributes, profile: {} })
    }
    if (c.autoPageviews !== false) this._off.push(watchPageviews(() => this.page(), c.hashRouting))
    if (c.autocapture !== false) this._off.push(watchClicks((e, a) => this.track(e, a), c.trackOutboundLinks))
  }

  /** Creates the persisted queue and its delivery; only once consent allows storing anything. */
  private _deliver(): void {
    if (this._delivery) return
    const c = this._c
    const stores = this._stores!
    const queue = (this._queue = createQueue(stores.durable ? stores.local : undefined, nanoid(10), c, this._report))
    const delivery = (this._delivery = createDelivery({
      _base: c._base, _key: c.publicKey, _transport: c.transport || 'auto', _queue: queue, _report: this._report, _log: this._log,
    }))
    let again: ReturnType<typeof setTimeout> | undefined
    // takes over queues of tabs that are gone; looks again while another tab's queue may yet be orphaned
    const adopt = (): void =>
      void Promise.resolve(this._consent == 'granted' ? queue._adopt() : undefined).then((next) => {
        delivery._pump()
        clearTimeout(again)
        if (next != null) again = setTimeout(adopt, Math.max(next, 100))
      }, () => undefined)
    this._off.push(
      watchLifecycle({
        _hidden: (leaving) => this._guard(() => {
          this._process()
          delivery._exit(leaving)
          queue._persist(leaving)
        }),
        _shown: (restored) => this._guard(() => {
          delivery._back()
          if (restored) {
            queue._resume()
            if (c.autoPageviews !== false) this.page()
          }
          adopt()
        }),
        _online: () => this._guard(() => (delivery._online(), adopt())),
        _offline: delivery._offline,
      }),
    )
    // an opt-out in another tab holds here too (the storage event reaches other tabs in milliseconds)
    const onStorage = (e: StorageEvent) => e.key == REFUSAL_KEY && e.newValue && this._consent != 'denied' && this.setConsent('denied')
    addEventListener('storage', onStorage)
    this._off.push(() => {
      removeEventListener('storage', onStorage)
      clearTimeout(again)
      delivery._stop()
    })
    adopt()
  }

  /** Consent arrived: switch to real storage, keep a uuid stored on an earlier visit, send what waited. */
  private _grant(): void {
    const temp = this._id!
    const id = (this._id = this._supplied ? temp : loadIdentity(this._stores!, undefined, temp.uuid))
    if (id.uuid == temp.uuid) id.attributes = temp.attributes
    this._active = this._stores
    saveIdentity(this._stores!, id)
    // the session that began while pending goes on in real storage, with its campaign touch saved
    // now; a session stored on an earlier consented page takes over, and held messages follow it
    const sessions = this._sessions!
    sessions._moveTo(smallStore(this._stores!))
    const session = sessions._touch(Date.now())
    // the /init of a pending page is moot for a known visitor whose stored session goes on
    const keepInit = id.isNewUser || this._forced || sessions._isNew
    this._deliver()
    for (const [path, m] of this._held.splice(0)) {
      const ctx = (m as { context?: Context }).context
      if (m.messageId == this._startInit && !keepInit) continue
      if (m.uuid == temp.uuid) m.uuid = id.uuid
      if ('isNewUser' in m) m.isNewUser = id.isNewUser
      if (ctx) Object.assign(ctx, session)
      this._enqueue(path, m)
    }
  }

  private _become(id: Identity, extra?: Context): void {
    this._id = id
    // chosen by the page (a login, or a logout's new anonymous uuid): consent must not swap it back
    this._supplied = true
    saveIdentity(this._active!, id)
    this._send('/init', {
      ...this._envelope(), isNewUser: id.isNewUser, mode: 'merge', context: this._context(extra), attributes: id.attributes, profile: {},
    })
  }

  private _envelope(uuid?: string) {
    return { sdkVersion: SDK_VERSION, messageId: nanoid(), uuid: text(uuid) || this._id!.uuid }
  }

  /** Captured context: page, campaign, referrer and session now, over what never changes, under `extra`. */
  private _context(extra?: Context): Context {
    const context = { ...this._static, ...this._pageContext(this._pageRef), ...this._sessions!._touch(Date.now()), ...extra }
    // a session that began after init (30 minutes idle on this page) announces itself like the first
    if (this._ready && this._sessions!._isNew && this._consent != 'denied') {
      this._send('/init', { ...this._envelope(), isNewUser: false, mode: 'merge', context: { ...context }, attributes: {}, profile: {} })
    }
    return context
  }

  private _send(path: string, message: Message): void {
    if (this._static?.isBot && this._c.dropBots) {
      return this._once('opted_out', 'dropBots: automated browser')
    }
    if (this._consent == 'denied') {
      return this._report('opted_out', 'opted out: not sent', { messageId: message.messageId })
    }
    if (this._consent == 'pending') this._held.push([path, message])
    else this._enqueue(path, message)
  }

  /** The hot path ends here: serialising, storage and network run once per task, after the page's handler. */
  private _enqueue(path: string, message: Message): void {
    this._intake.push([path, message])
    if (this._scheduled) return
    this._scheduled = true
    queueMicrotask(() => this._guard(() => this._process()))
  }

  private _process(): void {
    this._scheduled = false
    const now = Date.now()
    const items = prepare(this._intake.splice(0), this._c, this._report, this._log, now)
    if (items.length && this._queue) {
      this._queue._add(items, now)
      // written before any send is tried (the pump saves first); while nothing can be sent a large
      // queue waits up to a second
      if (this._queue._small()) this._queue._persist()
      this._delivery!._pump()
    }
  }

  /** One readable console line per message and per delivery result, with `debug`. */
  private _log = (line: string): void => {
    if (this._c.debug) console.log('[atrack] ' + line)
  }

  private _invalid(message: string): void {
    this._report('invalid_argument', message)
  }

  /** Runs `fn` now if `init()` ran, or right after it; catches everything. */
  private _when(fn: () => void): void {
    if (this._ready) this._guard(fn)
    else this._pre.push(() => this._guard(fn))
  }

  /** As `_when`, for methods that return a promise: it always resolves, whatever happened. */
  private _whenAsync(fn: () => unknown): Promise<void> {
    return new Promise<void>((resolve) =>
      this._when(() => void Promise.resolve(this._guard(fn)).then(() => resolve(), () => resolve())),
    )
  }

  /** Runs `fn` and returns what it returns; what it throws is reported, never thrown. */
  private _guard<T>(fn: () => T): T | undefined {
    try {
      return fn()
    } catch (e) {
      this._report('internal', 'caught: ' + e, { cause: e })
    }
  }

  /** @internal Stops listening to the page (tests, hot module reload); queued messages stay persisted. */
  _stop(): void {
    this._off.splice(0).forEach((off) => off())
  }
}
