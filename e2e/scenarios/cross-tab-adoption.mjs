// Cross-tab adoption (CONTRACT §4): a tab closed during an outage leaves its queue in
// localStorage; the next tab of the site adopts it, under a lock, and sends it once.
import assert from 'node:assert/strict'
import { waitInPage } from '../harness.mjs'
import { sleep } from '../records.mjs'
import { expectEachOnce, nextTask, openSdkPage, trackBurst } from './steps.mjs'

const COUNT = 5
/** How long the outage lasts after the first tab closed. */
const OUTLAST_MS = 1_000

export default {
  id: 'cross-tab-adoption',
  fault: 'cross-tab adoption',
  title: `two tabs: the first tracks ${COUNT} events during an outage and is closed; the second sends them, once`,
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const keeper = await browser.open() // the session outlives the closed tab
    const first = await browser.open()
    await openSdkPage(first, world)
    world.collector.fail({ status: 503 }) // until cleared
    await trackBurst(first, 'orphaned', COUNT)
    await waitInPage(first, () => Object.keys(localStorage).some((k) => localStorage.getItem(k)?.includes('orphaned')), [], { what: 'orphaned stored in localStorage' })
    await nextTask(first, 300)
    await first.close()
    // the outage outlasts the tab: a retry it had in flight as it closed fails too (were it let
    // through, the next tab would send it again: at-least-once, but not what this scenario tests)
    await sleep(OUTLAST_MS)
    assert.equal(world.collector.events({ event: 'orphaned' }).length, 0, 'nothing arrived during the outage')

    world.collector.fail({ status: 0 })
    const opened = new Date().toISOString()
    const second = await browser.open()
    await second.goto(world.site.url('/script-tag.html'))
    const records = await expectEachOnce(world, report, 'orphaned', { n: COUNT })
    // sent by the second tab, not by the first as it closed
    assert.deepEqual(records.filter((r) => r.transport != 'fetch' || r.receivedAt < opened).map((r) => `${r.receivedAt} ${r.transport}`), [])
    assert.equal(typeof (await keeper.url()), 'string')
  },
}
