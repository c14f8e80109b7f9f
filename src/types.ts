/** Free-form attributes of an event or a user; values must be JSON-serialisable. */
export type Attributes = Record<string, unknown>

/** How `/init` and `/attributes` apply attributes: merged into what the backend has, or replacing it. */
export type Mode = 'merge' | 'replace'

/** Consent state: `pending` keeps everything in memory, `denied` stores and sends nothing. */
export type Consent = 'pending' | 'granted' | 'denied'

/** Where the SDK keeps the uuid and its queue. */
export type StorageKind = 'cookie+localStorage' | 'localStorage' | 'cookie' | 'memory'

/** A custom storage backend. Methods may throw: the SDK catches and reports. */
export interface StorageAdapter {
  get(key: string): string | null | undefined
  set(key: string, value: string): void
  remove(key: string): void
}

export type Transport = 'auto' | 'beacon' | 'fetch'

/** Traffic-source class of a visit. */
export type SourceType = 'search' | 'social' | 'email' | 'paid' | 'referral' | 'internal' | 'direct'

export interface PageInfo {
  url?: string
  path?: string
  title?: string
  referrer?: string
}

export interface Utm {
  source?: string
  medium?: string
  campaign?: string
  term?: string
  content?: string
}

/** One touch point of a visitor: where a session or a first visit came from. */
export interface Touch {
  type: SourceType
  utm?: Utm
  clickIds?: Record<string, string>
  referrer?: string
  landingPage?: string
  timestamp?: string
}

/** Context captured with each message; keys are absent when unknown. */
export interface Context {
  page?: PageInfo
  utm?: Utm
  clickIds?: Record<string, string>
  referrer?: { url?: string; host?: string; type: SourceType }
  locale?: string
  timezone?: string
  screen?: { width: number; height: number; density?: number }
  userAgent?: string
  ip?: string
  library?: { name: string; version: string }
  sessionId?: string
  attribution?: { initial?: Touch; session?: Touch }
  isBot?: boolean
  previousUuid?: string
  [key: string]: unknown
}

interface Envelope {
  sdkVersion: string
  messageId: string
  uuid: string
}

/** Body of `POST /init`. */
export interface InitMessage extends Envelope {
  isNewUser: boolean
  mode: Mode
  context: Context
  attributes: Attributes
  profile: Attributes
}

/** Body of `POST /attributes`. */
export interface AttributesMessage extends Envelope {
  mode: Mode
  attributes: Attributes
  profile: Attributes
}

/** Body of `POST /event`. */
export interface EventMessage extends Envelope {
  event: string
  attributes: Attributes
  timestamp: string
  context: Context
}

export type Message = InitMessage | AttributesMessage | EventMessage

export interface User {
  uuid: string
  attributes: Attributes
}

export interface InitResult {
  uuid: string
  isNewUser: boolean
}

/** Argument of `init()`: a known user and extra context. Also what `buildInitPayload()` returns. */
export interface InitPayload {
  user?: { uuid?: string; attributes?: Attributes }
  context?: Context
}

/** Object form of `track()`. */
export interface TrackPayload {
  event: string
  /** Send for another user than the current one. */
  uuid?: string
  attributes?: Attributes
  /** When it happened, for historical import: a Date, an ISO string or epoch milliseconds. */
  timestamp?: Date | string | number
  /** Merged over the captured context. */
  context?: Context
}

/** What went wrong, as reported through `onError`. */
export type ErrorCode =
  | 'invalid_argument' // a call got arguments it cannot use; the call is ignored
  | 'storage' // cookies or localStorage failed; the SDK goes on in memory
  | 'oversize' // a message over 32 KB was refused
  | 'queue_full' // the queue's count or byte cap pushed out its oldest messages
  | 'expired' // queued messages older than the maximum age were dropped
  | 'rejected' // the backend refused a message for good (4xx); it was dropped
  | 'network' // a send failed and will be retried
  | 'opted_out' // the visitor opted out or denied consent; the message was not kept
  | 'internal' // a bug in the SDK; caught so the page goes on

export interface ATrackError extends Error {
  code: ErrorCode
  /** The message concerned, when there is one. */
  messageId?: string
  /** HTTP status, for `rejected` and `network`. */
  status?: number
  /** How many messages a drop concerned. */
  count?: number
}

export interface ATrackOptions {
  /** Your project's public key (`pub_…`). Required. */
  publicKey: string
  /** Region: requests go to `https://<geo>.api.a-track.io`. Must be a DNS label. */
  geo?: string
  /** Overrides the API base URL, e.g. a first-party proxy. Default `https://api.a-track.io`. */
  apiHost?: string
  /** Where the uuid and queue live. Default `'cookie+localStorage'`. */
  storage?: StorageKind | StorageAdapter
  /** Cookie domain. Default: the widest domain of the host that accepts a cookie; `false` pins the host. */
  cookieDomain?: string | false
  /** Send a `page_view` at start and on each SPA navigation. Default `true`. */
  autoPageviews?: boolean
  /** Count hash changes (`#/route`) as navigations. Default `false`. */
  hashRouting?: boolean
  /** Send clicks on `[data-atrack-event]` elements. Default `true`. */
  autocapture?: boolean
  /** Send `outbound_link_clicked` for clicks on links to other sites. Default `false`. */
  trackOutboundLinks?: boolean
  /** `'auto'` (fetch now, beacon at exit), `'beacon'` or `'fetch'` only. Default `'auto'`. */
  transport?: Transport
  /** Initial consent. Default `'granted'`. */
  consent?: Consent
  /** Treat Do Not Track and Global Privacy Control as a refusal. Default `false`. */
  respectDnt?: boolean
  /** Drop messages from automated browsers instead of flagging them with `context.isBot`. Default `false`. */
  dropBots?: boolean
  /** Minutes of inactivity that end a session. Default `30`. */
  sessionTimeout?: number
  /** Log each message and delivery result to the console. Default `false`. */
  debug?: boolean
  /** Called with every error and every dropped message. */
  onError?: (error: ATrackError) => void
  /** Change a message before it is queued, or return `null` to drop it. Synchronous. */
  beforeSend?: (message: Message) => Message | null
  /** Queue cap in messages. Default `1000`. */
  maxQueueMessages?: number
  /** Queue cap in bytes of JSON. Default `1_000_000`. */
  maxQueueBytes?: number
  /** Maximum age of a queued message, in hours. Default `168` (7 days). */
  maxQueueAge?: number
  /**
   * A global context merged into every message's `context`, over what is captured; the per-call
   * `context` of `track()` wins over it, and `init({ context })` adds to it. Default none.
   */
  context?: Context
}
