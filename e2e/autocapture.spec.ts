// What the SDK captures by itself (CONTRACT §1 "Declarative events", §3 context, sessions and
// attribution), proven in Chromium against the reference collector: every test asserts on what the
// collector received (or did not), so it fails if the behaviour breaks. Consent, SPA page views and
// the back/forward cache are scenarios every engine runs (e2e/scenarios/).
import type { BrowserContext, Page } from '@playwright/test'
import { type Collector, type CollectorRecord, expect, received, test, waitForEvents } from './fixtures'

type Issued = { path: string; body: Record<string, any> }

/** POST bodies the page sent to the collector, in the order the page issued them. */
function issued(page: Page, origin: string): Issued[] {
  const list: Issued[] = []
  page.on('request', (r) => {
    if (r.method() == 'POST' && r.url().startsWith(origin)) list.push({ path: new URL(r.url()).pathname, body: r.postDataJSON() })
  })
  return list
}

/** Waits until the page's queue is empty: everything tracked so far has reached the collector. */
const flush = (page: Page) => page.evaluate(() => (window as any).atrack.flush())

/** Waits until `window.atrack` is the live client (the async bundle replaced the stub). */
const live = (page: Page) => page.waitForFunction(() => typeof (window as any).atrack?.track == 'function' && !(window as any).atrack.q)

/** The last page_view the collector accepted for `path`. */
function viewAt(collector: Collector, path: string): CollectorRecord {
  const views = received(collector, (r) => r.body.event == 'page_view' && r.body.attributes.path == path)
  expect(views.length, 'a page_view for ' + path).toBeGreaterThan(0)
  return views[views.length - 1]
}


// ——— page views ———

test('page views: with data-hash-routing a hash change is a navigation', async ({ page, site, collector }) => {
  await page.goto(site.url('/ac-hash.html'))
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  await page.click('#settings') // href="#/settings"
  await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
  await flush(page)
  await page.waitForTimeout(300)
  const views = received(collector, { event: 'page_view' })
  expect(views).toHaveLength(2) // the start, and the one hash change (popstate + hashchange count once)
  expect(views.map((v) => v.body.attributes.url).sort()).toEqual([site.url('/ac-hash.html'), site.url('/ac-hash.html#/settings')])
})

test('SPA page_view: referrer is the previous URL, path the new one; utm rides only on its own page', async ({ page, site, collector }) => {
  const landing = site.url('/app/landing?utm_source=google&utm_medium=cpc&utm_campaign=spring')
  await page.goto(landing)
  await live(page)
  const [first] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  expect(first.body.attributes).toMatchObject({ url: landing, path: '/app/landing' })
  expect(first.body.context.utm).toEqual({ source: 'google', medium: 'cpc', campaign: 'spring' })

  await page.evaluate(() => {
    history.pushState({}, '', '/app/pricing')
    ;(window as any).atrack.track('plan_viewed', { plan: 'pro' })
  })
  await flush(page)
  const second = viewAt(collector, '/app/pricing')
  expect(second.body.attributes).toMatchObject({ url: site.url('/app/pricing'), path: '/app/pricing', referrer: landing })
  expect(second.body.context.page).toMatchObject({ url: site.url('/app/pricing'), path: '/app/pricing' })
  // the landing page's utm_* do not follow the visitor to the next page…
  const [viewed] = await waitForEvents(collector, 1, { filter: { event: 'plan_viewed' } })
  for (const r of [second, viewed]) {
    expect(r.body.context).not.toHaveProperty('utm')
    expect(r.body.context).not.toHaveProperty('clickIds')
  }
  // …the session's attribution keeps them
  expect(viewed.body.context.attribution.session).toMatchObject({ type: 'paid', utm: { source: 'google', campaign: 'spring' } })
})

// ——— sessions and attribution ———

