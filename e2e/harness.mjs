// The one harness of the three e2e lanes (Chromium: e2e/, Firefox: e2e-firefox/, WebKit:
// e2e-webkit/): the bundle check, the reference collector and the test sites, the world a scenario
// runs in, the diagnostics printed when it fails, and the result each run leaves for the loss table.
//
//   const world = await openWorld()                // a collector, the site and another origin
//   await runScenario(driver, scenario, { log })   // a browser session in a fresh world, torn down after
//
// A scenario (e2e/scenarios/) gets `{ browser, world, report }`: `browser.open()` opens a tab (the
// page objects of e2e/drivers/), `world` has the servers, `report()` states what was sent and what
// arrived. The site is on `localhost`, the collector on `127.0.0.1` (cross-site, as in production)
// and `elsewhere` is the site again on `127.0.0.1`, another origin to leave to. Every wait is
// bounded; every server binds 127.0.0.1 and is closed by the run, also when it fails.
import { execSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCollector } from '../demo/collector.mjs'
import { fileUnder, startStaticServer } from '../demo/static-server.mjs'
import { bounded, eventNames, retryAddressInUse, sleep, waitForCount } from './records.mjs'

const rootDir = fileURLToPath(new URL('../', import.meta.url))
const pagesDir = fileURLToPath(new URL('./pages/', import.meta.url))
const distDir = fileURLToPath(new URL('../dist/', import.meta.url))
/** Where each run leaves its result per engine and scenario, for `npm run e2e:table`. */
export const RESULTS_DIR = join(rootDir, 'e2e-results')

/** The public key the e2e pages use (`__KEY__` in HTML). */
export const TEST_KEY = 'pub_test'
/** How long to keep watching after the last expected arrival, so a late duplicate is seen. */
export const LATE_DUPLICATE_MS = 1_500
/** How often the waits in a page look again. */
const POLL_MS = 100
/** Pages a browser may keep in its back/forward cache (every other answer says `no-store`). */
const CACHEABLE = ['/ac-links.html']

// ——— servers ———

/** Builds dist/ when the bundle is missing (running one lane alone, before `npm run build`). */
export function ensureDist() {
  if (!existsSync(join(distDir, 'atrack.min.js')) || !existsSync(join(distDir, 'index.js'))) execSync('npx rollup -c', { cwd: rootDir, stdio: 'inherit', timeout: 120_000 })
}

/** Where each URL path of the test site comes from. */
export function resolveTestFile(pathname) {
  if (pathname.startsWith('/dist/')) return fileUnder(distDir, pathname.slice('/dist'.length))
  // SPA tests deep-link and reload anywhere under /app: one HTML page serves them all.
  if (pathname === '/app' || pathname.startsWith('/app/')) return join(pagesDir, 'app.html')
  return fileUnder(pagesDir, pathname)
}

/** The HTML of an e2e page as it is on disk (placeholders still in it). */
export const pageHtml = (name) => readFileSync(join(pagesDir, name), 'utf8')

/** A fresh collector with its own data dir; `port` and `dataDir` restart one in place. */
export async function newCollector({ port = 0, dataDir = mkdtempSync(join(tmpdir(), 'atrack-e2e-')) } = {}) {
  const collector = await startCollector({ port, dataDir, quiet: true })
  return Object.assign(collector, { dataDir })
}

/** The test site on http://`urlHost`:PORT pointing its pages at `collectorUrl`. */
export function newSite(collectorUrl, urlHost = 'localhost') {
  return startStaticServer({
    host: '127.0.0.1',
    port: 0,
    urlHost,
    resolveFile: resolveTestFile,
    cacheable: CACHEABLE,
    replacements: { __COLLECTOR__: collectorUrl, __KEY__: TEST_KEY },
  })
}

/**
 * Serves dist/atrack.min.js only once `release()` is called (or after `holdMs`, so nothing waits
 * for ever): the page runs with the bundle still on its way.
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

// ——— the world a scenario runs in ———

/**
 * A collector, the site and another origin. `down()` closes the collector (connections refused),
 * `up()` starts a new one on the same port and data dir, so its de-duplication by messageId
 * survives; `collector` is always the newest. `cleanups` run at `close()`, last in first out.
 */
export async function openWorld() {
  const first = await newCollector()
  const collectors = [first]
  let site, elsewhere
  try {
    site = await newSite(first.url)
    elsewhere = await newSite(first.url, '127.0.0.1')
  } catch (error) {
    await site?.close()
    await first.close()
    rmSync(first.dataDir, { recursive: true, force: true })
    throw error
  }
  const cleanups = []
  return {
    site,
    elsewhere,
    collectors,
    cleanups,
    get collector() {
      return collectors.at(-1)
    },
    down: () => collectors.at(-1).close(),
    async up() {
      const { port, dataDir } = collectors.at(-1)
      // the port can still be held for a moment, or taken by an outgoing connection: retried, bounded
      collectors.push(await retryAddressInUse(() => newCollector({ port, dataDir })))
      return collectors.at(-1)
    },
    /** What the collectors saw, for a failure's diagnostics. */
    describe: () =>
      collectors.flatMap((c) => [
        `collector ${c.url}: received ${JSON.stringify(eventNames(c.events()))}`,
        `collector ${c.url}: requests ${JSON.stringify(c.requests().map((r) => `${r.at.slice(11, 23)} ${r.method} ${r.path} ${r.status}${r.transport ? ' ' + r.transport : ''}${r.duplicate ? ' dup' : ''}`))}`,
      ]),
    async close() {
      for (const cleanup of cleanups.reverse()) await cleanup()
      await site.close()
      await elsewhere.close()
      for (const c of collectors) await c.close()
      rmSync(first.dataDir, { recursive: true, force: true })
    },
  }
}

