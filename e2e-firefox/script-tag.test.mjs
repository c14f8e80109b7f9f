// Firefox ESR (puppeteer-core over WebDriver BiDi): the script-tag way in (CONTRACT §1), the same
// checks as the first test of e2e/ways-in.spec.ts in Chromium. The page is e2e/pages/script-tag.html
// on http://localhost, the collector on http://127.0.0.1 (cross-site). See harness.mjs.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { assertNewVisitorInit, closeFirefox, distinctIds, launchFirefox, waitForEvents, withFixture } from './harness.mjs'
import { LIBRARY } from '../e2e/records.mjs'


let browser
before(async () => {
  browser = await launchFirefox()
})
after(() => closeFirefox(browser))

test('script tag: auto-init sends /init and a page_view with the exact contract shape; #cta sends cta_clicked', { timeout: 30_000 }, (t) =>
  withFixture(t, browser, async ({ page, site, collector }) => {
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(site.url('/script-tag.html'))
    const inits = await waitForEvents(collector, 1, { filter: { path: '/init' } })
    const views = await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
    const [init] = inits
    const [view] = views

    assertNewVisitorInit(assert, init)
    assert.equal(init.transport, 'fetch')
    // no CORS preflight (CONTRACT §3): key in the query, JSON as text/plain, no OPTIONS at all
    assert.equal(init.keySource, 'query')
    assert.match(init.contentType, /^text\/plain/)
    assert.deepEqual(collector.requests().filter((r) => r.method == 'OPTIONS'), [])

    assert.deepEqual(Object.keys(view.body).sort(), ['attributes', 'context', 'event', 'messageId', 'sdkVersion', 'timestamp', 'uuid'])
    assert.equal(view.body.uuid, init.body.uuid)
    assert.deepEqual(view.body.attributes, { url: site.url('/script-tag.html'), path: '/script-tag.html', title: 'Script tag fixture' })
    assert.equal(new Date(view.body.timestamp).toISOString(), view.body.timestamp)
    const ctx = view.body.context
    assert.deepEqual(
      { url: ctx.page?.url, path: ctx.page?.path, title: ctx.page?.title },
      { url: site.url('/script-tag.html'), path: '/script-tag.html', title: 'Script tag fixture' },
    )
    assert.deepEqual(ctx.library, LIBRARY)
    assert.equal(ctx.referrer?.type, 'direct')
    assert.equal(ctx.isBot, true, 'Firefox under WebDriver BiDi sets navigator.webdriver: the SDK must flag it')
    assert.equal(typeof ctx.sessionId, 'string')
    assert.notEqual(view.body.messageId, init.body.messageId)

    // the global is the live client, and the inline handler reaches it
    assert.equal(await page.evaluate(() => typeof window.atrack.track == 'function' && !window.atrack.q), true)
    await page.click('#cta')
    const clicks = await waitForEvents(collector, 1, { filter: { event: 'cta_clicked' } })
    assert.deepEqual(clicks[0].body.attributes, { plan: 'pro' })
    assert.equal(clicks[0].body.uuid, init.body.uuid)

    // exactly one of each, by distinct messageId
    assert.equal(distinctIds(collector.events({ path: '/init' })), 1)
    assert.equal(distinctIds(collector.events({ event: 'page_view' })), 1)
    assert.equal(distinctIds(collector.events({ event: 'cta_clicked' })), 1)
    assert.deepEqual(errors, [])
  }),
)
