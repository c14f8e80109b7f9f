import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { ATrack } from '../src/client'
import type { ATrackOptions } from '../src/types'
import { cookies, failLocalStorageWrites, localKeys, microtasks, recorder, requests, resetPage, sent, setReferrer, setURL, settle, stubFetch } from './helpers'
import { version } from '../package.json'

const NOW = Date.parse('2026-04-08T12:00:00.000Z')
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let fetch: Mock
let beacon: Mock
const clients: ATrack[] = []
const restores: (() => void)[] = []

/** A client that records its errors; stopped after the test. */
function make(options: Partial<ATrackOptions> = {}) {
  const rec = recorder()
  const client = new ATrack({ publicKey: 'pub_test', onError: rec.onError, ...options } as ATrackOptions)
  clients.push(client)
  return { client, ...rec }
}

const events = () => requests(fetch).filter((r) => r.path == '/event').map((r) => r.body)
const inits = () => requests(fetch).filter((r) => r.path == '/init').map((r) => r.body)

beforeEach(() => {
  resetPage()
  vi.useFakeTimers({ now: NOW })
  fetch = stubFetch(204)
  beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true) as unknown as Mock
})
afterEach(() => {
  clients.splice(0).forEach((c) => (c as any)._stop())
  restores.splice(0).forEach((r) => r())
  vi.clearAllTimers()
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  delete (document as any).cookie
  resetPage()
})

