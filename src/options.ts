import type { ATrackOptions } from './types'

/** The A-Track API when neither `geo` nor `apiHost` is set. */
export const DEFAULT_API_HOST = 'https://api.a-track.io'

/** 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen. */
const DNS_LABEL = /^(?!-)[a-z\d-]{0,62}[a-z\d]$/i

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
  const o: Record<string, any> = { ...options }
  /** Option `name`, when set (always, when `required`), must pass `ok`; returns it, or `fallback` when unset. */
  const check = <T>(name: keyof ATrackOptions, ok: (value: any) => unknown, what: string, fallback?: T, required?: 1): T => {
    const v = o[name]
    // a string or a number as it is, anything else by its type (String() throws for some objects)
    if ((required || v != null) && !ok(v)) throw new TypeError('[atrack] `' + name + '` must be ' + what + ', got ' + (typeof v == 'string' ? '"' + v + '"' : typeof v == 'number' ? v : typeof v))
    return v ?? fallback
  }
  /** A string option is one of the space-separated `allowed`. */
  const among = (name: keyof ATrackOptions, allowed: string) => check(name, (v) => allowed.split(' ').includes(v), 'one of: ' + allowed)
  /** A positive number, `fallback` when unset, times `unit`. */
  const positive = (name: keyof ATrackOptions, fallback: number, unit = 1) => check(name, (v) => typeof v == 'number' && v > 0, 'a positive number', fallback) * unit
  let url: URL | undefined
  try {
    url = new URL(o.apiHost)
  } catch {
    // not a URL: refused below
  }
  check('publicKey', (v) => typeof v == 'string' && v.trim(), 'a key like "pub_…"', 0, 1)
  const geo = check<string>('geo', (v) => typeof v == 'string' && DNS_LABEL.test(v), 'a DNS label like "fra"')
  check('apiHost', () => url && /^https?:$/.test(url.protocol), 'an http(s) URL')
  among('transport', 'auto beacon fetch')
  among('consent', 'granted pending denied')
  check('storage', (v) => (typeof v == 'object' ? 'get set remove'.split(' ').every((m) => typeof v[m] == 'function') : 'cookie+localStorage localStorage cookie memory'.split(' ').includes(v)), 'a storage kind or an object with get, set and remove')
  return {
    ...(o as ATrackOptions),
    // DEFAULT_API_HOST without a geo
    _base: url ? (url.origin + url.pathname).replace(/\/+$/, '') : 'https://' + (geo ? geo.toLowerCase() + '.' : '') + 'api.a-track.io',
    _timeoutMs: positive('sessionTimeout', 30, 60_000),
    _maxMessages: positive('maxQueueMessages', 1000),
    _maxBytes: positive('maxQueueBytes', 1_000_000),
    _maxAgeMs: positive('maxQueueAge', 168, 3_600_000),
  }
}
