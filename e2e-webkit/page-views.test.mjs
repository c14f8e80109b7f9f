// WebKit (WebKitGTK over WebDriver): page views (CONTRACT §3): one at start, one per SPA navigation
// that changes the path (pushState, popstate; not replaceState to the same path, not a hash change),
// and one on a back/forward-cache restore. WebKit keeps pages in its back/forward cache on a
// navigation (no switch needed, unlike Playwright's Chromium; `Cache-Control: no-store` on plain
// http does not keep a page out) and fires `pagehide` before `visibilitychange` → hidden, then on
// the way back `visibilitychange` → visible before `pageshow`: the reverse of Chromium both ways.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { closeWebKit, launchWebKit, received, sleep, waitForEvents, waitForUrl, waitInPage, withFixture } from './harness.mjs'

/** After the last expected page view, how long to watch for one too many. */
const QUIET_MS = 500

let webkit
before(async () => {
  webkit = await launchWebKit()
})
after(() => closeWebKit(webkit))

/** Waits until `window.atrack` is the live client (the async bundle replaced the stub). */
const live = (page) => waitInPage(page, () => typeof window.atrack?.track == 'function' && !window.atrack.q, [], { what: 'the live client' })

/** Resolves when everything tracked so far reached the collector (or nothing more can be sent). */
const flush = (page) => waitInPage(page, () => window.atrack.flush().then(() => true), [], { what: 'flush()' })

/** The paths of the page views the collector accepted, in arrival order. */
const viewPaths = (collector) => received(collector, { event: 'page_view' }).map((r) => r.body.attributes.path)

test('SPA page views: a pushState and each popstate (back, forward) send one; replaceState to the same path and a hash change none', { timeout: 60_000 }, (t) =>
  withFixture(t, webkit, async ({ page, site, collector }) => {
    await page.goto(site.url('/app/start'))
    await live(page)
    await waitForEvents(collector, 1, { filter: { event: 'page_view' } })

    // each step waits for its page view, so arrival order is step order
    await page.click('a[href="/app/pricing"]') // the page's router: history.pushState
    await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
    await page.evaluate(() => history.replaceState({}, '', '/app/pricing?tab=2')) // same path: none
    await page.evaluate(() => history.back()) // popstate back to /app/start
    await waitForUrl(page, site.url('/app/start'))
    await waitForEvents(collector, 3, { filter: { event: 'page_view' } })
    await page.evaluate(() => history.forward()) // popstate forward to /app/pricing?tab=2
    await waitForUrl(page, site.url('/app/pricing?tab=2'))
    await waitForEvents(collector, 4, { filter: { event: 'page_view' } })
    await page.evaluate(() => (location.hash = '#section')) // hash only, no hash router: none
    await waitForUrl(page, site.url('/app/pricing?tab=2#section'))

    await flush(page)
    await sleep(QUIET_MS)
    assert.deepEqual(viewPaths(collector), ['/app/start', '/app/pricing', '/app/start', '/app/pricing'])
    const [, pushed, back, forward] = received(collector, { event: 'page_view' })
    assert.equal(pushed.body.attributes.url, site.url('/app/pricing'))
    assert.equal(pushed.body.attributes.referrer, site.url('/app/start'), 'an SPA page view has the previous URL as its referrer')
    assert.equal(back.body.attributes.url, site.url('/app/start'))
    assert.equal(forward.body.attributes.url, site.url('/app/pricing?tab=2'))
    assert.equal(received(collector, { path: '/init' }).length, 1)
    assert.equal(new Set(received(collector).map((r) => r.body.uuid)).size, 1)
  }),
)

for (const next of ['/ac-other.html', '/script-tag.html']) {
  test(`back/forward cache: leaving (for ${next}) fires pagehide before visibilitychange; the restore sends one more page view`, { timeout: 60_000 }, (t) =>
    withFixture(t, webkit, async ({ page, site, collector }) => {
      const start = site.url('/ac-links.html')
      await page.goto(start)
      await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
      await flush(page)
      await page.evaluate(() => {
        window.lifecycle = []
        window.addEventListener('pagehide', (e) => window.lifecycle.push('pagehide persisted=' + e.persisted))
        window.addEventListener('pageshow', (e) => window.lifecycle.push('pageshow persisted=' + e.persisted))
        document.addEventListener('visibilitychange', () => window.lifecycle.push('visibilitychange ' + document.visibilityState))
      })

      // to a same-site page without the SDK, or with it: the SDK's Web Lock must not keep the page
      // out of the back/forward cache when the next page's SDK looks at the locks
      await page.goto(site.url(next))
      if (next == '/script-tag.html') await waitForEvents(collector, 2, { filter: { event: 'page_view' } })
      await page.back() // a back/forward-cache restore: no new document, no load event
      await waitForUrl(page, start)
      const restored = (r) => r.body.event == 'page_view' && r.body.attributes.path == '/ac-links.html'
      await waitForEvents(collector, 2, { filter: restored })

      // the same document came back (pageshow persisted), it was not loaded again
      assert.deepEqual(await page.evaluate(() => window.shows), [false, true])
      const lifecycle = await page.evaluate(() => window.lifecycle)
      t.diagnostic(`lifecycle: ${JSON.stringify(lifecycle)}`)
      // WebKit's order both ways (Chromium: visibilitychange first on the way out, pageshow first back)
      assert.deepEqual(lifecycle, ['pagehide persisted=true', 'visibilitychange hidden', 'visibilitychange visible', 'pageshow persisted=true'])

      await flush(page)
      await sleep(QUIET_MS)
      assert.equal(received(collector, restored).length, 2, 'one page view at load, one at the restore')
      const [, again] = received(collector, restored)
      assert.equal(again.body.attributes.url, start)
      assert.equal(received(collector, { path: '/init' }).length, 1, 'a restore is not a new visit')
    }),
  )
}
