// What the SDK captures by itself (CONTRACT §1 "Declarative events", §2 consent, §3 context and
// page views), proven in Chromium against the reference collector: every test asserts on what the
// collector received (or did not), so it fails if the behaviour breaks.
import type { BrowserContext, Page } from '@playwright/test'
import config from '../playwright.config'
import { type Collector, type CollectorRecord, expect, eventNames, received, test, waitForEvents } from './fixtures'

type Issued = { path: string; body: Record<string, any> }

/** POST bodies the page sent to the collector, in the order the page issued them. */
function issued(page: Page, origin: string): Issued[] {
  const list: Issued[] = []
  page.on('request', (r) => {
    if (r.method() == 'POST' && r.url().startsWith(origin)) list.push({ path: new URL(r.url()).pathname, body: r.postDataJSON() })
  })
  return list
}

const nameOf = (r: Issued) => (r.path == '/event' ? r.body.event : r.path)

/** Waits until the page's queue is empty: everything tracked so far has reached the collector. */
const flush = (page: Page) => page.evaluate(() => (window as any).atrack.flush())

/** Waits until `window.atrack` is the live client (the async bundle replaced the stub). */
const live = (page: Page) => page.waitForFunction(() => typeof (window as any).atrack?.track == 'function' && !(window as any).atrack.q)

/** The page views the collector accepted, in the order the page issued them. */
function pageViews(order: Issued[], collector: Collector): CollectorRecord[] {
  const byId = new Map(received(collector, { event: 'page_view' }).map((r) => [r.body.messageId, r]))
  return order.filter((r) => r.body.event == 'page_view' && byId.has(r.body.messageId)).map((r) => byId.get(r.body.messageId)!)
}

/** The last page_view the collector accepted for `path`. */
function viewAt(collector: Collector, path: string): CollectorRecord {
  const views = received(collector, (r) => r.body.event == 'page_view' && r.body.attributes.path == path)
  expect(views.length, 'a page_view for ' + path).toBeGreaterThan(0)
  return views[views.length - 1]
}

/** Keys the SDK left in the cookie jar and in localStorage. */
const storedKeys = (page: Page) =>
  page.evaluate(() => ({
    cookie: document.cookie.split(';').map((c) => c.trim().split('=')[0]).filter((k) => k.startsWith('atrack_')).sort(),
    local: Object.keys(localStorage).filter((k) => k.startsWith('atrack_')).sort(),
  }))

// ——— page views ———

test('page views: pushState, same-path replaceState, back, hash change', async ({ page, site, collector }) => {
  const order = issued(page, collector.url)
  await page.goto(site.url('/app/start'))
  await live(page)
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  await page.evaluate(async () => {
    history.pushState({}, '', '/app/next') // new path: a page view
    history.replaceState({}, '', '/app/next?tab=2') // same path, only the query changes: none
    await new Promise((r) => {
      addEventListener('popstate', r, { once: true })
      history.back() // popstate back to /app/start, a new path again: a page view
    })
    location.hash = '#section' // hash only, no hash router: none
    await new Promise((r) => addEventListener('hashchange', r, { once: true }))
  })
  await flush(page)
  await page.waitForTimeout(300)
  // Exactly 3 page views in all: the start page (/app/start), the pushState (/app/next) and the
  // back navigation (/app/start again). replaceState to the same path and the hash change add none.
  const views = pageViews(order, collector)
  expect(received(collector, { event: 'page_view' })).toHaveLength(3)
  expect(views.map((v) => v.body.attributes.path)).toEqual(['/app/start', '/app/next', '/app/start'])
})

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

