// WebKit (WebKitGTK over WebDriver): no event lost to a page exit (CONTRACT §4). 20 events are
// tracked and the page is left at once, by navigation to another origin or by closing the tab. The
// page left to has no SDK, so nothing can rescue a lost message from the persisted queue: what
// arrives is what the leaving page itself delivered (a fetch as each message is queued, sendBeacon
// for what is still pending at exit). WebKit fires `pagehide` before `visibilitychange` on a
// navigation, the reverse of Chromium (platform-facts.md, "WebKit"): the drain must work in either.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { byTransport, closeWebKit, distinctIds, lateDuplicates, launchWebKit, range, waitForCount, waitForEvents, waitForUrl, withFixture } from './harness.mjs'

const N = 20
const WAIT_MS = 10_000

let webkit
before(async () => {
  webkit = await launchWebKit()
})
after(() => closeWebKit(webkit))

/** Loads the SDK page and waits until its start-up messages arrived, so only the exit is tested. */
async function openSdkPage(page, site, collector) {
  await page.goto(site.url('/script-tag.html'))
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
}

/** The exit events that arrived: distinct messageIds, and the set of `i` values. */
function arrived(collector, name) {
  const records = collector.events({ event: name })
  return { records, ids: distinctIds(records), is: new Set(records.map((r) => r.body.attributes.i)) }
}

test(`exit by navigation to another origin: ${N} events tracked right before location.href = … all arrive, once`, { timeout: 60_000 }, (t) =>
  withFixture(t, webkit, async ({ page, site, elsewhere, collector, state }) => {
    await openSdkPage(page, site, collector)
    elsewhere.page('/no-sdk.html', '<!doctype html><title>no sdk</title><p>another origin, without the SDK</p>')
    const next = elsewhere.url('/no-sdk.html')
    await page.evaluate(
      (n, url) => {
        for (let i = 0; i < n; i++) window.atrack.track('exit_nav', { i })
        location.href = url
      },
      N,
      next,
    )
    await waitForUrl(page, next)

    const got = await waitForCount(() => arrived(collector, 'exit_nav').ids, N, WAIT_MS)
    const duplicates = await lateDuplicates(state.collectors)
    const { records, is } = arrived(collector, 'exit_nav')
    t.diagnostic(`exit_nav: ${got}/${N} distinct arrived, by transport ${JSON.stringify(byTransport(records))}`)
    assert.equal(got, N, `${got} of ${N} exit_nav events arrived within ${WAIT_MS} ms`)
    assert.deepEqual([...is].sort((a, b) => a - b), range(N))
    assert.equal(records.length, N, 'each event stored once')
    assert.deepEqual(duplicates, [], 'no message sent twice (duplicate POSTs: time, path, messageId, transport, status)')
  }),
)

test(`exit by closing the tab: ${N} events tracked right before the tab is closed all arrive, once`, { timeout: 60_000 }, (t) =>
  withFixture(t, webkit, async ({ page, site, collector, state }) => {
    // the session's first tab stays open (closing the last one would end the session); the SDK page
    // gets a tab of its own, which is then closed as a user closes a tab
    const keeper = await page.windowHandle()
    const tab = await page.newWindow()
    await page.switchTo(tab)
    await openSdkPage(page, site, collector)

    await page.evaluate((n) => {
      for (let i = 0; i < n; i++) window.atrack.track('exit_close', { i })
    }, N)
    const left = await page.closeWindow()
    assert.deepEqual(left, [keeper], 'only the SDK tab was closed')
    await page.switchTo(keeper)

    const got = await waitForCount(() => arrived(collector, 'exit_close').ids, N, WAIT_MS)
    const duplicates = await lateDuplicates(state.collectors)
    const { records, is } = arrived(collector, 'exit_close')
    t.diagnostic(`exit_close: ${got}/${N} distinct arrived, by transport ${JSON.stringify(byTransport(records))}`)
    assert.equal(got, N, `${got} of ${N} exit_close events arrived within ${WAIT_MS} ms of closing the tab`)
    assert.deepEqual([...is].sort((a, b) => a - b), range(N))
    assert.equal(records.length, N, 'each event stored once')
    assert.deepEqual(duplicates, [], 'no message sent twice (duplicate POSTs: time, path, messageId, transport, status)')
  }),
)
