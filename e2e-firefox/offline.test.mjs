// Firefox ESR (puppeteer-core over WebDriver BiDi): offline periods and outages lose nothing
// (CONTRACT §4: "page reloads, crashes and offline periods lose nothing that was queued").
//
// Two ways to be "down", because in this Firefox (153 ESR) BiDi offline emulation cannot carry a
// reload:
// - `page.setOfflineMode(true)` (and `emulateNetworkConditions({ offline: true })`) work over BiDi:
//   navigator.onLine turns false, `offline`/`online` fire, fetch fails. But a reload while
//   offline fails with NS_ERROR_OFFLINE, even when request interception answers the document.
//   So the first test tracks offline, hides the page (the exit drain runs), and comes back online
//   in the same page. Measured here: under this emulation sendBeacon returns true and the beacon
//   never arrives, not even after going back online, as with a real outage (platform-facts.md).
// - For "reload while down", the collector itself is down: it is closed, and later a new one is
//   started on the SAME port and data dir (so its de-duplication by messageId survives). That is
//   "the server is unreachable", with navigator.onLine staying true and no `online` event: the SDK
//   must come back by its own retry timer.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { closeFirefox, byTransport, distinctIds, launchFirefox, newCollector, retryAddressInUse, sleep, waitForCount, waitForEvents, withFixture } from './harness.mjs'

const N = 20

let browser
before(async () => {
  browser = await launchFirefox()
})
after(() => closeFirefox(browser))

/** How long to keep watching after the last expected arrival, so a late duplicate is seen. */
const LATE_DUPLICATE_MS = 1_500

/** Accepted messages over all collectors, and how many duplicate sends the collectors dropped. */
function tally(collectors, name) {
  const records = collectors.at(-1).events({ event: name }) // the last one reloaded the data dir: it has everything
  return {
    records,
    ids: distinctIds(records),
    is: new Set(records.map((r) => r.body.attributes.i)),
    droppedDuplicates: collectors.reduce((n, c) => n + c.requests().filter((r) => r.duplicate).length, 0),
  }
}

/**
 * POSTs the collectors answered as duplicates (a messageId already stored). The store keeps each
 * messageId once, so only the request log shows that a message was sent twice.
 */
function duplicateRequests(collectors) {
  return collectors.flatMap((c) => c.requests().filter((r) => r.method == 'POST' && r.duplicate))
}

/** Waits LATE_DUPLICATE_MS (less when a duplicate shows up first) and returns the duplicate POSTs. */
async function lateDuplicates(collectors) {
  await waitForCount(() => duplicateRequests(collectors).length, 1, LATE_DUPLICATE_MS)
  return duplicateRequests(collectors).map((r) => `${r.at.slice(11, 23)} ${r.path} ${r.messageId} ${r.keySource == 'query' ? 'beacon' : 'fetch'} ${r.status}`)
}

/**
 * A collector on the port (and data dir) of one just closed. The port can still be held for a
 * moment, or taken by an outgoing connection's ephemeral port: EADDRINUSE is retried, bounded.
 */
const restartCollector = ({ port, dataDir }) => retryAddressInUse(() => newCollector({ port, dataDir }))

test(`offline (setOfflineMode, navigator.onLine false): ${N} events tracked offline arrive once, after going back online`, { timeout: 30_000 }, (t) =>
  withFixture(t, browser, async ({ context, page, site, collector, state }) => {
    await page.goto(site.url('/script-tag.html'))
    await waitForEvents(collector, 1, { filter: { event: 'page_view' } })

    await page.setOfflineMode(true)
    assert.equal(await page.evaluate(() => navigator.onLine), false, 'BiDi offline emulation reached the page')
    await page.evaluate((n) => {
      for (let i = 0; i < n; i++) window.atrack.track('offline_evt', { i })
    }, N)
    // Hide the page while offline (another tab in front): the SDK's exit drain runs, and must not
    // hand anything to sendBeacon, which under this emulation too says true and never sends.
    const other = await context.newPage()
    await other.bringToFront()
    assert.equal(await page.evaluate(() => document.visibilityState), 'hidden', 'the page was hidden while offline')
    await page.bringToFront()
    await other.close()
    await sleep(500)
    assert.equal(collector.events({ event: 'offline_evt' }).length, 0, 'nothing can arrive while offline')

    const backAt = Date.now()
    await page.setOfflineMode(false)
    const got = await waitForCount(() => distinctIds(collector.events({ event: 'offline_evt' })), N, 10_000)
    const waited = Date.now() - backAt
    const duplicates = await lateDuplicates(state.collectors)
    const { records, is, droppedDuplicates } = tally(state.collectors, 'offline_evt')
    t.diagnostic(`offline_evt: ${got}/${N} in ${waited} ms after online; by transport ${JSON.stringify(byTransport(records))}; duplicates dropped by the collector: ${droppedDuplicates}`)
    assert.equal(got, N, `${got} of ${N} offline events arrived within 10 s of going back online`)
    assert.deepEqual([...is].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i))
    assert.equal(records.length, N, 'each event stored once')
    assert.deepEqual(duplicates, [], 'no message sent twice (duplicate POSTs: time, path, messageId, transport, status)')
  }),
)

test(`collector down (server closed, navigator.onLine true): ${N} events tracked, page reloaded while down, all arrive once when it is back`, { timeout: 80_000 }, (t) =>
  withFixture(t, browser, async ({ page, site, collector, state }) => {
    await page.goto(site.url('/script-tag.html'))
    await waitForEvents(collector, 1, { filter: { event: 'page_view' } })

    await collector.close() // connection refused from now on
    await page.evaluate((n) => {
      for (let i = 0; i < n; i++) window.atrack.track('down_evt', { i })
    }, N)
    await sleep(500) // let the sends fail
    await page.reload() // still down: the leaving page must keep the messages, the new page must adopt them
    await sleep(1_000)
    assert.equal(await page.evaluate(() => typeof window.atrack?.track), 'function', 'the reloaded page runs the SDK')

    const revived = await restartCollector({ port: collector.port, dataDir: collector.dataDir })
    state.collectors.push(revived)
    const backAt = Date.now()
    const got = await waitForCount(() => distinctIds(revived.events({ event: 'down_evt' })), N, 65_000)
    const waited = Date.now() - backAt
    const duplicates = await lateDuplicates(state.collectors)
    const { records, is, droppedDuplicates } = tally(state.collectors, 'down_evt')
    t.diagnostic(`down_evt: ${got}/${N} in ${waited} ms after the collector came back; by transport ${JSON.stringify(byTransport(records))}; duplicates dropped by the collectors: ${droppedDuplicates}`)
    t.diagnostic(`requests to the revived collector: ${JSON.stringify(revived.requests().map((r) => `${r.at.slice(11, 23)} ${r.method} ${r.path} ${r.status}`))}`)
    assert.equal(got, N, `${got} of ${N} events tracked while the collector was down arrived within 65 s of it coming back`)
    assert.deepEqual([...is].sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i))
    assert.equal(records.length, N, 'each event stored once')
    assert.deepEqual(duplicates, [], 'no message sent twice (duplicate POSTs: time, path, messageId, transport, status)')
    // the reloaded page's own page_view arrives too
    await waitForEvents(revived, 2, { filter: { event: 'page_view' }, timeoutMs: 5_000 })
  }),
)
