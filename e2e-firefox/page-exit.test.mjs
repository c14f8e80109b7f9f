// Firefox ESR (puppeteer-core over WebDriver BiDi): no event lost to a page exit (CONTRACT §4).
// 20 events are tracked and the page is left at once, by navigation or by closing the tab. The page
// left to has no SDK, so nothing can rescue a lost message from the persisted queue: what arrives
// is what the leaving page itself delivered (keepalive fetch as each message is queued, sendBeacon
// for what is still pending at exit). platform-facts.md: in Firefox, sending from `pagehide` on a
// tab close is mostly lost, sending right away always arrives.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { closeFirefox, byTransport, distinctIds, launchFirefox, waitForCount, waitForEvents, withFixture } from './harness.mjs'

const N = 20
const WAIT_MS = 10_000
/** How long to keep watching after the last expected arrival, so a late duplicate is seen. */
const LATE_DUPLICATE_MS = 1_500

let browser
before(async () => {
  browser = await launchFirefox()
})
after(() => closeFirefox(browser))

/** Loads the SDK page and waits until its start-up messages arrived, so only the exit is tested. */
async function openSdkPage(page, site, collector) {
  await page.goto(site.url('/script-tag.html'))
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
  // a page without the SDK to leave to (served from memory, no fixture file)
  site.page('/ff-no-sdk.html', '<!doctype html><title>no sdk</title><p>a page without the SDK</p>')
}

/**
 * Waits LATE_DUPLICATE_MS (less when a duplicate shows up first) and returns the POSTs the
 * collector answered as duplicates (a messageId already stored). The store keeps each messageId
 * once, so only the request log shows that a message was sent twice (e.g. keepalive and beacon).
 */
async function lateDuplicates(collector) {
  const duplicates = () => collector.requests().filter((r) => r.method == 'POST' && r.duplicate)
  await waitForCount(() => duplicates().length, 1, LATE_DUPLICATE_MS)
  return duplicates().map((r) => `${r.at.slice(11, 23)} ${r.path} ${r.messageId} ${r.keySource == 'query' ? 'beacon' : 'fetch'} ${r.status}`)
}

/** The exit events that arrived: distinct messageIds, and the set of `i` values. */
function arrived(collector, name) {
  const records = collector.events({ event: name })
  return { records, ids: distinctIds(records), is: new Set(records.map((r) => r.body.attributes.i)) }
}

test(`exit by navigation: ${N} events tracked right before location.href = … all arrive`, { timeout: 30_000 }, (t) =>
  withFixture(t, browser, async ({ page, site, collector }) => {
    await openSdkPage(page, site, collector)
    const next = site.url('/ff-no-sdk.html')
    await Promise.all([
      page.waitForNavigation({ timeout: WAIT_MS }),
      page.evaluate(
        (n, url) => {
          for (let i = 0; i < n; i++) window.atrack.track('exit_nav', { i })
          location.href = url
        },
        N,
        next,
      ),
    ])
    assert.equal(page.url(), next, 'the page did navigate away')

    const got = await waitForCount(() => arrived(collector, 'exit_nav').ids, N, WAIT_MS)
    const duplicates = await lateDuplicates(collector)
    const { records, is } = arrived(collector, 'exit_nav')
    t.diagnostic(`exit_nav: ${got}/${N} distinct arrived, by transport ${JSON.stringify(byTransport(records))}`)
    assert.equal(got, N, `${got} of ${N} exit_nav events arrived within ${WAIT_MS} ms`)
    assert.deepEqual([...is].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i))
    assert.deepEqual(duplicates, [], 'no message sent twice (duplicate POSTs: time, path, messageId, transport, status)')
  }),
)

test(`exit by closing the tab: ${N} events tracked right before page.close() all arrive`, { timeout: 30_000 }, (t) =>
  withFixture(t, browser, async ({ context, page, site, collector }) => {
    // a second tab in the same context, so closing the first closes neither the context nor the browser
    const keeper = await context.newPage()
    await keeper.goto(site.url('/ff-no-sdk.html')).catch(() => undefined)
    await openSdkPage(page, site, collector)

    await page.evaluate((n) => {
      for (let i = 0; i < n; i++) window.atrack.track('exit_close', { i })
    }, N)
    // One task later, as no person can close a tab inside the task of a click: the SDK sends in the
    // first task after track(), and Firefox drops what a page sends from pagehide on a tab close
    // (platform-facts); without this pause a loaded machine sometimes closed the tab first (0 of 20).
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)))
    await page.close()

    const got = await waitForCount(() => arrived(collector, 'exit_close').ids, N, WAIT_MS)
    const duplicates = await lateDuplicates(collector)
    const { records, is } = arrived(collector, 'exit_close')
    t.diagnostic(`exit_close: ${got}/${N} distinct arrived, by transport ${JSON.stringify(byTransport(records))}`)
    assert.equal(got, N, `${got} of ${N} exit_close events arrived within ${WAIT_MS} ms of closing the tab`)
    assert.deepEqual([...is].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i))
    assert.deepEqual(duplicates, [], 'no message sent twice (duplicate POSTs: time, path, messageId, transport, status)')
    assert.equal(keeper.isClosed(), false)
  }),
)
