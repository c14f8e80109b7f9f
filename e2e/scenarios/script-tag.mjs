// The script-tag way in (CONTRACT §1, §3): auto-init sends `/init` and a first `page_view` with
// the contract's shape, carrying UTM, click id, referrer, locale and time zone; the inline
// handler reaches the live client. Each lane sets its browser to fr-FR and America/New_York, so
// the captured context cannot be a default that merely matches.
import assert from 'node:assert/strict'
import { lateDuplicates, waitForUrl } from '../harness.mjs'
import { LIBRARY, assertNewVisitorInit, distinctIds, waitForEvents } from '../records.mjs'

export default {
  id: 'script-tag',
  fault: 'script tag, first visit',
  title: 'auto-init sends /init and a first page_view carrying UTM, click id, referrer, locale and time zone; #cta reaches the live client',
  timeoutMs: 60_000,
  async run({ browser, world, report, expect }) {
    const { site, elsewhere, collector } = world
    // the visitor comes from a page on another site, whose policy lets its full URL be the referrer
    const landing = site.url('/script-tag.html?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_term=shoes&utm_content=hero&gclid=abc123')
    elsewhere.page('/from.html', `<!doctype html><meta name="referrer" content="unsafe-url"><title>from</title><a id="go" href="${landing}">go</a>`)
    const from = elsewhere.url('/from.html?q=atrack')
    const tab = await browser.open()
    await tab.goto(from)
    await tab.click('#go')
    await waitForUrl(tab, landing)
    const [init] = await waitForEvents(collector, 1, { filter: { path: '/init' } })
    const [view] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
    await tab.click('#cta')
    const [click] = await waitForEvents(collector, 1, { filter: { event: 'cta_clicked' } })
    const duplicates = await lateDuplicates(world)
    report({ sent: 3, delivered: collector.events().length, duplicates: duplicates.length })

    assertNewVisitorInit(assert, init)
    assert.equal(init.transport, 'fetch', 'while the page lives, messages go by fetch')
    assert.deepEqual(Object.keys(view.body).sort(), ['attributes', 'context', 'event', 'messageId', 'sdkVersion', 'timestamp', 'uuid'])
    assert.equal(view.body.uuid, init.body.uuid)
    assert.notEqual(view.body.messageId, init.body.messageId)
    assert.deepEqual(view.body.attributes, { url: landing, path: '/script-tag.html', title: 'Script tag fixture', referrer: from })
    assert.equal(new Date(view.body.timestamp).toISOString(), view.body.timestamp)
    const locale = expect.locale ?? (await tab.evaluate(() => navigator.language))
    for (const [name, record] of [['/init', init], ['page_view', view]]) {
      const ctx = record.body.context
      assert.deepEqual(ctx.utm, { source: 'google', medium: 'cpc', campaign: 'spring', term: 'shoes', content: 'hero' }, `${name} context.utm`)
      assert.deepEqual(ctx.clickIds, { gclid: 'abc123' }, `${name} context.clickIds`)
      assert.deepEqual(ctx.referrer, { url: from, host: '127.0.0.1', type: 'paid' }, `${name} context.referrer`)
      assert.equal(ctx.locale, locale, `${name} context.locale`)
      assert.equal(ctx.timezone, expect.timeZone, `${name} context.timezone`)
      assert.deepEqual(ctx.library, LIBRARY, `${name} context.library`)
      assert.equal(ctx.isBot, true, `${name}: a browser under automation sets navigator.webdriver, the SDK must flag it`)
      assert.match(ctx.userAgent, expect.userAgent, `${name} context.userAgent`)
      assert.equal(typeof ctx.sessionId, 'string', `${name} context.sessionId`)
    }
    const page = view.body.context.page
    assert.deepEqual({ url: page?.url, path: page?.path, title: page?.title }, { url: landing, path: '/script-tag.html', title: 'Script tag fixture' })
    assert.equal(view.body.context.attribution?.initial?.type, 'paid')
    assert.deepEqual(click.body.attributes, { plan: 'pro' })
    assert.equal(click.body.uuid, init.body.uuid)
    for (const filter of [{ path: '/init' }, { event: 'page_view' }, { event: 'cta_clicked' }]) assert.equal(distinctIds(collector.events(filter)), 1, JSON.stringify(filter))
    assert.deepEqual(duplicates, [])
    assert.deepEqual((await tab.errors()) ?? [], [], 'no error in the page')
  },
}