test('sessions: 31 minutes idle or a new campaign start a new one; a reload within 30 minutes does not', async ({ page, site, collector }) => {
  await page.clock.install() // Date.now() and timers in the page, across navigations
  await page.goto(site.url('/app/one'))
  await live(page)
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  await flush(page)
  const s1 = viewAt(collector, '/app/one').body.context.sessionId
  expect(s1).toEqual(expect.any(String))

  // a reload 29 minutes later: the same session
  await page.clock.fastForward('29:00')
  await page.reload()
  await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
  await flush(page)
  expect(viewAt(collector, '/app/one').body.context.sessionId).toBe(s1)

  // 31 minutes without activity, then a visit: a new session
  await page.clock.fastForward('31:00')
  await page.goto(site.url('/app/two'))
  await waitForEvents(collector, 3, { filter: { event: 'page_view' } })
  await flush(page)
  const s2 = viewAt(collector, '/app/two').body.context.sessionId
  expect(s2).not.toBe(s1)

  // a new utm_campaign moments later: a new session
  await page.clock.fastForward('00:05')
  await page.goto(site.url('/app/three?utm_source=google&utm_campaign=summer'))
  await waitForEvents(collector, 4, { filter: { event: 'page_view' } })
  await flush(page)
  const s3 = viewAt(collector, '/app/three').body.context.sessionId
  expect(s3).not.toBe(s2)
  expect(s3).not.toBe(s1)

  // the same source with another campaign: a new session again
  await page.clock.fastForward('00:05')
  await page.goto(site.url('/app/four?utm_source=google&utm_campaign=autumn'))
  await waitForEvents(collector, 5, { filter: { event: 'page_view' } })
  await flush(page)
  const s4 = viewAt(collector, '/app/four').body.context.sessionId
  expect(s4).not.toBe(s3)
  await page.goto(site.url('/app/three?utm_source=google&utm_campaign=summer'))
  await waitForEvents(collector, 6, { filter: { event: 'page_view' } })
  await flush(page)

  const s5 = viewAt(collector, '/app/three').body.context.sessionId
  // reloading that campaign's landing page is not a new campaign: the same session
  await page.clock.fastForward('10:00')
  await page.reload()
  await waitForEvents(collector, 7, { filter: { event: 'page_view' } })
  await flush(page)
  expect(viewAt(collector, '/app/three').body.context.sessionId).toBe(s5)
})

test('attribution: initial stays the first touch, session is the last non-direct touch', async ({ page, site, collector }) => {
  await page.goto(site.url('/app/ad?utm_source=google&utm_medium=cpc'))
  await live(page)
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  await flush(page)
  const ad = viewAt(collector, '/app/ad').body.context
  expect(ad.attribution.initial).toMatchObject({ type: 'paid', utm: { source: 'google', medium: 'cpc' } })
  expect(ad.attribution.session).toMatchObject({ type: 'paid', utm: { source: 'google', medium: 'cpc' } })

  await page.goto(site.url('/app/news?utm_source=newsletter&utm_medium=email'))
  await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
  await flush(page)
  const news = viewAt(collector, '/app/news').body.context
  expect(news.attribution.initial).toMatchObject({ type: 'paid', utm: { source: 'google', medium: 'cpc' } })
  expect(news.attribution.session).toMatchObject({ type: 'email', utm: { source: 'newsletter', medium: 'email' } })

  // a direct visit (no utm, no referrer) in the same session changes neither touch
  await page.goto(site.url('/app/direct'))
  await waitForEvents(collector, 3, { filter: { event: 'page_view' } })
  await flush(page)
  const direct = viewAt(collector, '/app/direct').body.context
  expect(direct.referrer).toMatchObject({ type: 'direct' })
  expect(direct).not.toHaveProperty('utm')
  expect(direct.sessionId).toBe(news.sessionId)
  expect(direct.attribution.initial).toMatchObject({ type: 'paid', utm: { source: 'google', medium: 'cpc' } })
  expect(direct.attribution.session).toMatchObject({ type: 'email', utm: { source: 'newsletter', medium: 'email' } })
})

/** Serves the test site under `https://www.shop.test`, so that the site has real subdomains. */
async function onShopDomain(context: BrowserContext, site: { url(path: string): string }) {
  // A routed document counts as public address space: its requests to the collector on 127.0.0.1
  // need the local-network-access permission, and a secure context (hence https).
  await context.grantPermissions(['local-network-access'])
  await context.route('https://www.shop.test/**', async (route) => {
    const url = new URL(route.request().url())
    await route.fulfill({ response: await route.fetch({ url: site.url(url.pathname + url.search) }) })
  })
}

test('attribution: a referrer from a subdomain of the site is internal and keeps the session touch', async ({ page, context, site, collector }) => {
  await onShopDomain(context, site)
  await page.goto('https://www.shop.test/app/news?utm_source=newsletter&utm_medium=email')
  await live(page)
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  await flush(page)
  const news = viewAt(collector, '/app/news').body.context

  await page.goto('https://www.shop.test/app/pricing', { referer: 'https://blog.shop.test/posts/launch' })
  await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
  await flush(page)
  const fromBlog = viewAt(collector, '/app/pricing').body.context
  expect(fromBlog.referrer).toMatchObject({ host: 'blog.shop.test', type: 'internal' })
  expect(fromBlog.sessionId).toBe(news.sessionId)
  expect(fromBlog.attribution.session).toMatchObject({ type: 'email', utm: { source: 'newsletter', medium: 'email' } })
  expect(fromBlog.attribution.initial).toMatchObject({ type: 'email', utm: { source: 'newsletter' } })
})

