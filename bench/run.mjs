// npm run bench: what the SDK costs a page and how fast it delivers, in headless Debian Chromium.
//
// Setup: builds dist/ when dist/atrack.min.js is missing (and warns when src/ is newer than it),
// starts the reference collector (demo/collector.mjs, http://127.0.0.1:P1) and a static page server
// (demo/static-server.mjs, http://localhost:P2), so page and collector are cross-site as in
// production, then drives /usr/bin/chromium (or $ATRACK_CHROMIUM_PATH; '' means Playwright's own)
// through playwright-core. Every run gets a fresh browser context (empty localStorage, cookies and
// preflight cache): a first visit. Figures are medians over BENCH_RUNS runs (default 7), with min
// and max; timings are taken inside the page with performance.now(), whose resolution there is
// printed (Chromium coarsens it to 100 µs on pages that are not cross-origin isolated).
//
// 1. Bundle: raw, gzip -9 and brotli (quality 11) bytes of dist/atrack.min.js.
// 2. Init cost: an inline script records t0, then a synchronous
//    <script src=/dist/atrack.min.js data-key data-api-host>, then an inline script records t1 and
//    checks that window.atrack is the live client. t1 - t0 includes fetching the bundle from
//    localhost; "eval + init" is t1 - max(t0, responseEnd of the bundle) from Resource Timing, i.e.
//    parse, evaluation, init() and the end-of-script microtasks (first /init and page_view queued,
//    persisted and handed to fetch). For a first visit, for the same first visit on a page that
//    already touched Intl, localStorage and cookies (first-use costs of the browser, not the SDK's),
//    and for a reload (returning visitor).
// 3. Hot path, online, queue empty (initial messages flushed first):
//    - 1,000 atrack.track('bench', { i }) in one synchronous loop: total ms and µs per call
//      (a fresh page per run, so it includes the JIT warming up, as on a real page);
//    - one track() per task, 20 times: the sync call, the time until the SDK's end-of-task
//      microtask (serialise, persist, fetch) has run, and until the next task runs (tasks chained
//      with MessageChannel: chained setTimeouts are clamped to 4 ms), next to the same round trip
//      without track();
//    - a burst of 10,000 calls (fresh page): the loop, then "end-of-task" = until a microtask queued
//      right after the loop runs (the SDK's own microtask runs before it), "next task" = until a
//      setTimeout(0) posted *before* the burst fires, and "await setTimeout" = until
//      `await new Promise(r => setTimeout(r))` written after the loop resolves: how long the page is
//      frozen. Then the queue length in localStorage (atrack_q1_* keys, JSON, count of `q`), which
//      must stay at the 1,000-message cap.
// 4. Delivery throughput: a burst of 500 track() calls on a loaded page, then the collector is
//    polled (every 10 ms, at most 60 s per run; the group stops adding runs after 45 s) until all
//    500 arrived. Elapsed is from just before the burst to the last arrival; also time to the first
//    arrival, events/s, the longest pause between two arrivals, the page's fetch() calls and how
//    many of them rejected in the page (counted by a wrapper installed before the SDK: a rejected
//    keepalive fetch never reaches the network), and from collector.requests(): POSTs, preflights,
//    non-2xx answers, duplicates (a messageId received again), arrivals out of track() order, lost.
// 5. The same hot path with the page offline (context.setOffline(true)) and 900 messages already in
//    the queue: one track() per task, compared with the same offline page while its queue was still
//    (almost) empty, and a 1,000-call loop on top of the 900 (the queue ends at the cap). While
//    nothing can be sent, the SDK writes its queue at most once a second (and at page exit), so
//    the per-call figures exclude that write; the queue is read back after waiting for it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startCollector } from '../demo/collector.mjs';
import { fileUnder, startStaticServer } from '../demo/static-server.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');
const BUNDLE = join(DIST, 'atrack.min.js');
const KEY = 'pub_test';
const RUNS = Math.max(1, Math.min(25, Number(process.env.BENCH_RUNS) || 7));
const CHROMIUM = process.env.ATRACK_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const THROUGHPUT_N = 500;
const THROUGHPUT_TIMEOUT_MS = 60_000;
/** Group 4 stops adding runs (after at least 3) once it has spent this long. */
const THROUGHPUT_BUDGET_MS = 45_000;
const SINGLE_SAMPLES = 20;
/** The whole bench must end well within ~2 minutes; past this it gives up. */
const WATCHDOG_MS = 170_000;

