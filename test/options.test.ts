import { describe, expect, it } from 'vitest'
import { DEFAULT_API_HOST, resolveOptions } from '../src/options'
import type { ATrackOptions } from '../src/types'

const opts = (o: Record<string, unknown>) => ({ publicKey: 'pub_test', ...o }) as ATrackOptions

describe('resolveOptions', () => {
  it.each([
    ['a missing options object', undefined, 'publicKey'],
    ['a missing publicKey', {}, 'publicKey'],
    ['an empty publicKey', { publicKey: '' }, 'publicKey'],
    ['a blank publicKey', { publicKey: '   ' }, 'publicKey'],
    ['a numeric publicKey', { publicKey: 42 }, 'publicKey'],
    ['a geo with a dot', opts({ geo: 'fra.evil' }), 'geo'],
    ['a geo with a slash', opts({ geo: 'fra/x' }), 'geo'],
    ['an empty geo', opts({ geo: '' }), 'geo'],
    ['a geo starting with a hyphen', opts({ geo: '-fra' }), 'geo'],
    ['a numeric geo', opts({ geo: 5 }), 'geo'],
    ['an apiHost that is not a URL', opts({ apiHost: 'collect.example.com' }), 'apiHost'],
    ['an ftp apiHost', opts({ apiHost: 'ftp://collect.example.com' }), 'apiHost'],
    ['a javascript: apiHost', opts({ apiHost: 'javascript:alert(1)' }), 'apiHost'],
    ['an unknown transport', opts({ transport: 'xhr' }), 'transport'],
    ['an unknown consent', opts({ consent: 'maybe' }), 'consent'],
    ['an unknown storage kind', opts({ storage: 'sessionStorage' }), 'storage'],
    ['a storage object without remove', opts({ storage: { get() {}, set() {} } }), 'storage'],
    ['a transport in an array', opts({ transport: ['fetch'] }), 'transport'],
    ['a consent in an array', opts({ consent: ['denied'] }), 'consent'],
    ['a storage kind in an array', opts({ storage: ['memory'] }), 'storage'],
    ['a BigInt sessionTimeout', opts({ sessionTimeout: 10n }), 'sessionTimeout'],
    ['a storage object without a prototype', opts({ storage: Object.create(null) }), 'storage'],
    ['a storage object with a cycle and no methods', opts({ storage: (() => { const o: any = {}; o.self = o; return o })() }), 'storage'],
    ['a zero sessionTimeout', opts({ sessionTimeout: 0 }), 'sessionTimeout'],
    ['a string sessionTimeout', opts({ sessionTimeout: '30' }), 'sessionTimeout'],
    ['a negative maxQueueMessages', opts({ maxQueueMessages: -1 }), 'maxQueueMessages'],
    ['a NaN maxQueueBytes', opts({ maxQueueBytes: NaN }), 'maxQueueBytes'],
    ['a zero maxQueueAge', opts({ maxQueueAge: 0 }), 'maxQueueAge'],
  ])('throws a TypeError naming the option for %s', (_, options, name) => {
    let error: unknown
    try {
      resolveOptions(options as ATrackOptions)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toContain('`' + name + '`')
  })

  it('sends to https://api.a-track.io by default', () => {
    expect(resolveOptions(opts({}))._base).toBe('https://api.a-track.io')
    expect(DEFAULT_API_HOST).toBe('https://api.a-track.io')
  })

  it.each([
    ['fra', 'https://fra.api.a-track.io'],
    ['FRA', 'https://fra.api.a-track.io'],
    ['us-east-1', 'https://us-east-1.api.a-track.io'],
  ])('sends to the %s region when geo is set', (geo, base) => {
    expect(resolveOptions(opts({ geo }))._base).toBe(base)
  })

  it.each([
    ['https://collect.example.com', 'https://collect.example.com'],
    ['https://collect.example.com/', 'https://collect.example.com'],
    ['https://example.com/proxy/atrack//', 'https://example.com/proxy/atrack'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
  ])('lets apiHost %s override geo, without a trailing slash', (apiHost, base) => {
    expect(resolveOptions(opts({ apiHost, geo: 'fra' }))._base).toBe(base)
  })

  it('fills in the documented defaults', () => {
    const c = resolveOptions(opts({}))
    expect(c._timeoutMs).toBe(30 * 60_000)
    expect(c._maxMessages).toBe(1000)
    expect(c._maxBytes).toBe(1_000_000)
    expect(c._maxAgeMs).toBe(168 * 3_600_000)
  })

  it('turns the session timeout and queue age into milliseconds', () => {
    const c = resolveOptions(opts({ sessionTimeout: 5, maxQueueAge: 2, maxQueueMessages: 10, maxQueueBytes: 5000 }))
    expect([c._timeoutMs, c._maxAgeMs, c._maxMessages, c._maxBytes]).toEqual([300_000, 7_200_000, 10, 5000])
  })

  it.each([null, undefined])('takes a %s storage, transport or consent for the default', (value) => {
    expect(() => resolveOptions(opts({ storage: value, transport: value, consent: value }))).not.toThrow()
  })

  it.each(['cookie+localStorage', 'localStorage', 'cookie', 'memory'])('accepts the %s storage', (storage) => {
    expect(() => resolveOptions(opts({ storage: storage as never }))).not.toThrow()
  })

  it('accepts a storage object with get, set and remove', () => {
    const storage = { get: () => null, set: () => undefined, remove: () => undefined }
    expect(resolveOptions(opts({ storage })).storage).toBe(storage)
  })

  it('keeps the options it was given', () => {
    const onError = () => undefined
    const c = resolveOptions(opts({ onError, debug: true, transport: 'beacon', consent: 'pending' }))
    expect(c).toMatchObject({ publicKey: 'pub_test', onError, debug: true, transport: 'beacon', consent: 'pending' })
  })
})
