// The script-tag entry: options from its own <script> tag, auto-init, replay of the stub queue,
// and the live client as window.atrack. Each test imports a fresh copy of the module.
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi, type Mock } from 'vitest'
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
    expect(requests(fetch, 'https://collect.example.com')[0].key).toBe('pub_tag')
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

  it('gives a call the snippet kept the time of the call (t), not the time of the replay', async () => {
    const t = Date.now() - 5000
    w.atrack = { q: [Object.assign(['track', 'early', { n: 1 }], { t }), ['track', 'untimed']] }
    await load({ 'data-key': 'pub_tag', 'data-auto-pageviews': 'false' })
    const events = requests(fetch).filter((r) => r.path == '/event').map((r) => r.body)
    expect(events.map((e) => e.event)).toEqual(['early', 'untimed'])
    expect(events[0].timestamp).toBe(new Date(t).toISOString())
    expect(Date.parse(events[1].timestamp)).toBeGreaterThan(t + 4000)
  })

  it('starts the visit at the first call the snippet kept: the page view comes first in time as on the wire', async () => {
    const t = Date.now() - 5000
    w.atrack = { q: [Object.assign(['track', 'one'], { t }), Object.assign(['track', 'two'], { t: t + 10 })] }
    await load({ 'data-key': 'pub_tag' })
    const events = requests(fetch).filter((r) => r.path == '/event').map((r) => r.body)
    expect(events.map((e) => e.event)).toEqual(['page_view', 'one', 'two'])
    expect(events.map((e) => Date.parse(e.timestamp) - t)).toEqual([0, 0, 10])
  })

  it('a call made to the live client after the replay takes its own time', async () => {
    const t = Date.now() - 5000
    w.atrack = { q: [Object.assign(['track', 'early'], { t })] }
    await load({ 'data-key': 'pub_tag', 'data-auto-pageviews': 'false' })
    const before = Date.now()
    w.atrack.track('live')
    await w.atrack.flush()
    const live = requests(fetch).find((r) => r.body.event == 'live')!.body
    expect(Date.parse(live.timestamp)).toBeGreaterThanOrEqual(before)
  })

  it('boots with a snippet queue far longer than a function call takes arguments', async () => {
    // 300,000 calls: Math.min(...times) would throw a RangeError before the client existed
    const q = Array.from({ length: 300_000 }, () => Object.assign(['unknown_method'], { t: 1 }))
    q.push(Object.assign(['track', 'after_long_queue'], { t: 2 }))
    w.atrack = { q }
    await load({ 'data-key': 'pub_tag', 'data-auto-pageviews': 'false' })
    expect(typeof w.atrack.track).toBe('function')
    expect(requests(fetch).map((r) => r.body.event).filter(Boolean)).toEqual(['after_long_queue'])
  })

  it('binds the methods, so a destructured track works', async () => {
    await load({ 'data-key': 'pub_tag', 'data-auto-pageviews': 'false' })
    const { track, flush } = w.atrack
    track('unbound')
    await flush()
    expect(requests(fetch).map((r) => r.body.event).filter(Boolean)).toEqual(['unbound'])
  })

  it('maps attribute values: "false" and empty to booleans, numbers to numbers', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-04-08T12:00:00.000Z') })
    onTestFinished(() => void vi.useRealTimers())
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined)
    // happy-dom leaves an empty data-* attribute out of `for…in` over dataset (its descriptor trap
    // treats '' as absent); browsers list it (data-debug="" is "" there): read them as a browser does
    vi.spyOn(HTMLElement.prototype, 'dataset', 'get').mockImplementation(function (this: HTMLElement) {
      const data: Record<string, string> = {}
      for (const { name, value } of this.attributes) {
        if (name.startsWith('data-')) data[name.slice(5).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = value
      }
      return data as DOMStringMap
    })
    await load({
      'data-key': 'pub_tag', 'data-auto-pageviews': 'false', 'data-session-timeout': '7.5', 'data-debug': '', 'data-geo': 'fra',
      'data-autocapture': 'false',
    })
    const fra = () => requests(fetch, 'https://fra.api.a-track.io')
    expect(fra().map((r) => r.path)).toEqual(['/init'])
    expect(console.error).not.toHaveBeenCalled()

    // data-debug="" is debug: true, so each queued message is logged
    expect(log.mock.calls.some(([line]) => typeof line == 'string' && line.startsWith('[atrack]'))).toBe(true)

    // data-autocapture="false" is false: a declarative click sends nothing
    document.body.innerHTML = '<button data-atrack-event="cta_clicked" data-atrack-plan="pro">Buy</button>'
    document.querySelector('button')!.click()
    await w.atrack.flush()
    expect(fra().map((r) => r.path)).toEqual(['/init'])

    // data-session-timeout="7.5" is the number 7.5 (minutes): 7 min 20 s apart is the same session
    // (a timeout of 7 would end it), 8 min apart a new one (the default 30, or 8, would keep it)
    const sessionOf = async (event: string) => {
      w.atrack.track(event)
      await w.atrack.flush()
      return fra().find((r) => r.body.event == event)!.body.context.sessionId as string
    }
    const first = await sessionOf('first')
    vi.advanceTimersByTime(7 * 60_000 + 20_000)
    const within = await sessionOf('within')
    vi.advanceTimersByTime(8 * 60_000)
    const after = await sessionOf('after')
    expect(first).toEqual(expect.any(String))
    expect(within).toBe(first)
    expect(after).not.toBe(within)
    // the session that began after the timeout announces itself with /init
    expect(fra().map((r) => r.body.event ?? r.path)).toEqual(['/init', 'first', 'within', '/init', 'after'])
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
