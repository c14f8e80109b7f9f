import { afterEach, describe, expect, it, vi } from 'vitest'
import { classify, endpoint, MAX_BEACON_BYTES, MAX_MESSAGE_BYTES, retryAfter, sendBeacon, sendFetch, utf8Bytes } from '../src/delivery/transport'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('classify', () => {
  it.each([
    [200, 'ok'],
    [202, 'ok'],
    [204, 'ok'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [0, 'retry'],
    [400, 'drop'],
    [401, 'drop'],
    [403, 'drop'],
    [404, 'drop'],
    [413, 'drop'],
  ])('classifies status %i as %s', (status, outcome) => {
    expect(classify(status)).toBe(outcome)
  })
})

describe('retryAfter', () => {
  const now = Date.parse('2026-04-08T12:00:00Z')
  it.each([
    ['120', 120_000],
    [' 3 ', 3000],
    ['0', 0],
    ['Wed, 08 Apr 2026 12:00:30 GMT', 30_000],
    ['Wed, 08 Apr 2026 11:59:00 GMT', undefined],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('reads Retry-After %j as %j ms', (header, ms) => {
    expect(retryAfter(header, now)).toBe(ms)
  })
})

describe('utf8Bytes', () => {
  it.each([
    ['ascii', 'hello', 5],
    ['2-byte', 'é', 2],
    ['3-byte', '€', 3],
    ['emoji', '😀', 4],
    ['mixed', 'aé€😀', 10],
    ['empty', '', 0],
  ])('counts %s text as UTF-8 bytes', (_, text, bytes) => {
    expect(utf8Bytes(text)).toBe(bytes)
    expect(utf8Bytes(text)).toBe(new TextEncoder().encode(text).length)
  })

  it('states the 64 KiB beacon budget and the 32 KB message limit', () => {
    expect([MAX_BEACON_BYTES, MAX_MESSAGE_BYTES]).toEqual([65536, 32768])
  })
})

describe('sendFetch', () => {
  it('POSTs the JSON as a string, without headers: a simple request, no CORS preflight', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }))
    vi.stubGlobal('fetch', fetch)
    const r = await sendFetch('https://api.a-track.io/event?key=pub_k', '{"a":1}', true)
    expect(r).toEqual({ _status: 204, _wait: undefined })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(fetch).toHaveBeenCalledWith('https://api.a-track.io/event?key=pub_k', { method: 'POST', body: '{"a":1}', keepalive: true, credentials: 'omit' })
    // a string body is labelled text/plain;charset=UTF-8 by the browser (Fetch, "extract a body")
    expect(new Request('https://x.test', { method: 'POST', body: '{}' }).headers.get('content-type')).toBe('text/plain;charset=UTF-8')
  })

  it('puts the key in the query, escaped', () => {
    expect(endpoint('https://api.a-track.io', '/event', 'pub_a b&c')).toBe('https://api.a-track.io/event?key=pub_a%20b%26c')
  })

  it('passes keepalive false through', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 200 }))
    vi.stubGlobal('fetch', fetch)
    await sendFetch('u', '{}', false)
    expect((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].keepalive).toBe(false)
  })

  it('reports a server error to retry with its Retry-After in ms', async () => {
    vi.stubGlobal('fetch', async () => new Response(null, { status: 503, headers: { 'retry-after': '7' } }))
    expect(await sendFetch('u', '{}', true)).toEqual({ _status: 503, _wait: 7000, _reason: '' })
  })

  it('reads what the server said of a refusal, so onError and debug can show it', async () => {
    vi.stubGlobal('fetch', async () => new Response('{"error":"unknown key"}', { status: 401 }))
    expect(await sendFetch('u', '{}', true)).toMatchObject({ _status: 401, _reason: '{"error":"unknown key"}' })
  })

  it('reports a 400 as a drop', async () => {
    vi.stubGlobal('fetch', async () => new Response('bad', { status: 400 }))
    expect(await sendFetch('u', '{}', true)).toMatchObject({ _status: 400 })
  })

  it.each([
    ['rejects', () => Promise.reject(new TypeError('Failed to fetch'))],
    ['throws synchronously', () => {
      throw new TypeError('fetch is broken')
    }],
  ])('never rejects when fetch %s: status 0, retry', async (_, impl) => {
    vi.stubGlobal('fetch', impl)
    await expect(sendFetch('u', '{}', true)).resolves.toEqual({ _status: 0 })
  })

  it('cancels the response body so the keepalive budget is freed', async () => {
    const cancel = vi.fn()
    const body = new ReadableStream({ cancel })
    vi.stubGlobal('fetch', async () => new Response(body, { status: 200 }))
    await sendFetch('u', '{}', true)
    await Promise.resolve()
    expect(cancel).toHaveBeenCalled()
  })
})

describe('sendBeacon', () => {
  it('sends the JSON as a string, which the browser sends as text/plain;charset=UTF-8 without preflight', () => {
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true)
    const body = '{"event":"é"}'
    expect(sendBeacon('https://api.a-track.io/event?key=pub_k', body)).toBe(true)
    expect(beacon.mock.calls[0]).toEqual(['https://api.a-track.io/event?key=pub_k', body])
  })

  it('passes on the browser refusing the beacon', () => {
    vi.spyOn(navigator, 'sendBeacon').mockReturnValue(false)
    expect(sendBeacon('u', '{}')).toBe(false)
  })

  it('answers false instead of throwing when sendBeacon throws', () => {
    vi.spyOn(navigator, 'sendBeacon').mockImplementation(() => {
      throw new TypeError('Illegal invocation')
    })
    expect(sendBeacon('u', '{}')).toBe(false)
  })
})