/** POSTs the collectors answered as duplicates: the store keeps a messageId once, only the log shows a resend. */
export const duplicateRequests = (world) => world.collectors.flatMap((c) => c.requests().filter((r) => r.method == 'POST' && r.duplicate))

/** Waits LATE_DUPLICATE_MS (less when a duplicate shows up first) and describes the duplicate POSTs. */
export async function lateDuplicates(world) {
  await waitForCount(() => duplicateRequests(world).length, 1, LATE_DUPLICATE_MS)
  return duplicateRequests(world).map((r) => `${r.at.slice(11, 23)} ${r.path} ${r.messageId} ${r.transport} ${r.status}`)
}

// ——— waiting on a page ———

/**
 * Polls `fn(...args)` in `tab` until it returns something truthy (bounded) and returns it. A
 * call that fails while the page navigates counts as "not yet".
 */
export async function waitInPage(tab, fn, args = [], { timeoutMs = 10_000, what = String(fn) } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      last = await tab.evaluate(fn, ...args)
      if (last) return last
    } catch (error) {
      last = error.message
    }
    if (Date.now() >= deadline) throw new Error(`waitInPage: ${what} not true within ${timeoutMs} ms (last: ${JSON.stringify(last)})`)
    await sleep(POLL_MS)
  }
}

/** Waits (bounded) until the tab's URL is `url` (a string, or a RegExp). */
export async function waitForUrl(tab, url, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      last = await tab.url()
      if (typeof url == 'string' ? last === url : url.test(last)) return last
    } catch (error) {
      last = error.message
    }
    if (Date.now() >= deadline) throw new Error(`waitForUrl: wanted ${url} within ${timeoutMs} ms, last: ${last}`)
    await sleep(POLL_MS)
  }
}

// ——— running a scenario ———

/** Why `driver` cannot run `scenario` (its first missing capability), or undefined. */
export function cannotRun(driver, scenario) {
  const missing = (scenario.needs ?? []).find((need) => driver.cannot[need])
  return missing && `${driver.engine}: ${driver.cannot[missing]}`
}

/** How long a teardown step may take before the next one runs anyway. */
const TEARDOWN_MS = 15_000

/**
 * Runs `scenario` in a fresh world and a fresh browser session of `driver`, within the scenario's
 * `timeoutMs`, tears both down (each step bounded, each runs whatever the one before did) and
 * leaves its result in e2e-results/ (also when it failed). `run` names this run's result file
 * (a repeat or a retry: `{ repeat, attempt }`). On failure `log` gets what the collectors saw and
 * the driver's last lines.
 */
export async function runScenario(driver, scenario, { log = console.log, run = {} } = {}) {
  const world = await openWorld()
  let counts
  const report = (numbers) => (counts = numbers)
  let browser
  let passed = false
  let timer
  try {
    const timedOut = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${scenario.id}: not done within ${scenario.timeoutMs} ms`)), scenario.timeoutMs)
    })
    const running = (async () => {
      browser = await driver.session()
      await scenario.run({ browser, world, report, log, expect: driver.expect ?? {} })
    })()
    running.catch(() => undefined) // after a timeout it fails as its session is closed under it
    await Promise.race([running, timedOut])
    passed = true
  } catch (error) {
    for (const line of [...world.describe(), ...(driver.log ? [`driver log: ${driver.log()}`] : [])]) log(line)
    throw error
  } finally {
    clearTimeout(timer)
    for (const [what, step] of [['the browser session', () => browser?.close()], ['the servers', () => world.close()]]) {
      try {
        if (!(await bounded(Promise.resolve().then(step), TEARDOWN_MS))) log(`teardown: closing ${what} took over ${TEARDOWN_MS} ms`)
      } catch (error) {
        log(`teardown: closing ${what} failed: ${error.message}`)
      }
    }
    writeResult(driver, scenario, { ...counts, passed }, run)
  }
}

/** Forgets the results an earlier run of `engine`'s lane left (a lane starts with this). */
export const clearResults = (engine) => rmSync(join(RESULTS_DIR, engine), { recursive: true, force: true })

/**
 * Leaves what a run of `scenario` in `driver`'s engine found (or why it was skipped) for the loss
 * table: one file per run (`<id>.<repeat>.json`, so parallel workers never write the same file; a
 * retry replaces its failed attempt, and says it was one), which `readResults` adds up.
 */
export function writeResult(driver, scenario, result, { repeat = 0, attempt = 0 } = {}) {
  const dir = join(RESULTS_DIR, driver.engine)
  mkdirSync(dir, { recursive: true })
  const entry = { scenario: scenario.id, engine: driver.engine, version: driver.version, at: new Date().toISOString(), attempt, ...result }
  writeFileSync(join(dir, `${scenario.id}.${repeat}.json`), JSON.stringify(entry, null, 2) + '\n')
}
