// Shared harness for the Firefox end-to-end tests (run: `node --test --test-concurrency=1 e2e-firefox/`).
//
// Firefox ESR driven by puppeteer-core over WebDriver BiDi (Playwright's Firefox cannot be
// downloaded here; see ../../shared/platform-facts.md, "Driving the browsers"). It mirrors
// e2e/fixtures.ts: every test gets a fresh collector (own data dir) on 127.0.0.1 and a fresh
// static site on `localhost` serving e2e/pages and /dist/ (cross-site, as in production), with
// __COLLECTOR__ and __KEY__ replaced; and a fresh browser context (own cookies and storage) with
// one page. One browser per test file: launch it with `launchFirefox()` in `before()`.
//
//   import { before, after, test } from 'node:test'
//   import { closeFirefox, launchFirefox, withFixture, waitForEvents } from './harness.mjs'
//   let browser
//   before(async () => (browser = await launchFirefox()))
//   after(() => closeFirefox(browser))
//   test('sends a page view', (t) => withFixture(t, browser, async ({ page, site, collector }) => {
//     await page.goto(site.url('/script-tag.html'))
//     await waitForEvents(collector, 1, { filter: { event: 'page_view' } })
//   }))
//
// ATRACK_FIREFOX_PATH overrides the Firefox binary (default /usr/bin/firefox-esr).
// Every wait is bounded; servers bind 127.0.0.1 only.
import { execSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import puppeteer from 'puppeteer-core'
import { startCollector } from '../demo/collector.mjs'
import { fileUnder, startStaticServer } from '../demo/static-server.mjs'
import { bounded, eventNames } from '../e2e/records.mjs'

export { assertNewVisitorInit, bounded, byTransport, distinctIds, eventNames, received, retryAddressInUse, sleep, waitForCount, waitForEvents } from '../e2e/records.mjs'

const rootDir = fileURLToPath(new URL('../', import.meta.url))
const pagesDir = fileURLToPath(new URL('../e2e/pages/', import.meta.url))
const distDir = fileURLToPath(new URL('../dist/', import.meta.url))

/** The public key the e2e pages use (`__KEY__` in HTML). */
export const TEST_KEY = 'pub_test'
/** Launching Firefox takes 2–3 s here; give it room on a busy machine. */
const LAUNCH_TIMEOUT_MS = 30_000

/** Builds dist/ when the bundle is missing (running this suite alone, before `npm run build`). */
export function ensureDist() {
  if (!existsSync(join(distDir, 'atrack.min.js'))) execSync('npx rollup -c', { cwd: rootDir, stdio: 'inherit', timeout: 120_000 })
}

/** One headless Firefox ESR over WebDriver BiDi. Builds dist/ first if needed. */
export async function launchFirefox() {
  ensureDist()
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.ATRACK_FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: 30_000,
  })
}

/**
 * Closes the browser within `ms`; if it hangs, kills the Firefox process this harness started
 * (by its own pid, nothing else).
 */
export async function closeFirefox(browser, ms = 10_000) {
  if (!browser) return
  const closed = await bounded(browser.close(), ms)
  if (!closed) browser.process()?.kill('SIGKILL')
}


/** Where each URL path of the test site comes from (as e2e/fixtures.ts). */
function resolveTestFile(pathname) {
  if (pathname.startsWith('/dist/')) return fileUnder(distDir, pathname.slice('/dist'.length))
  if (pathname === '/app' || pathname.startsWith('/app/')) return join(pagesDir, 'app.html')
  return fileUnder(pagesDir, pathname)
}

/** A fresh collector with its own data dir; `port` and `dataDir` let a test restart it in place. */
export async function newCollector({ port = 0, dataDir = mkdtempSync(join(tmpdir(), 'atrack-ff-')) } = {}) {
  const collector = await startCollector({ port, dataDir, quiet: true })
  return Object.assign(collector, { dataDir })
}

/** The test site on http://localhost:PORT pointing its pages at `collectorUrl`. */
export function newSite(collectorUrl) {
  return startStaticServer({
    host: '127.0.0.1',
    port: 0,
    urlHost: 'localhost',
    resolveFile: resolveTestFile,
    replacements: { __COLLECTOR__: collectorUrl, __KEY__: TEST_KEY },
  })
}

/**
 * Runs `fn({ browser, context, page, site, collector, state })` with a fresh collector, site and
 * browser context, and tears everything down afterwards. A test that replaces the collector
 * (restart) sets `state.collectors` so all of them are closed and reported. On failure, what the
 * collector(s) saw goes to the test's diagnostics.
 */
export async function withFixture(t, browser, fn) {
  const collector = await newCollector()
  const state = { collectors: [collector] }
  const site = await newSite(collector.url)
  const context = await browser.createBrowserContext()
  const page = await context.newPage()
  try {
    await fn({ browser, context, page, site, collector, state })
  } catch (error) {
    for (const c of state.collectors) {
      t.diagnostic(`collector ${c.url}: received ${JSON.stringify(eventNames(c.events()))}`)
      t.diagnostic(`collector ${c.url}: requests ${JSON.stringify(c.requests().map((r) => `${r.method} ${r.path} ${r.status}${r.duplicate ? ' dup' : ''}`))}`)
    }
    throw error
  } finally {
    await bounded(context.close(), 10_000)
    await site.close()
    for (const c of state.collectors) {
      await c.close()
      rmSync(c.dataDir, { recursive: true, force: true })
    }
  }
}
