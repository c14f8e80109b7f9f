import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { once } from '../src/errors'
import { clearAll, cookieStore, createStores, localStore, memoryStore, PREFIX, safeStore, smallStore, widestCookieDomain } from '../src/identity/storage'
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

  it('finds the registrable domain of a subdomain and leaves no probe cookie', () => {
    setURL('https://www.shop.example.com/')
    expect(widestCookieDomain('www.shop.example.com')).toBe('example.com')
    expect(Object.keys(cookies()).filter((k) => k.startsWith(PREFIX))).toEqual([])
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
