// SPA page views (CONTRACT §3): one at start, one per navigation that changes the path (pushState,
// popstate), none for replaceState to the same path or a hash change. An SPA page view has the
// previous URL as its referrer.
import assert from 'node:assert/strict'
import { waitForUrl } from '../harness.mjs'
import { sleep, waitForEvents } from '../records.mjs'
import { flush, live } from './steps.mjs'

/** After the last expected page view, how long to watch for one too many. */
const QUIET_MS = 500

export default {
  id: 'spa-pageviews',
  fault: 'SPA navigation page views',
  title: 'a pushState and each popstate (back, forward) send one page view; replaceState to the same path and a hash change none',
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const { site, collector } = world
    const views = (n) => waitForEvents(collector, n, { filter: { event: 'page_view' } })
    const tab = await browser.open()
    await tab.goto(site.url('/app/start'))
    await live(tab)
    await views(1)
    // each step waits for its page view, so arrival order is step order
    await tab.click('a[href="/app/pricing"]') // the page's router: history.pushState
    await views(2)
    await tab.evaluate(() => history.replaceState({}, '', '/app/pricing?tab=2')) // same path: none
    await tab.evaluate(() => history.back()) // popstate back to /app/start
    await waitForUrl(tab, site.url('/app/start'))
    await views(3)
    await tab.evaluate(() => history.forward()) // popstate forward to /app/pricing?tab=2
    await waitForUrl(tab, site.url('/app/pricing?tab=2'))
    await views(4)
    await tab.evaluate(() => (location.hash = '#section')) // hash only, no hash router: none
    await waitForUrl(tab, site.url('/app/pricing?tab=2#section'))
    await flush(tab)
    await sleep(QUIET_MS)

    const received = collector.events({ event: 'page_view' })
    report({ sent: 4, delivered: received.length, duplicates: collector.requests().filter((r) => r.duplicate).length })
    assert.deepEqual(received.map((r) => r.body.attributes.path), ['/app/start', '/app/pricing', '/app/start', '/app/pricing'])
    const [, pushed, back, forward] = received
    assert.equal(pushed.body.attributes.url, site.url('/app/pricing'))
    assert.equal(pushed.body.attributes.referrer, site.url('/app/start'), 'an SPA page view has the previous URL as its referrer')
    assert.equal(back.body.attributes.url, site.url('/app/start'))
    assert.equal(forward.body.attributes.url, site.url('/app/pricing?tab=2'))
    assert.equal(collector.events({ path: '/init' }).length, 1)
    assert.equal(new Set(collector.events().map((r) => r.body.uuid)).size, 1)
  },
}