describe('ATrack', () => {
  describe('init', () => {
    it('creates a visitor, sends /init and a first page view, with the wire shape', async () => {
      setURL('/pricing')
      document.title = 'Pricing'
      const { client, errors } = make()
      const result = await client.init()
      await client.flush()
      expect(result.isNewUser).toBe(true)
      expect(result.uuid).toMatch(V4)
      expect(sent(fetch)).toEqual(['/init', 'page_view'])
      const [init, page] = requests(fetch)
      expect(Object.keys(init.body)).toEqual(['sdkVersion', 'messageId', 'uuid', 'isNewUser', 'mode', 'context', 'attributes', 'profile'])
      expect(init.body).toMatchObject({ sdkVersion: version, uuid: result.uuid, isNewUser: true, mode: 'merge', attributes: {}, profile: {} })
      // no custom header and a string body (text/plain): no CORS preflight; the key rides in the query
      expect(init.init.headers).toBeUndefined()
      expect(typeof init.init.body).toBe('string')
      expect(init.key).toBe('pub_test')
      expect(page.body.attributes).toEqual({ url: 'http://localhost:3000/pricing', path: '/pricing', title: 'Pricing' })
      expect(cookies().atrack_uid).toBe(result.uuid)
      expect(localStorage.getItem('atrack_uid')).toBe(result.uuid)
      expect(errors).toEqual([])
    })

    it('is idempotent: one /init and one page view for two calls', async () => {
      const { client } = make()
      const [a, b] = await Promise.all([client.init(), client.init()])
      expect(client.init()).toBe(client.init())
      expect(a).toEqual(b)
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'page_view'])
    })

    it('keeps calls made before init() in order', async () => {
      const { client } = make({ autoPageviews: false })
      client.track('first')
      const attributesDone = client.setAttributes({ plan: 'pro' })
      client.track('second')
      expect(fetch).not.toHaveBeenCalled()
      await client.init()
      await attributesDone
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'first', '/attributes', 'second'])
    })

    it('adopts a supplied uuid and attributes as a known user', async () => {
      const { client } = make({ autoPageviews: false })
      expect(await client.init({ user: { uuid: 'crm-user-42', attributes: { plan: 'pro' } } })).toEqual({ uuid: 'crm-user-42', isNewUser: false })
      await client.flush()
      expect(inits()).toEqual([expect.objectContaining({ uuid: 'crm-user-42', isNewUser: false, attributes: { plan: 'pro' } })])
      expect(client.getUser()).toEqual({ uuid: 'crm-user-42', attributes: { plan: 'pro' } })
    })

    it('merges a server-built context into /init', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init({ context: { ip: '134.122.17.144', campaign: 'x' } })
      await client.flush()
      expect(inits()[0].context).toMatchObject({ ip: '134.122.17.144', campaign: 'x', library: { name: '@a-track/web', version } })
    })

    it('does not send /init again for a returning visitor in the same session, but does in a new one', async () => {
      const first = make({ autoPageviews: false })
      const { uuid } = await first.client.init()
      await first.client.flush()
      const again = make({ autoPageviews: false })
      expect(await again.client.init()).toEqual({ uuid, isNewUser: false })
      await again.client.flush()
      expect(sent(fetch)).toEqual(['/init'])

      vi.setSystemTime(NOW + 31 * 60_000)
      const later = make({ autoPageviews: false })
      await later.client.init()
      await later.client.flush()
      expect(inits()).toHaveLength(2)
      expect(inits()[1]).toMatchObject({ uuid, isNewUser: false })
      expect(inits()[1].context.sessionId).not.toBe(inits()[0].context.sessionId)
    })

    it('sends /init before the first event of a session that begins later on the same page', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      client.track('first')
      await vi.advanceTimersByTimeAsync(31 * 60_000)
      client.track('after_idle')
      client.track('next')
      await client.flush()
      const sent = requests(fetch).map((r) => [r.body.event ?? r.path, r.body.context?.sessionId])
      expect(sent.map((s) => s[0])).toEqual(['/init', 'first', '/init', 'after_idle', 'next'])
      expect(sent[0][1]).toBe(sent[1][1])
      expect(sent[2][1]).not.toBe(sent[1][1])
      expect(new Set(sent.slice(2).map((s) => s[1])).size).toBe(1)
      expect(requests(fetch)[2].body.isNewUser).toBe(false)
    })

    it('sends nothing, not even /init, from a prerendered page until it is shown', async () => {
      Object.defineProperty(document, 'prerendering', { value: true, configurable: true })
      restores.push(() => delete (document as any).prerendering)
      const { client } = make()
      const ready = client.init()
      client.track('early')
      await microtasks()
      await vi.advanceTimersByTimeAsync(1000)
      expect(fetch).not.toHaveBeenCalled()
      expect(localKeys()).toEqual([])
      delete (document as any).prerendering
      document.dispatchEvent(new Event('prerenderingchange'))
      expect((await ready).isNewUser).toBe(true)
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'early', 'page_view'])
    })

    it('resolves flush() before init(): nothing can be sent yet', async () => {
      const { client } = make()
      await expect(client.flush()).resolves.toBeUndefined()
      expect(fetch).not.toHaveBeenCalled()
    })

    it('returns null from getUser before init', () => {
      expect(make().client.getUser()).toBeNull()
    })
  })

  describe('track', () => {
    it('sends an event with the contract shape', async () => {
      setURL('/pricing?plan=x')
      document.title = 'Pricing'
      const { client } = make({ autoPageviews: false })
      const { uuid } = await client.init()
      client.track('order_created', { plan: 'pro' })
      await client.flush()
      const [event] = events()
      expect(Object.keys(event)).toEqual(['sdkVersion', 'messageId', 'uuid', 'event', 'attributes', 'timestamp', 'context'])
      expect(event).toEqual({
        sdkVersion: version,
        messageId: expect.any(String),
        uuid,
        event: 'order_created',
        attributes: { plan: 'pro' },
        timestamp: '2026-04-08T12:00:00.000Z',
        context: expect.objectContaining({
          page: { url: 'http://localhost:3000/pricing?plan=x', path: '/pricing', title: 'Pricing' },
          locale: navigator.language,
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          library: { name: '@a-track/web', version },
          sessionId: inits()[0].context.sessionId,
          referrer: { type: 'direct' },
          userAgent: navigator.userAgent,
        }),
      })
      expect(event.sessionId).toBeUndefined()
      expect(event.messageId).not.toBe(inits()[0].messageId)
    })

    it('leaves out what is unknown: no utm, click ids or referrer url on a direct visit, and the same after a navigation', async () => {
      const { client } = make()
      await client.init()
      client.track('direct')
      history.pushState({}, '', '/next')
      client.track('next')
      await client.flush()
      for (const e of events()) {
        expect(Object.keys(e.context)).not.toContain('utm')
        expect(Object.keys(e.context)).not.toContain('clickIds')
        expect(e.context.referrer).toEqual({ type: 'direct' })
      }
    })

    it('posts events to the geo region', async () => {
      const { client } = make({ autoPageviews: false, geo: 'fra' })
      await client.init()
      client.track('x')
      await client.flush()
      expect(fetch.mock.calls.map((c) => c[0])).toEqual(['https://fra.api.a-track.io/init?key=pub_test&via=keepalive', 'https://fra.api.a-track.io/event?key=pub_test&via=keepalive'])
    })

    it('carries the page campaign and the referrer class', async () => {
      setURL('/?utm_source=newsletter&utm_medium=email&utm_campaign=april&gclid=G1')
      setReferrer('https://mail.example.org/')
      const { client } = make({ autoPageviews: false })
      await client.init()
      client.track('x')
      await client.flush()
      expect(events()[0].context).toMatchObject({
        utm: { source: 'newsletter', medium: 'email', campaign: 'april' },
        clickIds: { gclid: 'G1' },
        referrer: { url: 'https://mail.example.org/', host: 'mail.example.org', type: 'paid' },
        attribution: { initial: { type: 'paid' }, session: { type: 'paid' } },
      })
    })

    it.each([
      ['a Date', new Date('2025-01-02T03:04:05Z')],
      ['an ISO string', '2025-01-02T03:04:05Z'],
      ['epoch milliseconds', Date.parse('2025-01-02T03:04:05Z')],
    ])('takes a historical timestamp given as %s, with a per-call uuid and context', async (_, timestamp) => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      client.track({ event: 'imported', uuid: 'other-user', attributes: { n: 1 }, timestamp, context: { page: { url: 'https://shop.example/x' }, importBatch: 7 } })
      await client.flush()
      expect(events()).toEqual([
        expect.objectContaining({
          uuid: 'other-user',
          event: 'imported',
          attributes: { n: 1 },
          timestamp: '2025-01-02T03:04:05.000Z',
          context: expect.objectContaining({ page: { url: 'https://shop.example/x' }, importBatch: 7, library: expect.any(Object) }),
        }),
      ])
      expect(client.getUser()!.uuid).not.toBe('other-user')
    })

    it('refuses an event over 32 KB with oversize and sends the events around it', async () => {
      const { client, errors } = make({ autoPageviews: false })
      await client.init()
      client.track('before')
      client.track('huge', { blob: 'x'.repeat(40_000) })
      client.track('after')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'before', 'after'])
      expect(errors.map((e) => e.code)).toEqual(['oversize'])
      expect(errors[0].messageId).toEqual(expect.any(String))
      expect(errors[0].message).toContain('32768')
    })

    it('counts the 32 KB limit in UTF-8 bytes of the /event body: 32768 sent, 32769 and multibyte text over it refused', async () => {
      const bytes = (s: string) => new TextEncoder().encode(s).length
      const { client, errors } = make({ autoPageviews: false })
      await client.init()
      // the body's size but for the padding: every other field has a fixed length here (ids, fake clock)
      client.track('probe', { pad: '' })
      await client.flush()
      const base = bytes(requests(fetch).find((r) => r.body.event == 'probe')!.init.body as string)
      expect(errors).toEqual([])

      client.track('probe', { pad: 'x'.repeat(32_768 - base) })
      client.track('probe', { pad: 'x'.repeat(32_769 - base) })
      client.track('probe', { s: '€'.repeat(11_000) })
      await client.flush()
      const bodies = requests(fetch).filter((r) => r.body.event == 'probe').map((r) => r.init.body as string)
      expect(bodies.map(bytes)).toEqual([base, 32_768])
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        ['oversize', expect.stringContaining('32769 bytes')],
        ['oversize', expect.stringMatching(/ 33\d{3} bytes/)],
      ])
      // the multibyte body is well under the limit in UTF-16 code units, what String#length counts
      expect(JSON.stringify({ s: '€'.repeat(11_000) }).length).toBeLessThan(32_768 / 2)
    })

    it('skips the oldest messages of a burst over the queue cap and reports queue_full', async () => {
      const { client, errors } = make({ autoPageviews: false, maxQueueMessages: 3 })
      await client.init()
      await client.flush()
      for (let i = 1; i <= 5; i++) client.track('e' + i)
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'e3', 'e4', 'e5'])
      expect(errors).toEqual([expect.objectContaining({ code: 'queue_full', count: 2 })])
    })

    it('keeps the same messageId on every retry', async () => {
      fetch = stubFetch((n) => (n < 2 ? 503 : 204))
      const { client, errors } = make({ autoPageviews: false })
      await client.init()
      client.track('x')
      await microtasks()
      await vi.advanceTimersByTimeAsync(120_000)
      await client.flush()
      const sends = requests(fetch).filter((r) => r.path == '/event')
      expect(sends.length).toBeGreaterThanOrEqual(2)
      expect(new Set(sends.map((r) => r.body.messageId)).size).toBe(1)
      expect(errors.filter((e) => e.code == 'network')).toHaveLength(1)
    })

    it('drops a message refused with 400 and reports it as rejected', async () => {
      fetch = stubFetch((_, url) => (url.includes('/event?') ? 400 : 204))
      const { client, errors } = make({ autoPageviews: false })
      await client.init()
      client.track('bad')
      await client.flush()
      await vi.advanceTimersByTimeAsync(120_000)
      expect(sent(fetch)).toEqual(['/init', 'bad'])
      expect(errors).toEqual([expect.objectContaining({ code: 'rejected', status: 400 })])
      expect(localKeys().filter((k) => k.startsWith('atrack_q1_'))).toEqual([])
    })

    it('hands a message to a keepalive fetch at once when the page is hidden right after track()', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      await client.flush()
      fetch.mockClear()
      client.track('closing')
      vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
      document.dispatchEvent(new Event('visibilitychange'))
      expect(fetch).toHaveBeenCalledTimes(1)
      expect(requests(fetch)[0]).toMatchObject({ body: { event: 'closing' }, init: { keepalive: true } })
    })

    it('keeps queued events across a reload', async () => {
      // the shortest backoff: the first page's retry timer would fire inside the second page's wait
      vi.spyOn(Math, 'random').mockReturnValue(0)
      fetch = stubFetch(503)
      const first = make({ autoPageviews: false })
      await first.client.init()
      first.client.track('offline_event')
      await first.client.flush()
      const messageId = events()[0].messageId
      dispatchEvent(new Event('pagehide'))
      ;(first.client as any)._stop()
      expect(beacon).not.toHaveBeenCalled()
      expect(localKeys().filter((k) => k.startsWith('atrack_q1_'))).toHaveLength(1)

      fetch = stubFetch(204)
      const second = make({ autoPageviews: false })
      await second.client.init()
      await vi.advanceTimersByTimeAsync(100) // adoption lease
      await second.client.flush()
      expect(events().map((e) => [e.event, e.messageId])).toEqual([['offline_event', messageId]])
      expect(localKeys().filter((k) => k.startsWith('atrack_q1_'))).toEqual([])
    })
  })

  describe('page views', () => {
    it('sends a page view per SPA navigation, with the previous URL as referrer', async () => {
      setReferrer('https://www.google.com/')
      const { client } = make()
      await client.init()
      history.pushState({}, '', '/docs')
      history.replaceState({}, '', '/docs?tab=2')
      await client.flush()
      expect(events().map((e) => e.attributes)).toEqual([
        { url: 'http://localhost:3000/', path: '/', referrer: 'https://www.google.com/' },
        { url: 'http://localhost:3000/docs', path: '/docs', referrer: 'http://localhost:3000/' },
      ])
    })

    it("gives every event the current page's referrer: the outside one at first, the previous page after a navigation", async () => {
      setReferrer('https://www.google.com/')
      const { client } = make()
      await client.init()
      client.track('on_landing')
      history.pushState({}, '', '/docs')
      client.track('on_docs')
      await client.flush()
      expect(events().map((e) => [e.event, e.context.page.referrer])).toEqual([
        ['page_view', 'https://www.google.com/'],
        ['on_landing', 'https://www.google.com/'],
        ['page_view', 'http://localhost:3000/'],
        ['on_docs', 'http://localhost:3000/'],
      ])
    })

    it('sends none automatically with autoPageviews false, and one on page()', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      history.pushState({}, '', '/docs')
      client.page({ section: 'guide' })
      await client.flush()
      expect(events().map((e) => e.attributes)).toEqual([{ url: 'http://localhost:3000/docs', path: '/docs', section: 'guide' }])
    })
  })

  describe('declarative events', () => {
    it('sends data-atrack-event clicks with their data-atrack-* attributes', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      document.body.innerHTML = '<button data-atrack-event="cta_clicked" data-atrack-plan="pro">Buy</button>'
      document.querySelector('button')!.click()
      await client.flush()
      expect(events().map((e) => [e.event, e.attributes])).toEqual([['cta_clicked', { plan: 'pro' }]])
    })

    it('sends outbound link clicks only with trackOutboundLinks', async () => {
      document.body.innerHTML = '<a href="https://other.org/x">out</a>'
      const stopNavigation = (e: Event) => e.preventDefault()
      document.addEventListener('click', stopNavigation)
      const off = make({ autoPageviews: false })
      await off.client.init()
      document.querySelector('a')!.click()
      await off.client.flush()
      expect(events()).toEqual([])
      ;(off.client as any)._stop()
      const on = make({ autoPageviews: false, trackOutboundLinks: true })
      await on.client.init()
      document.querySelector('a')!.click()
      await on.client.flush()
      document.removeEventListener('click', stopNavigation)
      expect(events().map((e) => [e.event, e.attributes])).toEqual([['outbound_link_clicked', { url: 'https://other.org/x', host: 'other.org' }]])
    })
  })

  describe('users', () => {
    it('merges attributes, replaces them on request, and sends /attributes', async () => {
      const { client } = make({ autoPageviews: false })
      const { uuid } = await client.init()
      await client.setAttributes({ plan: 'pro', seats: 1 })
      await client.setAttributes({ seats: 3 })
      expect(client.getUser()).toEqual({ uuid, attributes: { plan: 'pro', seats: 3 } })
      await client.setAttributes({ plan: 'business' }, { mode: 'replace' })
      expect(client.getUser()).toEqual({ uuid, attributes: { plan: 'business' } })
      await client.flush()
      const bodies = requests(fetch).filter((r) => r.path == '/attributes').map((r) => r.body)
      expect(bodies.map((b) => Object.keys(b))).toEqual(Array(3).fill(['sdkVersion', 'messageId', 'uuid', 'mode', 'attributes', 'profile']))
      expect(bodies.map((b) => [b.uuid, b.mode, b.attributes, b.profile])).toEqual([
        [uuid, 'merge', { plan: 'pro', seats: 1 }, {}],
        [uuid, 'merge', { seats: 3 }, {}],
        [uuid, 'replace', { plan: 'business' }, {}],
      ])
    })

    it('remembers attributes for the next page', async () => {
      const first = make({ autoPageviews: false })
      await first.client.init()
      await first.client.setAttributes({ plan: 'pro' })
      const next = make({ autoPageviews: false })
      await next.client.init()
      expect(next.client.getUser()!.attributes).toEqual({ plan: 'pro' })
    })

    it('returns a copy from getUser', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      client.getUser()!.attributes.hacked = true
      expect(client.getUser()!.attributes).toEqual({})
    })

    it('identify() sends /init with the previous uuid as context.previousUuid and tracks as the new id', async () => {
      const { client } = make({ autoPageviews: false })
      const { uuid: anonymous } = await client.init()
      client.identify('crm-user-42', { plan: 'pro' })
      client.track('after_login')
      await client.flush()
      expect(inits()[1]).toMatchObject({ uuid: 'crm-user-42', isNewUser: false, mode: 'merge', attributes: { plan: 'pro' }, context: { previousUuid: anonymous } })
      expect(events()[0].uuid).toBe('crm-user-42')
      expect(client.getUser()).toEqual({ uuid: 'crm-user-42', attributes: { plan: 'pro' } })
      expect(cookies().atrack_uid).toBe('crm-user-42')
    })

    it('identify() with the current uuid only updates attributes', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init({ user: { uuid: 'crm-user-42' } })
      client.identify('crm-user-42', { plan: 'pro' })
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', '/attributes'])
    })

    it('reset() gives a new anonymous uuid with empty attributes', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init({ user: { uuid: 'crm-user-42', attributes: { plan: 'pro' } } })
      client.reset()
      client.track('after_logout')
      await client.flush()
      const user = client.getUser()!
      expect(user.uuid).toMatch(V4)
      expect(user.attributes).toEqual({})
      expect(inits()[1]).toMatchObject({ uuid: user.uuid, isNewUser: true, attributes: {} })
      expect(inits()[1].context.previousUuid).toBeUndefined()
      expect(events()[0].uuid).toBe(user.uuid)
      expect(localStorage.getItem('atrack_uid')).toBe(user.uuid)
      expect(JSON.parse(localStorage.getItem('atrack_user')!)).toEqual({})
    })
  })

  describe('a message is fixed at its call', () => {
    it('keeps the attributes and context a reused object had at each call', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      const props = { step: 0, nested: { n: 0 } }
      const context = { experiment: 'a' }
      for (let i = 0; i < 3; i++) {
        props.step = i
        props.nested.n = i
        client.track({ event: 'step', attributes: props, context })
      }
      props.step = 99
      props.nested.n = 99
      context.experiment = 'changed'
      await client.flush()
      expect(events().map((e) => e.attributes)).toEqual([0, 1, 2].map((i) => ({ step: i, nested: { n: i } })))
      expect(events().map((e) => e.context.experiment)).toEqual(['a', 'a', 'a'])
    })

    it('keeps the page and time of the call across an SPA navigation right after it', async () => {
      setURL('/first')
      document.title = 'First'
      const { client } = make({ autoPageviews: false })
      await client.init()
      client.track('clicked')
      setURL('/second')
      document.title = 'Second'
      vi.advanceTimersByTime(5000)
      await client.flush()
      expect(events()[0].context.page).toMatchObject({ path: '/first', title: 'First' })
      expect(events()[0].timestamp).toBe(new Date(NOW).toISOString())
    })

    it('does no storage write and no send in the task of track(): they come in a later task', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      await client.flush()
      fetch.mockClear()
      const setItem = vi.spyOn(Storage.prototype, 'setItem')
      client.track('later')
      expect(fetch).not.toHaveBeenCalled()
      expect(setItem).not.toHaveBeenCalled()
      await microtasks()
      expect(fetch).not.toHaveBeenCalled() // a microtask is not a later task
      await settle()
      expect(sent(fetch)).toEqual(['later'])
    })
  })

  describe('global context', () => {
    it('merges the context option and init({ context }) into every message, under the call\'s own', async () => {
      const { client } = make({ autoPageviews: false, context: { app: 'web', channel: 'default' } })
      await client.init({ context: { release: '1.2.3' } })
      client.track('a')
      client.track({ event: 'b', context: { channel: 'email' } })
      await client.flush()
      expect(inits()[0].context).toMatchObject({ app: 'web', channel: 'default', release: '1.2.3' })
      expect(events().map((e) => [e.context.app, e.context.release, e.context.channel])).toEqual([
        ['web', '1.2.3', 'default'],
        ['web', '1.2.3', 'email'],
      ])
    })

    it('copies the context option: changing the object afterwards changes nothing', async () => {
      const context = { app: 'web' }
      const { client } = make({ autoPageviews: false, context })
      await client.init()
      context.app = 'changed'
      client.track('a')
      await client.flush()
      expect(events()[0].context.app).toBe('web')
    })
  })

  describe('beforeSend', () => {
    it('can scrub a message and drop another', async () => {
      const beforeSend = vi.fn((m: any) => {
        if (m.event == 'secret') return null
        if (m.event) m.context.page.url = m.context.page.url.split('?')[0]
        return m
      })
      setURL('/reset?token=abc')
      const { client, errors } = make({ autoPageviews: false, beforeSend })
      await client.init()
      client.track('secret')
      client.track('visible')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'visible'])
      expect(events()[0].context.page.url).toBe('http://localhost:3000/reset')
      expect(beforeSend).toHaveBeenCalledTimes(3)
      expect(errors).toEqual([])
    })
  })

  describe('never throws into the page', () => {
    const circular: any = { a: 1 }
    circular.self = circular

    it.each([
      ['track(null)', (c: any) => c.track(null), 'invalid_argument'],
      ['track(123)', (c: any) => c.track(123), 'invalid_argument'],
      ['track({})', (c: any) => c.track({}), 'invalid_argument'],
      ["track('')", (c: any) => c.track(''), 'invalid_argument'],
      ["track('x', 'notobject')", (c: any) => c.track('x', 'notobject'), 'invalid_argument'],
      ["track('x', [1])", (c: any) => c.track('x', [1]), 'invalid_argument'],
      ["track('x', circular)", (c: any) => c.track('x', circular), 'invalid_argument'],
      ['track with a bad timestamp', (c: any) => c.track({ event: 'x', timestamp: 'yesterday' }), 'invalid_argument'],
      ['setAttributes(null)', (c: any) => c.setAttributes(null), 'invalid_argument'],
      ['identify(undefined)', (c: any) => c.identify(undefined), 'invalid_argument'],
      ["setConsent('maybe')", (c: any) => c.setConsent('maybe'), 'invalid_argument'],
      ['page(circular)', (c: any) => c.page(circular), 'invalid_argument'],
      ["init('garbage')", (c: any) => c.init('garbage'), undefined],
    ])('%s', async (name, call, code) => {
      const { client, codes } = make({ autoPageviews: false })
      if (!name.startsWith('init')) await client.init()
      let result: unknown
      expect(() => (result = call(client))).not.toThrow()
      await result // a rejection fails the test
      await client.init()
      client.track('still_works')
      await client.flush()
      expect(sent(fetch)).toContain('still_works')
      expect(codes()).toEqual(code ? [code] : [])
    })

    it.each([
      ['true', () => true],
      ['a promise', async (m: unknown) => m],
      ['nothing (it edited the message and forgot to return it)', () => undefined],
    ])('a beforeSend returning %s drops that message only, and says why', async (_, hook) => {
      const { client, errors } = make({ autoPageviews: false, beforeSend: hook as never })
      await client.init()
      client.track('a')
      client.track('b')
      await client.flush()
      expect(events()).toEqual([])
      // /init, a and b
      expect(errors.filter((e) => e.code == 'invalid_argument')).toHaveLength(3)
      expect(errors.filter((e) => e.code == 'internal')).toEqual([])
    })

    it('a beforeSend that throws drops that message only', async () => {
      const { client, codes } = make({
        autoPageviews: false,
        beforeSend: (m: any) => {
          if (m.event == 'boom') throw new Error('page bug')
          return m
        },
      })
      await client.init()
      client.track('boom')
      client.track('fine')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'fine'])
      expect(codes()).toEqual(['invalid_argument'])
    })

    it('an onError that throws changes nothing', async () => {
      const client = new ATrack({
        publicKey: 'pub_test', autoPageviews: false,
        onError: () => {
          throw new Error('handler bug')
        },
      })
      clients.push(client)
      await client.init()
      expect(() => client.track(null as never)).not.toThrow()
      client.track('fine')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'fine'])
    })

    it('never rejects: flush and setAttributes resolve when the network is down', async () => {
      vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))))
      const { client, codes } = make({ autoPageviews: false })
      await client.init()
      client.track('x')
      await expect(client.setAttributes({ a: 1 })).resolves.toBeUndefined()
      const flushed = client.flush()
      // a refused keepalive fetch is judged one task later (see delivery.ts), then retried plainly
      await vi.advanceTimersByTimeAsync(10)
      await expect(flushed).resolves.toBeUndefined()
      expect(codes()).toEqual(['network'])
    })

    it('throws a TypeError for invalid options', () => {
      expect(() => new ATrack({ publicKey: '' })).toThrow(TypeError)
      expect(() => new ATrack({ publicKey: 'pub', geo: 'a.b' })).toThrow(/geo/)
    })

    it('refuses attributes with a circular value and keeps sending later updates', async () => {
      const { client, codes } = make({ autoPageviews: false })
      await client.init()
      await client.setAttributes({ el: circular })
      client.identify('crm-1', { el: circular })
      await client.setAttributes({ plan: 'pro' })
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', '/attributes'])
      expect(client.getUser()!.attributes).toEqual({ plan: 'pro' })
      expect(codes()).toEqual(['invalid_argument', 'invalid_argument'])
    })

    it('ignores circular user attributes given to init() and keeps working', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init({ user: { attributes: { el: circular } } })
      client.track('x')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'x'])
      expect(inits()[0].attributes).toEqual({})
    })
  })

  describe('storage failures', () => {
    it('works in memory and reports storage exactly once when the localStorage getter throws', async () => {
      vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      })
      const { client, count } = make({ autoPageviews: false })
      const { uuid } = await client.init()
      client.track('a')
      await client.setAttributes({ plan: 'pro' })
      client.track('b')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'a', '/attributes', 'b'])
      expect(client.getUser()).toEqual({ uuid, attributes: { plan: 'pro' } })
      expect(count('storage')).toBe(1)
    })

    it('works in memory and reports storage exactly once when setItem throws QuotaExceededError', async () => {
      restores.push(failLocalStorageWrites())
      const { client, count, errors } = make({ autoPageviews: false })
      await client.init()
      client.track('a')
      client.track('b')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'a', 'b'])
      expect(count('storage')).toBe(1)
      expect(errors).toHaveLength(1)
    })

    it('ignores corrupt JSON in atrack_user', async () => {
      localStorage.setItem('atrack_uid', 'u-1')
      document.cookie = 'atrack_uid=u-1; path=/'
      localStorage.setItem('atrack_user', '{oops')
      const { client, errors } = make({ autoPageviews: false })
      expect(await client.init()).toEqual({ uuid: 'u-1', isNewUser: false })
      expect(client.getUser()).toEqual({ uuid: 'u-1', attributes: {} })
      expect(errors).toEqual([])
    })

    // Regression (fixed in src/storage.ts:96-103): document.cookie throwing SecurityError
    // (sandboxed iframe) escapes loadIdentity, init() aborts and every later call fails as 'internal'.
    it('keeps tracking when document.cookie throws SecurityError', async () => {
      const insecure = () => {
        throw new DOMException('The operation is insecure.', 'SecurityError')
      }
      Object.defineProperty(document, 'cookie', { get: insecure, set: insecure, configurable: true })
      const { client, codes } = make({ autoPageviews: false })
      const { uuid } = await client.init()
      client.track('a')
      await client.flush()
      expect(uuid).toMatch(V4)
      expect(sent(fetch)).toEqual(['/init', 'a'])
      expect(codes()).toEqual(['storage'])
    })
  })

  describe('consent', () => {
    it('with consent pending stores nothing and sends nothing, then sends everything in order once granted', async () => {
      const { client } = make({ consent: 'pending' })
      const { uuid } = await client.init()
      client.track('a')
      client.track('b')
      await client.flush()
      await vi.advanceTimersByTimeAsync(5000)
      expect(fetch).not.toHaveBeenCalled()
      expect(beacon).not.toHaveBeenCalled()
      expect(document.cookie).toBe('')
      expect(localKeys()).toEqual([])

      client.setConsent('granted')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'page_view', 'a', 'b'])
      expect(new Set(requests(fetch).map((r) => r.body.uuid))).toEqual(new Set([uuid]))
      expect(cookies().atrack_uid).toBe(uuid)
      expect(localStorage.getItem('atrack_uid')).toBe(uuid)
    })

    it('keeps the session that began while pending when consent arrives', async () => {
      const { client } = make({ consent: 'pending' })
      await client.init()
      client.track('waiting')
      client.setConsent('granted')
      client.track('after_grant')
      await client.flush()
      const sessions = requests(fetch).map((r) => r.body.context?.sessionId)
      expect(sessions.filter(Boolean)).toHaveLength(4)
      expect(new Set(sessions.filter(Boolean)).size).toBe(1)
      expect(JSON.parse(localStorage.getItem('atrack_session')!).id).toBe(sessions[0])
    })

    it('saves the visit\'s campaign as first touch and session once consent arrives, with no further call', async () => {
      setURL('/?utm_source=google&utm_medium=cpc')
      setReferrer('https://www.google.com/')
      const { client } = make({ consent: 'pending' })
      await client.init()
      client.setConsent('granted')
      await settle() // what waited is built in the next task, in slices
      expect(JSON.parse(localStorage.getItem('atrack_first')!)).toMatchObject({ type: 'paid', utm: { source: 'google', medium: 'cpc' } })
      expect(JSON.parse(localStorage.getItem('atrack_session')!).t).toMatchObject({ type: 'paid' })
    })

    it('sends no /init for a known visitor whose stored session goes on, when consent comes on every page', async () => {
      const first = make({ consent: 'pending', autoPageviews: false })
      await first.client.init()
      first.client.setConsent('granted')
      await first.client.flush()
      ;(first.client as any)._stop()
      expect(inits()).toHaveLength(1)

      const second = make({ consent: 'pending', autoPageviews: false })
      await second.client.init()
      second.client.track('next_page')
      second.client.setConsent('granted')
      await second.client.flush()
      expect(sent(fetch)).toEqual(['/init', 'next_page'])
      expect(new Set(events().map((e) => e.context.sessionId)).size).toBe(1)
      expect(events()[0].context.sessionId).toBe(inits()[0].context.sessionId)
    })

    it('starts a session with its touch when consent comes on a page that brings a new campaign', async () => {
      const first = make({ consent: 'pending', autoPageviews: false })
      await first.client.init()
      first.client.setConsent('granted')
      await first.client.flush()
      ;(first.client as any)._stop()

      setURL('/?utm_source=newsletter&utm_medium=email&utm_campaign=june')
      const second = make({ consent: 'pending', autoPageviews: false })
      await second.client.init()
      second.client.track('from_mail')
      second.client.setConsent('granted')
      await second.client.flush()
      const [, init2] = inits()
      const mail = events().find((e) => e.event == 'from_mail')
      expect(init2.isNewUser).toBe(false)
      expect(mail.context.sessionId).not.toBe(inits()[0].context.sessionId)
      expect(mail.context.attribution.session).toMatchObject({ type: 'email', utm: { campaign: 'june' } })
      expect(JSON.parse(localStorage.getItem('atrack_session')!).t).toMatchObject({ type: 'email' })
    })

    it('keeps a logout made while consent was pending when consent arrives', async () => {
      document.cookie = 'atrack_uid=earlier; path=/'
      localStorage.setItem('atrack_uid', 'earlier')
      const { client } = make({ consent: 'pending', autoPageviews: false })
      await client.init()
      client.reset()
      const fresh = client.getUser()!.uuid
      client.track('after_logout')
      client.setConsent('granted')
      await client.flush()
      expect(client.getUser()!.uuid).toBe(fresh)
      expect(events().map((e) => e.uuid)).toEqual([fresh])
      expect(localStorage.getItem('atrack_uid')).toBe(fresh)
    })

    it('sends one /init per visitor when consent arrives after a logout or login made while pending', async () => {
      const { client } = make({ consent: 'pending', autoPageviews: false })
      const { uuid: first } = await client.init()
      client.reset()
      const fresh = client.getUser()!.uuid
      client.identify('crm-7')
      client.setConsent('granted')
      await client.flush()
      expect(inits().map((m) => [m.uuid, m.isNewUser, m.context.previousUuid])).toEqual([
        [first, true, undefined],
        [fresh, true, undefined],
        ['crm-7', false, fresh],
      ])
    })

    it('stores nothing once consent goes back to pending, and a login made then is sent once granted again', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      await client.flush()
      client.setConsent('pending')
      const before = { cookie: document.cookie, keys: localKeys().join(), session: localStorage.getItem('atrack_session') }
      vi.advanceTimersByTime(2000) // past the session's write throttle
      client.identify('crm-42')
      client.track('while_pending')
      await settle()
      expect({ cookie: document.cookie, keys: localKeys().join(), session: localStorage.getItem('atrack_session') }).toEqual(before)
      client.setConsent('granted')
      await client.flush()
      const login = inits().find((m) => m.uuid == 'crm-42')
      expect(login).toMatchObject({ isNewUser: false, context: { previousUuid: inits()[0].uuid } })
      expect(events().map((e) => [e.event, e.uuid])).toEqual([['while_pending', 'crm-42']])
    })

    it('does not drop init(), a login or a logout to the queue cap: only events', async () => {
      const { client, codes } = make({ autoPageviews: false, maxQueueMessages: 5 })
      for (let i = 0; i < 10; i++) client.track('burst', { i })
      client.identify('crm-5')
      await client.init()
      await client.flush()
      expect(codes()).toContain('queue_full')
      expect(inits().map((m) => m.uuid)).toEqual([expect.any(String), 'crm-5'])
      expect(events().map((e) => e.attributes.i)).toEqual([7, 8, 9])
    })

    it('keeps the current visitor, uuid and attributes, across consent changes, also when init() was given a uuid', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init({ user: { uuid: 'A' } })
      client.identify('B', { plan: 'pro' })
      client.track('as_b')
      client.setConsent('pending')
      expect(client.getUser()).toEqual({ uuid: 'B', attributes: { plan: 'pro' } })
      client.track('while_pending')
      client.setConsent('granted')
      client.track('after')
      await client.flush() // a refusal drops what is still queued
      client.optOut()
      client.optIn()
      expect(client.getUser()).toEqual({ uuid: 'B', attributes: { plan: 'pro' } })
      client.track('after_opt_in')
      await client.flush()
      expect(events().map((e) => [e.event, e.uuid])).toEqual([['as_b', 'B'], ['while_pending', 'B'], ['after', 'B'], ['after_opt_in', 'B']])
      expect(cookies().atrack_uid).toBe('B')
    })

    it('sends and writes nothing while consent is back to pending, then what waited once granted again', async () => {
      let status = 503
      fetch = stubFetch(() => status)
      const { client } = make({ autoPageviews: false })
      await client.init()
      client.track('queued_while_granted')
      await client.flush()
      client.setConsent('pending')
      const sends = fetch.mock.calls.length
      const stored = () => localKeys().map((k) => k + '=' + localStorage.getItem(k)).join()
      const before = stored()
      await vi.advanceTimersByTimeAsync(120_000) // retries, heartbeat, removal writes: none may happen
      expect(fetch.mock.calls.length).toBe(sends)
      expect(stored()).toBe(before)
      status = 204
      client.setConsent('granted')
      await client.flush()
      expect(sent(fetch).filter((e) => e == 'queued_while_granted').length).toBeGreaterThan(0)
      expect(localKeys().filter((k) => k.startsWith('atrack_q1_'))).toEqual([])
    })

    it('keeps a login across optOut() and optIn() on the same page', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      client.identify('crm-9')
      client.optOut()
      client.optIn()
      client.track('back')
      await client.flush()
      expect(client.getUser()!.uuid).toBe('crm-9')
      expect(events().map((e) => e.uuid)).toEqual(['crm-9'])
    })

    it('writes no cookie while pending, also when told pending again', async () => {
      const { client } = make({ consent: 'pending' })
      await client.init()
      client.setConsent('pending')
      client.track('waiting')
      await settle()
      expect(document.cookie).toBe('')
      expect(localKeys()).toEqual([])
    })

    it('an opt-out in another tab stops this one, once: no storage-event ping-pong', async () => {
      const { client, codes } = make({ autoPageviews: false })
      await client.init()
      localStorage.setItem('atrack_optout', '1') // what the other tab wrote
      dispatchEvent(new StorageEvent('storage', { key: 'atrack_optout', newValue: '1' }))
      expect(localKeys()).toEqual(['atrack_optout'])
      // the other tab's own refusal writes echo back here: already denied, nothing more to do
      const again = vi.spyOn(client, 'setConsent')
      dispatchEvent(new StorageEvent('storage', { key: 'atrack_optout', newValue: '1' }))
      expect(again).not.toHaveBeenCalled()
      client.track('after')
      await client.flush()
      expect(events()).toEqual([])
      expect(codes()).toContain('opted_out')
    })

    it('keeps the uuid of an earlier visit when consent arrives', async () => {
      document.cookie = 'atrack_uid=earlier-visit; path=/'
      localStorage.setItem('atrack_uid', 'earlier-visit')
      const { client } = make({ consent: 'pending', autoPageviews: false })
      await client.init()
      client.track('a')
      client.setConsent('granted')
      await client.flush()
      expect(requests(fetch).map((r) => r.body.uuid)).toEqual(['earlier-visit', 'earlier-visit'])
      expect(inits()[0].isNewUser).toBe(false)
    })

    it('with consent denied after pending, drops what waited and reports it', async () => {
      const { client, errors } = make({ consent: 'pending' })
      await client.init()
      client.track('a')
      client.setConsent('denied')
      client.track('b')
      await client.flush()
      expect(fetch).not.toHaveBeenCalled()
      expect(errors[0]).toMatchObject({ code: 'opted_out', count: 3 })
      expect(localKeys()).toEqual(['atrack_optout'])
    })

    it('optOut() removes every key but atrack_optout, sends nothing after, and reports opted_out', async () => {
      const { client, errors } = make()
      await client.init()
      client.track('before')
      await client.flush()
      expect(localKeys()).toEqual(expect.arrayContaining(['atrack_uid', 'atrack_user', 'atrack_session', 'atrack_first']))
      const sentBefore = fetch.mock.calls.length

      client.optOut()
      expect(localKeys()).toEqual(['atrack_optout'])
      expect(Object.keys(cookies())).toEqual(['atrack_optout'])
      client.track('after')
      history.pushState({}, '', '/next')
      await client.flush()
      await vi.advanceTimersByTimeAsync(5000)
      expect(fetch).toHaveBeenCalledTimes(sentBefore)
      expect(beacon).not.toHaveBeenCalled()
      expect(errors.map((e) => e.code)).toEqual(['opted_out', 'opted_out'])
    })

    it('optOut() drops queued messages, reports how many, and removes the persisted queue', async () => {
      fetch = stubFetch(503)
      const { client, errors } = make({ autoPageviews: false })
      await client.init()
      client.track('a')
      await client.flush()
      expect(localKeys().some((k) => k.startsWith('atrack_q1_'))).toBe(true)
      client.optOut()
      expect(errors.find((e) => e.code == 'opted_out')).toMatchObject({ count: 2 })
      expect(localKeys()).toEqual(['atrack_optout'])
    })

    it('a new client after optOut stays opted out', async () => {
      const first = make()
      await first.client.init()
      first.client.optOut()
      ;(first.client as any)._stop()
      fetch.mockClear()

      const next = make()
      await next.client.init()
      next.client.track('x')
      await next.client.flush()
      expect(fetch).not.toHaveBeenCalled()
      expect(localKeys()).toEqual(['atrack_optout'])
      expect(Object.keys(cookies())).toEqual(['atrack_optout'])
      expect(next.codes()).toContain('opted_out')
    })

    it('optIn() after optOut sends again and forgets the refusal', async () => {
      const { client } = make({ autoPageviews: false })
      await client.init()
      client.optOut()
      client.optIn()
      client.track('back')
      await client.flush()
      expect(sent(fetch)).toEqual(['/init', 'back'])
      expect(localStorage.getItem('atrack_optout')).toBeNull()
      expect(cookies().atrack_optout).toBeUndefined()
    })

    it('treats Global Privacy Control as a refusal with respectDnt', async () => {
      Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true })
      restores.push(() => delete (navigator as any).globalPrivacyControl)
      const { client } = make({ respectDnt: true })
      await client.init()
      client.track('x')
      await client.flush()
      expect(fetch).not.toHaveBeenCalled()
      expect(localKeys()).toEqual([])
    })

    // Regression (fixed in src/client.ts:176-184): a refusal swaps _active to memory but keeps the
    // session tracker on the real store, and track() builds its context (which writes the session)
    // before _send() checks consent; a second later atrack_session and atrack_first are back.
    it('stores nothing after optOut, even as time passes', async () => {
      const { client } = make()
      await client.init()
      await client.flush()
      client.optOut()
      vi.setSystemTime(NOW + 5000)
      client.track('after')
      history.pushState({}, '', '/later')
      await client.flush()
      expect(localKeys()).toEqual(['atrack_optout'])
    })

    // Regression (fixed in src/client.ts:180): setConsent('denied') empties queue._items behind the queue's back, so its
    // byte count keeps the dropped messages; after optIn() new messages are pushed out as queue_full.
    it('after optOut and optIn, does not count the dropped messages against the byte cap', async () => {
      fetch = stubFetch(503)
      const probe = make({ autoPageviews: false })
      await probe.client.init()
      probe.client.track('sized')
      await probe.client.flush()
      const sizes = requests(fetch).map((r) => new TextEncoder().encode(JSON.stringify(r.body)).length)
      ;(probe.client as any)._stop()
      resetPage()

      fetch = stubFetch(503)
      const { client, codes } = make({ autoPageviews: false, maxQueueBytes: sizes[0] + 2 * sizes[1] + 50 })
      await client.init()
      client.track('sized')
      client.track('sized')
      await client.flush()
      client.optOut()
      fetch = stubFetch(204)
      client.optIn()
      client.track('sized')
      await client.flush()
      expect(codes()).not.toContain('queue_full')
      expect(events().map((e) => e.event)).toEqual(['sized'])
    })
  })
})
