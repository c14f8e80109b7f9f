import { type Identity, loadIdentity, randomId, saveIdentity } from '../identity/identity'
import type { Stores } from '../identity/storage'
import type { Attributes, Context, Message, Mode } from '../types'
import { SDK_VERSION } from './context'
import type { Sessions } from './session'

/** What a call captured at its moment, so the message it becomes is the same whenever it is built. */
export interface Moment {
  /** epoch ms of the call */
  _t: number
  /** the page's part of the context at the call: page, campaign, referrer */
  _page: Context
  /** the global context and the call's own, copied at the call */
  _context: Context
}

export type Emit = (path: string, message: Message) => void

/**
 * Builds messages from what calls captured, each once, in call order, with the identity and the
 * session they have at that point of the sequence. It owns the identity: `identify()`, `reset()`
 * and `setAttributes()` change it here, in turn with the messages around them. Built messages go
 * to `emit`; nothing is changed after that.
 *
 * @example const build = createBuilder(stores, sessions, emit); build._event(moment, 'signup', {}, new Date().toISOString())
 */
export function createBuilder(stores: Stores, sessions: Sessions, emit: Emit, supplied?: string, fallback?: string, carried?: Identity) {
  // a visitor carried over from the builder before (consent changed on this page) goes on as it is
  let id = carried ? { ...carried } : loadIdentity(stores, supplied, fallback)
  if (carried) saveIdentity(stores, id)

  /** A message: the envelope (`uuid` the call's own, else the visitor's) then its own fields. */
  const send = (path: string, body: object, uuid?: string) =>
    emit(path, { sdkVersion: SDK_VERSION, messageId: randomId(), uuid: uuid || id.uuid, ...body } as Message)
  const init = (context: Context, isNewUser: boolean, attributes: Attributes) =>
    send('/init', { isNewUser, mode: 'merge', context, attributes, profile: {} })
  /** The session at the call, over the page, under the global and call context. */
  const contextAt = (at: Moment, extra?: Context): Context => ({ ...at._page, ...sessions._touch(at._t), ...at._context, ...extra })

  const origin = { ...id }
  return {
    /** The current visitor. */
    _id: (): Identity => id,
    /** The visitor it started with, before any login or logout it built. */
    _origin: origin,
    /** It started with a visitor carried over from the builder before it (consent changed on this page). */
    _carried: !!carried,

    /** `init()`: an /init for a new visitor, a new session, or a user the page supplied. */
    _start(at: Moment, attributes?: Attributes) {
      if (attributes) {
        id.attributes = { ...id.attributes, ...attributes }
        saveIdentity(stores, id)
      }
      const context = contextAt(at)
      if (id.isNewUser || supplied || attributes || sessions._isNew) init(context, id.isNewUser, attributes || {})
    },

    _event(at: Moment, event: string, attributes: Attributes, timestamp: string, uuid?: string) {
      const context = contextAt(at)
      // a session that begins after init (30 minutes idle on this page) announces itself like the first
      if (sessions._isNew) init({ ...context }, false, {})
      send('/event', { event, attributes, timestamp, context }, uuid)
    },

    _attributes(attributes: Attributes, mode: Mode) {
      id.attributes = mode == 'merge' ? { ...id.attributes, ...attributes } : { ...attributes }
      saveIdentity(stores, id)
      send('/attributes', { mode, attributes, profile: {} })
    },

    /** A login (`previousUuid` travels along for aliasing) or a logout's new anonymous visitor. */
    _become(at: Moment, next: Identity, extra?: Context) {
      id = next
      saveIdentity(stores, id)
      init(contextAt(at, extra), id.isNewUser, id.attributes)
    },
  }
}

export type Builder = ReturnType<typeof createBuilder>
