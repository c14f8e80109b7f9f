// No CORS preflight (CONTRACT §3): the key rides in the query and the JSON goes as text/plain, so
// a cross-site collector gets POSTs and never an OPTIONS, by fetch while the page lives and by
// sendBeacon at exit.
import assert from 'node:assert/strict'
import { N, expectEachOnce, openSdkPage, trackBurst, trackThenLeave } from './steps.mjs'

export default {
  id: 'no-preflight',
  fault: 'no preflight',
  title: `/init, the page view and ${N} events, then ${N} more at exit: only POSTs, key in the query, text/plain, no OPTIONS`,
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const { collector } = world
    const tab = await browser.open()
    await openSdkPage(tab, world)
    await trackBurst(tab, 'plain')
    await expectEachOnce(world, () => undefined, 'plain')
    world.elsewhere.page('/no-sdk.html', '<!doctype html><title>no sdk</title>')
    await trackThenLeave(tab, 'plain_exit', world.elsewhere.url('/no-sdk.html'))
    await expectEachOnce(world, report, 'plain_exit')
    const requests = collector.requests()
    assert.deepEqual(requests.filter((r) => r.method != 'POST').map((r) => `${r.method} ${r.path}`), [], 'no preflight, nothing but POSTs')
    assert.equal(requests.length, 2 + 2 * N, 'one POST per message')
    for (const r of requests) {
      assert.equal(r.keySource, 'query', `${r.path} ${r.messageId}: the key in the query`)
      assert.match(r.contentType, /^text\/plain/, `${r.path} ${r.messageId}: a CORS-safelisted content type`)
    }
  },
}
