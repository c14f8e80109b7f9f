import type { Attributes, Consent, InitPayload, InitResult, Mode, TrackPayload, User } from './types'

/**
 * Event names mapped to their attributes, for typed events: `createATrack<Events>(options)`.
 * An event whose attributes are all optional (or `undefined`) may be tracked without them.
 *
 * @example
 * type Events = {
 *   signup_clicked: { plan: 'free' | 'pro' }
 *   invoice_paid: { amount: number; currency?: string }
 *   logged_out: undefined
 * }
 * const atrack = createATrack<Events>({ publicKey: 'pub_xxx' })
 * atrack.track('signup_clicked', { plan: 'pro' }) // checked: name and attributes
 */
export type EventMap<Events = AnyEvents> = { [E in keyof Events]: object | undefined }

/** What `createATrack()` gives without a type argument: any event name, any attributes. */
export type AnyEvents = Record<string, Attributes>

/** The names `track()` accepts. */
export type EventName<Events> = keyof Events & string

/** The attributes argument of `track(name, attributes)`: optional when the event has no required attribute. */
export type EventAttributesArgument<A> = undefined extends A
  ? [attributes?: A]
  : {} extends A // eslint-disable-line @typescript-eslint/no-empty-object-type -- "has no required key"
    ? [attributes?: A]
    : [attributes: A]

/** The keys of `A` that are not optional; `never` when there are none (or `A` is not an object). */
export type RequiredAttributeNames<A> = A extends object ? { [K in keyof A]-?: {} extends Pick<A, K> ? never : K }[keyof A] : never // eslint-disable-line @typescript-eslint/no-empty-object-type

/**
 * What `track(name)` without attributes takes for an event: the name itself when the event requires
 * no attribute; otherwise an object type whose keys name them, so the error says which are missing
 * (an object, not a string, so editors do not offer it as a name to complete).
 */
export type NameWithoutAttributes<Events, E extends keyof Events> = E extends keyof Events
  ? [RequiredAttributeNames<Events[E]>] extends [never]
    ? E
    : { [Message in `${E & string} needs the attribute ${RequiredAttributeNames<Events[E]> & string}`]: never }
  : never

/** The object form of `track()` for one event of `Events`. */
export type TypedTrackPayload<Events, E extends EventName<Events> = EventName<Events>> = {
  [Name in E]: Omit<TrackPayload, 'event' | 'attributes'> & { event: Name } & (undefined extends Events[Name]
      ? { attributes?: Events[Name] }
      : {} extends Events[Name] // eslint-disable-line @typescript-eslint/no-empty-object-type
        ? { attributes?: Events[Name] }
        : { attributes: Events[Name] })
}[E]

/**
 * The public client, as `createATrack()` returns it and as `window.atrack` is on a page with the
 * script tag. `Events` types `track()`; without it any name and any attributes are accepted.
 */
export interface ATrackClient<Events extends EventMap<Events> = AnyEvents> {
  /**
   * Restores or creates the visitor, sends `/init` for a new visitor or session, and starts page
   * views, click capture and delivery. Idempotent: later calls return the first result.
   *
   * @example const { uuid, isNewUser } = await atrack.init({ user: { uuid: 'crm-user-42' } })
   */
  init(payload?: InitPayload): Promise<InitResult>
  /**
   * Sends an event. Never throws: bad arguments are reported through `onError`.
   *
   * @example atrack.track('signup_clicked', { plan: 'pro' })
   */
  track<E extends EventName<Events>>(event: E, ...attributes: EventAttributesArgument<Events[E]>): void
  /** `track(name)` alone: an event without required attributes (the type error names those missing). */
  track<E extends EventName<Events>>(event: NameWithoutAttributes<Events, E>): void
  /**
   * Sends an event, with a timestamp (historical import), another user's uuid or extra context.
   *
   * @example atrack.track({ event: 'invoice_paid', attributes: { amount: 49 }, timestamp: '2026-04-08T12:00:00Z' })
   */
  track<E extends EventName<Events>>(payload: TypedTrackPayload<Events, E>): void
  /** Sends a `page_view` with `{ url, path, title, referrer }` (automatic unless `autoPageviews: false`). */
  page(attributes?: Attributes): void
  /**
   * Sets user attributes (`mode: 'merge'` by default). Resolves at once: the update is sent like any message; `flush()` waits for delivery.
   *
   * @example await atrack.setAttributes({ plan: 'business' })
   */
  setAttributes(attributes: Attributes, options?: { mode?: Mode }): Promise<void>
  /** The current user, or `null` before `init()`. */
  getUser(): User | null
  /**
   * Adopts a known id; the previous uuid travels as `context.previousUuid` (an alias).
   *
   * @example atrack.identify('crm-user-42', { plan: 'pro' })
   */
  identify(uuid: string, attributes?: Attributes): void
  /** Logout: a new anonymous uuid, attributes cleared. */
  reset(): void
  /** Persisted refusal: nothing stored, nothing sent, until `optIn()`. */
  optOut(): void
  /** Lifts `optOut()`. */
  optIn(): void
  /** `'granted'` stores and sends what waited; `'denied'` drops it and removes every key the SDK wrote. */
  setConsent(consent: Consent): void
  /** Resolves when the queue is empty or nothing more can be sent now. Never rejects. */
  flush(): Promise<void>
}
