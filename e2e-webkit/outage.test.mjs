// WebKit (WebKitGTK over WebDriver): an outage loses nothing (CONTRACT §4: "page reloads, crashes
// and offline periods lose nothing that was queued").
//
// No WebDriver command emulates offline in WebKitGTK (platform-facts.md, "WebKit"), so the outage
// is the collector itself going down: it is closed (connections refused, fetch rejects within a few
// ms; navigator.onLine stays true and no `online` event comes), and later a new one is started on
// the SAME port and data dir (so its de-duplication by messageId survives). The SDK must keep the
// messages across a reload while down and come back by its own retry timer.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  byTransport,
  closeWebKit,
  distinctIds,
  lateDuplicates,
  launchWebKit,
  range,
  restartCollector,
  waitForCount,
  waitForEvents,
  waitInPage,
  withFixture,
} from './harness.mjs'

const N = 20
/** The SDK's backoff is full jitter from 1 s, doubling to 60 s; a few failures into the outage the next try is seconds away. */
const BACK_WAIT_MS = 65_000

let webkit
before(async () => {
  webkit = await launchWebKit()
})
after(() => closeWebKit(webkit))

/** Accepted messages over all collectors (the last one reloaded the data dir: it has everything). */
function tally(collectors, name) {
  const records = collectors.at(-1).events({ event: name })
  return { records, is: new Set(records.map((r) => r.body.attributes.i)) }
}

test(`collector down (connections refused): ${N} events tracked, page reloaded while down, all arrive once when it is back`, { timeout: 120_000 }, (t) =>
  withFixture(t, webkit, async ({ page, site, collector, state }) => {
    await page.goto(site.url('/script-tag.html'))
    await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
    const firstLoad = await page.evaluate(() => performance.timeOrigin)

    await collector.close() // connection refused from now on
    await page.evaluate((n) => {
      for (let i = 0; i < n; i++) window.atrack.track('down_evt', { i })
    }, N)
    // the SDK persisted them (its queue lives in localStorage) while its sends were refused
    await waitInPage(page, () => Object.keys(localStorage).some((k) => localStorage.getItem(k)?.includes('down_evt')), [], { what: 'down_evt stored in localStorage' })
    // A refused connection fails in a few ms, and a visitor reloads seconds later, not within them: a
    // keepalive request still in flight when the page is left is the browser's (CONTRACT §4, like an
    // accepted beacon), not the queue's. So the reload comes once the sends have failed.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)))
    await page.reload() // still down: the leaving page must keep the messages, the new page must adopt them
    const reloaded = await waitInPage(page, (before) => performance.timeOrigin != before && typeof window.atrack?.track == 'function', [firstLoad], { what: 'the reloaded page runs the SDK' })
    assert.equal(reloaded, true)
    assert.equal(collector.requests().filter((r) => r.method == 'POST' && r.path == '/event').length, 1, 'nothing but the first page_view reached the collector before it went down')

    const revived = await restartCollector({ port: collector.port, dataDir: collector.dataDir })
    state.collectors.push(revived)
    const backAt = Date.now()
    const got = await waitForCount(() => distinctIds(revived.events({ event: 'down_evt' })), N, BACK_WAIT_MS)
    const waited = Date.now() - backAt
    const duplicates = await lateDuplicates(state.collectors)
    const { records, is } = tally(state.collectors, 'down_evt')
    t.diagnostic(`down_evt: ${got}/${N} in ${waited} ms after the collector came back; by transport ${JSON.stringify(byTransport(records))}`)
    t.diagnostic(`requests to the revived collector: ${JSON.stringify(revived.requests().map((r) => `${r.at.slice(11, 23)} ${r.method} ${r.path} ${r.status}${r.duplicate ? ' dup' : ''}`))}`)
    assert.equal(got, N, `${got} of ${N} events tracked while the collector was down arrived within ${BACK_WAIT_MS} ms of it coming back`)
    assert.deepEqual([...is].sort((a, b) => a - b), range(N))
    assert.equal(records.length, N, 'each event stored once')
    assert.deepEqual(duplicates, [], 'no message sent twice (duplicate POSTs: time, path, messageId, transport, status)')
    // the reloaded page's own page_view arrives too
    await waitForEvents(revived, 2, { filter: { event: 'page_view' }, timeoutMs: 10_000 })
  }),
)
