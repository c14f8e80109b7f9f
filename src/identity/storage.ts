import type { Report } from '../errors'
import type { StorageAdapter } from '../types'

/** A key-value store that never throws: failures are reported and reads answer `null`. */
export interface Store {
  _get(key: string): string | null
  /** Returns false when the value could not be stored. */
  _set(key: string, value: string): boolean
  _remove(key: string): void
  /** Lists keys with a prefix; only stores that can enumerate (localStorage, memory) have it. */
  _keys?(prefix: string): string[]
}

/** The stores the SDK writes to: small values (uuid, session, refusal) also go to the cookie. */
export interface Stores {
  _cookie?: Store
  _local: Store
  /** True when `_local` is the real localStorage, so the queue survives reloads and is shared by tabs. */
  _durable?: boolean
}

/** Every key the SDK writes starts with this, so a refusal can remove them all. */
export const PREFIX = 'atrack_'

/** The one key kept after a refusal: the refusal itself. */
export const REFUSAL_KEY = PREFIX + 'optout'

/** Cookies are capped at 400 days (RFC 6265bis, "Max-Age" and "Expires"); asking for more is ignored. */
const COOKIE_MAX_AGE_S = 400 * 24 * 3600

/**
 * The cookie jar, as `document.cookie` gave it: each access is a synchronous call into the browser
 * (1–5 ms for the first ones of a page), so it is read once per task and read again after a write
 * of ours or in the next task (another tab or the server may have written meanwhile).
 */
let jar: string | undefined

/** A cookie's value as the page sees it; undefined when absent. */
export function readCookie(name: string): string | undefined {
  if (jar == null) {
    queueMicrotask(() => (jar = undefined))
    jar = document.cookie
  }
  for (const pair of jar.split(/; */)) {
    const at = pair.indexOf('=')
    if (pair.slice(0, at) == name) return decodeURIComponent(pair.slice(at + 1))
  }
}

/**
 * Writes a cookie, or removes it with a negative `maxAge`. `SameSite=Lax` is set explicitly (Firefox does
 * not default to it) and `Secure` on https (on plain http the browser would refuse it silently).
 */
export function writeCookie(name: string, value: string, domain?: string | false, maxAge = COOKIE_MAX_AGE_S): void {
  jar = undefined
  document.cookie =
    name + '=' + encodeURIComponent(value) + '; Max-Age=' + maxAge + '; Path=/; SameSite=Lax' +
    (domain ? '; Domain=' + domain : '') + (location.protocol == 'https:' ? '; Secure' : '')
}

export function memoryStore(): Store {
  const map = new Map<string, string>()
  return {
    _get: (k) => map.get(k) ?? null,
    _set: (k, v) => !!map.set(k, v),
    _remove: (k) => void map.delete(k),
    _keys: (prefix) => [...map.keys()].filter((k) => k.startsWith(prefix)),
  }
}

/**
 * Wraps a storage so it never throws. On the first failure (disabled storage, SecurityError,
 * QuotaExceededError) it reports once and the value is kept in memory, so reads in this page
 * still see it.
 */
export function safeStore(adapter: StorageAdapter, report: Report, what: string): Store {
  const memory = memoryStore()
  /** `run`'s answer, or `fallback` when it throws (the value in memory: it never throws). */
  const attempt = <T>(run: () => T, fallback?: T): T | undefined => {
    try {
      return run()
    } catch (e) {
      report('storage', what + ' failed, using memory: ' + e, { cause: e })
      return fallback
    }
  }
  return {
    _get: (k) => memory._get(k) ?? attempt(() => adapter.get(k)) ?? null,
    // kept in memory first, forgotten there once the adapter took it
    _set: (k, v) => memory._set(k, v) && attempt(() => (adapter.set(k, v), memory._remove(k), true), false)!,
    _remove: (k) => {
      memory._remove(k)
      attempt(() => adapter.remove(k))
    },
  }
}