/** The bench page; `before` goes in an inline script ahead of t0. */
const benchPage = (before = '') => `<!doctype html>
<html><head><meta charset="utf-8"><title>A-Track bench</title>
${before ? `<script>${before}</script>` : ''}
<script>window.__t0 = performance.now()</script>
<script src="/dist/atrack.min.js" data-key="__KEY__" data-api-host="__COLLECTOR__"></script>
<script>window.__t1 = performance.now(); window.__live = !!(window.atrack && typeof window.atrack.track == 'function' && !window.atrack.q)</script>
</head><body><h1>bench</h1></body></html>`;
/** What any page may already have paid before the SDK: ICU time zone data, the storage area, cookies. */
const PRIME = `Intl.DateTimeFormat().resolvedOptions().timeZone; localStorage.getItem('bench'); document.cookie = 'bench=1; path=/; SameSite=Lax'`;
/** Counts the page's fetch() calls and rejections (a rejected keepalive fetch never reaches the network). */
const COUNT_FETCH = `(function () { var f = window.fetch, s = (window.__fetches = { calls: 0, rejected: 0 });
  window.fetch = function () { s.calls++; return f.apply(this, arguments).catch(function (e) { s.rejected++; throw e }) } })()`;

// ——— small helpers ———

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, digits) => (x == null || Number.isNaN(x) ? '—' : x.toFixed(digits));
/** One table row: median, min and max of `xs`, with `digits` decimals. */
const row = (measure, xs, unit, digits = 2) => ({
  measure, median: fmt(median(xs), digits), min: fmt(Math.min(...xs), digits), max: fmt(Math.max(...xs), digits), unit, runs: xs.length,
});
const pick = (runs, key) => runs.map((r) => r[key]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => process.stderr.write(line + '\n');

function title(text) {
  console.log('\n' + text);
  console.log('─'.repeat(text.length));
}

async function waitUntil(what, fn, timeoutMs, everyMs = 10) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function ensureBuilt() {
  if (!existsSync(BUNDLE)) {
    log('bench: dist/atrack.min.js is missing, building (npx rollup -c)…');
    const r = spawnSync('npx', ['rollup', '-c'], { cwd: ROOT, stdio: ['ignore', 2, 2], timeout: 120_000 });
    if (r.status !== 0 || !existsSync(BUNDLE)) throw new Error('build failed (npx rollup -c exited ' + r.status + ')');
  }
  const built = statSync(BUNDLE).mtimeMs;
  const newer = readdirSync(join(ROOT, 'src')).filter((f) => statSync(join(ROOT, 'src', f)).mtimeMs > built);
  return { built: new Date(built), newer };
}

// ——— in-page probes (serialised by Playwright and run in the page) ———

/** Resolves when the page's queue is empty (initial /init and page_view delivered), at most 10 s. */
const FLUSH = () => Promise.race([window.atrack.flush(), new Promise((r) => setTimeout(r, 10_000))]);

/** Messages, bytes and keys of every atrack_q1_* queue in localStorage. */
const QUEUE = () => {
  let messages = 0;
  let chars = 0;
  let keys = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (!k || !k.startsWith('atrack_q1_')) continue;
    const v = localStorage.getItem(k) || '';
    keys++;
    chars += v.length;
    messages += JSON.parse(v).q.length;
  }
  return { messages, chars, keys };
};

/** The smallest step performance.now() takes in this page. */
const RESOLUTION = () => {
  let best = Infinity;
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    let b = a;
    while (b == a) b = performance.now();
    best = Math.min(best, b - a);
  }
  return { resolution: best, isolated: !!window.crossOriginIsolated };
};

/** `n` track() calls in one synchronous loop, and how long the page stays busy afterwards. */
const BURST = async ({ n, name }) => {
  const a = window.atrack;
  let timerAt = 0;
  let microAt = 0;
  setTimeout(() => (timerAt = performance.now()));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) a.track(name, { i });
  const t1 = performance.now();
  // queued after the SDK's own end-of-task microtask, so it runs once that one has finished
  Promise.resolve().then(() => (microAt = performance.now()));
  await new Promise((r) => setTimeout(r));
  const t2 = performance.now();
  return { loop: t1 - t0, perCall: ((t1 - t0) / n) * 1000, endOfTask: microAt - t0, nextTask: timerAt - t0, awaited: t2 - t0 };
};

