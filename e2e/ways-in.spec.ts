// The three ways in (CONTRACT §1) in real Chromium against the reference collector: what arrives
// is what the contract says, byte for byte in shape.
import type { Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { expect, eventNames, received, test, waitForEvents } from './fixtures'

/** package.json's version: what the wire must say. */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** POST bodies the page sent to the collector, in the order the page issued them. */
function issued(page: Page, origin: string): { path: string; body: Record<string, unknown> }[] {
  const list: { path: string; body: Record<string, unknown> }[] = []
  page.on('request', (r) => {
    if (r.method() == 'POST' && r.url().startsWith(origin)) list.push({ path: new URL(r.url()).pathname, body: r.postDataJSON() })
  })
  return list
}

test('script tag: auto-init sends /init and a page_view with the exact contract shape', async ({ page, site, collector }) => {
  await page.goto(site.url('/script-tag.html'))
  const [init] = await waitForEvents(collector, 1, { filter: { path: '/init' } })
  const [view] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } })

  expect(Object.keys(init.body).sort()).toEqual(['attributes', 'context', 'isNewUser', 'messageId', 'mode', 'profile', 'sdkVersion', 'uuid'])
  expect(init.body).toMatchObject({ sdkVersion: version, isNewUser: true, mode: 'merge', attributes: {}, profile: {} })
  expect(init.body.uuid).toMatch(UUID_V4)
  expect(init.transport).toBe('fetch')
  // CONTRACT §3: the key in the query and the JSON as text/plain, so the browser sends no preflight
  expect(init.keySource).toBe('query')
  expect(init.contentType).toMatch(/^text\/plain/)

  expect(Object.keys(view.body).sort()).toEqual(['attributes', 'context', 'event', 'messageId', 'sdkVersion', 'timestamp', 'uuid'])
  expect(view.body.uuid).toBe(init.body.uuid)
  expect(view.body.attributes).toEqual({ url: site.url('/script-tag.html'), path: '/script-tag.html', title: 'Script tag fixture' })
  expect(new Date(view.body.timestamp).toISOString()).toBe(view.body.timestamp)
  expect(view.body.context).toMatchObject({
    page: { url: site.url('/script-tag.html'), path: '/script-tag.html', title: 'Script tag fixture' },
    library: { name: '@a-track/web', version },
    referrer: { type: 'direct' },
    isBot: true,
  })
  expect(view.body.context.sessionId).toEqual(expect.any(String))
  expect(view.body.messageId).not.toBe(init.body.messageId)

  // the global is the live client, and an inline handler reaches it
  expect(await page.evaluate(() => typeof (window as any).atrack.track == 'function' && !(window as any).atrack.q)).toBe(true)
  await page.click('#cta')
  const [click] = await waitForEvents(collector, 1, { filter: { event: 'cta_clicked' } })
  expect(click.body.attributes).toEqual({ plan: 'pro' })
})

test('captures UTM, click ids, referrer, locale and timezone', async ({ browser, site, collector }) => {
  const context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'America/New_York' })
  const page = await context.newPage()
  await page.goto(site.url('/script-tag.html?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_term=shoes&utm_content=hero&gclid=abc123'), {
    referer: 'https://www.google.com/search?q=atrack',
  })
  const [view] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  expect(view.body.context).toMatchObject({
    utm: { source: 'google', medium: 'cpc', campaign: 'spring', term: 'shoes', content: 'hero' },
    clickIds: { gclid: 'abc123' },
    referrer: { url: 'https://www.google.com/search?q=atrack', host: 'www.google.com', type: 'paid' },
    locale: 'fr-FR',
    timezone: 'America/New_York',
  })
  expect(view.body.attributes.referrer).toBe('https://www.google.com/search?q=atrack')
  expect(view.body.context.attribution.initial).toMatchObject({ type: 'paid', utm: { source: 'google' } })
  await context.close()
})

