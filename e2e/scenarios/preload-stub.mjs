// The pre-load snippet (CONTRACT §1): calls made before the bundle arrived, an inline handler's
// included, wait in the stub and are replayed in order after auto-init, each with the time and
// attributes of its call. The bundle is held by a server of its own until released.
import assert from 'node:assert/strict'
import { heldBundle, lateDuplicates, pageHtml, waitInPage } from '../harness.mjs'
import { eventNames, waitForCount, waitForEvents } from '../records.mjs'
import { flush } from './steps.mjs'

/**
 * Records in `window.issued` each message the page hands to fetch or sendBeacon, in the order it
 * does so (`[path, event, messageId]`): parallel requests may reach the collector in another order.
 */
const RECORDER = `<script>
  window.issued = []
  ;(function () {
    function note(url, body) {
      var message = {}
      try { message = JSON.parse(body) } catch (e) {}
      window.issued.push([new URL(String(url), location.href).pathname, message.event || null, message.messageId || null])
    }
    var fetch = window.fetch
    window.fetch = function (url, init) { note(url, init && init.body); return fetch.apply(this, arguments) }
    var beacon = navigator.sendBeacon && navigator.sendBeacon.bind(navigator)
    if (beacon) navigator.sendBeacon = function (url, data) { note(url, typeof data == 'string' ? data : null); return beacon(url, data) }
  })()
</script>`

const ORDER = ['/init', 'page_view', 'early_one', '/attributes', 'early_two', 'cta_clicked']

export default {
  id: 'preload-stub',
  fault: 'pre-load snippet',
  title: 'calls made before the bundle arrived (an inline handler included) are replayed in order after auto-init, each fixed at its call',
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const { site, collector } = world
    const bundle = await heldBundle()
    world.cleanups.push(bundle.close)
    const html = pageHtml('stub.html')
    assert.ok(html.includes('src="/dist/atrack.min.js"'))
    site.page('/stub-held.html', html.replace('<head>', `<head>\n${RECORDER}`).replace('src="/dist/atrack.min.js"', `src="${bundle.url}"`))

    const tab = await browser.open()
    await tab.goto(site.url('/stub-held.html'), { until: 'parsed' }) // the held async bundle delays the load event
    await waitInPage(tab, () => Array.isArray(window.atrack?.q), [], { what: 'the stub in place' })
    assert.equal(await waitForCount(bundle.requested, 1, 5_000), 1, 'the page asked for the bundle (once)')
    await tab.click('#cta') // the stub takes it
    assert.deepEqual(await tab.evaluate(() => window.atrack.q.map((call) => call[0])), ['track', 'setAttributes', 'track', 'track'], 'four calls wait in the stub')
    assert.equal(collector.requests().length, 0, 'nothing sent before the bundle arrived')
    const heldUntil = await tab.evaluate(() => Date.now())
    bundle.release()

    await waitForEvents(collector, 4, { filter: { path: '/event' } })
    await waitForEvents(collector, 1, { filter: { path: '/attributes' } })
    await flush(tab)
    const duplicates = await lateDuplicates(world)
    report({ sent: ORDER.length, delivered: collector.events().length, duplicates: duplicates.length })
    const issued = await tab.evaluate(() => window.issued)
    const names = issued.map(([path, event]) => (path == '/event' ? event : path))
    assert.deepEqual(names, ORDER, 'the order the page sent them in')
    // what the page sent is what the collector stored, each once
    const stored = new Map(collector.events().map((r) => [r.body.messageId, r]))
    assert.deepEqual(issued.map(([, , id]) => (stored.has(id) ? eventNames([stored.get(id)])[0] : `not stored: ${id}`)), names)
    assert.equal(collector.events().length, names.length)
    assert.deepEqual(duplicates, [])
    // each call is fixed when it was made to the snippet: its attributes (the page changed the
    // object afterwards) and its time, not the replay's
    const first = (event) => collector.events({ event })[0].body
    const time = (event, i = 0) => Date.parse(collector.events({ event })[i].body.timestamp)
    assert.deepEqual(first('early_one').attributes, { n: 1 })
    assert.deepEqual(first('early_two').attributes, { n: 2 })
    assert.deepEqual(first('cta_clicked').attributes, { plan: 'pro' })
    for (const event of ['early_one', 'early_two', 'cta_clicked']) assert.ok(time(event) <= heldUntil, `${event} carries the time of its call (${time(event)} > ${heldUntil})`)
    assert.ok(time('page_view') <= time('early_one'), 'the visit starts at the first call: its page view is first in time')
    const attributes = collector.events({ path: '/attributes' })[0].body
    assert.equal(attributes.mode, 'merge')
    assert.deepEqual(attributes.attributes, { plan: 'trial' })
    assert.deepEqual(attributes.profile, {})

    // after the swap the same inline handler goes straight to the live client
    await tab.click('#cta')
    await waitForEvents(collector, 2, { filter: { event: 'cta_clicked' } })
    assert.ok(time('cta_clicked', 1) > heldUntil, 'a call to the live client takes its own time')
    assert.deepEqual(await tab.evaluate(() => window.atrack.getUser().attributes), { plan: 'trial' })
    assert.deepEqual((await tab.errors()) ?? [], [], 'no error in the page')
  },
}
