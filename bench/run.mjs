// npm run bench: what the SDK costs a page, measured for the build in dist/ ("now") beside the 0.1.0
// build kept in bench/baseline/ ("0.1.0"), in the same run, on the same machine, in headless Chromium.
//
// It uses only what any build must keep: the script tag (data-key, data-api-host), the public API on
// window.atrack (track, flush), localStorage keys starting with atrack_q1_, and the wire as the
// reference collector (demo/collector.mjs) records it, OPTIONS preflights included.
//
// Setup: builds dist/ when dist/atrack.min.js is missing (and warns when src/ is newer than it),
// starts the collector (http://127.0.0.1:P1) and a static page server (http://localhost:P2), so page
// and collector are cross-site as in production, then drives /usr/bin/chromium (or
// $ATRACK_CHROMIUM_PATH; '' means Playwright's own) through playwright-core. Every page gets a fresh
// browser context (empty storage, cookies and preflight cache, a new renderer): a first visit on a
// cold page. Each run measures both builds, the one that goes first alternating, with a 300 ms pause
// after each page (BENCH_SETTLE_MS), so machine noise falls on both alike. Cells are
// "median (min–max)" over the runs; budgets (issue 9) are judged on the median of "now".
//
// The weight (BENCH_RUNS runs, default 5):
// 1. Size: dist/atrack.min.js raw, gzip -9, brotli 11; and the ESM import cost of createATrack:
//    `export { createATrack } from '<dist/index.js>'` bundled by rollup with its dependencies
//    resolved (@rollup/plugin-node-resolve, browser), minified by terser, then gzip and brotli.
// 2. Load on a cold page: an inline script registers a PerformanceObserver for 'longtask'
//    (buffered), then t0, the synchronous <script src data-key data-api-host>, t1. "eval + init" is
//    t1 - max(t0, the bundle's responseEnd). The longest task is the longest 'longtask' entry from
//    navigation until 1 s after the load event (0 when none is over 50 ms). A control page without
//    the SDK shows what the page and machine cost by themselves.
// 3. /init + 20 events: a first visit (auto-init sends /init and a page_view), then 20 track() in one
//    task; once all 22 messages arrived: OPTIONS requests at the collector, and the POST body bytes
//    as the browser sent them (Playwright's requestfinished, POSTs to the collector).
// 4. 1,000 track() in one loop, run in a page task of its own on a loaded page with its queue empty:
//    the synchronous loop; "until the page's next task" = until a MessageChannel message posted just
//    before the loop is handled; "the loop's task" = the 'longtask' entry that holds the loop (what
//    ran before the page got its turn back: 0 when under 50 ms); "longest later task" = the longest
//    'longtask' entry starting after the loop within 2 s. Cold = the first 1,000 calls on the page;
//    then the page waits until the collector has all 1,000 (also reported, with the longest task in
//    that time), and warm = 1,000 more on the same page.
//
// 2b. Script time of a page load (BENCH_SCRIPT_RUNS runs, default 7): Chrome DevTools' ScriptDuration
//    (CDP Performance.getMetrics), from navigation until init() resolved + 1 s, for a first visit (fresh
//    context) and a returning one (the same context, loaded again), beside the previous builds: 0.1.0
//    and, with BENCH_PREVIOUS=<git ref or .js file> (e.g. main), that build too (a ref is built with
//    this checkout's node_modules into .tmp/). Also the longest task in that time. A control page
//    without the SDK shows what the page costs by itself.
//
// The details (BENCH_DETAIL_RUNS runs, default 3; BENCH_DETAILS=0 skips them; they stop adding runs
// when the time budget is spent, so the whole bench ends within about 3 minutes):
// 5. Init details: a first visit whose page already touched Intl, localStorage and cookies (first-use
//    costs of the browser, not the SDK's), and a reload (returning visitor).
// 6. Hot path details: one track() per task, 20 times (tasks chained with MessageChannel: chained
//    setTimeouts are clamped to 4 ms), and a burst of 10,000 calls with the queue length after it.
// 7. Delivery throughput: 500 track() calls in one burst, polled at the collector until all arrived.
// 8. Offline (context.setOffline(true)) with 900 messages already queued: one track() per task and a
//    1,000-call loop on top (the queue ends at its cap).
//
// Tables go to stdout and to bench/last-run.md (git-ignored: it is one machine's run).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { rollup } from 'rollup';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { startCollector } from '../demo/collector.mjs';
import { BACKLOG_RUNS, BACKLOG_WATCHDOG_MS, backlog } from './backlog.mjs';
import { intEnv } from './env.mjs';
import { fileUnder, startStaticServer } from '../demo/static-server.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BENCH = join(ROOT, 'bench');
const DIST = join(ROOT, 'dist');
const BASELINE = join(BENCH, 'baseline');
const REPORT = join(BENCH, 'last-run.md');
const KEY = 'pub_test';
const RUNS = Math.max(1, intEnv('BENCH_RUNS', 5, 25));
const DETAIL_RUNS = process.env.BENCH_DETAILS === '0' ? 0 : intEnv('BENCH_DETAIL_RUNS', 3, 25);
const CHROMIUM = process.env.ATRACK_CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The builds measured, in this order in every table. */
const VARIANTS = [
  { id: 'old', label: '0.1.0', iife: join(BASELINE, 'atrack-0.1.0.min.js'), src: '/baseline/atrack-0.1.0.min.js', esm: join(BASELINE, 'index-0.1.0.js') },
  { id: 'now', label: 'now', iife: join(DIST, 'atrack.min.js'), src: '/dist/atrack.min.js', esm: join(DIST, 'index.js') },
];

const SCRIPT_RUNS = Math.max(1, intEnv('BENCH_SCRIPT_RUNS', 7, 25));
/** Segment analytics-next's script time at load here (issue 15): the lightest peer with a persisted queue. */
const SCRIPT_BUDGET_MS = 9;

/**
 * The build named by BENCH_PREVIOUS, as a variant: a .js file as it is, or a git ref built (npm run
 * build's rollup config, this checkout's node_modules) into .tmp/bench-previous/. Undefined when unset.
 */