/**
 * `samples` single track() calls, each in its own task; medians of the sync call, of the time until
 * the SDK's end-of-task microtask has run, and until the next task runs. Tasks are chained with
 * MessageChannel, not setTimeout: chained timers are clamped to 4 ms after five levels.
 */
const SINGLES = async ({ samples, name }) => {
  const sync = [];
  const endOfTask = [];
  const nextTask = [];
  const idle = [];
  const med = (xs) => {
    const s = [...xs].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const channel = new window.MessageChannel();
  let wake = () => {};
  channel.port1.onmessage = () => wake();
  const next = () => new Promise((r) => ((wake = r), channel.port2.postMessage(0)));
  for (let i = 0; i < samples; i++) {
    // the same task round trip with no track(): what the page would pay anyway
    let t = performance.now();
    await next();
    idle.push(performance.now() - t);
    let microAt = 0;
    t = performance.now();
    window.atrack.track(name, { i });
    const t1 = performance.now();
    Promise.resolve().then(() => (microAt = performance.now()));
    await next();
    const t2 = performance.now();
    sync.push(t1 - t);
    endOfTask.push(microAt - t);
    nextTask.push(t2 - t);
  }
  channel.port1.close();
  return { sync: med(sync), endOfTask: med(endOfTask), nextTask: med(nextTask), idle: med(idle) };
};

// ——— the bench ———

async function main() {
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${WATCHDOG_MS / 1000} s`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  const started = Date.now();
  const build = ensureBuilt();

  const dataDir = mkdtempSync(join(os.tmpdir(), 'atrack-bench-'));
  const cleanups = [() => rmSync(dataDir, { recursive: true, force: true })];
  try {
    const collector = await startCollector({ port: 0, dataDir, quiet: true });
    cleanups.unshift(() => collector.close());
    const site = await startStaticServer({
      host: '127.0.0.1',
      port: 0,
      urlHost: 'localhost',
      resolveFile: (p) => (p.startsWith('/dist/') ? fileUnder(DIST, p.slice('/dist'.length)) : null),
      replacements: { __COLLECTOR__: collector.url, __KEY__: KEY },
    });
    cleanups.unshift(() => site.close());
    site.page('/bench.html', benchPage());
    site.page('/primed.html', benchPage(PRIME));
    site.page('/counted.html', benchPage(COUNT_FETCH));

    const browser = await chromium.launch({ executablePath: CHROMIUM || undefined, args: ARGS, timeout: 30_000 });
    cleanups.unshift(() => browser.close());

    /** A first visit in a fresh context: the page loaded, the client live. */
    const visit = async ({ flush = true, path = '/bench.html' } = {}) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(site.url(path), { waitUntil: 'load' });
      if (!(await page.evaluate(() => window.__live))) throw new Error('window.atrack is not the live client after the script tag');
      if (flush) await page.evaluate(FLUSH);
      return { context, page };
    };

    const probe = await visit();
    const resolution = await probe.page.evaluate(RESOLUTION);
    await probe.context.close();

    // machine
    const cpus = os.cpus();
    console.log('A-Track web SDK bench');
    console.log(`machine   ${cpus.length} cores (${cpus[0]?.model.trim() || 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`);
    console.log(`load      ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (1/5/15 min at start; other work on this machine makes every figure noisier)`);
    console.log(`node      ${process.version}; playwright-core ${JSON.parse(readFileSync(join(ROOT, 'node_modules/playwright-core/package.json'), 'utf8')).version}`);
    console.log(`browser   Chromium ${browser.version()} (${CHROMIUM || "Playwright's own"}), headless`);
    console.log(`pages     ${site.origin} → collector ${collector.url} (cross-site); ${RUNS} runs per measure, fresh context each`);
    console.log(`timer     performance.now() resolution in the page: ${(resolution.resolution * 1000).toFixed(0)} µs${resolution.isolated ? '' : ' (not cross-origin isolated)'}`);
    console.log(`bundle    dist/atrack.min.js built ${build.built.toISOString()}` + (build.newer.length ? `; NOTE src/ is newer: ${build.newer.join(', ')}` : ''));

    // 1. Bundle
    const code = readFileSync(BUNDLE);
    const gzip = gzipSync(code, { level: 9 }).length;
    const brotli = brotliCompressSync(code, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: code.length },
    }).length;
    title('1. Bundle: dist/atrack.min.js');
    console.table([
      { encoding: 'raw', bytes: code.length, kB: (code.length / 1000).toFixed(2) },
      { encoding: 'gzip -9', bytes: gzip, kB: (gzip / 1000).toFixed(2) },
      { encoding: 'brotli q11', bytes: brotli, kB: (brotli / 1000).toFixed(2) },
    ]);

    // 2. Init cost
    log('bench: init cost…');
    const inits = [];
    const readInit = (page) =>
      page.evaluate(() => {
        const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/dist/atrack.min.js'));
        const ready = Math.max(window.__t0, entry ? entry.responseEnd : 0);
        return { total: window.__t1 - window.__t0, exec: window.__t1 - ready, live: window.__live };
      });
    for (let i = 0; i < RUNS; i++) {
      const { context, page } = await visit({ flush: false });
      const first = await readInit(page);
      await page.evaluate(FLUSH);
      await page.reload({ waitUntil: 'load' });
      const again = await readInit(page);
      if (!first.live || !again.live) throw new Error('window.atrack was not live right after the script tag');
      await context.close();
      const primed = await visit({ flush: false, path: '/primed.html' });
      const p = await readInit(primed.page);
      await primed.context.close();
      inits.push({ first: first.total, firstExec: first.exec, again: again.total, againExec: again.exec, primedExec: p.exec });
    }
    title('2. Init cost: sync <script> tag, from t0 (inline script before) to t1 (inline script after, window.atrack live)');
    console.table([
      row('first visit: t1 - t0 (incl. fetching the bundle)', pick(inits, 'first'), 'ms'),
      row('first visit: eval + init (after responseEnd)', pick(inits, 'firstExec'), 'ms'),
      row('first visit, Intl/localStorage/cookie touched before t0: eval + init', pick(inits, 'primedExec'), 'ms'),
      row('returning visitor (reload): t1 - t0', pick(inits, 'again'), 'ms'),
      row('returning visitor (reload): eval + init', pick(inits, 'againExec'), 'ms'),
    ]);

    // 3. Hot path
    log('bench: hot path…');
    const hot = [];
    for (let i = 0; i < RUNS; i++) {
      let v = await visit();
      const k1 = await v.page.evaluate(BURST, { n: 1000, name: 'bench' });
      await v.context.close();
      v = await visit();
      const single = await v.page.evaluate(SINGLES, { samples: SINGLE_SAMPLES, name: 'bench_single' });
      await v.context.close();
      v = await visit();
      const k10 = await v.page.evaluate(BURST, { n: 10_000, name: 'bench' });
      const queue = await v.page.evaluate(QUEUE);
      await v.context.close();
      hot.push({
        k1Loop: k1.loop, k1PerCall: k1.perCall, k1End: k1.endOfTask, k1Next: k1.nextTask,
        sSync: single.sync * 1000, sEnd: single.endOfTask * 1000, sNext: single.nextTask * 1000, sIdle: single.idle * 1000,
        k10Loop: k10.loop, k10PerCall: k10.perCall, k10End: k10.endOfTask, k10Next: k10.nextTask, k10Await: k10.awaited,
        qLen: queue.messages, qChars: queue.chars / 1000, qKeys: queue.keys,
      });
    }
    title('3. Hot path (online, queue empty before each measure)');
    console.table([
      row('1,000 calls: sync loop', pick(hot, 'k1Loop'), 'ms'),
      row('1,000 calls: per call', pick(hot, 'k1PerCall'), 'µs'),
      row('1,000 calls: + end-of-task microtask done', pick(hot, 'k1End'), 'ms'),
      row('1,000 calls: until next task (timer posted before)', pick(hot, 'k1Next'), 'ms'),
      row(`1 call per task (median of ${SINGLE_SAMPLES}): sync`, pick(hot, 'sSync'), 'µs', 0),
      row('1 call per task: + end-of-task microtask done', pick(hot, 'sEnd'), 'µs', 0),
      row('1 call per task: until the next task runs', pick(hot, 'sNext'), 'µs', 0),
      row('  (the same task round trip without track())', pick(hot, 'sIdle'), 'µs', 0),
      row('10,000-call burst: sync loop', pick(hot, 'k10Loop'), 'ms'),
      row('10,000-call burst: per call', pick(hot, 'k10PerCall'), 'µs'),
      row('10,000-call burst: + end-of-task microtask done', pick(hot, 'k10End'), 'ms'),
      row('10,000-call burst: until next task (timer posted before)', pick(hot, 'k10Next'), 'ms'),
      row('10,000-call burst: until await setTimeout (page frozen)', pick(hot, 'k10Await'), 'ms'),
      row('10,000-call burst: queue length after (cap 1,000)', pick(hot, 'qLen'), 'messages', 0),
      row('10,000-call burst: queue size in localStorage', pick(hot, 'qChars'), 'k chars', 0),
      row('10,000-call burst: atrack_q1_* keys', pick(hot, 'qKeys'), 'keys', 0),
    ]);

    // 4. Delivery throughput
    log('bench: delivery throughput…');
    const tput = [];
    const groupStarted = Date.now();
    for (let i = 0; i < RUNS; i++) {
      // a run that hits a long backoff can take up to 60 s: stop adding runs past the group's budget
      if (i >= 3 && Date.now() - groupStarted > THROUGHPUT_BUDGET_MS) {
        log(`bench: throughput: stopping after ${i} runs (group budget ${THROUGHPUT_BUDGET_MS / 1000} s spent)`);
        break;
      }
      const v = await visit({ path: '/counted.html' });
      await sleep(50); // let the initial requests' log entries settle before the reset
      collector.reset();
      const fetchesBefore = await v.page.evaluate(() => ({ ...window.__fetches }));
      const t0 = Date.now();
      await v.page.evaluate(({ n, run }) => {
        for (let j = 0; j < n; j++) window.atrack.track('bench_tp', { i: j, run });
      }, { n: THROUGHPUT_N, run: i });
      const mine = (r) => r.body.event == 'bench_tp';
      let arrived;
      try {
        arrived = await waitUntil(`${THROUGHPUT_N} events`, () => {
          const got = collector.events(mine);
          return new Set(got.map((r) => r.body.messageId)).size >= THROUGHPUT_N && got;
        }, THROUGHPUT_TIMEOUT_MS);
      } catch {
        arrived = collector.events(mine);
      }
      await sleep(100); // late duplicates, if any
      const requests = collector.requests();
      const fetches = await v.page.evaluate(() => ({ ...window.__fetches }));
      const times = arrived.map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
      const ids = new Set(arrived.map((r) => r.body.messageId));
      const last = times.length ? times[times.length - 1] - t0 : NaN;
      const order = arrived.map((r) => r.body.attributes.i);
      tput.push({
        elapsed: last, first: times.length ? times[0] - t0 : NaN, rate: (ids.size / Math.max(1, last)) * 1000,
        gap: times.reduce((g, t, j) => (j ? Math.max(g, t - times[j - 1]) : g), 0),
        calls: fetches.calls - fetchesBefore.calls, rejected: fetches.rejected - fetchesBefore.rejected,
        posts: requests.filter((r) => r.method == 'POST' && r.path == '/event').length,
        options: requests.filter((r) => r.method == 'OPTIONS').length,
        failed: requests.filter((r) => r.method == 'POST' && !(r.status >= 200 && r.status < 300)).length,
        dups: requests.filter((r) => r.duplicate).length, lost: THROUGHPUT_N - ids.size,
        outOfOrder: order.filter((x, j) => j && x < order[j - 1]).length,
      });
      await v.context.close();
    }
    title(`4. Delivery throughput: ${THROUGHPUT_N} track() calls in one burst → reference collector`);
    console.table([
      row('elapsed until the last event arrived', pick(tput, 'elapsed'), 'ms', 0),
      row('time to the first event', pick(tput, 'first'), 'ms', 0),
      row('throughput', pick(tput, 'rate'), 'events/s', 0),
      row('longest pause between two arrivals', pick(tput, 'gap'), 'ms', 0),
      row('fetch() calls made by the page', pick(tput, 'calls'), 'calls', 0),
      row('fetch() calls rejected in the page (never sent)', pick(tput, 'rejected'), 'calls', 0),
      row('POST /event requests', pick(tput, 'posts'), 'requests', 0),
      row('OPTIONS preflights', pick(tput, 'options'), 'requests', 0),
      row('non-2xx / aborted POSTs', pick(tput, 'failed'), 'requests', 0),
      row('duplicates (messageId seen again)', pick(tput, 'dups'), 'requests', 0),
      row('events arrived out of track() order', pick(tput, 'outOfOrder'), 'events', 0),
      row(`lost (missing after ${THROUGHPUT_TIMEOUT_MS / 1000} s)`, pick(tput, 'lost'), 'events', 0),
    ]);

    // 5. Offline, 900 queued
    log('bench: offline with 900 queued…');
    const off = [];
    for (let i = 0; i < RUNS; i++) {
      const v = await visit();
      await v.context.setOffline(true);
      if (await v.page.evaluate(() => navigator.onLine)) throw new Error('setOffline(true) did not take');
      const empty = await v.page.evaluate(SINGLES, { samples: SINGLE_SAMPLES, name: 'bench_off' });
      await v.page.evaluate(BURST, { n: 900 - SINGLE_SAMPLES, name: 'bench_fill' });
      // while nothing can be sent the SDK writes its queue at most once a second
      await v.page.waitForTimeout(1100);
      const before = await v.page.evaluate(QUEUE);
      const full = await v.page.evaluate(SINGLES, { samples: SINGLE_SAMPLES, name: 'bench_off' });
      const k1 = await v.page.evaluate(BURST, { n: 1000, name: 'bench_off' });
      await v.page.waitForTimeout(1100);
      const after = await v.page.evaluate(QUEUE);
      await v.context.close();
      off.push({
        eSync: empty.sync * 1000, eEnd: empty.endOfTask * 1000, fSync: full.sync * 1000, fEnd: full.endOfTask * 1000, fNext: full.nextTask * 1000,
        before: before.messages, beforeChars: before.chars / 1000,
        k1Loop: k1.loop, k1PerCall: k1.perCall, k1End: k1.endOfTask, k1Await: k1.awaited, after: after.messages, afterChars: after.chars / 1000,
      });
    }
    title('5. Hot path offline (context.setOffline(true)): the coalesced localStorage write with a full queue');
    console.table([
      row(`queue ~0→${SINGLE_SAMPLES}: 1 call per task, sync`, pick(off, 'eSync'), 'µs', 0),
      row(`queue ~0→${SINGLE_SAMPLES}: 1 call per task, + end-of-task`, pick(off, 'eEnd'), 'µs', 0),
      row('queue before (must be 900)', pick(off, 'before'), 'messages', 0),
      row('queue before: size in localStorage', pick(off, 'beforeChars'), 'k chars', 0),
      row(`queue 900→${900 + SINGLE_SAMPLES}: 1 call per task, sync`, pick(off, 'fSync'), 'µs', 0),
      row(`queue 900→${900 + SINGLE_SAMPLES}: 1 call per task, + end-of-task`, pick(off, 'fEnd'), 'µs', 0),
      row(`queue 900→${900 + SINGLE_SAMPLES}: until the next task runs`, pick(off, 'fNext'), 'µs', 0),
      row('+1,000 calls: sync loop', pick(off, 'k1Loop'), 'ms'),
      row('+1,000 calls: per call', pick(off, 'k1PerCall'), 'µs'),
      row('+1,000 calls: + end-of-task microtask done', pick(off, 'k1End'), 'ms'),
      row('+1,000 calls: until await setTimeout', pick(off, 'k1Await'), 'ms'),
      row('queue after (cap 1,000)', pick(off, 'after'), 'messages', 0),
      row('queue after: size in localStorage', pick(off, 'afterChars'), 'k chars', 0),
    ]);

    console.log(`\nbench: done in ${((Date.now() - started) / 1000).toFixed(1)} s; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch {}
    }
    clearTimeout(watchdog);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('bench failed:', error && error.stack ? error.stack : error);
    process.exit(1);
  },
);