test('pre-load stub: calls queued before the bundle arrived are replayed in order after auto-init', async ({ page, site, collector }) => {
  const order = issued(page, collector.url)
  // hold the bundle until the inline handler has been used against the stub
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  await page.route('**/dist/atrack.min.js', async (route) => {
    await held
    await route.continue()
  })
  const errors: Error[] = []
  page.on('pageerror', (e) => errors.push(e))
  await page.goto(site.url('/stub.html'), { waitUntil: 'domcontentloaded' })
  await page.click('#cta') // the stub takes it
  expect(await page.evaluate(() => (window as any).atrack.q.length)).toBe(4)
  const heldUntil = await page.evaluate(() => Date.now())
  release()

  await waitForEvents(collector, 4, { filter: { path: '/event' } })
  const names = order.map((r) => (r.path == '/event' ? r.body.event : r.path))
  expect(names).toEqual(['/init', 'page_view', 'early_one', '/attributes', 'early_two', 'cta_clicked'])
  expect(received(collector, { path: '/attributes' })[0].body).toMatchObject({ mode: 'merge', attributes: { plan: 'trial' }, profile: {} })
  // each call is fixed when it was made to the snippet: its attributes then, its time then
  expect(received(collector, { event: 'early_one' })[0].body.attributes).toEqual({ n: 1 })
  const time = (event: string, i = 0) => Date.parse(received(collector, { event })[i].body.timestamp)
  for (const event of ['early_one', 'early_two', 'cta_clicked']) expect(time(event)).toBeLessThanOrEqual(heldUntil)
  // the visit starts at the first call: the page view is first in time, as on the wire
  expect(time('page_view')).toBeLessThanOrEqual(time('early_one'))

  // after the swap the same inline handler goes straight to the live client
  await page.click('#cta')
  await waitForEvents(collector, 2, { filter: { event: 'cta_clicked' } })
  expect(time('cta_clicked', 1)).toBeGreaterThan(heldUntil) // its own time: no replay clock left behind
  expect(await page.evaluate(() => (window as any).atrack.getUser().attributes)).toEqual({ plan: 'trial' })
  expect(errors).toEqual([])
})

test('data-auto-init="false": the page initialises with its own uuid and attributes', async ({ page, site, collector }) => {
  await page.goto(site.url('/auto-init-false.html'))
  const [init] = await waitForEvents(collector, 1, { filter: { path: '/init' } })
  expect(init.body).toMatchObject({ uuid: 'crm-user-42', isNewUser: false, attributes: { plan: 'pro' } })
  const [login] = await waitForEvents(collector, 1, { filter: { event: 'logged_in' } })
  expect(login.body.uuid).toBe('crm-user-42')
  expect(await page.evaluate(() => (window as any).atrack.getUser())).toEqual({ uuid: 'crm-user-42', attributes: { plan: 'pro' } })
})

test('ESM import bundled for a page: typed API, init result, events', async ({ page, site, collector }) => {
  await page.goto(site.url('/esm.html'))
  const result = await page.evaluate(() => (window as any).app.ready)
  expect(result.uuid).toMatch(UUID_V4)
  expect(result.isNewUser).toBe(true)
  const [loaded] = await waitForEvents(collector, 1, { filter: { event: 'esm_loaded' } })
  expect(loaded.body).toMatchObject({ uuid: result.uuid, attributes: { from: 'bundle' } })

  await page.evaluate(async () => {
    const { atrack } = (window as any).app
    await atrack.setAttributes({ plan: 'business', seats: 12 })
    await atrack.setAttributes({ plan: 'enterprise' }, { mode: 'replace' })
    atrack.track({ event: 'invoice_paid', attributes: { amount: 42 }, timestamp: '2026-04-08T12:00:00.000Z', context: { campaign: 'import' } })
    atrack.identify('crm-user-7', { plan: 'pro' })
    await atrack.flush()
  })
  const attributes = await waitForEvents(collector, 2, { filter: { path: '/attributes' } })
  expect(attributes.map((r) => [r.body.mode, r.body.attributes])).toEqual(
    expect.arrayContaining([['merge', { plan: 'business', seats: 12 }], ['replace', { plan: 'enterprise' }]]),
  )
  const [paid] = await waitForEvents(collector, 1, { filter: { event: 'invoice_paid' } })
  expect(paid.body).toMatchObject({ timestamp: '2026-04-08T12:00:00.000Z', attributes: { amount: 42 } })
  expect(paid.body.context.campaign).toBe('import')
  const [alias] = await waitForEvents(collector, 1, { filter: { path: '/init', uuid: 'crm-user-7' } })
  expect(alias.body).toMatchObject({ isNewUser: false, attributes: { plan: 'pro' }, context: { previousUuid: result.uuid } })
})

