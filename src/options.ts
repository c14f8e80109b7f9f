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

function fail(message: string): never {
  throw new TypeError('[atrack] ' + message)
}

/**
 * Validates options and fills in defaults. Throws a TypeError naming the bad option: this is the
 * only place the SDK throws, at construction, where a developer sees it.
 *
 * @example resolveOptions({ publicKey: 'pub_xxx', geo: 'fra' })._base // 'https://fra.api.a-track.io'
 */
export function resolveOptions(options: ATrackOptions): Config {
  const o = (options || {}) as ATrackOptions
  if (typeof o.publicKey != 'string' || !o.publicKey.trim()) {
    fail('`publicKey` is required ("pub_…")')
  }
  if (o.geo != null && (typeof o.geo != 'string' || !DNS_LABEL.test(o.geo))) {
    fail('`geo` must be a DNS label like "fra", got ' + JSON.stringify(o.geo))
  }
  oneOf(o, 'transport', ['auto', 'beacon', 'fetch'])
  oneOf(o, 'consent', ['granted', 'pending', 'denied'])
  const s = o.storage
  if (typeof s != 'object') oneOf(o, 'storage', ['cookie+localStorage', 'localStorage', 'cookie', 'memory'])
  if (s && typeof s == 'object' && !['get', 'set', 'remove'].every((m) => typeof (s as never)[m] == 'function')) {
    fail('`storage` needs get, set and remove methods')
  }
  let base = o.geo ? 'https://' + o.geo.toLowerCase() + '.api.a-track.io' : DEFAULT_API_HOST
  if (o.apiHost != null) {
    let url: URL | undefined
    try {
      url = new URL(o.apiHost)
    } catch {
      // reported below
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
      fail('`apiHost` must be an http(s) URL, got ' + JSON.stringify(o.apiHost))
    }
    base = (url.origin + url.pathname).replace(/\/+$/, '')
  }
  return {
    ...o,
    _base: base,
    _timeoutMs: positive(o, 'sessionTimeout', 30) * 60_000,
    _maxMessages: positive(o, 'maxQueueMessages', 1000),
    _maxBytes: positive(o, 'maxQueueBytes', 1_000_000),
    _maxAgeMs: positive(o, 'maxQueueAge', 168) * 3_600_000,
  }
}

/** Option `name` of `o`, when set, is one of `allowed`. */
function oneOf(o: ATrackOptions, name: 'transport' | 'consent' | 'storage', allowed: string[]): void {
  const value = o[name]
  if (value != null && !allowed.includes(value as string)) {
    fail('`' + name + '` must be one of ' + allowed.join(', ') + ', got ' + JSON.stringify(value))
  }
}

/** Option `name` of `o`: a positive number, or `fallback` when unset. */
function positive(o: ATrackOptions, name: 'sessionTimeout' | 'maxQueueMessages' | 'maxQueueBytes' | 'maxQueueAge', fallback: number): number {
  const value = o[name]
  if (value == null) return fallback
  if (typeof value != 'number' || !(value > 0)) fail('`' + name + '` must be a positive number')
  return value
}
