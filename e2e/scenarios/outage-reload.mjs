// An outage across a reload (CONTRACT §4: "page reloads, crashes and offline periods lose nothing
// that was queued"). The collector itself goes down: connections are refused, navigator.onLine
// stays true and no `online` event comes. The page is reloaded while it is down; a new collector
// on the same port and data dir comes back later, and the SDK must find it by its own retry timer.
import assert from 'node:assert/strict'
import { waitInPage } from '../harness.mjs'
import { waitForEvents } from '../records.mjs'
import { N, expectEachOnce, nextTask, openSdkPage, trackBurst } from './steps.mjs'

/** Full-jitter backoff from 1 s, doubling to 60 s: a few failures in, the next try is seconds away. */
const BACK_WAIT_MS = 65_000

export default {
  id: 'outage-reload',
  fault: 'outage across a reload',
  title: `collector down (connections refused): ${N} events tracked, the page reloaded while down, all arrive once when it is back`,
  timeoutMs: 120_000,
  async run({ browser, world, report }) {
    const tab = await browser.open()
    await openSdkPage(tab, world)
    const firstLoad = await tab.evaluate(() => performance.timeOrigin)
    await world.down()
    await trackBurst(tab, 'down_evt')
    // persisted (the queue lives in localStorage) while the sends were refused
    await waitInPage(tab, () => Object.keys(localStorage).some((k) => localStorage.getItem(k)?.includes('down_evt')), [], { what: 'down_evt stored in localStorage' })
    // A refused connection fails in a few ms and a visitor reloads seconds later, not within them: a
    // keepalive request still in flight at exit is the browser's (CONTRACT §4), not the queue's.
    await nextTask(tab, 500)
    await tab.reload()
    await waitInPage(tab, (before) => performance.timeOrigin != before && typeof window.atrack?.track == 'function', [firstLoad], { what: 'the reloaded page runs the SDK' })
    const posted = world.collector.requests().filter((r) => r.method == 'POST' && r.path == '/event')
    assert.equal(posted.length, 1, 'nothing but the first page_view reached the collector before it went down')

    await world.up()
    await expectEachOnce(world, report, 'down_evt', { timeoutMs: BACK_WAIT_MS })
    await waitForEvents(world.collector, 2, { filter: { event: 'page_view' }, timeoutMs: 10_000 }) // the reloaded page's own
  },
}
