import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { once } from '../src/errors'
import { clearAll, cookieStore, createStores, DOMAIN_KEY, localStore, memoryStore, PREFIX, safeStore, smallStore, widestCookieDomain } from '../src/identity/storage'
import { cookies, failLocalStorageWrites, localKeys, resetPage, setURL } from './helpers'

beforeEach(resetPage)
afterEach(() => {
  vi.restoreAllMocks()
  delete (document as any).cookie
  resetPage()
})

const securityError = () => new DOMException('The operation is insecure.', 'SecurityError')
const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError')

describe('memoryStore', () => {
  it('keeps, lists and removes values', () => {
    const s = memoryStore()
    expect(s._set('atrack_a', '1')).toBe(true)
    s._set('atrack_b', '2')
    s._set('other', '3')
    expect(s._get('atrack_a')).toBe('1')
    expect(s._keys!('atrack_').sort()).toEqual(['atrack_a', 'atrack_b'])
    s._remove('atrack_a')
    expect(s._get('atrack_a')).toBeNull()
  })
})

describe('safeStore', () => {
  it('keeps a value in memory when the adapter throws on write, and reports it', () => {
    const report = vi.fn()
    const s = safeStore({ get: () => null, set: () => { throw quotaError() }, remove: () => undefined }, report, 'adapter')
    expect(s._set('k', 'v')).toBe(false)
    expect(s._get('k')).toBe('v')
    expect(report).toHaveBeenCalledWith('storage', expect.stringContaining('QuotaExceededError'), expect.anything())
  })

  it('answers null instead of throwing when the adapter throws on read', () => {
    const report = vi.fn()
    const s = safeStore({ get: () => { throw securityError() }, set: () => undefined, remove: () => { throw securityError() } }, report, 'adapter')
    expect(s._get('k')).toBeNull()
    expect(() => s._remove('k')).not.toThrow()
    expect(report.mock.calls.every((c) => c[0] == 'storage')).toBe(true)
  })

  it('reads the adapter again once a write succeeds', () => {
    const data = new Map<string, string>()
    let full = true
    const s = safeStore({ get: (k) => data.get(k), set: (k, v) => { if (full) throw quotaError(); data.set(k, v) }, remove: (k) => data.delete(k) }, vi.fn(), 'a')
    s._set('k', 'old')
    full = false
    expect(s._set('k', 'new')).toBe(true)
    data.set('k', 'changed by another tab')
    expect(s._get('k')).toBe('changed by another tab')
  })
})

describe('localStore', () => {
  it('writes to localStorage and lists keys by prefix', () => {
    const s = localStore(vi.fn())
    s._set('atrack_q1_a', 'x')
    s._set('atrack_q1_b', 'y')
    localStorage.setItem('unrelated', 'z')
    expect(localStorage.getItem('atrack_q1_a')).toBe('x')
    expect(s._keys!('atrack_q1_').sort()).toEqual(['atrack_q1_a', 'atrack_q1_b'])
  })

  it('works in memory and reports storage exactly once when the localStorage getter throws', () => {
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => { throw securityError() })
    const report = vi.fn()
    const s = localStore(once(report))
    expect(s._get('atrack_uid')).toBeNull()
    expect(s._set('atrack_uid', 'u1')).toBe(false)
    s._set('atrack_user', '{}')
    expect(s._get('atrack_uid')).toBe('u1')
    expect(s._keys!('atrack_')).toEqual([])
    s._remove('atrack_uid')
    expect(s._get('atrack_uid')).toBeNull()
    expect(report).toHaveBeenCalledTimes(1)
    expect(report.mock.calls[0][0]).toBe('storage')
  })

  it('works in memory and reports storage exactly once when setItem throws QuotaExceededError', () => {
    const restore = failLocalStorageWrites()
    const report = vi.fn()
    const s = localStore(once(report))
    expect(s._set('atrack_uid', 'u1')).toBe(false)
    expect(s._set('atrack_user', '{"plan":"pro"}')).toBe(false)
    restore()
    expect(localStorage.getItem('atrack_uid')).toBeNull()
    expect(s._get('atrack_uid')).toBe('u1')
    expect(s._get('atrack_user')).toBe('{"plan":"pro"}')
    expect(report).toHaveBeenCalledTimes(1)
    expect(report.mock.calls[0][0]).toBe('storage')
  })
})

