// The back/forward cache (CONTRACT §3): a page restored from it sends one more page view, and is
// not a new visit. It is left twice: for a page without the SDK, then for one with it (whose SDK
// looks at the Web Locks: that must not keep the page out of the cache). The harness serves the
// page `no-cache`, not `no-store`, which keeps a page out of Chromium's cache.
import assert from 'node:assert/strict'
import { waitForUrl } from '../harness.mjs'
import { sleep, waitForEvents } from '../records.mjs'
import { flush } from './steps.mjs'

/** After the last expected page view, how long to watch for one too many. */
const QUIET_MS = 500

export default {
  id: 'bfcache',
  fault: 'back/forward cache',
  needs: ['bfcache'],
  title: 'a page restored from the back/forward cache sends one more page view, left for a page without the SDK and for one with it',
  timeoutMs: 60_000,
  async run({ browser, world, report, log }) {
    const { site, collector } = world
    const start = site.url('/ac-links.html')
    const restored = (r) => r.body.event == 'page_view' && r.body.attributes.path == '/ac-links.html'
    const tab = await browser.open()
    await tab.goto(start)
    await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
    await flush(tab)
    await tab.evaluate(() => {
      window.lifecycle = []
      window.addEventListener('pagehide', (e) => window.lifecycle.push('pagehide persisted=' + e.persisted))
      window.addEventListener('pageshow', (e) => window.lifecycle.push('pageshow persisted=' + e.persisted))
      document.addEventListener('visibilitychange', () => window.lifecycle.push('visibilitychange ' + document.visibilityState))
    })
    for (const [i, next] of ['/ac-other.html', '/script-tag.html'].entries()) {
      await tab.goto(site.url(next))
      if (next == '/script-tag.html') await waitForEvents(collector, 1, { filter: (r) => r.body.attributes?.path == next })
      await tab.evaluate(() => history.back()) // a restore: no new document, no load event
      await waitForUrl(tab, start)
      await waitForEvents(collector, i + 2, { filter: restored })
    }
    // the same document came back twice (pageshow persisted), it was not loaded again
    const shows = await tab.evaluate(() => window.shows)
    const lifecycle = await tab.evaluate(() => window.lifecycle)
    log(`lifecycle: ${JSON.stringify(lifecycle)}`)
    await flush(tab)
    await sleep(QUIET_MS)
    report({ sent: 3, delivered: collector.events(restored).length, duplicates: collector.requests().filter((r) => r.duplicate).length })
    assert.deepEqual(shows, [false, true, true])
    assert.equal(lifecycle.filter((l) => l == 'pagehide persisted=true').length, 2, 'left into the cache twice')
    assert.equal(collector.events(restored).length, 3, 'one page view at load, one per restore')
    assert.equal(collector.events(restored)[2].body.attributes.url, start)
    assert.equal(collector.events({ path: '/init' }).length, 1, 'a restore is not a new visit')
  },
}