function previousBuild() {
  const ref = process.env.BENCH_PREVIOUS;
  if (!ref) return undefined;
  let file = ref;
  if (!existsSync(ref)) {
    const dir = join(ROOT, '.tmp', 'bench-previous');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`bench: building ${ref} into ${dir}…`);
    const sha = spawnSync('git', ['rev-parse', '--short', ref], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    const archive = spawnSync('sh', ['-c', `git archive ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(dir)}`], { cwd: ROOT, stdio: ['ignore', 2, 2] });
    if (archive.status !== 0 || !sha) throw new Error(`BENCH_PREVIOUS=${ref}: not a file, nor a git ref`);
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const built = spawnSync(join(ROOT, 'node_modules', '.bin', 'rollup'), ['-c'], { cwd: dir, stdio: ['ignore', 'ignore', 2], timeout: 180_000 });
    file = join(dir, 'dist', 'atrack.min.js');
    if (built.status !== 0 || !existsSync(file)) throw new Error(`BENCH_PREVIOUS=${ref}: its build failed`);
    return { id: 'previous', label: `${ref} (${sha})`, iife: file };
  }
  return { id: 'previous', label: ref.split('/').slice(-3).join('/'), iife: file };
}

/** Resolves once init() has resolved (window.__ready, set by the page) and `watchMs` more have passed. */
const READY_THEN = ({ watchMs }) =>
  new Promise((resolve) => {
    const wait = () => (window.__ready != null ? setTimeout(resolve, watchMs) : setTimeout(wait, 20));
    wait();
  });

const LOOP_N = 1000;
const AFTER_LOOP_MS = 2000;
/** A pause after each measured page, so the next one does not share the CPU with its teardown. */
const SETTLE_MS = intEnv('BENCH_SETTLE_MS', 300, 5000);
const LOAD_WATCH_MS = 1000;
const EVENTS_20 = 20;
const SINGLE_SAMPLES = 20;
const THROUGHPUT_N = 500;
const THROUGHPUT_TIMEOUT_MS = 30_000;
const DRAIN_TIMEOUT_MS = 20_000;
const ARRIVAL_TIMEOUT_MS = 15_000;
/** Detail runs after the first are not started past this point; no detail run starts past the hard one. */
const DETAILS_SOFT_MS = 140_000;
const DETAILS_HARD_MS = 165_000;
/** Past this the bench gives up (closing the browser and servers); table 2b adds up to 40 s a run, the backlog its own. */
const WATCHDOG_MS = 240_000 + SCRIPT_RUNS * 40_000 + BACKLOG_WATCHDOG_MS;

/** Registers the long-task observer; first thing in every bench page. */
const OBSERVE_LONG_TASKS = `window.__lt = []; try { window.__ltObserver = new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__lt.push([e.startTime, e.duration]) }) });
  window.__ltObserver.observe({ type: 'longtask', buffered: true }) } catch (e) { window.__ltError = String(e) }`;
/**
 * A bench page loading `src` with a synchronous script tag; `before` runs in an inline script ahead
 * of t0. `manual`: the tag says data-auto-init="false" and the page times `atrack.init()` alone
 * (window.__init, ms), apart from parsing and running the bundle.
 */
const benchPage = (src, before = '', manual = false) => `<!doctype html>
<html><head><meta charset="utf-8"><title>A-Track bench</title>
<script>${OBSERVE_LONG_TASKS}</script>
${before ? `<script>${before}</script>` : ''}
<script>window.__t0 = performance.now()</script>
${src ? `<script src="${src}" data-key="__KEY__" data-api-host="__COLLECTOR__"${manual ? ' data-auto-init="false"' : ''}></script>` : ''}
${manual ? '<script>window.__i0 = performance.now(); window.atrack.init(); window.__init = performance.now() - window.__i0</script>' : ''}
<script>window.__t1 = performance.now(); window.__live = !!(window.atrack && typeof window.atrack.track == 'function' && !window.atrack.q)</script>
</head><body><h1>bench</h1></body></html>`;
/** What any page may already have paid before the SDK: ICU time zone data, the storage area, cookies. */
const PRIME = `Intl.DateTimeFormat().resolvedOptions().timeZone; localStorage.getItem('bench'); document.cookie = 'bench=1; path=/; SameSite=Lax'`;
/** Counts the page's fetch() calls and rejections (a rejected keepalive fetch never reaches the network). */
const COUNT_FETCH = `(function () { var f = window.fetch, s = (window.__fetches = { calls: 0, rejected: 0 });
  window.fetch = function () { s.calls++; return f.apply(this, arguments).catch(function (e) { s.rejected++; throw e }) } })()`;

// ——— small helpers ———

const median = (xs) => {
  const s = xs.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const finite = (xs) => xs.filter((x) => x != null && !Number.isNaN(x));
const num = (x, digits) => (x == null || Number.isNaN(x) ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
/** "median (min–max)", or the single value when all runs agree. */
const spread = (xs, digits) => {
  const ok = finite(xs);
  if (!ok.length) return '—';
  const lo = Math.min(...ok);
  const hi = Math.max(...ok);
  return lo === hi ? num(lo, digits) : `${num(median(ok), digits)} (${num(lo, digits)}–${num(hi, digits)})`;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => process.stderr.write(line + '\n');
const sha = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 12);

async function waitUntil(what, fn, timeoutMs, everyMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Everything printed, kept for bench/last-run.md. */
const out = [];
const print = (line = '') => {
  console.log(line);
  out.push(line);
};
/** A markdown table with aligned columns (readable in a terminal, renders as a table). */
function table(heading, headers, rows, notes = []) {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => '| ' + cells.map((x, c) => String(x).padEnd(widths[c])).join(' | ') + ' |';
  print();
  print(`### ${heading}`);
  print();
  print(line(headers));
  print('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) print(line(r));
  for (const n of notes) {
    print();
    print(n);
  }
}

/** Per-variant samples: samples.old, samples.now, each an array of run results. */
const bothVariants = () => Object.fromEntries(VARIANTS.map((v) => [v.id, []]));
const pick = (samples, id, key) => samples[id].map((r) => r[key]);
/** "(n runs)" for a heading. */
const runsOf = (samples) => `(${samples.now.length} run${samples.now.length == 1 ? '' : 's'})`;

/**
 * A budget: `text` shown, `ok(median of now)` judged. The cell says whether now meets it.
 * Without runs of "now" it says nothing.
 */
const budget = (text, ok) => ({ text, ok });
const budgetCell = (b, nowMedian) => (!b ? '—' : Number.isNaN(nowMedian) ? b.text : `${b.text} → now ${b.ok(nowMedian) ? 'met' : 'OVER'}`);
/** A weight-table row from per-variant samples. */
const weightRow = (samples, measure, key, digits, b) => [
  measure,
  ...VARIANTS.map((v) => spread(pick(samples, v.id, key), digits)),
  budgetCell(b, median(pick(samples, 'now', key))),
];
/** A detail-table row. */
const detailRow = (samples, measure, key, unit, digits) => [measure, ...VARIANTS.map((v) => spread(pick(samples, v.id, key), digits)), unit];
const WEIGHT_HEADERS = ['measure', ...VARIANTS.map((v) => v.label), 'budget'];
const DETAIL_HEADERS = ['measure', ...VARIANTS.map((v) => v.label), 'unit'];

function ensureBuilt() {
  const bundle = join(DIST, 'atrack.min.js');
  if (!existsSync(bundle) || !existsSync(join(DIST, 'index.js'))) {
    log('bench: dist/ is not built, building (npm run build)…');
    const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2], timeout: 180_000 });
    if (r.status !== 0 || !existsSync(bundle)) throw new Error('build failed (npm run build exited ' + r.status + ')');
  }
  const built = statSync(bundle).mtimeMs;
  const newer = readdirSync(join(ROOT, 'src'), { recursive: true })
    .filter((f) => statSync(join(ROOT, 'src', String(f))).isFile() && statSync(join(ROOT, 'src', String(f))).mtimeMs > built);
  return { built: new Date(built), newer: newer.map(String) };
}

// ——— size ———

const BROTLI = (size) => ({
  params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: size },
});
const weigh = (code) => ({ raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code, BROTLI(code.length)).length });