for (const next of ['/ac-other.html', '/script-tag.html']) test(`page views: a back/forward-cache restore sends one more page view (left for ${next})`, async ({ playwright, site, collector }) => {
  // Playwright launches Chromium with --disable-back-forward-cache; this test gets its own browser
  // without that switch. The static server answers `Cache-Control: no-store`, which also keeps a
  // page out of the bfcache, so the fixture page is served through a route without that header.
  // A routed document counts as public address space, hence the local-network-access permission
  // for its requests to the collector on 127.0.0.1.
  const { launchOptions } = config.projects![0].use as { launchOptions: object }
  const browser = await playwright.chromium.launch({ ...launchOptions, ignoreDefaultArgs: ['--disable-back-forward-cache'] })
  try {
    const context = await browser.newContext({ permissions: ['local-network-access'] })
    const page = await context.newPage()
    await page.route(site.url('/ac-links.html'), async (route) => {
      const response = await route.fetch()
      const headers = response.headers()
      delete headers['cache-control']
      await route.fulfill({ response, headers })
    })
    await page.goto(site.url('/ac-links.html'))
    await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
    await flush(page)
    // to a same-site page without the SDK, or with it: the SDK's Web Lock must not keep the page
    // out of the bfcache when the next page's SDK looks at the locks (notRestoredReasons: weblocks)
    await page.goto(site.url(next))
    await page.waitForURL(site.url(next))
    await page.goBack({ waitUntil: 'commit' }) // a bfcache restore fires no load event
    await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
    // the same document came back (pageshow persisted), it was not loaded again
    expect(await page.evaluate(() => (window as any).shows)).toEqual([false, true])
    await flush(page)
    await page.waitForTimeout(300)
    const views = received(collector, { event: 'page_view' }).filter((v) => v.body.attributes.path == '/ac-links.html')
    expect(views).toHaveLength(2)
    expect(received(collector, { path: '/init' })).toHaveLength(1)
  } finally {
    await browser.close()
  }
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

test('consent pending: nothing stored or sent; granted sends what waited in order; opted out stays silent', async ({ page, site, collector }) => {
  const order = issued(page, collector.url)
  await page.goto(site.url('/ac-consent.html'))
  await page.evaluate(() => {
    const a = (window as any).atrack
    a.track('first', { n: 1 })
    a.track('second', { n: 2 })
    a.track('third', { n: 3 })
  })
  await page.waitForTimeout(1000)
  // nothing at all, under any name
  expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual(['', 0, 0])
  expect(collector.requests()).toEqual([]) // not even a preflight
  expect(order).toEqual([])

  await page.click('#accept') // atrack.setConsent('granted')
  await waitForEvents(collector, 3, { filter: (r) => ['first', 'second', 'third'].includes(r.body.event) })
  await flush(page)
  expect(order.map(nameOf)).toEqual(['/init', 'page_view', 'first', 'second', 'third'])
  expect(received(collector, { event: 'second' })[0].body.attributes).toEqual({ n: 2 })
  const uuid = received(collector, { event: 'first' })[0].body.uuid
  expect(new Set(received(collector).map((r) => r.body.uuid))).toEqual(new Set([uuid]))
  expect(await page.evaluate(() => localStorage.getItem('atrack_uid'))).toBe(uuid)
  expect(await page.evaluate(() => document.cookie)).toContain('atrack_uid=' + uuid)

  await page.click('#refuse') // atrack.optOut()
  // a call after the refusal must neither send nor write anything (session and first touch included)
  await page.evaluate(() => (window as any).atrack.track('after_opt_out'))
  const before = collector.requests().length
  // the refusal holds on a page that would otherwise send at once (no data-consent="pending" there)
  await page.goto(site.url('/script-tag.html'))
  await page.evaluate(async () => {
    const a = (window as any).atrack
    a.track('after_reload')
    await a.flush()
  })
  await page.waitForTimeout(500)
  expect(collector.requests().length).toBe(before)
  // the same five messages as before the refusal (arrival order may differ from the order sent)
  expect(eventNames(received(collector)).sort()).toEqual(['/init', 'first', 'page_view', 'second', 'third'])
  expect(await storedKeys(page)).toEqual({ cookie: ['atrack_optout'], local: ['atrack_optout'] })
})

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
