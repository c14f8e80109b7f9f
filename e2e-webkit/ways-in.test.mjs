// WebKit (WebKitGTK over WebDriver): the script-tag way in and the pre-load stub (CONTRACT §1),
// the checks of e2e/ways-in.spec.ts in Chromium. Pages on http://localhost, the collector on
// http://127.0.0.1 (cross-site). This worker's MiniBrowser runs with the fr_FR locale and the
// America/New_York time zone, so the captured context cannot be a default that merely matches.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { assertNewVisitorInit, closeWebKit, distinctIds, eventNames, heldBundle, launchWebKit, localeEnv, pageFile, received, waitForCount, waitForEvents, waitForUrl, waitInPage, withFixture } from './harness.mjs'
import { LIBRARY } from '../e2e/records.mjs'

const TIME_ZONE = 'America/New_York'

let webkit
/** The locale MiniBrowser reports: fr-FR when the locale could be compiled here (see localeEnv). */
let locale = 'fr-FR'
before(async () => {
  const env = localeEnv('fr_FR')
  if (!env) locale = null
  webkit = await launchWebKit({ env: env ?? {} })
})
after(() => closeWebKit(webkit))

test('script tag: auto-init sends /init and a first page_view carrying UTM, click id, referrer, locale and time zone', { timeout: 60_000 }, (t) =>
  withFixture(
    t,
    webkit,
    async ({ page, site, elsewhere, collector }) => {
      // the visitor comes from a page on another site, whose policy lets its full URL be the referrer
      const landing = site.url('/script-tag.html?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_term=shoes&utm_content=hero&gclid=abc123')
      elsewhere.page('/from.html', `<!doctype html><meta name="referrer" content="unsafe-url"><title>from</title><a id="go" href="${landing}">go</a>`)
      const from = elsewhere.url('/from.html?q=atrack')
      await page.goto(from)
      await page.click('#go')
      await waitForUrl(page, landing)
      if (!locale) {
        locale = await page.evaluate(() => navigator.language)
        t.diagnostic(`the fr_FR locale could not be compiled here: expecting navigator.language (${locale})`)
      }

      const [init] = await waitForEvents(collector, 1, { filter: { path: '/init' } })
      const [view] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
      assertNewVisitorInit(assert, init)

      assert.deepEqual(Object.keys(view.body).sort(), ['attributes', 'context', 'event', 'messageId', 'sdkVersion', 'timestamp', 'uuid'])
      assert.equal(view.body.uuid, init.body.uuid)
      assert.notEqual(view.body.messageId, init.body.messageId)
      assert.deepEqual(view.body.attributes, { url: landing, path: '/script-tag.html', title: 'Script tag fixture', referrer: from })
      assert.equal(new Date(view.body.timestamp).toISOString(), view.body.timestamp)

      // the context of both: the page's campaign, where the visitor came from, the browser's locale
      for (const [name, record] of [['/init', init], ['page_view', view]]) {
        const ctx = record.body.context
        assert.deepEqual(ctx.utm, { source: 'google', medium: 'cpc', campaign: 'spring', term: 'shoes', content: 'hero' }, `${name} context.utm`)
        assert.deepEqual(ctx.clickIds, { gclid: 'abc123' }, `${name} context.clickIds`)
        assert.deepEqual(ctx.referrer, { url: from, host: '127.0.0.1', type: 'paid' }, `${name} context.referrer`)
        assert.equal(ctx.locale, locale, `${name} context.locale`)
        assert.equal(ctx.timezone, TIME_ZONE, `${name} context.timezone`)
        assert.deepEqual(ctx.library, LIBRARY, `${name} context.library`)
        assert.equal(ctx.isBot, true, `${name}: WebKit under WebDriver sets navigator.webdriver, the SDK must flag it`)
        assert.match(ctx.userAgent, /AppleWebKit\/.* Safari\//, `${name} context.userAgent`)
        assert.equal(typeof ctx.sessionId, 'string', `${name} context.sessionId`)
      }
      assert.deepEqual(
        { url: view.body.context.page?.url, path: view.body.context.page?.path, title: view.body.context.page?.title },
        { url: landing, path: '/script-tag.html', title: 'Script tag fixture' },
      )
      assert.equal(view.body.context.attribution?.initial?.type, 'paid')

      // the global is the live client, and the inline handler reaches it
      assert.equal(await page.evaluate(() => typeof window.atrack.track == 'function' && !window.atrack.q), true)
      await page.click('#cta')
      const [click] = await waitForEvents(collector, 1, { filter: { event: 'cta_clicked' } })
      assert.deepEqual(click.body.attributes, { plan: 'pro' })
      assert.equal(click.body.uuid, init.body.uuid)

      // exactly one of each, by distinct messageId
      assert.equal(distinctIds(collector.events({ path: '/init' })), 1)
      assert.equal(distinctIds(collector.events({ event: 'page_view' })), 1)
      assert.equal(distinctIds(collector.events({ event: 'cta_clicked' })), 1)
    },
    { args: [`--time-zone=${TIME_ZONE}`] },
  ),
)

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

test('pre-load stub: calls made before the bundle arrived (inline handler included) are replayed in order after auto-init', { timeout: 60_000 }, (t) =>
  withFixture(
    t,
    webkit,
    async ({ page, site, collector, state }) => {
      // e2e/pages/stub.html, with its bundle served by a server that holds it until released
      const bundle = await heldBundle()
      state.cleanups.push(bundle.close)
      const html = readFileSync(pageFile('stub.html'), 'utf8')
      assert.ok(html.includes('src="/dist/atrack.min.js"'))
      site.page('/stub-held.html', html.replace('<head>', `<head>\n${RECORDER}`).replace('src="/dist/atrack.min.js"', `src="${bundle.url}"`))

      // page load strategy 'none': WebKitWebDriver would wait for the load event, which the held
      // async bundle delays (with 'eager' too); so wait for the parsed document here
      await page.goto(site.url('/stub-held.html'))
      await waitInPage(page, () => location.pathname == '/stub-held.html' && document.readyState != 'loading' && Array.isArray(window.atrack?.q), [], {
        what: 'the stub page parsed, the stub in place',
      })
      assert.equal(await waitForCount(bundle.requested, 1, 5_000), 1, 'the page asked for the bundle (once)')
      await page.click('#cta') // the stub takes it
      assert.deepEqual(
        await page.evaluate(() => window.atrack.q.map((call) => call[0])),
        ['track', 'setAttributes', 'track', 'track'],
        'four calls wait in the stub',
      )
      assert.equal(collector.requests().length, 0, 'nothing sent before the bundle arrived')
      const heldUntil = await page.evaluate(() => Date.now())
      bundle.release()

      await waitForEvents(collector, 4, { filter: { path: '/event' } })
      await waitForEvents(collector, 1, { filter: { path: '/attributes' } })
      await waitInPage(page, () => window.atrack.flush().then(() => true), [], { what: 'flush()' })
      const issued = await page.evaluate(() => window.issued)
      const names = issued.map(([path, event]) => (path == '/event' ? event : path))
      assert.deepEqual(names, ['/init', 'page_view', 'early_one', '/attributes', 'early_two', 'cta_clicked'], 'the order the page sent them in')
      // what the page sent is what the collector stored, each once
      const stored = new Map(received(collector).map((r) => [r.body.messageId, r]))
      assert.deepEqual(issued.map(([, , id]) => (stored.has(id) ? eventNames([stored.get(id)])[0] : `not stored: ${id}`)), names)
      assert.equal(received(collector).length, names.length)
      // each call is fixed when it was made to the snippet: its attributes (the page changed the
      // object afterwards) and its time, not the replay's
      assert.deepEqual(received(collector, { event: 'early_one' })[0].body.attributes, { n: 1 })
      const time = (event, i = 0) => Date.parse(received(collector, { event })[i].body.timestamp)
      for (const event of ['early_one', 'early_two', 'cta_clicked']) {
        assert.ok(time(event) <= heldUntil, `${event} carries the time of its call (${time(event)} > ${heldUntil})`)
      }
      assert.ok(time('page_view') <= time('early_one'), 'the visit starts at the first call: its page view is first in time')
      assert.deepEqual(received(collector, { event: 'early_two' })[0].body.attributes, { n: 2 })
      assert.deepEqual(received(collector, { event: 'cta_clicked' })[0].body.attributes, { plan: 'pro' })
      const attributes = received(collector, { path: '/attributes' })[0].body
      assert.equal(attributes.mode, 'merge')
      assert.deepEqual(attributes.attributes, { plan: 'trial' })

      // after the swap the same inline handler goes straight to the live client
      await page.click('#cta')
      await waitForEvents(collector, 2, { filter: { event: 'cta_clicked' } })
      assert.ok(time('cta_clicked', 1) > heldUntil, 'a call to the live client takes its own time')
      assert.deepEqual(await page.evaluate(() => window.atrack.getUser().attributes), { plan: 'trial' })
    },
    { pageLoadStrategy: 'none' },
  ),
)
