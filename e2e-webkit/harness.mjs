// Shared harness for the WebKit end-to-end tests (run: `node --test --test-concurrency=1 e2e-webkit/`).
//
// WebKit is WebKitGTK (the engine of Safari) driven over classic WebDriver: `WebKitWebDriver`
// launches MiniBrowser on an Xvfb display (no Playwright download; ../../shared/platform-facts.md,
// section "WebKit"). Each test file is one worker: `launchWebKit()` in `before()` starts its own
// Xvfb and driver, `closeWebKit()` in `after()` stops them (webkit.mjs; webdriver.mjs is the client).
//
// As e2e/fixtures.ts and e2e-firefox/harness.mjs: every test gets a fresh collector (own data dir) on
// 127.0.0.1 and a fresh static site on `localhost` serving e2e/pages and /dist/ (cross-site, as in
// production), and a fresh browser session (MiniBrowser in automation mode starts with empty cookies
// and storage). `elsewhere` is one more site on 127.0.0.1, another origin to leave to.
//
//   import { after, before, test } from 'node:test'
//   import { closeWebKit, launchWebKit, withFixture, waitForEvents } from './harness.mjs'
//   let webkit
//   before(async () => (webkit = await launchWebKit()))
//   after(() => closeWebKit(webkit))
//   test('sends a page view', (t) => withFixture(t, webkit, async ({ page, site, collector }) => {
//     await page.goto(site.url('/script-tag.html'))
//     await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
//   }))
//
// ATRACK_MINIBROWSER_PATH overrides the browser binary. Every wait is bounded; servers bind 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCollector } from '../demo/collector.mjs'
import { fileUnder, startStaticServer } from '../demo/static-server.mjs'
import { eventNames, waitForCount } from '../e2e/records.mjs'

export { assertNewVisitorInit, byTransport, sleep, distinctIds, eventNames, received, waitForCount, waitForEvents } from '../e2e/records.mjs'
import { retryAddressInUse, sleep } from '../e2e/records.mjs'
import { newSession, startDriver, stopProcess } from './webkit.mjs'

export { closeWebKit, launchWebKit, localeEnv } from './webkit.mjs'

const pagesDir = fileURLToPath(new URL('../e2e/pages/', import.meta.url))
const distDir = fileURLToPath(new URL('../dist/', import.meta.url))

/** The public key the e2e pages use (`__KEY__` in HTML). */
export const TEST_KEY = 'pub_test'
/** How often the waits below look again. */
const POLL_MS = 50

// ——— servers ———

/** Where each URL path of the test site comes from (as e2e/fixtures.ts). */
function resolveTestFile(pathname) {
  if (pathname.startsWith('/dist/')) return fileUnder(distDir, pathname.slice('/dist'.length))
  if (pathname === '/app' || pathname.startsWith('/app/')) return join(pagesDir, 'app.html')
  return fileUnder(pagesDir, pathname)
}

/** The HTML of an e2e page, as it is on disk (placeholders still in it). */
export function pageFile(name) {
  return join(pagesDir, name)
}

/** A fresh collector with its own data dir; `port` and `dataDir` let a test restart it in place. */
export async function newCollector({ port = 0, dataDir = mkdtempSync(join(tmpdir(), 'atrack-wk-')) } = {}) {
  const collector = await startCollector({ port, dataDir, quiet: true })
  return Object.assign(collector, { dataDir })
}

/**
 * A collector on the port (and data dir) of one just closed, so its de-duplication by messageId
 * survives. The port can still be held for a moment, or taken by an outgoing connection's
 * ephemeral port: EADDRINUSE is retried, bounded.
 */
export const restartCollector = ({ port, dataDir }) => retryAddressInUse(() => newCollector({ port, dataDir }))

/** The test site on http://localhost:PORT pointing its pages at `collectorUrl`. */
export function newSite(collectorUrl, urlHost = 'localhost') {
  return startStaticServer({
    host: '127.0.0.1',
    port: 0,
    urlHost,
    resolveFile: resolveTestFile,
    replacements: { __COLLECTOR__: collectorUrl, __KEY__: TEST_KEY },
  })
}

/**
 * Serves dist/atrack.min.js at `url` only once `release()` is called (or after `holdMs`, so
 * nothing waits for ever): the page runs with the bundle still on its way.
 */
