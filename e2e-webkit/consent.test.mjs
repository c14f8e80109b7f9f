// WebKit (WebKitGTK over WebDriver): consent (CONTRACT §2). With `data-consent="pending"` nothing
// is written to cookies or localStorage and nothing is sent; events wait in memory, and
// `setConsent('granted')` persists the uuid and sends what waited.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { closeWebKit, eventNames, launchWebKit, received, sleep, waitForEvents, waitInPage, withFixture } from './harness.mjs'

/** How long the pending page is watched for a write or a request that must not happen. */
const QUIET_MS = 1_000

let webkit
before(async () => {
  webkit = await launchWebKit()
})
after(() => closeWebKit(webkit))

/** Everything the page can see of its storage: cookies, localStorage and sessionStorage keys. */
const storage = (page) =>
  page.evaluate(() => ({
    cookie: document.cookie,
    local: Object.keys(localStorage).sort(),
    session: Object.keys(window.sessionStorage).sort(),
  }))

test('consent pending: no cookie, no storage key, no request; granted sends what waited and persists the uuid', { timeout: 60_000 }, (t) =>
  withFixture(t, webkit, async ({ page, site, collector }) => {
    await page.goto(site.url('/ac-consent.html'))
    await page.evaluate(() => {
      const a = window.atrack
      a.track('first', { n: 1 })
      a.track('second', { n: 2 })
      a.track('third', { n: 3 })
    })
    await sleep(QUIET_MS) // a negative: give a wrong write or send the time to happen
    assert.deepEqual(await storage(page), { cookie: '', local: [], session: [] })
    assert.deepEqual(await page.cookies(), [], 'no cookie at all, HttpOnly ones included (WebDriver sees every cookie)')
    assert.deepEqual(collector.requests(), [], 'nothing reached the collector, not even a preflight')

    await page.click('#accept') // atrack.setConsent('granted')
    await waitForEvents(collector, 3, { filter: (r) => ['first', 'second', 'third'].includes(r.body.event) })
    await waitInPage(page, () => window.atrack.flush().then(() => true), [], { what: 'flush()' })
    assert.deepEqual(eventNames(received(collector)).sort(), ['/init', 'first', 'page_view', 'second', 'third'])
    for (const [name, n] of [['first', 1], ['second', 2], ['third', 3]]) assert.deepEqual(received(collector, { event: name })[0].body.attributes, { n })
    const uuid = received(collector, { path: '/init' })[0].body.uuid
    assert.deepEqual([...new Set(received(collector).map((r) => r.body.uuid))], [uuid], 'one uuid on everything that waited')

    // granted: the uuid is stored now, in the cookie and in localStorage
    assert.equal(await page.evaluate(() => localStorage.getItem('atrack_uid')), uuid)
    const { cookie } = await storage(page)
    assert.ok(cookie.split('; ').includes('atrack_uid=' + uuid), `atrack_uid cookie written: ${cookie}`)
    const [jar] = (await page.cookies()).filter((c) => c.name == 'atrack_uid')
    assert.equal(jar?.value, uuid)
    assert.equal(jar?.sameSite, 'Lax')
  }),
)