/** localStorage behind `safeStore`, with key listing. Accessing `window.localStorage` itself can throw. */
export function localStore(report: Report): Store {
  const ls = (): Storage => window.localStorage
  const store = safeStore({ get: (k) => ls().getItem(k), set: (k, v) => ls().setItem(k, v), remove: (k) => ls().removeItem(k) }, report, 'localStorage')
  store._keys = (prefix) => {
    try {
      // a Storage's own enumerable properties are its keys, in key(i) order (HTML, "supported property
      // names"); only keys named like a Storage member (`length`, `getItem`…) are hidden, never ours
      return Object.keys(ls()).filter((k) => k.startsWith(prefix))
    } catch {
      return []
    }
  }
  return store
}

/**
 * A first-party cookie store. Browsers reject cookies silently (a `Secure` cookie on plain http,
 * cookies disabled, over 4 KB), so every write is read back to know whether it took.
 */
export function cookieStore(domain: string | false | undefined, report: Report): Store {
  /** the cookie domain, found on first use */
  const at = () => (domain ??= widestCookieDomain(location.hostname) || false)
  // document.cookie itself throws SecurityError in sandboxed frames: safeStore catches and reports
  return safeStore(
    {
      get: readCookie,
      set: (k, v) => {
        writeCookie(k, v, at())
        if (readCookie(k) !== v) throw new Error('cookie "' + k + '" refused')
      },
      remove: (k) => writeCookie(k, '', at(), -1),
    },
    report,
    'cookie',
  )
}

/** Remembers the cookie domain `widestCookieDomain` found, in a cookie set on that domain. */
export const DOMAIN_KEY = PREFIX + 'domain'

/**
 * The widest domain of `hostname` that accepts a cookie, so www. and app. share one uuid. Found by
 * writing a cookie from the shortest candidate up, the way Google Analytics' "auto" domain works,
 * without shipping a public-suffix list: the browser refuses `co.uk`, accepts `example.co.uk`. The
 * cookie that took stays, holding its own domain: later loads read it (with the uuid, in the same
 * read of the jar) instead of probing again, and on a host outside it they probe anew.
 *
 * @example widestCookieDomain('app.example.co.uk') // 'example.co.uk'
 */
export function widestCookieDomain(hostname: string): string | undefined {
  const parts = hostname.split('.')
  // IP addresses take host-only cookies; so does localhost, having no candidate below
  if (/^[\d.]+$|:/.test(hostname)) return undefined
  const known = readCookie(DOMAIN_KEY)
  if (known && ('.' + hostname).endsWith('.' + known)) return known
  for (let i = parts.length - 2; i >= 0; i--) {
    const domain = parts.slice(i).join('.')
    writeCookie(DOMAIN_KEY, domain, domain)
    if (readCookie(DOMAIN_KEY) == domain) return domain
  }
  return undefined
}

/**
 * Builds the stores for a `storage` option. Storage the browser refuses degrades to memory with a
 * single report: analytics keeps working, it just forgets sooner.
 */
export function createStores(kind: string | StorageAdapter | undefined, cookieDomain: string | false | undefined, report: Report): Stores {
  if (kind && typeof kind == 'object') return { _local: safeStore(kind, report, 'storage adapter') }
  const cookie = !kind || kind.includes('cookie') ? cookieStore(cookieDomain, report) : undefined
  const durable = !kind || kind.includes('localStorage')
  return { _cookie: cookie, _local: durable ? localStore(report) : memoryStore(), _durable: durable }
}

/** Removes every key the SDK wrote, from every store, but the refusal itself: the answer to a refusal of consent. */
export function clearAll(stores: Stores, keys: string[]): void {
  for (const k of [...keys, ...(stores._local._keys?.(PREFIX) || [])]) {
    if (k == REFUSAL_KEY) continue
    stores._local._remove(k)
    stores._cookie?._remove(k)
  }
}

/** A stored JSON value; undefined when absent, null or corrupt (corrupt state is not worth an error). */
export function readJSON<T>(store: Store, key: string): T | undefined {
  try {
    // JSON.parse(null) is null; an empty string throws
    return JSON.parse(store._get(key)!) || undefined
  } catch {
    return undefined
  }
}

/** Where small shared state (the session) lives: localStorage, or the cookie when that is all there is. */
export function smallStore(stores: Stores): Store {
  return stores._cookie && !stores._durable ? stores._cookie : stores._local
}
