import type { ATrackOptions } from './types'

/** The A-Track API when neither `geo` nor `apiHost` is set. */
export const DEFAULT_API_HOST = 'https://api.a-track.io'

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/** Options with every default filled in. */
export interface Config extends ATrackOptions {
  _base: string
  _timeoutMs: number
  _maxMessages: number
  _maxBytes: number
  _maxAgeMs: number
}

/**
 * Validates options and fills in defaults. Throws a TypeError naming the bad option: this is the
 * only place the SDK throws, at construction, where a developer sees it.
 *
 * @example resolveOptions({ publicKey: 'pub_xxx', geo: 'fra' })._base // 'https://fra.api.a-track.io'
 */
export function resolveOptions(options: ATrackOptions): Config {
  const o = { ...options }
  const { publicKey: key, geo, storage: s } = o
  /** Option `name`, when set (always, when `required`), must pass `ok`. */
  const check = (name: keyof ATrackOptions, ok: unknown, what: string, required?: boolean) => {
    const v = o[name]
    // a string or a number as it is, anything else by its type (String() throws for some objects)
    if ((required || v != null) && !ok) throw new TypeError('[atrack] `' + name + '` must be ' + what + ', got ' + (typeof v == 'string' ? '"' + v + '"' : typeof v == 'number' ? v : typeof v))
  }
  /** A string option is one of those `allowed`. */
  const among = (value: unknown, allowed: RegExp) => typeof value == 'string' && allowed.test(value)
  /** A positive number, `fallback` when unset, times `unit`. */
  const positive = (name: 'sessionTimeout' | 'maxQueueMessages' | 'maxQueueBytes' | 'maxQueueAge', fallback: number, unit = 1) => {
    const value = o[name] ?? fallback
    check(name, typeof value == 'number' && value > 0, 'a positive number')
    return value * unit
  }
  let url: URL | undefined
  try {
    url = new URL(o.apiHost!)
  } catch {
    // not a URL: refused below
  }
  check('publicKey', typeof key == 'string' && key.trim(), 'a key like "pub_…"', true)
  check('geo', typeof geo == 'string' && DNS_LABEL.test(geo), 'a DNS label like "fra"')
  check('apiHost', url && /^https?:$/.test(url.protocol), 'an http(s) URL')
  check('transport', among(o.transport, /^(auto|beacon|fetch)$/), 'auto, beacon or fetch')
  check('consent', among(o.consent, /^(granted|pending|denied)$/), 'granted, pending or denied')
  check(
    'storage',
    s && typeof s == 'object' ? ['get', 'set', 'remove'].every((m) => typeof (s as never)[m] == 'function') : among(s, /^(cookie\+localStorage|localStorage|cookie|memory)$/),
    'a storage kind or an object with get, set and remove',
  )
  return {
    ...o,
    _base: url ? (url.origin + url.pathname).replace(/\/+$/, '') : geo ? 'https://' + geo.toLowerCase() + '.api.a-track.io' : DEFAULT_API_HOST,
    _timeoutMs: positive('sessionTimeout', 30, 60_000),
    _maxMessages: positive('maxQueueMessages', 1000),
    _maxBytes: positive('maxQueueBytes', 1_000_000),
    _maxAgeMs: positive('maxQueueAge', 168, 3_600_000),
  }
}