/** What `import { createATrack } from '@a-track/web'` adds to an app: bundled, tree-shaken, minified. */
async function esmImportCost(file) {
  const ENTRY = '\0bench-entry';
  const bundle = await rollup({
    input: ENTRY,
    plugins: [
      {
        name: 'bench-entry',
        resolveId: (id) => (id === ENTRY ? id : null),
        load: (id) => (id === ENTRY ? `export { createATrack } from ${JSON.stringify(file)};` : null),
      },
      nodeResolve({ browser: true }),
    ],
    // a dependency that does not resolve would be left out and the weight understated: fail instead
    onwarn: (warning) => {
      if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(`${file}: ${warning.message} (install it as a devDependency)`);
    },
  });
  try {
    const { output } = await bundle.generate({
      format: 'es',
      plugins: [terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } })],
    });
    const code = Buffer.from(output.filter((o) => o.type === 'chunk').map((o) => o.code).join('\n'));
    if (!/createATrack/.test(code.toString())) throw new Error(`${file}: the bundle does not export createATrack`);
    return weigh(code);
  } finally {
    await bundle.close();
  }
}

// ——— in-page probes (serialised by Playwright and run in the page) ———

/** Resolves when the page's queue is empty (initial /init and page_view delivered), at most 10 s. */
const FLUSH = () => Promise.race([window.atrack.flush(), new Promise((r) => setTimeout(r, 10_000))]);

/** Messages (null when the stored form is not known), characters and keys of the atrack_q1_* entries in localStorage. */
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
    try {
      const parsed = JSON.parse(v);
      const list = Array.isArray(parsed) ? parsed : parsed && Array.isArray(parsed.q) ? parsed.q : null;
      if (list && messages != null) messages += list.length;
      else if (!list && parsed && typeof parsed == 'object' && messages != null) messages = null;
    } catch {
      messages = null;
    }
  }
  return { messages, chars, keys };
};

/** The smallest step performance.now() takes in this page, and whether long tasks are observable. */
const PROBE = () => {
  let best = Infinity;
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    let b = a;
    while (b == a) b = performance.now();
    best = Math.min(best, b - a);
  }
  const types = (window.PerformanceObserver && window.PerformanceObserver.supportedEntryTypes) || [];
  return { resolution: best, isolated: !!window.crossOriginIsolated, longtask: types.includes('longtask'), ltError: window.__ltError || null };
};

/** Init timings of the script tag, and the long tasks from navigation to `watchMs` after the load event. */
const LOAD = async ({ src, watchMs }) => {
  const nav = performance.getEntriesByType('navigation')[0];
  const loadEnd = (nav && nav.loadEventEnd) || performance.now();
  await new Promise((r) => setTimeout(r, Math.max(0, loadEnd + watchMs - performance.now())));
  if (window.__ltObserver) for (const e of window.__ltObserver.takeRecords()) window.__lt.push([e.startTime, e.duration]);
  const inWindow = window.__lt.filter(([start]) => start <= loadEnd + watchMs);
  const entry = src && performance.getEntriesByType('resource').find((e) => e.name.includes(src));
  const ready = Math.max(window.__t0, entry ? entry.responseEnd : 0);
  return {
    total: window.__t1 - window.__t0, exec: window.__t1 - ready, live: window.__live,
    longest: inWindow.reduce((m, [, d]) => Math.max(m, d), 0), count: inWindow.length,
  };
};

/**
 * `n` track() calls in one synchronous loop, in a page task of its own; resolves when a
 * MessageChannel message posted just before the loop is handled (the page's next task). A fresh
 * long-task observer (not buffered) records what follows; LOOP_TASKS reads it.
 */
const LOOP = ({ n, name, tag }) =>
  new Promise((resolve) => {
    if (window.__loopObserver) window.__loopObserver.disconnect();
    const lt = (window.__loopLt = []);
    try {
      window.__loopObserver = new window.PerformanceObserver((list) => {
        for (const e of list.getEntries()) lt.push([e.startTime, e.duration]);
      });
      window.__loopObserver.observe({ type: 'longtask' });
    } catch {}
    const channel = new window.MessageChannel();
    setTimeout(() => {
      const a = window.atrack;
      let t0 = 0;
      let t1 = 0;
      channel.port1.onmessage = () => {
        const t2 = performance.now();
        channel.port1.close();
        resolve({ t0, t1, loop: t1 - t0, nextTask: t2 - t0 });
      };
      channel.port2.postMessage(0);
      t0 = performance.now();
      for (let i = 0; i < n; i++) a.track(name, { i, tag });
      t1 = performance.now();
    });
  });

/** The long task holding the loop (0 when under 50 ms) and the longest one starting after it, until `until` (ms after the loop). */
const LOOP_TASKS = ({ t0, t1, until }) => {
  if (window.__loopObserver) for (const e of window.__loopObserver.takeRecords()) window.__loopLt.push([e.startTime, e.duration]);
  const lt = window.__loopLt || [];
  const own = lt.filter(([s, d]) => s <= t0 && s + d >= t1).reduce((m, [, d]) => Math.max(m, d), 0);
  const later = lt.filter(([s]) => s > t0 && s <= t1 + until).reduce((m, [, d]) => Math.max(m, d), 0);
  return { own, later };
};

