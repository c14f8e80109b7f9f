// Consent (CONTRACT §2): with `data-consent="pending"` nothing is written to cookies or storage and
// nothing is sent; events wait in memory. `setConsent('granted')` persists the uuid and sends what
// waited; `optOut()` stops everything, also on the next page.
import assert from 'node:assert/strict'
import { eventNames, sleep, waitForEvents } from '../records.mjs'
import { lateDuplicates } from '../harness.mjs'
import { flush } from './steps.mjs'

/** How long the pending page is watched for a write or a request that must not happen. */
const QUIET_MS = 1_000
const WAITING = ['first', 'second', 'third']

/** Everything the page can see of its storage. */
const storage = (tab) => tab.evaluate(() => ({ cookie: document.cookie, local: Object.keys(localStorage).sort(), session: Object.keys(window.sessionStorage).sort() }))

export default {
  id: 'consent',
  fault: 'consent pending, then granted',
  title: 'consent pending: no cookie, no storage key, no request; granted sends what waited and stores the uuid; opted out stays silent',
  timeoutMs: 60_000,
  async run({ browser, world, report }) {
    const { collector } = world
    const tab = await browser.open()
    await tab.goto(world.site.url('/ac-consent.html'))
    await tab.evaluate(() => {
      window.atrack.track('first', { n: 1 })
      window.atrack.track('second', { n: 2 })
      window.atrack.track('third', { n: 3 })
    })
    await sleep(QUIET_MS) // a negative: give a wrong write or send the time to happen
    assert.deepEqual(await storage(tab), { cookie: '', local: [], session: [] })
    assert.deepEqual(await tab.cookies(), [], 'no cookie at all, HttpOnly ones included')
    assert.deepEqual(collector.requests(), [], 'nothing reached the collector, not even a preflight')

    await tab.click('#accept') // atrack.setConsent('granted')
    await waitForEvents(collector, 3, { filter: (r) => WAITING.includes(r.body.event) })
    await flush(tab)
    const duplicates = await lateDuplicates(world)
    report({ sent: WAITING.length, delivered: collector.events((r) => WAITING.includes(r.body.event)).length, duplicates: duplicates.length })
    assert.deepEqual(eventNames(collector.events()).sort(), ['/init', 'first', 'page_view', 'second', 'third'])
    for (const [name, n] of [['first', 1], ['second', 2], ['third', 3]]) assert.deepEqual(collector.events({ event: name })[0].body.attributes, { n })
    const uuid = collector.events({ path: '/init' })[0].body.uuid
    assert.deepEqual([...new Set(collector.events().map((r) => r.body.uuid))], [uuid], 'one uuid on everything that waited')
    assert.deepEqual(duplicates, [])
    // granted: the uuid is stored now, in the cookie and in localStorage
    assert.equal(await tab.evaluate(() => localStorage.getItem('atrack_uid')), uuid)
    const jar = (await tab.cookies()).find((c) => c.name == 'atrack_uid')
    assert.equal(jar?.value, uuid)
    assert.equal(jar?.sameSite, 'Lax')

    await tab.click('#refuse') // atrack.optOut()
    await tab.evaluate(() => window.atrack.track('after_opt_out'))
    const before = collector.requests().length
    // the refusal holds on a page that would otherwise send at once
    await tab.goto(world.site.url('/script-tag.html'))
    await tab.evaluate(() => {
      window.atrack.track('after_reload')
      return window.atrack.flush()
    })
    await sleep(500)
    assert.equal(collector.requests().length, before, 'nothing sent after optOut()')
    const keys = await tab.evaluate(() => ({
      cookie: document.cookie.split(';').map((c) => c.trim().split('=')[0]).filter((k) => k.startsWith('atrack_')).sort(),
      local: Object.keys(localStorage).filter((k) => k.startsWith('atrack_')).sort(),
    }))
    assert.deepEqual(keys, { cookie: ['atrack_optout'], local: ['atrack_optout'] })
  },
}