export async function heldBundle({ holdMs = 60_000 } = {}) {
  let release
  const released = new Promise((resolve) => (release = resolve))
  const timer = setTimeout(release, holdMs)
  let requested = 0
  const server = http.createServer((req, res) => {
    requested++
    released.then(() => {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' })
      res.end(readFileSync(join(distDir, 'atrack.min.js')))
    })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return {
    url: `http://localhost:${server.address().port}/atrack.min.js`,
    requested: () => requested,
    release,
    close: () =>
      new Promise((resolve) => {
        clearTimeout(timer)
        release()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

// ——— fixtures ———

/**
 * Runs `fn({ page, site, elsewhere, collector, state })` with a fresh collector, site, second
 * origin and browser session, and tears everything down afterwards. A test that replaces the
 * collector (restart) pushes it to `state.collectors` so all of them are closed and reported. On
 * failure, what the collector(s) saw and the driver's last lines go to the test's diagnostics.
 * `options` go to `newSession` (e.g. `{ pageLoadStrategy: 'eager' }`).
 */
export async function withFixture(t, webkit, fn, options) {
  const collector = await newCollector()
  const state = { collectors: [collector], cleanups: [] }
  const site = await newSite(collector.url)
  const elsewhere = await newSite(collector.url, '127.0.0.1')
  let page
  try {
    page = await newSession(webkit, options)
    await fn({ page, site, elsewhere, collector, state })
  } catch (error) {
    for (const c of state.collectors) {
      t.diagnostic(`collector ${c.url}: received ${JSON.stringify(eventNames(c.events()))}`)
      t.diagnostic(`collector ${c.url}: requests ${JSON.stringify(c.requests().map((r) => `${r.method} ${r.path} ${r.status}${r.duplicate ? ' dup' : ''}`))}`)
    }
    t.diagnostic(`driver log (last lines): ${webkit.driver.log().replaceAll('\n', ' | ') || '(empty)'}`)
    throw error
  } finally {
    if (page && !(await page.quit())) {
      // the browser does not answer: kill the driver with it, start a clean one for the next test
      await stopProcess(webkit.driver)
      try {
        webkit.driver = await startDriver(webkit.xvfb.display, webkit.env)
      } catch (error) {
        t.diagnostic(`could not restart the driver: ${error.message}`) // the next test says so again
      }
    }
    for (const cleanup of state.cleanups) await cleanup()
    await site.close()
    await elsewhere.close()
    for (const c of state.collectors) {
      await c.close()
      rmSync(c.dataDir, { recursive: true, force: true })
    }
  }
}

// ——— what the collector received ———

/**
 * Polls `fn(...args)` in the page until it returns something truthy (bounded) and returns it.
 * A command that fails while the page navigates counts as "not yet".
 */
export async function waitInPage(page, fn, args = [], { timeoutMs = 10_000, what = String(fn) } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      last = await page.evaluate(fn, ...args)
      if (last) return last
    } catch (error) {
      last = error.message
    }
    if (Date.now() >= deadline) throw new Error(`waitInPage: ${what} not true within ${timeoutMs} ms (last: ${JSON.stringify(last)})`)
    await sleep(POLL_MS * 2)
  }
}

/** Waits (bounded) until the current page's URL is `url`, e.g. after a navigation from script. */
export async function waitForUrl(page, url, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      last = await page.url()
      if (last === url) return
    } catch (error) {
      last = error.message
    }
    if (Date.now() >= deadline) throw new Error(`waitForUrl: wanted ${url} within ${timeoutMs} ms, last: ${last}`)
    await sleep(POLL_MS * 2)
  }
}

/**
 * POSTs the collectors answered as duplicates (a messageId already stored). The store keeps each
 * messageId once, so only the request log shows that a message was sent twice.
 */
export function duplicateRequests(collectors) {
  return collectors.flatMap((c) => c.requests().filter((r) => r.method == 'POST' && r.duplicate))
}

/** How long to keep watching after the last expected arrival, so a late duplicate is seen. */
export const LATE_DUPLICATE_MS = 1_500

/** Waits LATE_DUPLICATE_MS (less when a duplicate shows up first) and describes the duplicate POSTs. */
export async function lateDuplicates(collectors) {
  await waitForCount(() => duplicateRequests(collectors).length, 1, LATE_DUPLICATE_MS)
  return duplicateRequests(collectors).map((r) => `${r.at.slice(11, 23)} ${r.path} ${r.messageId} ${r.transport} ${r.status}`)
}

/** The numbers 0..n-1: the `i` attributes a test's n events carry. */
export const range = (n) => Array.from({ length: n }, (_, i) => i)