// ——— consent ———

// ——— declarative events ———

test('declarative events: a link navigates and its event arrives; a button added later works', async ({ page, site, collector }) => {
  await page.goto(site.url('/ac-links.html'))
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })

  await page.evaluate(() => {
    const button = document.createElement('button')
    button.id = 'late'
    button.setAttribute('data-atrack-event', 'late_clicked')
    button.setAttribute('data-atrack-source', 'dom')
    button.innerHTML = '<span id="late-label">Added later</span>'
    document.getElementById('later')!.append(button)
  })
  await page.click('#late-label') // the click lands on a child of the declared element
  const [late] = await waitForEvents(collector, 1, { filter: { event: 'late_clicked' } })
  expect(late.body.attributes).toEqual({ source: 'dom' })

  await page.click('#signup') // <a href="/ac-other.html" data-atrack-event="signup_clicked" data-atrack-plan="pro">
  await page.waitForURL(/ac-other\.html/) // the link still navigated…
  const [signup] = await waitForEvents(collector, 1, { filter: { event: 'signup_clicked' } }) // …and the event arrived
  expect(signup.body.attributes).toEqual({ plan: 'pro' })
  expect(signup.body.context.page).toMatchObject({ path: '/ac-links.html' })
  await page.waitForTimeout(300)
  expect(received(collector, { event: 'signup_clicked' })).toHaveLength(1)
  expect(received(collector, { event: 'late_clicked' })).toHaveLength(1)
})

// ——— bots ———

test('bots: headless Chromium is flagged isBot; with data-drop-bots nothing is sent', async ({ page, site, collector }) => {
  await page.goto(site.url('/script-tag.html'))
  await page.click('#cta')
  const [init] = await waitForEvents(collector, 1, { filter: { path: '/init' } })
  const [view] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  const [click] = await waitForEvents(collector, 1, { filter: { event: 'cta_clicked' } })
  for (const r of [init, view, click]) expect(r.body.context.isBot).toBe(true)

  collector.reset()
  const order = issued(page, collector.url)
  await page.goto(site.url('/ac-drop-bots.html'))
  await page.click('#cta')
  await page.waitForTimeout(1000)
  expect(order).toEqual([])
  expect(collector.requests()).toEqual([])
})

// ——— debug ———

test('debug: data-debug logs an [atrack] line per message and per delivery; without it the console stays quiet', async ({ page, site, collector }) => {
  const lines: string[] = []
  page.on('console', (m) => lines.push(m.text()))
  await page.goto(site.url('/ac-debug.html'))
  await page.click('#cta')
  await waitForEvents(collector, 1, { filter: { event: 'cta_clicked' } })
  await flush(page)
  const ids = received(collector).map((r) => r.body.messageId)
  expect(ids).toHaveLength(3) // /init, page_view, cta_clicked
  // per message: one line when it is queued and one with its delivery result (no retry here)
  const perMessage = () =>
    ids.map((id) => {
      const mine = lines.filter((l) => l.startsWith('[atrack]') && l.includes(id))
      return { id, queued: mine.filter((l) => l.startsWith('[atrack] queued')).length, delivered: mine.filter((l) => !l.startsWith('[atrack] queued')).length }
    })
  await expect.poll(perMessage, { timeout: 5000 }).toEqual(ids.map((id) => ({ id, queued: 1, delivered: 1 })))
  expect(lines.filter((l) => /\[atrack\] (?!queued).*→ 204/.test(l))).toHaveLength(ids.length)
  // the SDK's console output all starts with [atrack]
  expect(lines.filter((l) => /atrack/i.test(l) && !l.startsWith('[atrack]'))).toEqual([])

  lines.length = 0
  collector.reset()
  await page.goto(site.url('/script-tag.html'))
  await page.click('#cta')
  await waitForEvents(collector, 1, { filter: { event: 'cta_clicked' } })
  await flush(page)
  await page.waitForTimeout(300)
  expect(lines.filter((l) => l.includes('[atrack]'))).toEqual([])
})
