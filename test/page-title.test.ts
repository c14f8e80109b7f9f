// The title of an SPA page view: the one the new page settles on, whenever the router sets it,
// without losing or reordering anything (CONTRACT.md §3, issue 16).
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { ATrack } from '../src/client'
import { requests, resetPage, settle, setURL, stubFetch } from './helpers'

const NOW = Date.parse('2026-04-08T12:00:00.000Z')
/** TITLE_WAIT_MS of src/capture/pageviews.ts */
const WAIT_MS = 2000

let fetch: Mock
let client: ATrack

const events = () => requests(fetch).filter((r) => r.path == '/event').map((r) => r.body)
const views = () => events().filter((e) => e.event == 'page_view').map((e) => e.attributes)
/** Lets `ms` pass, then the SDK's later tasks run (sending what was released). */
async function pass(ms: number) {
  await vi.advanceTimersByTimeAsync(ms)
  await settle()
}

beforeEach(async () => {
  resetPage()
  setURL('/')
  document.title = 'Home'
  vi.useFakeTimers({ now: NOW })
  fetch = stubFetch(204)
  vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true)
  client = new ATrack({ publicKey: 'pub_test' })
  await client.init()
  await client.flush()
})
afterEach(() => {
  ;(client as any)._stop()
  vi.clearAllTimers()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  resetPage()
})

