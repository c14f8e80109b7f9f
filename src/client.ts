import { createCapture } from './capture/moment'
import { TICK_MS, TITLE_WAIT_MS } from './capture/pageviews'
import { type Landing, landingTouch } from './capture/session'
import { createReporter, guard, once, type Report } from './errors'
import { uuidv4 } from './identity/identity'
import { resolveOptions } from './options'
import { createPipeline, type Pipeline, type Step } from './pipeline'
import type { ATrackOptions, Attributes, Consent, InitPayload, InitResult, Mode, TrackPayload, User } from './types'
import { NOT_JSON, objectOr, snapshot, text } from './values'

/** Sends a waiting page view at once: with the title as it is, or with its navigation's (`atCall`). */
type Settle = (atCall?: 1) => void

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
  private _report: Report
  /** Runs `fn`; what it throws is reported, never thrown. */
  private _guard: (fn: () => void) => void
  /** what every call captures at its moment; browser.ts sets its `_clock` to replay the snippet's calls */
  private _capture
  private _pipeline: Pipeline
  private _init?: Promise<InitResult>
  /** While a navigation's page view waits for its title: the calls made since, kept behind it. */
  private _held?: Parameters<Pipeline['_step']>[]
  /** Sends the waiting page view at once (see pageView in init()). */
  private _settle?: Settle

  /** Throws a TypeError naming the option when the options are invalid. */
  constructor(options: ATrackOptions) {
    const c = resolveOptions(options)
    this._report = createReporter(c.onError, !!c.debug)
    // a server (SSR, a test runner, a build script) has no page: every method does nothing there
    this._guard = typeof document == 'undefined' ? () => {} : guard(this._report)
    this._capture = createCapture(c)
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
      /**
       * An automatic page view: the URL, path and referrer now; the title now, or (an SPA
       * navigation, or a first page that has no title yet) the one the page settles on: as soon as
       * `document.title` changes to another that is not empty, or the title as it is after
       * TITLE_WAIT_MS; at once when settled (`_settle`: page exit, flush; `atCall`, at the next
       * navigation, its navigation's: a title set just before that one is the next page's).
       * Calls made meanwhile wait behind it, so they follow it; their page context, shared with it
       * and not yet built, gets that title too.
       */
      const pageView = (first: boolean) =>
        this._guard(() => {
          this._settle?.(1)
          const attributes = this._capture._page() as Attributes
          const at = this._capture._moment()
          let ticks = 0
          const held: Parameters<Pipeline['_step']>[] = (this._held = [[(build) => build._event(at, 'page_view', attributes, new Date(at._t).toISOString()), true]])
          const send: Settle = (atCall) =>
            this._guard(() => {
              clearInterval(timer)
              // at the call, both have the title of the navigation
              atCall || (attributes.title = at._page.page!.title = document.title || undefined)
              this._held = this._settle = undefined
              held.forEach((call) => this._pipeline._step(...call))
            })
          // a page with no title yet is still loading (React 19 has removed the old page's <title>)
          const timer = setInterval(() => ((document.title != attributes.title && document.title) || ++ticks >= TITLE_WAIT_MS / TICK_MS) && send(), TICK_MS)
          this._settle = send
          if (first && document.title) send()
        })
      const start = () => {
        const user = objectOr(objectOr(payload).user)
        let first: Step | undefined, visit: Landing | undefined
        this._guard(() => {
          const attributes = snapshot(user.attributes)
          this._capture._extend(objectOr(payload).context)
          const at = this._capture._moment()
          first = (build) => build._start(at, attributes)
          visit = landingTouch(at._t)
          this._capture._watch(pageView, () => this._settle?.(), (e, a) => this.track(e, a))
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
      if (!name) return this._report('invalid_argument', 'track() needs an event name')
      const attrs = snapshot(p.attributes || {})
      if (!attrs) return this._report('invalid_argument', 'track(): ' + NOT_JSON)
      const at = this._capture._moment(p.context)
      const time = new Date(p.timestamp ?? at._t)
      if (isNaN(+time)) return this._report('invalid_argument', 'track() timestamp is not a date: ' + p.timestamp)
      const uuid = text(p.uuid)
      this._step((build) => build._event(at, name, attrs, time.toISOString(), uuid), true)
    })
  }

  /** Hands a call's step to the pipeline, or holds it behind a page view waiting for its title. */
  private _step(...call: Parameters<Pipeline['_step']>): void {
    this._held ? this._held.push(call) : this._pipeline._step(...call)
  }

  /** Sends a `page_view` with `{ url, path, title, referrer }` (automatic unless `autoPageviews: false`). */
  page(attributes?: Attributes): void {
    this._guard(() => this.track('page_view', { ...this._capture._page(), ...objectOr(attributes) }))
  }

  /** Updates the visitor's attributes on the backend (`/attributes`); merged unless `{ mode: 'replace' }`. */
  setAttributes(attributes: Attributes, options?: { mode?: Mode }): Promise<void> {
    this._guard(() => {
      const attrs = snapshot(attributes)
      if (!attrs) return this._report('invalid_argument', 'setAttributes(): ' + NOT_JSON)
      this._step((build) => build._attributes(attrs, options?.mode == 'replace' ? 'replace' : 'merge'))
    })
    return Promise.resolve()
  }

  /** The current visitor, or null until `init()` has resolved. */
  getUser(): User | null {
    this._settle?.()
    return this._pipeline._user()
  }

  /** Adopts a known id (e.g. after login); `/init` carries the previous uuid as `context.previousUuid`. */
  identify(uuid: string, attributes?: Attributes): void {
    this._guard(() => {
      if (!text(uuid)) return this._report('invalid_argument', 'identify() needs an id')
      const attrs = snapshot(attributes || {})
      if (!attrs) return this._report('invalid_argument', 'identify(): ' + NOT_JSON)
      const at = this._capture._moment()
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
      const at = this._capture._moment()
      const uuid = uuidv4()
      this._step((build) => build._become(at, { uuid, attributes: {}, isNewUser: true }))
    })
  }

  /** Stops all tracking and removes what the SDK stored; the refusal itself is kept across visits. */
  optOut(): void { this.setConsent('denied') }

  /** Undoes `optOut()`. */
  optIn(): void { this.setConsent('granted') }

  /** `'granted'` stores and sends what waited; `'denied'` drops it and removes the SDK's keys; `'pending'` holds new messages in memory. */
  setConsent(consent: Consent): void {
    const allowed = ['granted', 'denied', 'pending']
    // what was called before goes in first, as it was: a page view waiting for its title too
    this._settle?.()
    if (allowed.includes(consent)) this._pipeline._setConsent(consent)
    else this._report('invalid_argument', 'setConsent() takes ' + allowed)
  }

  /** Resolves when the queue is empty or nothing more can be sent now (offline, backing off, no consent). */
  flush(): Promise<void> {
    this._settle?.()
    return this._pipeline._flush()
  }

  /** @internal Stops listening to the page (tests, hot module reload); queued messages stay persisted. */
  _stop(): void {
    this._settle?.()
    this._capture._stop()
    this._pipeline._stop()
  }
}
