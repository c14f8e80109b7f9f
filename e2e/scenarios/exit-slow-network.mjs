// Exit on a slow network (CONTRACT §4): each request to the collector is in flight for a second, so
// the 20 sends are still under way when the tab is closed. A plain fetch dies with its page; a
// keepalive fetch or a beacon is the browser's and arrives. (On localhost without the wait, even a
// plain fetch finishes before the tab goes, and Firefox finished them after a navigation too.)
import assert from 'node:assert/strict'
import { N, expectEachOnce, nextTask, openSdkPage, trackBurst } from './steps.mjs'

/** How long the collector holds each request before reading it. */
const LATENCY_MS = 1_000

export default {
  id: 'exit-slow-network',
  fault: 'exit on a slow network',
  title: `${N} events tracked, the tab closed while each request is 1 s in flight: all arrive, once`,
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const keeper = await browser.open() // the session outlives the closed tab
    const tab = await browser.open()
    await openSdkPage(tab, world)
    world.collector.slow(LATENCY_MS)
    await trackBurst(tab, 'exit_slow')
    await nextTask(tab, 100) // the sends are under way
    await tab.close()
    await expectEachOnce(world, report, 'exit_slow', { timeoutMs: 15_000 })
    assert.equal(typeof (await keeper.url()), 'string', 'the other tab is still there')
  },
}
