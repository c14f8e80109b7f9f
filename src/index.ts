import { ATrack } from './client'
import type { ATrackClient, AnyEvents, EventMap } from './events'
import type { ATrackOptions } from './types'

export { ATrack }
export { buildInitPayload, type RequestContextInput } from './capture/server'
export { SDK_VERSION } from './capture/context'
export type * from './types'
export type * from './events'

/**
 * Creates a client. Throws a TypeError for invalid options; nothing else ever throws.
 *
 * @example
 * import { createATrack } from '@a-track/web'
 * const atrack = createATrack({ publicKey: 'pub_xxx', geo: 'fra' })
 * const { uuid, isNewUser } = await atrack.init()
 * atrack.track('order_created', { plan: 'pro' })
 *
 * @example
 * // Typed events: names and attributes checked at compile time
 * const atrack = createATrack<{ signup_clicked: { plan: 'free' | 'pro' } }>({ publicKey: 'pub_xxx' })
 * atrack.track('signup_clicked', { plan: 'pro' })
 */
export function createATrack<Events extends EventMap<Events> = AnyEvents>(options: ATrackOptions): ATrackClient<Events> {
  // The class is the runtime; ATrackClient is its typed public face (test/types.test-d.ts keeps them in step).
  return new ATrack(options) as unknown as ATrackClient<Events>
}
