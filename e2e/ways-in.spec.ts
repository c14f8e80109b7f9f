// The three ways in (CONTRACT §1) in real Chromium against the reference collector: what arrives
// is what the contract says, byte for byte in shape. The script tag's first visit and the pre-load
// snippet are scenarios every engine runs (e2e/scenarios/script-tag.mjs, preload-stub.mjs).
import { expect, eventNames, received, test, waitForEvents } from './fixtures'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

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