test('the uuid survives a reload, and clearing either cookies or localStorage', async ({ page, context, site, collector }) => {
  await page.goto(site.url('/script-tag.html'))
  const uuid = (await waitForEvents(collector, 1, { filter: { path: '/init' } }))[0].body.uuid
  const stored = () => page.evaluate(() => ({ cookie: document.cookie, local: localStorage.getItem('atrack_uid') }))
  expect(await stored()).toEqual({ cookie: expect.stringContaining('atrack_uid=' + uuid), local: uuid })

  await page.reload()
  // cleared from a page without the SDK, so no leaving SDK page can write anything back
  await page.goto(site.url('/ac-other.html'))
  await context.clearCookies()
  expect(await stored()).toEqual({ cookie: '', local: uuid })
  await page.goto(site.url('/script-tag.html'))
  expect(await stored()).toEqual({ cookie: expect.stringContaining('atrack_uid=' + uuid), local: uuid })

  await page.goto(site.url('/ac-other.html'))
  await page.evaluate(() => localStorage.clear())
  expect(await stored()).toEqual({ cookie: expect.stringContaining('atrack_uid=' + uuid), local: null })
  await page.goto(site.url('/script-tag.html'))
  expect(await stored()).toEqual({ cookie: expect.stringContaining('atrack_uid=' + uuid), local: uuid })

  await waitForEvents(collector, 4, { filter: { event: 'page_view' } })
  expect(new Set(received(collector).map((r) => r.body.uuid))).toEqual(new Set([uuid]))
  // one new visitor; the second /init is the new session that clearing localStorage (its home) began
  expect(received(collector, { path: '/init' }).map((r) => r.body.isNewUser)).toEqual([true, false])
})

test('the cookie wins when cookie and localStorage disagree', async ({ page, site, collector }) => {
  await page.goto(site.url('/script-tag.html'))
  await waitForEvents(collector, 1, { filter: { path: '/init' } })
  await page.evaluate(() => localStorage.setItem('atrack_uid', 'from-local'))
  const cookieUuid = await page.evaluate(() => document.cookie.match(/atrack_uid=([^;]+)/)![1])
  await page.reload()
  await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
  expect(received(collector, { event: 'page_view' })[1].body.uuid).toBe(cookieUuid)
  expect(await page.evaluate(() => localStorage.getItem('atrack_uid'))).toBe(cookieUuid)
})

test('geo routing sends to https://<geo>.api.a-track.io with the key in the query', async ({ page, site }) => {
  const hits: { url: string; method: string; contentType?: string }[] = []
  await page.route('https://fra.api.a-track.io/**', async (route) => {
    const r = route.request()
    hits.push({ url: r.url(), method: r.method(), contentType: r.headers()['content-type'] })
    await route.fulfill({
      status: 204,
      headers: { 'access-control-allow-origin': site.origin, 'access-control-allow-headers': 'content-type, x-a-track-key', 'access-control-allow-credentials': 'true' },
    })
  })
  await page.goto(site.url('/geo.html'))
  const sent = () => hits.map((h) => new URL(h.url)).map((u) => u.origin + u.pathname + ' key=' + u.searchParams.get('key'))
  await expect.poll(sent, { timeout: 10_000 }).toEqual(
    expect.arrayContaining(['https://fra.api.a-track.io/init key=pub_test', 'https://fra.api.a-track.io/event key=pub_test']),
  )
  expect(hits.every((h) => h.method == 'POST' && /^text\/plain/.test(h.contentType || ''))).toBe(true)
})

test('hostile arguments never raise a page error, and tracking keeps working', async ({ page, site, collector }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(site.url('/script-tag.html'))
  const outcomes = await page.evaluate(async () => {
    const a = (window as any).atrack
    const circular: any = { a: 1 }
    circular.self = circular
    const calls: (() => unknown)[] = [
      () => a.track(), () => a.track(null), () => a.track(123), () => a.track({}), () => a.track(''),
      () => a.track('x', 'not an object'), () => a.track('x', circular), () => a.track('x', { big: 10n }),
      () => a.track({ event: 'x', timestamp: 'not a date' }), () => a.track('x', { s: Symbol('s') }),
      () => a.page(42), () => a.identify(), () => a.identify({}), () => a.reset(1, 2, 3),
      () => a.setAttributes(), () => a.setAttributes(null), () => a.setAttributes('plan'), () => a.setAttributes(circular),
      () => a.setConsent('maybe'), () => a.init('garbage'), () => a.init({ user: 5 }), () => a.flush(1), () => a.getUser(7),
      () => a.track.call(null, 'unbound'), () => { const { track } = a; track('destructured') },
    ]
    const results: string[] = []
    for (const call of calls) {
      try {
        const r: any = call()
        if (r && typeof r.then == 'function') await r
        results.push('ok')
      } catch (e) {
        results.push('threw ' + e)
      }
    }
    a.track('still_works')
    await a.flush()
    return results
  })
  expect(outcomes.filter((o) => o != 'ok')).toEqual([])
  await waitForEvents(collector, 1, { filter: { event: 'still_works' } })
  expect(eventNames(received(collector))).toEqual(expect.arrayContaining(['unbound', 'destructured']))
  expect(errors).toEqual([])
})
