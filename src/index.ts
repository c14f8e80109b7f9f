import { ATrack } from './client'
import type { ATrackOptions } from './types'

export { ATrack }
export { buildInitPayload, type RequestContextInput } from './capture/server'
export { SDK_VERSION } from './capture/context'
export type * from './types'

/**
 * Creates a client. Throws a TypeError for invalid options; nothing else ever throws.
 *
 * @example
 * import { createATrack } from '@a-track/web'
 * const atrack = createATrack({ publicKey: 'pub_xxx', geo: 'fra' })
 * const { uuid, isNewUser } = await atrack.init()
 * atrack.track('order_created', { plan: 'pro' })
 */
export function createATrack(options: ATrackOptions): ATrack {
  return new ATrack(options)
}