/** `n` track() calls in one loop, and how long the page stays busy afterwards. */
const BURST = async ({ n, name }) => {
  const a = window.atrack;
  let timerAt = 0;
  let microAt = 0;
  setTimeout(() => (timerAt = performance.now()));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) a.track(name, { i });
  const t1 = performance.now();
  // queued after any microtask the SDK queued during the loop
  Promise.resolve().then(() => (microAt = performance.now()));
  await new Promise((r) => setTimeout(r));
  const t2 = performance.now();
  return { loop: t1 - t0, perCall: ((t1 - t0) / n) * 1000, micro: microAt - t0, nextTask: timerAt - t0, awaited: t2 - t0 };
};

/** `samples` single track() calls, each in its own task (chained with MessageChannel); medians. */
const SINGLES = async ({ samples, name }) => {
  const sync = [];
  const micro = [];
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
    micro.push(microAt - t);
    nextTask.push(t2 - t);
  }
  channel.port1.close();
  return { sync: med(sync), micro: med(micro), nextTask: med(nextTask), idle: med(idle) };
};

// ——— the bench ———

async function main() {
  const started = Date.now();
  /** Time spent in table 2b, which the detail tables' time budget does not count. */
  let scriptSpent = 0;
  const elapsed = () => Date.now() - started - scriptSpent;
  const cleanups = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0)) {
      try {
        await cleanup();
      } catch {}
    }
  };
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${WATCHDOG_MS / 1000} s`);
    Promise.race([cleanUp(), sleep(5000)]).finally(() => process.exit(1));
  }, WATCHDOG_MS);
  watchdog.unref();

  try {
    const build = ensureBuilt();
    for (const v of VARIANTS) for (const f of [v.iife, v.esm]) if (!existsSync(f)) throw new Error(`missing ${f}`);

    // 1. Size (before the browser starts: rollup and terser take the CPU for a few seconds)
    log('bench: size…');
    const size = {};
    for (const v of VARIANTS) size[v.id] = { iife: weigh(readFileSync(v.iife)), esm: await esmImportCost(v.esm) };

    const previous = previousBuild();
    /** The builds of table 2b: 0.1.0, the previous one when asked, now. */
    const SCRIPT_VARIANTS = previous ? [VARIANTS[0], { ...previous, src: '/previous/atrack.min.js' }, VARIANTS[1]] : VARIANTS;

    const dataDir = mkdtempSync(join(os.tmpdir(), 'atrack-bench-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const collector = await startCollector({ port: 0, dataDir, quiet: true });
    cleanups.unshift(() => collector.close());
    const site = await startStaticServer({
      host: '127.0.0.1',
      port: 0,
      urlHost: 'localhost',
      resolveFile: (p) =>
        p.startsWith('/dist/') ? fileUnder(DIST, p.slice('/dist'.length))
          : p.startsWith('/baseline/') ? fileUnder(BASELINE, p.slice('/baseline'.length))
            : p == '/previous/atrack.min.js' && previous ? previous.iife : null,
      replacements: { __COLLECTOR__: collector.url, __KEY__: KEY },
    });
    cleanups.unshift(() => site.close());
    for (const v of VARIANTS) {
      site.page(`/${v.id}/bench.html`, benchPage(v.src));
      site.page(`/${v.id}/primed.html`, benchPage(v.src, PRIME));
      site.page(`/${v.id}/counted.html`, benchPage(v.src, COUNT_FETCH));
      site.page(`/${v.id}/manual.html`, benchPage(v.src, '', true));
    }
    site.page('/control.html', benchPage(''));
    // table 2b: the page tells when init() has resolved (the control page at once)
    const whenReady = '<script>window.__ready = null; (window.atrack ? window.atrack.init() : Promise.resolve()).then(function () { window.__ready = performance.now() })</script>';
    for (const v of SCRIPT_VARIANTS) site.page(`/${v.id}/script-time.html`, benchPage(v.src).replace('</head>', whenReady + '</head>'));
    site.page('/control/script-time.html', benchPage('').replace('</head>', whenReady + '</head>'));

    const browser = await chromium.launch({ executablePath: CHROMIUM || undefined, args: ARGS, timeout: 30_000 });
    cleanups.unshift(() => browser.close());

    /** A first visit in a fresh context: the page loaded, the client live, optionally its first messages delivered. */
    const visit = async (v, { flush = true, page: name = 'bench' } = {}) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        await page.goto(site.url(v ? `/${v.id}/${name}.html` : '/control.html'), { waitUntil: 'load', timeout: 20_000 });
        if (v && !(await page.evaluate(() => window.__live))) throw new Error(`${v.label}: window.atrack is not the live client after the script tag`);
        if (v && flush) await page.evaluate(FLUSH);
        return { context, page };
      } catch (error) {
        await context.close().catch(() => {});
        throw error;
      }
    };
    /**
     * Runs `fn(variant, run)` for `runs` runs, both variants per run, the one that goes first
     * alternating (the second page of a pair would otherwise pay for the first one's teardown), with
     * a pause after each page; collects the results per variant.
     */
    const each = async (runs, fn, mayStart = () => true) => {
      const samples = bothVariants();
      for (let i = 0; i < runs && mayStart(i); i++) {
        for (const v of i % 2 ? [...VARIANTS].reverse() : VARIANTS) {
          samples[v.id].push(await fn(v, i));
          await sleep(SETTLE_MS);
        }
      }
      return samples;
    };
    const detailBudget = (what) => (i) => {
      const ok = i === 0 ? elapsed() < DETAILS_HARD_MS : elapsed() < DETAILS_SOFT_MS;
      if (!ok) log(`bench: ${what}: stopping after ${i} runs (time budget)`);
      return ok;
    };

    const probePage = await visit(VARIANTS[1], { flush: false });
    const probe = await probePage.page.evaluate(PROBE);
    await probePage.context.close();
    if (!probe.longtask) throw new Error(`this browser does not report 'longtask' entries${probe.ltError ? ': ' + probe.ltError : ''}`);

    const cpus = os.cpus();
    const codes = Object.fromEntries(VARIANTS.map((v) => [v.id, readFileSync(v.iife)]));
    print('# A-Track web SDK bench');
    print();
    print(`- date: ${new Date().toISOString()}`);
    print(`- machine: ${cpus.length} cores (${cpus[0]?.model.trim() || 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`);
    print(`- load average at start: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (1/5/15 min; other work on this machine makes every figure noisier)`);
    print(`- node ${process.version}; playwright-core ${JSON.parse(readFileSync(join(ROOT, 'node_modules/playwright-core/package.json'), 'utf8')).version}; Chromium ${browser.version()} (${CHROMIUM || "Playwright's own"}), headless`);
    print(`- pages ${site.origin} → collector ${collector.url} (cross-site); a fresh browser context per page`);
    print(`- performance.now() resolution in the page: ${(probe.resolution * 1000).toFixed(0)} µs${probe.isolated ? '' : ' (not cross-origin isolated)'}`);
    print(`- 0.1.0: bench/baseline/atrack-0.1.0.min.js (sha256 ${sha(codes.old)}) and bench/baseline/index-0.1.0.js`);
    print(`- now: dist/atrack.min.js (sha256 ${sha(codes.now)}${codes.now.equals(codes.old) ? ', byte for byte the 0.1.0 build' : ''}), built ${build.built.toISOString()}` +
      (build.newer.length ? `; NOTE src/ is newer than it: ${build.newer.slice(0, 5).join(', ')}${build.newer.length > 5 ? ', …' : ''} (run npm run build)` : ''));
    print(`- cells: median (min–max) over the runs; budgets (issue 9) judged on the median of "now"`);

    // 2. Load on a cold page
    log('bench: load on a cold page…');
    const load = await each(RUNS, async (v) => {
      const { context, page } = await visit(v, { flush: false });
      try {
        const r = await page.evaluate(LOAD, { src: v.src, watchMs: LOAD_WATCH_MS });
        if (!r.live) throw new Error(`${v.label}: window.atrack was not live right after the script tag`);
        return r;
      } finally {
        await context.close();
      }
    });
    // init() alone, on a cold page whose tag does not initialise by itself
    const manual = await each(RUNS, async (v) => {
      const { context, page } = await visit(v, { flush: false, page: 'manual' });
      try {
        return { init: await page.evaluate(() => window.__init) };
      } finally {
        await context.close();
      }
    });
    const control = [];
    for (let i = 0; i < RUNS; i++) {
      const { context, page } = await visit(null);
      control.push(await page.evaluate(LOAD, { src: '', watchMs: LOAD_WATCH_MS }));
      await context.close();
      await sleep(SETTLE_MS);
    }

    // 2b. Script time of a page load (CDP ScriptDuration), first visit then returning, every build
    log('bench: script time of a page load…');
    /** ScriptDuration in ms of loading `path` in `page` until init() resolved + 1 s, and the longest task then. */
    const scriptTime = async (page, cdp, path) => {
      const metric = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name == 'ScriptDuration').value * 1000;
      const before = await metric();
      await page.goto(site.url(path), { waitUntil: 'load', timeout: 20_000 });
      await page.evaluate(READY_THEN, { watchMs: LOAD_WATCH_MS });
      const after = await metric();
      const longest = await page.evaluate(() => window.__lt.reduce((m, [, d]) => Math.max(m, d), 0));
      // the metric adds up over the navigations of a renderer, and starts again in a new one
      return { ms: after >= before ? after - before : after, longest };
    };
    const scriptStart = Date.now();
    const scripts = Object.fromEntries([...SCRIPT_VARIANTS, { id: 'control' }].map((v) => [v.id, []]));
    for (let i = 0; i < SCRIPT_RUNS; i++) {
      const order = [...SCRIPT_VARIANTS, { id: 'control' }];
      for (const v of i % 2 ? order.reverse() : order) {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          page.setDefaultTimeout(20_000);
          const cdp = await context.newCDPSession(page);
          await cdp.send('Performance.enable');
          const first = await scriptTime(page, cdp, `/${v.id}/script-time.html`);
          const again = await scriptTime(page, cdp, `/${v.id}/script-time.html`);
          scripts[v.id].push({ first: first.ms, again: again.ms, longest: Math.max(first.longest, again.longest) });
        } finally {
          await context.close();
        }
        await sleep(SETTLE_MS);
      }
    }
    scriptSpent = Date.now() - scriptStart;

    // 3. /init + 20 events: preflights and bytes
    log('bench: /init + 20 events…');
    await sleep(200); // stragglers of closed pages
    let wireFallback = false;
    const wire = await each(RUNS, async (v, i) => {
      collector.reset();
      const context = await browser.newContext();
      const posts = [];
      context.on('requestfinished', (request) => {
        if (request.method() !== 'POST' || !request.url().startsWith(collector.url)) return;
        const body = request.postDataBuffer();
        posts.push({ path: new URL(request.url()).pathname, bytes: body ? body.length : NaN });
      });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        await page.goto(site.url(`/${v.id}/bench.html`), { waitUntil: 'load', timeout: 20_000 });
        const tag = `w-${v.id}-${i}`;
        await page.evaluate(({ n, tag }) => {
          for (let j = 0; j < n; j++) window.atrack.track('bench_wire', { i: j, tag });
        }, { n: EVENTS_20, tag });
        const ids = (filter) => new Set(collector.events(filter).map((r) => r.body.messageId)).size;
        const tagged = (r) => r.body.attributes && r.body.attributes.tag === tag;
        try {
          await waitUntil('/init, page_view and 20 events', () =>
            ids({ path: '/init' }) >= 1 && ids({ event: 'page_view' }) >= 1 && ids(tagged) >= EVENTS_20, ARRIVAL_TIMEOUT_MS);
        } catch (error) {
          log(`bench: ${v.label}: ${error.message}`);
        }
        await sleep(250); // late preflights and duplicates
        const requests = collector.requests();
        const received = requests.filter((r) => r.method === 'POST').length;
        let complete = true;
        try {
          await waitUntil('the browser to report every POST', () => posts.length >= received, 3000);
        } catch {
          complete = false;
        }
        const messages = ids({ path: '/init' }) + ids({ path: '/event' });
        if (!complete || posts.some((p) => Number.isNaN(p.bytes))) {
          // the browser did not expose a body: weigh the messages the collector stored, serialised again
          wireFallback = true;
          posts.splice(0, posts.length, ...collector.events().map((r) => ({ path: r.path, bytes: Buffer.byteLength(JSON.stringify(r.body)) })));
        }
        const events = posts.filter((p) => p.path === '/event');
        const bytes = posts.reduce((s, p) => s + p.bytes, 0);
        return {
          options: requests.filter((r) => r.method === 'OPTIONS').length,
          posts: requests.filter((r) => r.method === 'POST').length,
          messages,
          bytes,
          perEvent: events.reduce((s, p) => s + p.bytes, 0) / events.length,
          perMessage: bytes / Math.max(1, posts.length),
          init: posts.filter((p) => p.path === '/init').reduce((s, p) => s + p.bytes, 0),
        };
      } finally {
        await context.close();
      }
    });

    // 4. 1,000 track() in one loop, cold then warm
    log('bench: 1,000 track() in one loop…');
    const loops = await each(RUNS, async (v, i) => {
      const { context, page } = await visit(v);
      try {
        collector.reset();
        const result = {};
        for (const phase of ['cold', 'warm']) {
          const tag = `l-${v.id}-${i}-${phase}`;
          const beforeLoop = Date.now();
          const r = await page.evaluate(LOOP, { n: LOOP_N, name: 'bench_loop', tag });
          await sleep(AFTER_LOOP_MS);
          const tasks = await page.evaluate(LOOP_TASKS, { t0: r.t0, t1: r.t1, until: AFTER_LOOP_MS });
          Object.assign(result, { [phase + 'Loop']: r.loop, [phase + 'Next']: r.nextTask, [phase + 'Own']: tasks.own, [phase + 'Later']: tasks.later });
          if (phase === 'cold') {
            // the warm loop starts with an empty queue: wait until all 1,000 arrived
            const mine = () => collector.events((x) => x.body.attributes && x.body.attributes.tag === tag);
            const arrived = () => new Set(mine().map((x) => x.body.messageId)).size;
            let drained = NaN;
            try {
              await waitUntil(`${LOOP_N} events`, () => arrived() >= LOOP_N, DRAIN_TIMEOUT_MS);
              drained = Math.max(...mine().map((x) => Date.parse(x.receivedAt))) - beforeLoop;
            } catch (error) {
              log(`bench: ${v.label}: ${error.message} (${arrived()} arrived)`);
            }
            const untilDrained = await page.evaluate(LOOP_TASKS, { t0: r.t0, t1: r.t1, until: 1e9 });
            Object.assign(result, { drained, drainLongest: untilDrained.later });
            await page.evaluate(FLUSH);
          }
        }
        return result;
      } finally {
        await context.close();
      }
    });

    const sizeRows = [];
    const sizeRow = (measure, get, b) => [measure, ...VARIANTS.map((v) => `${num(get(size[v.id]), 0)} B`), budgetCell(b, get(size.now))];
    sizeRows.push(sizeRow('dist/atrack.min.js (script tag), raw', (s) => s.iife.raw));
    sizeRows.push(sizeRow('dist/atrack.min.js, gzip -9', (s) => s.iife.gzip));
    sizeRows.push(sizeRow('dist/atrack.min.js, brotli 11', (s) => s.iife.brotli, budget('≤ 6,500 B', (x) => x <= 6500)));
    sizeRows.push(sizeRow('ESM: import { createATrack }, bundled + terser, raw', (s) => s.esm.raw));
    sizeRows.push(sizeRow('ESM: import { createATrack }, gzip -9', (s) => s.esm.gzip));
    sizeRows.push(sizeRow('ESM: import { createATrack }, brotli 11', (s) => s.esm.brotli));
    table('1. Size', WEIGHT_HEADERS, sizeRows, [
      'ESM = `export { createATrack } from \'dist/index.js\'` bundled by rollup with its dependencies resolved (browser builds), minified by terser (defaults, 2 passes); what an app pays for the import.',
    ]);

    const noLongTask = budget('0: no long task > 50 ms', (x) => x === 0);
    table(`2. Load on a cold page: synchronous script tag, fresh context ${runsOf(load)}, ms`, WEIGHT_HEADERS, [
      weightRow(load, 't1 − t0, incl. fetching the bundle from localhost', 'total', 1),
      weightRow(manual, '`init()` alone, synchronous (data-auto-init="false", then atrack.init())', 'init', 1, budget('≤ 5 ms', (x) => x <= 5)),
      weightRow(load, 'eval + init: parsing and running the bundle, constructor, init() (after responseEnd)', 'exec', 1),
      weightRow(load, `longest task, navigation → load + ${LOAD_WATCH_MS / 1000} s (0 = none > 50 ms)`, 'longest', 1, noLongTask),
      weightRow(load, 'long tasks in that time (count)', 'count', 0),
    ], [
      `Control, the same page without the SDK: longest task ${spread(control.map((r) => r.longest), 1)} ms, ${spread(control.map((r) => r.count), 0)} long tasks.`,
    ]);

    const scriptRow = (measure, key, digits, b) => [
      measure,
      ...SCRIPT_VARIANTS.map((v) => spread(scripts[v.id].map((r) => r[key]), digits)),
      spread(scripts.control.map((r) => r[key]), digits),
      budgetCell(b, median(scripts.now.map((r) => r[key]))),
    ];
    const scriptBudget = budget(`≤ ${SCRIPT_BUDGET_MS} ms (Segment's)`, (x) => x <= SCRIPT_BUDGET_MS);
    table(`2b. Script time of a page load: CDP ScriptDuration, navigation → init() resolved + ${LOAD_WATCH_MS / 1000} s (${scripts.now.length} runs), ms`,
      ['measure', ...SCRIPT_VARIANTS.map((v) => v.label), 'no SDK', 'budget'], [
        scriptRow('first visit (fresh context)', 'first', 1, scriptBudget),
        scriptRow('returning visitor (the same page again)', 'again', 1, scriptBudget),
        scriptRow('longest task in both (0 = none > 50 ms)', 'longest', 1, noLongTask),
      ], [
        'ScriptDuration is the time the renderer spent running script (compiling and running the bundle, init(), its later tasks, the first sends), ' +
        'as Chrome DevTools\' Performance panel counts it. Issue 15 measured main at 30.3 ms, Amplitude 14.6, Segment 9.3, Plausible 0.2 with the same measure.' +
        (previous ? '' : ' BENCH_PREVIOUS=<git ref> (e.g. main) adds that build beside these.'),
      ]);

    table(`3. /init + ${EVENTS_20} events on a first visit: auto-init sends /init and a page_view, then ${EVENTS_20} track() in one task ${runsOf(wire)}`, WEIGHT_HEADERS, [
      weightRow(wire, 'CORS preflights (OPTIONS at the collector)', 'options', 0, budget('0', (x) => x === 0)),
      weightRow(wire, `messages arrived (expected ${EVENTS_20 + 2})`, 'messages', 0),
      weightRow(wire, 'POST requests', 'posts', 0),
      weightRow(wire, 'POST body bytes, total', 'bytes', 0),
      weightRow(wire, 'POST body bytes per event (mean of /event)', 'perEvent', 0),
      weightRow(wire, 'POST body bytes of /init', 'init', 0),
    ], [
      'Bytes are the request bodies as the browser sent them (Playwright requestfinished), headers and URL not counted.' +
      (wireFallback ? ' NOTE: in some runs the browser did not report every body; there the messages the collector stored were weighed, serialised again.' : ''),
    ]);

    const laterBudget = budget('0: none > 50 ms', (x) => x === 0);
    table(`4. ${num(LOOP_N, 0)} track() in one loop, in a page task of its own, queue empty ${runsOf(loops)}, ms`, WEIGHT_HEADERS, [
      weightRow(loops, 'cold (first calls on the page): sync loop', 'coldLoop', 1),
      weightRow(loops, 'cold: until the page\'s next task runs', 'coldNext', 1),
      weightRow(loops, 'cold: the loop\'s task (0 = under 50 ms)', 'coldOwn', 1, noLongTask),
      weightRow(loops, `cold: longest later task, ${AFTER_LOOP_MS / 1000} s after the loop`, 'coldLater', 1, laterBudget),
      weightRow(loops, `cold: until all ${num(LOOP_N, 0)} arrived at the collector`, 'drained', 0),
      weightRow(loops, 'cold: longest later task until then', 'drainLongest', 1, laterBudget),
      weightRow(loops, 'warm (1,000 more, same page): sync loop', 'warmLoop', 1, budget('≤ 5 ms', (x) => x <= 5)),
      weightRow(loops, 'warm: until the page\'s next task runs', 'warmNext', 1),
      weightRow(loops, 'warm: the loop\'s task (0 = under 50 ms)', 'warmOwn', 1, noLongTask),
      weightRow(loops, `warm: longest later task, ${AFTER_LOOP_MS / 1000} s after the loop`, 'warmLater', 1, laterBudget),
    ], [
      '"Until the page\'s next task": a MessageChannel message posted just before the loop; work the SDK keeps in the loop\'s task (microtasks) delays it, work moved to later tasks does not. ' +
      '"The loop\'s task" is the long task holding the loop and whatever ran before the page got its turn back.',
    ]);

    // ——— details ———
    if (DETAIL_RUNS > 0) {
      print();
      print(`## Details (up to ${DETAIL_RUNS} runs each, fewer when the time budget is spent)`);

      log('bench: init details…');
      const readInit = (page, src) =>
        page.evaluate(({ src }) => {
          const entry = performance.getEntriesByType('resource').find((e) => e.name.includes(src));
          return { total: window.__t1 - window.__t0, exec: window.__t1 - Math.max(window.__t0, entry ? entry.responseEnd : 0), live: window.__live };
        }, { src });
      const inits = await each(DETAIL_RUNS, async (v) => {
        let { context, page } = await visit(v, { flush: false, page: 'primed' });
        const primed = await readInit(page, v.src);
        await context.close();
        ({ context, page } = await visit(v));
        try {
          await page.reload({ waitUntil: 'load' });
          const again = await readInit(page, v.src);
          if (!primed.live || !again.live) throw new Error(`${v.label}: window.atrack was not live right after the script tag`);
          return { primedExec: primed.exec, againTotal: again.total, againExec: again.exec };
        } finally {
          await context.close();
        }
      }, detailBudget('init details'));
      table(`5. Init details ${runsOf(inits)}, ms`, DETAIL_HEADERS, [
        detailRow(inits, 'first visit, Intl/localStorage/cookie touched before t0: eval + init', 'primedExec', 'ms', 1),
        detailRow(inits, 'returning visitor (reload): t1 − t0', 'againTotal', 'ms', 1),
        detailRow(inits, 'returning visitor (reload): eval + init', 'againExec', 'ms', 1),
      ]);

      log('bench: hot path details…');
      const hot = await each(DETAIL_RUNS, async (v) => {
        let { context, page } = await visit(v);
        const single = await page.evaluate(SINGLES, { samples: SINGLE_SAMPLES, name: 'bench_single' });
        await context.close();
        ({ context, page } = await visit(v));
        try {
          const k10 = await page.evaluate(BURST, { n: 10_000, name: 'bench' });
          const queue = await page.evaluate(QUEUE);
          return {
            sSync: single.sync * 1000, sMicro: single.micro * 1000, sNext: single.nextTask * 1000, sIdle: single.idle * 1000,
            k10Loop: k10.loop, k10PerCall: k10.perCall, k10Micro: k10.micro, k10Next: k10.nextTask, k10Await: k10.awaited,
            qLen: queue.messages ?? NaN, qChars: queue.chars / 1000, qKeys: queue.keys,
          };
        } finally {
          await context.close();
        }
      }, detailBudget('hot path details'));
      table(`6. Hot path details: online, queue empty before each measure ${runsOf(hot)}`, DETAIL_HEADERS, [
        detailRow(hot, `1 call per task (median of ${SINGLE_SAMPLES}): sync`, 'sSync', 'µs', 0),
        detailRow(hot, '1 call per task: + the microtasks queued by then', 'sMicro', 'µs', 0),
        detailRow(hot, '1 call per task: until the next task runs', 'sNext', 'µs', 0),
        detailRow(hot, '  (the same task round trip without track())', 'sIdle', 'µs', 0),
        detailRow(hot, '10,000-call burst: sync loop', 'k10Loop', 'ms', 1),
        detailRow(hot, '10,000-call burst: per call', 'k10PerCall', 'µs', 2),
        detailRow(hot, '10,000-call burst: + the microtasks queued by then', 'k10Micro', 'ms', 1),
        detailRow(hot, '10,000-call burst: until next task (setTimeout posted before)', 'k10Next', 'ms', 1),
        detailRow(hot, '10,000-call burst: until await setTimeout (page frozen)', 'k10Await', 'ms', 1),
        detailRow(hot, '10,000-call burst: queue length after (cap 1,000)', 'qLen', 'messages', 0),
        detailRow(hot, '10,000-call burst: queue size in localStorage', 'qChars', 'k chars', 0),
        detailRow(hot, '10,000-call burst: atrack_q1_* keys', 'qKeys', 'keys', 0),
      ]);

      log('bench: delivery throughput…');
      const tput = await each(DETAIL_RUNS, async (v, i) => {
        const { context, page } = await visit(v, { page: 'counted' });
        try {
          await sleep(50); // let the initial requests' log entries settle before the reset
          collector.reset();
          const before = await page.evaluate(() => ({ ...window.__fetches }));
          const t0 = Date.now();
          const tag = `t-${v.id}-${i}`;
          await page.evaluate(({ n, tag }) => {
            for (let j = 0; j < n; j++) window.atrack.track('bench_tp', { i: j, tag });
          }, { n: THROUGHPUT_N, tag });
          const mine = (r) => r.body.attributes && r.body.attributes.tag === tag;
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
          const fetches = await page.evaluate(() => ({ ...window.__fetches }));
          const times = arrived.map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
          const ids = new Set(arrived.map((r) => r.body.messageId));
          const last = times.length ? times[times.length - 1] - t0 : NaN;
          const order = arrived.map((r) => r.body.attributes.i);
          return {
            elapsed: last, first: times.length ? times[0] - t0 : NaN, rate: (ids.size / Math.max(1, last)) * 1000,
            gap: times.reduce((g, t, j) => (j ? Math.max(g, t - times[j - 1]) : g), 0),
            calls: fetches.calls - before.calls, rejected: fetches.rejected - before.rejected,
            posts: requests.filter((r) => r.method == 'POST' && r.path == '/event').length,
            options: requests.filter((r) => r.method == 'OPTIONS').length,
            failed: requests.filter((r) => r.method == 'POST' && !(r.status >= 200 && r.status < 300)).length,
            dups: requests.filter((r) => r.duplicate).length, lost: THROUGHPUT_N - ids.size,
            outOfOrder: order.filter((x, j) => j && x < order[j - 1]).length,
          };
        } finally {
          await context.close();
        }
      }, detailBudget('throughput'));
      table(`7. Delivery throughput: ${THROUGHPUT_N} track() calls in one burst → reference collector ${runsOf(tput)}`, DETAIL_HEADERS, [
        detailRow(tput, 'elapsed until the last event arrived', 'elapsed', 'ms', 0),
        detailRow(tput, 'time to the first event', 'first', 'ms', 0),
        detailRow(tput, 'throughput', 'rate', 'events/s', 0),
        detailRow(tput, 'longest pause between two arrivals', 'gap', 'ms', 0),
        detailRow(tput, 'fetch() calls made by the page', 'calls', 'calls', 0),
        detailRow(tput, 'fetch() calls rejected in the page (never sent)', 'rejected', 'calls', 0),
        detailRow(tput, 'POST /event requests', 'posts', 'requests', 0),
        detailRow(tput, 'OPTIONS preflights', 'options', 'requests', 0),
        detailRow(tput, 'non-2xx / aborted POSTs', 'failed', 'requests', 0),
        detailRow(tput, 'duplicates (messageId seen again)', 'dups', 'requests', 0),
        detailRow(tput, 'events arrived out of track() order', 'outOfOrder', 'events', 0),
        detailRow(tput, `lost (missing after ${THROUGHPUT_TIMEOUT_MS / 1000} s)`, 'lost', 'events', 0),
      ]);

      log('bench: offline with 900 queued…');
      /** Waits until the stored queue holds at least `n` messages (or, when its form is unknown, 1.1 s). */
      const stored = async (page, n) => {
        try {
          await waitUntil(`${n} queued`, async () => {
            const q = await page.evaluate(QUEUE);
            return q.messages == null ? true : q.messages >= n;
          }, 3000, 50);
        } catch {}
        if ((await page.evaluate(QUEUE)).messages == null) await sleep(1100);
        return page.evaluate(QUEUE);
      };
      const off = await each(DETAIL_RUNS, async (v) => {
        const { context, page } = await visit(v);
        try {
          await context.setOffline(true);
          if (await page.evaluate(() => navigator.onLine)) throw new Error('setOffline(true) did not take');
          const empty = await page.evaluate(SINGLES, { samples: SINGLE_SAMPLES, name: 'bench_off' });
          await page.evaluate(BURST, { n: 900 - SINGLE_SAMPLES, name: 'bench_fill' });
          const before = await stored(page, 900);
          const full = await page.evaluate(SINGLES, { samples: SINGLE_SAMPLES, name: 'bench_off' });
          const k1 = await page.evaluate(BURST, { n: 1000, name: 'bench_off' });
          const after = await stored(page, 1000);
          return {
            eSync: empty.sync * 1000, eMicro: empty.micro * 1000, fSync: full.sync * 1000, fMicro: full.micro * 1000, fNext: full.nextTask * 1000,
            before: before.messages ?? NaN, beforeChars: before.chars / 1000,
            k1Loop: k1.loop, k1PerCall: k1.perCall, k1Micro: k1.micro, k1Await: k1.awaited, after: after.messages ?? NaN, afterChars: after.chars / 1000,
          };
        } finally {
          await context.close();
        }
      }, detailBudget('offline'));
      table(`8. Hot path offline (context.setOffline(true)), with a full queue ${runsOf(off)}`, DETAIL_HEADERS, [
        detailRow(off, `queue ~0→${SINGLE_SAMPLES}: 1 call per task, sync`, 'eSync', 'µs', 0),
        detailRow(off, `queue ~0→${SINGLE_SAMPLES}: 1 call per task, + the microtasks queued by then`, 'eMicro', 'µs', 0),
        detailRow(off, 'queue before (must be 900)', 'before', 'messages', 0),
        detailRow(off, 'queue before: size in localStorage', 'beforeChars', 'k chars', 0),
        detailRow(off, `queue 900→${900 + SINGLE_SAMPLES}: 1 call per task, sync`, 'fSync', 'µs', 0),
        detailRow(off, `queue 900→${900 + SINGLE_SAMPLES}: 1 call per task, + the microtasks queued by then`, 'fMicro', 'µs', 0),
        detailRow(off, `queue 900→${900 + SINGLE_SAMPLES}: until the next task runs`, 'fNext', 'µs', 0),
        detailRow(off, '+1,000 calls: sync loop', 'k1Loop', 'ms', 1),
        detailRow(off, '+1,000 calls: per call', 'k1PerCall', 'µs', 2),
        detailRow(off, '+1,000 calls: + the microtasks queued by then', 'k1Micro', 'ms', 1),
        detailRow(off, '+1,000 calls: until await setTimeout', 'k1Await', 'ms', 1),
        detailRow(off, 'queue after (cap 1,000)', 'after', 'messages', 0),
        detailRow(off, 'queue after: size in localStorage', 'afterChars', 'k chars', 0),
      ]);
    }

    // the backlog (issue 14), previous build beside now: bench/backlog.mjs
    if (BACKLOG_RUNS > 0) {
      await backlog({ browser, site, collector, benchPage, visit, now: VARIANTS[1], log, sleep, waitUntil, settleMs: SETTLE_MS, table, spread, median, budget, budgetCell, num, sha });
    }

    print();
    print(`bench: done in ${((Date.now() - started) / 1000).toFixed(1)} s; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    writeFileSync(REPORT, out.join('\n') + '\n');
    log(`bench: tables written to ${REPORT}`);
  } finally {
    await cleanUp();
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
