import type { Attributes, Context, InitPayload } from '../types'
import { LIBRARY, parseCampaign, referrerOf } from './context'
import { text } from '../values'

/** What a server knows about a request, for `buildInitPayload`. Mirrors the Rust SDK's `RequestContextInput`. */
export interface RequestContextInput {
  url?: string
  referer?: string
  ipAddress?: string
  userAgent?: string
  /** A locale or a whole `Accept-Language` header. */
  locale?: string
  timezone?: string
  uuid?: string
  userAttributes?: Attributes
}

/**
 * The `InitPayload` a browser would capture by itself, built from request data on a server or at
 * the edge (the Rust SDK's `build_rust_init_payload`). Runs in plain Node: no DOM.
 *
 * @example
 * const payload = buildInitPayload({ url: req.url, referer: req.headers.referer, locale: req.headers['accept-language'] })
 * await atrack.init(payload)
 */
export function buildInitPayload(input: RequestContextInput): Required<InitPayload> {
  const i = input || {}
  let url: URL | undefined
  try {
    url = i.url ? new URL(i.url, 'http://relative.invalid') : undefined
  } catch {
    // an unparsable url still travels as given
  }
  const absolute = url && url.hostname != 'relative.invalid' ? url.href : undefined
  const campaign = url ? parseCampaign(url.search) : {}
  const context: Context = {
    page: i.url ? { url: absolute || i.url, path: url?.pathname, referrer: i.referer } : undefined,
    ...campaign,
    referrer: referrerOf(i.referer, absolute, campaign),
    locale: text(i.locale?.split(/[,;]/)[0].trim()),
    timezone: i.timezone,
    userAgent: i.userAgent,
    ip: i.ipAddress,
    library: LIBRARY,
  }
  return { user: { uuid: i.uuid, attributes: i.userAttributes }, context: JSON.parse(JSON.stringify(context)) }
}
