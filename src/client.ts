import { createCapture } from './capture/moment'
import { type Landing, landingTouch } from './capture/session'
import { createReporter, guard, once, type Report } from './errors'
import { uuidv4 } from './identity/identity'
import { type Config, resolveOptions } from './options'
import { createPipeline, type Pipeline, type Step } from './pipeline'
import type { ATrackOptions, Attributes, Consent, InitPayload, InitResult, Mode, TrackPayload, User } from './types'
import { NOT_JSON, objectOr, snapshot, text } from './values'

/**
 * The A-Track client: captures each call at its moment and hands it to the pipeline
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
  /** Runs `fn`; what it throws is reported, never thrown. */
  private _guard: (fn: () => void) => void
  /** what every call captures at its moment; browser.ts sets its `_clock` to replay the snippet's calls */
  private _capture
  private _pipeline: Pipeline
  private _init?: Promise<InitResult>

  /** Throws a TypeError naming the option when the options are invalid. */
  constructor(options: ATrackOptions) {
    const c = (this._c = resolveOptions(options))
    this._report = createReporter(c.onError, !!c.debug)
    // a server (SSR, a test runner, a build script) has no page: every method does nothing there
    this._guard = typeof document == 'undefined' ? () => {} : guard(this._report)
    this._capture = createCapture(snapshot(c.context) || {})
    this._pipeline = createPipeline(c, {
      _report: this._report,
      _once: once(this._report),
      _log: (line) => c.debug && console.log('[atrack] ' + line),
      _guard: this._guard,
      _restored: () => c.autoPageviews !== false && this.page(),
    })
  }

  /**
   * Starts page views and click capture at once; restores or creates the visitor, sends `/init`
   * for a new visitor or session, and starts delivery in a later task. Idempotent.
   */
  init(payload?: InitPayload): Promise<InitResult> {
    return (this._init ||= new Promise<InitResult>((resolve) => {
      // nothing to capture, store or send without a page, and no task that would keep Node alive
      if (typeof document == 'undefined') return resolve({ uuid: '', isNewUser: false })
      const start = () => {
        const user = objectOr(objectOr(payload).user)
        let first: Step | undefined, visit: Landing | undefined
        this._guard(() => {
          const attributes = snapshot(user.attributes)
          this._capture._extend(objectOr(payload).context)
          const at = this._capture._moment()
          first = (build) => build._start(at, attributes)
          visit = landingTouch(at._t)
          this._capture._watch(this._c, () => this.page(), (e, a) => this.track(e, a))
        })
        void this._pipeline._start(visit, text(user.uuid), first).then(resolve)
      }
      // a prerendered page may never be shown: it sends nothing, not even /init, until it is
      if ((document as { prerendering?: boolean }).prerendering) {
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
      const attrs = snapshot(p.attributes || {})
      if (!attrs) return this._invalid('track(): ' + NOT_JSON)
      const at = this._capture._moment(p.context)
      const time = new Date(p.timestamp ?? at._t)
      if (isNaN(+time)) return this._invalid('track() timestamp is not a date: ' + p.timestamp)
      const uuid = text(p.uuid)
      this._pipeline._step((build) => build._event(at, name, attrs, time.toISOString(), uuid), true)
    })
  }

  /** Sends a `page_view` with `{ url, path, title, referrer }` (automatic unless `autoPageviews: false`). */
  page(attributes?: Attributes): void {
    this._guard(() => this.track('page_view', { ...this._capture._page(), ...objectOr(attributes) }))
  }

  /** Updates the visitor's attributes on the backend (`/attributes`); merged unless `{ mode: 'replace' }`. */
  setAttributes(attributes: Attributes, options?: { mode?: Mode }): Promise<void> {
    this._guard(() => {
      const attrs = snapshot(attributes)
      if (!attrs) return this._invalid('setAttributes(): ' + NOT_JSON)
      this._pipeline._step((build) => build._attributes(attrs, options?.mode == 'replace' ? 'replace' : 'merge'))
    })
    return Promise.resolve()
  }

  /** The current visitor, or null until `init()` has resolved. */
  getUser(): User | null { return this._pipeline._user() }

  /** Adopts a known id (e.g. after login); `/init` carries the previous uuid as `context.previousUuid`. */
  identify(uuid: string, attributes?: Attributes): void {
    this._guard(() => {
      if (!text(uuid)) return this._invalid('identify() needs an id')
      const attrs = snapshot(attributes || {})
      if (!attrs) return this._invalid('identify(): ' + NOT_JSON)
      const at = this._capture._moment()
      this._pipeline._step((build) => {
        const previousUuid = build._id().uuid
        if (previousUuid != uuid) build._become(at, { uuid, attributes: attrs, isNewUser: false }, { previousUuid })
        else if (attributes) build._attributes(attrs, 'merge')
      })
    })
  }

  /** Logout: a new anonymous uuid, attributes cleared. */
  reset(): void {
    this._guard(() => {
      const at = this._capture._moment()
      const uuid = uuidv4()
      this._pipeline._step((build) => build._become(at, { uuid, attributes: {}, isNewUser: true }))
    })
  }

  /** Stops all tracking and removes what the SDK stored; the refusal itself is kept across visits. */
  optOut(): void { this.setConsent('denied') }

  /** Undoes `optOut()`. */
  optIn(): void { this.setConsent('granted') }

  /** `'granted'` stores and sends what waited; `'denied'` drops it and removes the SDK's keys; `'pending'` holds new messages in memory. */
  setConsent(consent: Consent): void {
    const allowed = ['granted', 'denied', 'pending']
    if (allowed.includes(consent)) this._pipeline._setConsent(consent)
    else this._invalid('setConsent() takes ' + allowed)
  }

  /** Resolves when the queue is empty or nothing more can be sent now (offline, backing off, no consent). */
  flush(): Promise<void> { return this._pipeline._flush() }

  private _invalid(message: string): void { this._report('invalid_argument', message) }

  /** @internal Stops listening to the page (tests, hot module reload); queued messages stay persisted. */
  _stop(): void {
    this._capture._stop()
    this._pipeline._stop()
  }
}
