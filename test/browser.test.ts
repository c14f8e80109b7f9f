// The script-tag entry: options from its own <script> tag, auto-init, replay of the stub queue,
// and the live client as window.atrack. Each test imports a fresh copy of the module.
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { microtasks, requests, resetPage, stubFetch } from './helpers'

let fetch: Mock
const w = window as any

/** Adds the tag the bundle looks for, then runs the bundle's entry. */
async function load(attributes: Record<string, string>) {
  const script = document.createElement('script')
  // a type the test DOM does not try to fetch; the bundle finds its tag by data-key and src
  script.setAttribute('type', 'text/x-test')
  script.setAttribute('src', '/atrack.min.js')
  for (const [k, v] of Object.entries(attributes)) script.setAttribute(k, v)
  document.head.append(script)
  vi.resetModules()
  await import('../src/browser')
  await microtasks()
  // before init() (data-auto-init="false") a flush would wait for it
  if (attributes['data-auto-init'] != 'false') await w.atrack?.flush?.()
}

beforeEach(() => {
  resetPage()
  fetch = stubFetch(204)
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
})
afterEach(() => {
  w.atrack?._stop?.()
  delete w.atrack
  document.head.innerHTML = ''
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  resetPage()
})

describe('the script tag', () => {
  it('initialises from data-*, sends /init and a page view, and becomes window.atrack', async () => {
    await load({ 'data-key': 'pub_tag', 'data-api-host': 'https://collect.example.com/' })
    expect(requests(fetch, 'https://collect.example.com').map((r) => r.path)).toEqual(['/init', '/event'])
    expect(requests(fetch, 'https://collect.example.com')[0].init.headers).toMatchObject({ 'x-a-track-key': 'pub_tag' })
    expect(typeof w.atrack.track).toBe('function')
    expect(w.atrack.q).toBeUndefined()
  })

  it('replays the stub queue in order after auto-init, and keeps a kept reference to the stub working', async () => {
    const stub = { q: [['track', 'one', { n: 1 }], ['setAttributes', { plan: 'pro' }], ['track', 'two'], ['nope'], ['track']] }
    w.atrack = stub
    await load({ 'data-key': 'pub_tag', 'data-auto-pageviews': 'false' })
    stub.q.push(['track', 'three'] as never) // e.g. a handler that captured the stub object
    await w.atrack.flush()
    const sent = requests(fetch).map((r) => r.body.event ?? r.path)
    expect(sent).toEqual(['/init', 'one', '/attributes', 'two', 'three'])
  })

  it('binds the methods, so a destructured track works', async () => {
    await load({ 'data-key': 'pub_tag', 'data-auto-pageviews': 'false' })
    const { track, flush } = w.atrack
    track('unbound')
    await flush()
    expect(requests(fetch).map((r) => r.body.event).filter(Boolean)).toEqual(['unbound'])
  })

  it('maps attribute values: "false" and empty to booleans, numbers to numbers', async () => {
    await load({ 'data-key': 'pub_tag', 'data-auto-pageviews': 'false', 'data-session-timeout': '7.5', 'data-debug': '', 'data-geo': 'fra' })
    expect(requests(fetch, 'https://fra.api.a-track.io').map((r) => r.path)).toEqual(['/init'])
    expect(console.error).not.toHaveBeenCalled()
  })

  it('with data-auto-init="false" waits for the page to call init()', async () => {
    w.atrack = { q: [['track', 'before_init']] }
    await load({ 'data-key': 'pub_tag', 'data-auto-init': 'false', 'data-auto-pageviews': 'false' })
    expect(fetch).not.toHaveBeenCalled()
    await w.atrack.init({ user: { uuid: 'crm-user-42' } })
    await w.atrack.flush()
    expect(requests(fetch).map((r) => [r.body.event ?? r.path, r.body.uuid])).toEqual([['/init', 'crm-user-42'], ['before_init', 'crm-user-42']])
  })

  it('without data-key logs one clear error, throws nothing and leaves the stub', async () => {
    const stub = { q: [] }
    w.atrack = stub
    await expect(load({ 'data-geo': 'fra' })).resolves.toBeUndefined()
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('publicKey'))
    expect(w.atrack).toBe(stub)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('loaded twice, keeps the first live client', async () => {
    await load({ 'data-key': 'pub_tag', 'data-auto-pageviews': 'false' })
    const first = w.atrack
    await load({ 'data-key': 'pub_other' })
    expect(w.atrack).toBe(first)
  })
})