describe('cookieStore', () => {
  it('writes a first-party cookie it can read back', () => {
    const s = cookieStore(false, vi.fn())
    expect(s._set('atrack_uid', 'u-1')).toBe(true)
    expect(cookies().atrack_uid).toBe('u-1')
    expect(s._get('atrack_uid')).toBe('u-1')
    s._remove('atrack_uid')
    expect(cookies().atrack_uid).toBeUndefined()
    expect(s._get('atrack_uid')).toBeNull()
  })

  it('reports storage when the browser silently refuses the cookie', () => {
    Object.defineProperty(document, 'cookie', { get: () => '', set: () => undefined, configurable: true })
    const report = vi.fn()
    expect(cookieStore(false, report)._set('atrack_uid', 'u-1')).toBe(false)
    expect(report).toHaveBeenCalledWith('storage', expect.stringContaining('atrack_uid'), expect.anything())
  })

  // Regression (fixed in src/storage.ts:96-103): the cookie store is not wrapped like localStorage; document.cookie throws
  // SecurityError in sandboxed iframes and on opaque origins, and the error escapes the "never throws" Store.
  it('never throws, and reports storage, when document.cookie throws SecurityError', () => {
    Object.defineProperty(document, 'cookie', { get: () => { throw securityError() }, set: () => { throw securityError() }, configurable: true })
    const report = vi.fn()
    const s = cookieStore(false, report)
    expect(() => s._get('atrack_uid')).not.toThrow()
    expect(() => s._set('atrack_uid', 'u-1')).not.toThrow()
    expect(() => s._remove('atrack_uid')).not.toThrow()
    expect(report).toHaveBeenCalledWith('storage', expect.any(String), expect.anything())
  })

  it('shares the cookie between www. and app. of one site by default', () => {
    setURL('https://www.example.com/')
    cookieStore(undefined, vi.fn())._set('atrack_uid', 'shared')
    setURL('https://app.example.com/')
    expect(cookies().atrack_uid).toBe('shared')
  })

  it('pins the cookie to the current host with cookieDomain false', () => {
    setURL('https://www.example.com/')
    cookieStore(false, vi.fn())._set('atrack_uid', 'pinned')
    expect(cookies().atrack_uid).toBe('pinned')
    setURL('https://app.example.com/')
    expect(cookies().atrack_uid).toBeUndefined()
  })
})

describe('widestCookieDomain', () => {
  it.each(['localhost', '127.0.0.1', '192.168.1.20', '::1', '[::1]', 'fe80::1'])('answers undefined for %s (host-only cookies)', (host) => {
    expect(widestCookieDomain(host)).toBeUndefined()
  })

  it('finds the registrable domain of a subdomain and remembers it in atrack_domain, its only cookie', () => {
    setURL('https://www.shop.example.com/')
    expect(widestCookieDomain('www.shop.example.com')).toBe('example.com')
    expect(Object.keys(cookies()).filter((k) => k.startsWith(PREFIX))).toEqual([DOMAIN_KEY])
    expect(cookies()[DOMAIN_KEY]).toBe('example.com')
    // set on that domain: a sibling host sees it
    setURL('https://app.example.com/')
    expect(cookies()[DOMAIN_KEY]).toBe('example.com')
  })

  it('probes once per visitor: a later load takes the remembered domain without writing a cookie', async () => {
    setURL('https://www.shop.example.com/')
    widestCookieDomain('www.shop.example.com')
    await Promise.resolve() // the next task reads the jar anew
    const count = countCookies()
    setURL('https://app.example.com/')
    expect(widestCookieDomain('app.example.com')).toBe('example.com')
    expect(count.writes).toBe(0)
  })

  it('never takes a remembered domain that does not cover the host: it probes instead', () => {
    setURL('https://www.example.com/')
    // not one the SDK wrote (it sets the cookie on the domain it holds, so only hosts under it see it)
    document.cookie = DOMAIN_KEY + '=other.com; path=/'
    const count = countCookies()
    expect(widestCookieDomain('www.example.com')).not.toBe('other.com')
    expect(count.writes).toBeGreaterThan(0)
  })

  it('leaves no cookie where every candidate is refused', () => {
    setURL('https://www.example.com/')
    Object.defineProperty(document, 'cookie', { get: () => '', set: () => undefined, configurable: true })
    expect(widestCookieDomain('www.example.com')).toBeUndefined()
  })
})

