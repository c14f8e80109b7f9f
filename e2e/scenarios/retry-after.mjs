// Throttling (CONTRACT §4): a 429 with `Retry-After: 2` is honoured before the next try, measured
// at the collector from the refused request to the accepted one.
import assert from 'node:assert/strict'
import { waitForEvents } from '../records.mjs'
import { lateDuplicates } from '../harness.mjs'
import { openSdkPage } from './steps.mjs'

export default {
  id: 'retry-after',
  fault: 'throttled (429, Retry-After)',
  title: 'a 429 with Retry-After: 2 is honoured: the event arrives, once, 2 s later',
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const tab = await browser.open()
    await openSdkPage(tab, world)
    await waitForEvents(world.collector, 1, { filter: { path: '/init' } })
    world.collector.fail({ status: 429, count: 1, retryAfter: '2', paths: ['/event'] })
    await tab.evaluate(() => window.atrack.track('throttled'))
    const [accepted] = await waitForEvents(world.collector, 1, { filter: { event: 'throttled' } })
    const duplicates = await lateDuplicates(world)
    report({ sent: 1, delivered: world.collector.events({ event: 'throttled' }).length, duplicates: duplicates.length })
    const refused = world.collector.requests().filter((r) => r.injected)
    const ok = world.collector.requests().filter((r) => r.status == 204 && r.messageId == accepted.body.messageId)
    assert.deepEqual([refused.length, ok.length], [1, 1])
    const waited = Date.parse(ok[0].at) - Date.parse(refused[0].at)
    assert.ok(waited >= 1_950 && waited < 4_000, `waited ${waited} ms after the 429`)
    assert.deepEqual(duplicates, [])
  },
}
