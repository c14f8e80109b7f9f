// A server outage (CONTRACT §4): the collector answers 503 for 5 s. Everything arrives, once, and
// the requests spent stay bounded: the first wave, then one probe per backoff step, not a storm.
import assert from 'node:assert/strict'
import { N, expectEachOnce, openSdkPage, trackBurst } from './steps.mjs'

export default {
  id: 'outage-503',
  fault: 'server outage (503 for 5 s)',
  title: `the collector answers 503 for 5 s: ${N} events arrive once and the request count stays bounded`,
  timeoutMs: 90_000,
  async run({ browser, world, report }) {
    const tab = await browser.open()
    await openSdkPage(tab, world)
    const posts = () => world.collector.requests().filter((r) => r.method == 'POST').length
    const before = posts()
    world.collector.fail({ status: 503, forMs: 5_000 })
    await trackBurst(tab, 'outage')
    // full-jitter backoff may wait up to 16 s after a 5 s outage
    await expectEachOnce(world, report, 'outage', { timeoutMs: 45_000 })
    assert.ok(world.collector.requests().some((r) => r.injected), 'the first wave ran into the outage')
    // N deliveries, plus the first wave and one probe per backoff step during the outage
    assert.ok(posts() - before <= N + 30, `${posts() - before} POSTs for ${N} events`)
  },
}