describe('the title of an SPA page view', () => {
  it('the first page view takes the title at init, at once', () => {
    expect(views()).toEqual([{ url: 'http://localhost:3000/', path: '/', title: 'Home' }])
  })

  it('a first page with no title yet (an SPA whose routes render their own) waits for it, and calls follow it', async () => {
    ;(client as any)._stop()
    fetch.mockClear()
    localStorage.clear()
    setURL('/docs')
    document.title = ''
    client = new ATrack({ publicKey: 'pub_test' })
    await client.init()
    client.track('early')
    await pass(500)
    expect(events()).toEqual([])
    document.title = 'Docs'
    await pass(60)
    expect(events().map((e) => [e.event, e.context.page.title])).toEqual([['page_view', 'Docs'], ['early', 'Docs']])
    expect(views()).toEqual([{ url: 'http://localhost:3000/docs', path: '/docs', title: 'Docs' }])
  })

  it('a title removed while the next page loads is no title yet: the page view waits for the next one', async () => {
    history.pushState({}, '', '/report')
    document.title = ''
    await pass(300)
    expect(views()).toHaveLength(1)
    document.title = 'Report'
    await pass(60)
    expect(views().map((v) => v.title)).toEqual(['Home', 'Report'])
  })

  it('a router that sets the title after the push: the new title, as soon as it is set', async () => {
    history.pushState({}, '', '/pricing')
    document.title = 'Pricing'
    await pass(60)
    expect(views().map((v) => [v.path, v.title])).toEqual([['/', 'Home'], ['/pricing', 'Pricing']])
    expect(views()[1]).toEqual({ url: 'http://localhost:3000/pricing', path: '/pricing', title: 'Pricing', referrer: 'http://localhost:3000/' })
  })

  it('a router that sets the title after a delay (rendering, a data load): waits for it, sends nothing before', async () => {
    history.pushState({}, '', '/docs')
    await pass(1200)
    expect(views()).toHaveLength(1)
    document.title = 'Docs'
    await pass(60)
    expect(views().map((v) => v.title)).toEqual(['Home', 'Docs'])
  })

  it('a router that sets the title before the push: that title, after the wait', async () => {
    document.title = 'Pricing'
    history.pushState({}, '', '/pricing')
    await pass(WAIT_MS)
    expect(views().map((v) => [v.path, v.title])).toEqual([['/', 'Home'], ['/pricing', 'Pricing']])
  })

  it('a router that never sets it: the title as it stands, after the wait, not before', async () => {
    history.pushState({}, '', '/about')
    await pass(WAIT_MS - 100)
    expect(views()).toHaveLength(1)
    await pass(100)
    expect(views().map((v) => [v.path, v.title])).toEqual([['/', 'Home'], ['/about', 'Home']])
  })

  it('back and forward (popstate) wait for the title like a push', async () => {
    setURL('/before')
    dispatchEvent(new PopStateEvent('popstate'))
    document.title = 'Before'
    await pass(60)
    expect(views().map((v) => [v.path, v.title])).toEqual([['/', 'Home'], ['/before', 'Before']])
  })

  it('events tracked before the title is set follow their page view, with its path and title', async () => {
    history.pushState({}, '', '/pricing')
    client.track('plan_viewed', { plan: 'pro' })
    client.identify('crm-7')
    await pass(500)
    expect(events().map((e) => e.event)).toEqual(['page_view'])
    document.title = 'Pricing'
    await pass(60)
    const [, view, viewed] = events()
    expect([view.event, viewed.event]).toEqual(['page_view', 'plan_viewed'])
    expect(viewed.context.page).toMatchObject({ path: '/pricing', title: 'Pricing' })
    expect(view.context.page).toMatchObject({ path: '/pricing', title: 'Pricing' })
    expect(Date.parse(viewed.timestamp)).toBeGreaterThanOrEqual(Date.parse(view.timestamp))
    // the login made after the navigation is built after the page view: the page view has the uuid before it
    expect(requests(fetch).map((r) => (r.path == '/event' ? r.body.event : r.path))).toEqual(['/init', 'page_view', 'page_view', 'plan_viewed', '/init'])
    expect(view.uuid).not.toBe('crm-7')
  })

  it('the next navigation sends a waiting page view first, with the title of its own navigation', async () => {
    history.pushState({}, '', '/a')
    client.track('on_a')
    // a router that sets the next title before it pushes: that title is /b's, not /a's
    document.title = 'B'
    history.pushState({}, '', '/b')
    client.track('on_b')
    await pass(WAIT_MS)
    expect(events().map((e) => [e.event, e.attributes.path ?? e.context.page.path, e.attributes.title])).toEqual([
      ['page_view', '/', 'Home'],
      ['page_view', '/a', 'Home'],
      ['on_a', '/a', undefined],
      ['page_view', '/b', 'B'],
      ['on_b', '/b', undefined],
    ])
  })

  it('the page being hidden sends a waiting page view at once, in the exit drain', async () => {
    fetch.mockClear()
    history.pushState({}, '', '/leaving')
    client.track('last_click')
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
    // synchronously, in the same task as the exit
    expect(requests(fetch).map((r) => [r.body.event, r.body.attributes?.path])).toEqual([
      ['page_view', '/leaving'],
      ['last_click', undefined],
    ])
  })

  it('pagehide sends a waiting page view at once', async () => {
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true)
    fetch.mockClear()
    history.pushState({}, '', '/gone')
    dispatchEvent(new Event('pagehide'))
    const handed = [...fetch.mock.calls.map((c) => String((c[1] as RequestInit).body)), ...beacon.mock.calls.map((c) => String(c[1]))].join('\n')
    expect(handed).toContain('"path":"/gone"')
    expect(handed).toContain('"event":"page_view"')
  })

  it('flush() sends a waiting page view with the title as it is', async () => {
    history.pushState({}, '', '/flushed')
    document.title = 'Flushed'
    await client.flush()
    expect(views().map((v) => [v.path, v.title])).toEqual([['/', 'Home'], ['/flushed', 'Flushed']])
  })

  it('getUser() right after a login made while a page view waits shows the login (the page view goes first)', async () => {
    history.pushState({}, '', '/account')
    client.identify('crm-9')
    expect(client.getUser()?.uuid).toBe('crm-9')
    await pass(0)
    expect(requests(fetch).map((r) => (r.path == '/event' ? r.body.event : r.path))).toEqual(['/init', 'page_view', 'page_view', '/init'])
  })

  it('page() takes the title at its call, and waits behind a page view that waits for its title', async () => {
    history.pushState({}, '', '/manual')
    client.page({ section: 'guide' })
    document.title = 'Manual'
    await pass(60)
    expect(views()).toEqual([
      { url: 'http://localhost:3000/', path: '/', title: 'Home' },
      { url: 'http://localhost:3000/manual', path: '/manual', title: 'Manual', referrer: 'http://localhost:3000/' },
      { url: 'http://localhost:3000/manual', path: '/manual', title: 'Home', referrer: 'http://localhost:3000/', section: 'guide' },
    ])
  })

  it('a query change alone is no page view and holds nothing', async () => {
    history.pushState({}, '', '/?tab=2')
    client.track('tab')
    await pass(0)
    expect(events().map((e) => e.event)).toEqual(['page_view', 'tab'])
  })
})