describe('the cookie jar', () => {
  it('is read once per task: one document.cookie read for many keys, again after a write of ours and in the next task', async () => {
    const count = countCookies()
    const s = cookieStore(false, vi.fn())
    s._get('atrack_uid')
    s._get('atrack_optout')
    s._get('atrack_session')
    expect(count.reads).toBe(1)
    s._set('atrack_uid', 'u-1') // the read-back must see the browser's answer
    expect(count.reads).toBe(2)
    expect(s._get('atrack_uid')).toBe('u-1')
    expect(count.reads).toBe(2)
    await Promise.resolve()
    document.cookie = 'atrack_uid=from-elsewhere; path=/'
    expect(s._get('atrack_uid')).toBe('from-elsewhere')
    expect(count.reads).toBe(3)
  })

  it('fails only on its own malformed cookie, not on another script\'s', () => {
    document.cookie = 'theirs=%E0%A4%A; path=/'
    document.cookie = 'atrack_uid=u-2; path=/'
    const report = vi.fn()
    expect(cookieStore(false, report)._get('atrack_uid')).toBe('u-2')
    expect(report).not.toHaveBeenCalled()
  })
})

describe('createStores', () => {
  it('uses the cookie and localStorage by default, durable', () => {
    const s = createStores(undefined, false, vi.fn())
    expect(s._cookie).toBeDefined()
    expect(s._durable).toBe(true)
    s._local._set('atrack_x', '1')
    expect(localStorage.getItem('atrack_x')).toBe('1')
  })

  it.each([
    ['memory', false, false],
    ['cookie', true, false],
    ['localStorage', false, true],
    ['cookie+localStorage', true, true],
  ] as const)('with storage %s: cookie %s, durable localStorage %s', (kind, hasCookie, durable) => {
    const s = createStores(kind, false, vi.fn())
    expect(!!s._cookie).toBe(hasCookie)
    expect(!!s._durable).toBe(durable)
    s._local._set('atrack_x', '1')
    expect(localStorage.getItem('atrack_x')).toBe(durable ? '1' : null)
  })

  it('wraps a custom adapter so that its failures are reported, not thrown', () => {
    const report = vi.fn()
    const s = createStores({ get: () => { throw new Error('nope') }, set: () => { throw new Error('nope') }, remove: () => undefined }, false, report)
    expect(s._cookie).toBeUndefined()
    expect(s._local._set('k', 'v')).toBe(false)
    expect(s._local._get('k')).toBe('v')
    expect(report).toHaveBeenCalled()
  })
})

describe('clearAll', () => {
  it('removes the listed keys and every atrack_ key, from cookie and localStorage, and nothing else', () => {
    const s = createStores(undefined, false, vi.fn())
    s._cookie!._set('atrack_uid', 'u')
    s._local._set('atrack_uid', 'u')
    s._local._set('atrack_q1_tab', '{}')
    localStorage.setItem('app_state', 'keep me')
    document.cookie = 'app_cookie=keep; path=/'
    clearAll(s, ['atrack_uid'])
    expect(localKeys()).toEqual(['app_state'])
    expect(cookies()).toEqual({ app_cookie: 'keep' })
  })
})

describe('smallStore', () => {
  it('keeps the session in localStorage when there is one, else in the cookie', () => {
    const both = createStores(undefined, false, vi.fn())
    expect(smallStore(both)).toBe(both._local)
    const cookieOnly = createStores('cookie', false, vi.fn())
    expect(smallStore(cookieOnly)).toBe(cookieOnly._cookie)
  })
})

/** Counts `document.cookie` reads and writes from now on. */
function countCookies(): { reads: number; writes: number } {
  let proto = Object.getPrototypeOf(document)
  while (!Object.getOwnPropertyDescriptor(proto, 'cookie')) proto = Object.getPrototypeOf(proto)
  const own = Object.getOwnPropertyDescriptor(proto, 'cookie')!
  const count = { reads: 0, writes: 0 }
  Object.defineProperty(document, 'cookie', {
    get() {
      count.reads++
      return own.get!.call(this)
    },
    set(v) {
      count.writes++
      own.set!.call(this, v)
    },
    configurable: true,
  })
  return count
}
