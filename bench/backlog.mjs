// The backlog section of `npm run bench` (issue 14 part 4): what a backlog costs a page in
// localStorage writes and in long tasks, for the previous build (bench/baseline/atrack-prev.min.js,
// commit ee0f13a: one queue key per tab, rewritten whole) beside now (dist/), in the same run.
//
// It reads no queue format. An inline script ahead of the SDK wraps Storage.prototype.setItem and
// logs every write of a key starting with atrack_ (key.length + value.length: characters, bytes for
// this ASCII content) with its time. The messages' bytes are the bodies the collector accepted, one
// per messageId, serialised again with JSON.stringify. An outage is the collector unreachable:
// context.route aborts every request to it (navigator.onLine stays true, the SDK backs off as it
// would for a server down); context.unroute ends it and the SDK's own retry delivers.
//
// 1. 100 and 1,000 events tracked during an outage of BENCH_OUTAGE_MS (default 6 s; 50 track() per
//    task, tasks chained with MessageChannel), then the outage ends and everything is delivered:
//    bytes written from the first call until all arrived + 2 s, ÷ the messages' bytes; the longest
//    'longtask' entry (the page's buffered observer) overlapping that time (0: none over 50 ms).
// 2. 1,000 track() in one loop online, in a task of its own: the same ratio and longest task, and
//    the synchronous loop.
// 3. 300 tracked during an outage (50 per task); 2 s after the last call a window of
//    BENCH_BACKLOG_IDLE_MS (default 60 s) opens, with nothing new: bytes written in it ÷ the 300
//    messages' bytes. Run once per bench, both builds at the same time in contexts of their own,
//    while 1–2 run (these pages are idle, and long tasks are timed in the measured page's own
//    renderer). After 1–2 and the window the outage ends, with an offline/online flip so a backoff
//    grown through the long outage (up to 60 s) does not hold the delivery back, and the 300 are
//    delivered and weighed.
// Once per run a control page without the SDK times a task of fixed work every 50 ms for 10 s:
// what this machine's load makes of a task of known size, to read the longest tasks against.
//
// BENCH_BACKLOG=0 skips the section; BENCH_BACKLOG_RUNS (default 3) is the runs of 1–2, each run
// measuring both builds, the one that goes first alternating.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intEnv } from './env.mjs';
export const BACKLOG_RUNS = process.env.BENCH_BACKLOG === '0' ? 0 : Math.max(1, intEnv('BENCH_BACKLOG_RUNS', 3, 25));
const OUTAGE_MS = intEnv('BENCH_OUTAGE_MS', 6000, 60_000);
const IDLE_MS = intEnv('BENCH_BACKLOG_IDLE_MS', 60_000, 600_000);
const PER_TASK = 50;
const OUTAGE_SIZES = [100, 1000];
const BURST_N = 1000;
const IDLE_N = 300;
/** Long tasks after the delivery still count: they come late. */
const TAIL_MS = 2000;
/** From the last call of the 300 to the start of the idle window: their own writes are done by then. */
const STORED_AFTER_MS = 2000;
const DELIVERY_TIMEOUT_MS = 60_000;
/**
 * A page without the SDK runs a task of fixed work (JSON of fifty 600-character messages, 20 times)
 * every 50 ms for this long, once per run: its median is what the work costs, its longest what this
 * machine's load makes of a task of that size; the long tasks of the measured pages read against it.
 */
const CONTROL_MS = 10_000;
/** What the section may add to the bench's watchdog. */
export const BACKLOG_WATCHDOG_MS = BACKLOG_RUNS ? 120_000 + IDLE_MS + BACKLOG_RUNS * (CONTROL_MS + 2 * (150_000 + 2 * OUTAGE_MS)) : 0;

const BASELINE = fileURLToPath(new URL('baseline/', import.meta.url));
/** The build before the chunked queue (commit ee0f13a), kept in bench/baseline/. */
export const PREVIOUS = { id: 'prev', label: 'previous', iife: join(BASELINE, 'atrack-prev.min.js'), src: '/baseline/atrack-prev.min.js' };

/** Logs every atrack_* setItem as [performance.now(), key.length + value.length]; runs before the SDK. */
const COUNT_WRITES = `(function () { var set = Storage.prototype.setItem, writes = (window.__writes = []);
  Storage.prototype.setItem = function (key, value) { key = String(key); value = String(value);
    if (key.indexOf('atrack_') == 0) writes.push([performance.now(), key.length + value.length]);
    return set.call(this, key, value) } })()`;

// ——— in-page probes ———

/** `n` track() calls, `per` per task, the tasks chained with MessageChannel; the first call's and the last call's time. */
const TRACK_IN_TASKS = ({ n, per, tag }) =>
  new Promise((resolve) => {
    const channel = new window.MessageChannel();
    let done = 0;
    let t0 = 0;
    channel.port1.onmessage = () => {
      if (!done) t0 = performance.now();
      for (const end = Math.min(n, done + per); done < end; done++) window.atrack.track('bench_backlog', { i: done, tag });
      if (done < n) return channel.port2.postMessage(0);
      channel.port1.close();
      resolve({ t0, t1: performance.now() });
    };
    setTimeout(() => channel.port2.postMessage(0));
  });

/** `n` track() calls in one loop, in a task of its own. */
const LOOP_ONCE = ({ n, tag }) =>
  new Promise((resolve) =>
    setTimeout(() => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) window.atrack.track('bench_backlog', { i, tag });
      resolve({ t0, t1: performance.now() });
    }),
  );

/** The atrack_* writes between `from` and `to` (page time), and the longest long task overlapping them. */
const WINDOW = ({ from, to }) => {
  if (window.__ltObserver) for (const e of window.__ltObserver.takeRecords()) window.__lt.push([e.startTime, e.duration]);
  const longest = window.__lt.filter(([start, duration]) => start + duration >= from && start <= to).sort((a, b) => b[1] - a[1])[0];
  const writes = (window.__writes || []).filter(([at]) => at >= from && at <= to);
  return {
    written: writes.reduce((sum, [, chars]) => sum + chars, 0),
    calls: writes.length,
    largest: writes.reduce((max, [, chars]) => Math.max(max, chars), 0),
    longest: longest ? longest[1] : 0,
    longestAt: longest ? Math.max(0, longest[0] - from) : NaN, // the task holding the first call starts before it
    visible: document.visibilityState,
  };
};
const EVER = 1e15;

/** The control's fixed-work tasks for `ms`: their durations, measured around the work. */
const FIXED_WORK = ({ ms }) =>
  new Promise((resolve) => {
    const messages = Array.from({ length: 50 }, (_, i) => ({ event: 'bench_control', attributes: { i, text: 'x'.repeat(600) } }));
    const durations = [];
    const end = performance.now() + ms;
    const tick = () => {
      const t0 = performance.now();
      for (let k = 0; k < 20; k++) JSON.parse(JSON.stringify(messages));
      durations.push(performance.now() - t0);
      if (performance.now() < end) setTimeout(tick, 50);
      else resolve(durations.sort((a, b) => a - b));
    };
    setTimeout(tick, 50);
  });

/**
 * Measures the backlog for the previous build and now, and prints its two tables.
 * `bench` is what run.mjs has set up: browser, site, collector, benchPage, visit, now (its variant),
 * log, sleep, waitUntil, settleMs, and the table helpers (table, spread, median, budget, budgetCell, num, sha).
 */
export async function backlog(bench) {
  const { site, collector, visit, log, sleep, waitUntil } = bench;
  const variants = [PREVIOUS, bench.now];
  for (const v of variants) site.page(`/${v.id}/backlog.html`, bench.benchPage(v.src, COUNT_WRITES));
  const toCollector = (url) => url.href.startsWith(collector.url + '/');
  const abort = (route) => route.abort('connectionrefused');
  const open = async (v) => {
    const opened = await visit(v, { page: 'backlog' });
    if ((await opened.page.evaluate(() => document.visibilityState)) !== 'visible') log(`bench: backlog: ${v.label}: the page is not visible (the SDK may behave as on a hidden tab)`);
    return opened;
  };

  /** Waits (bounded) until `n` messages tagged `tag` arrived; their count and bytes, and when. */
  const delivered = async (tag, n) => {
    const arrived = () => {
      const byId = new Map();
      for (const record of collector.events((r) => r.body.attributes && r.body.attributes.tag === tag)) byId.set(record.body.messageId, record.body);
      return byId;
    };
    try {
      await waitUntil(`${n} messages tagged ${tag}`, () => arrived().size >= n, DELIVERY_TIMEOUT_MS, 100);
    } catch (error) {
      log(`bench: backlog: ${error.message} (${arrived().size} arrived)`);
    }
    const at = Date.now();
    const bodies = [...arrived().values()];
    return { at, count: bodies.length, bytes: bodies.reduce((sum, body) => sum + Buffer.byteLength(JSON.stringify(body)), 0) };
  };
  /** The figures of one measured page, from `from` (page time) to now. */
  const figures = async (page, from, got) => {
    const seen = await page.evaluate(WINDOW, { from, to: EVER });
    return { ratio: seen.written / got.bytes, longest: seen.longest, longestAt: seen.longestAt / 1000, written: seen.written / 1000, bytes: got.bytes / 1000, calls: seen.calls, largest: seen.largest / 1000, arrived: got.count };
  };

  const outage = (n) => async (v, run) => {
    const { context, page } = await open(v);
    try {
      const tag = `backlog${n}-${v.id}-${run}`;
      await context.route(toCollector, abort);
      const started = Date.now();
      const calls = await page.evaluate(TRACK_IN_TASKS, { n, per: PER_TASK, tag });
      await sleep(Math.max(0, started + OUTAGE_MS - Date.now()));
      await context.unroute(toCollector);
      const ended = Date.now();
      const got = await delivered(tag, n);
      await sleep(TAIL_MS);
      return { ...(await figures(page, calls.t0, got)), after: (got.at - ended) / 1000 };
    } finally {
      await context.close();
    }
  };
  const burst = async (v, run) => {
    const { context, page } = await open(v);
    try {
      const tag = `burst-${v.id}-${run}`;
      const calls = await page.evaluate(LOOP_ONCE, { n: BURST_N, tag });
      const got = await delivered(tag, BURST_N);
      await sleep(TAIL_MS);
      return { ...(await figures(page, calls.t0, got)), loop: calls.t1 - calls.t0 };
    } finally {
      await context.close();
    }
  };

  /** 3: the 300 stored during an outage; the window opens STORED_AFTER_MS after the last call. */
  const startIdle = async (v) => {
    const { context, page } = await open(v);
    try {
      await context.route(toCollector, abort);
      const calls = await page.evaluate(TRACK_IN_TASKS, { n: IDLE_N, per: PER_TASK, tag: `idle-${v.id}` });
      return { v, context, page, first: calls.t0, from: calls.t1 + STORED_AFTER_MS, endsAt: Date.now() + STORED_AFTER_MS + IDLE_MS };
    } catch (error) {
      await context.close();
      throw error;
    }
  };
  const finishIdle = async ({ v, context, page, first, from, endsAt }) => {
    try {
      await sleep(Math.max(0, endsAt + 200 - Date.now()));
      const idle = await page.evaluate(WINDOW, { from, to: from + IDLE_MS });
      const storing = await page.evaluate(WINDOW, { from: first, to: from });
      await context.unroute(toCollector);
      // the 'online' event makes both builds forget their backoff and send at once
      await context.setOffline(true);
      await sleep(100);
      await context.setOffline(false);
      const got = await delivered(`idle-${v.id}`, IDLE_N);
      return { ratio: idle.written / got.bytes, written: idle.written / 1000, calls: idle.calls, storing: storing.written / got.bytes, bytes: got.bytes / 1000, arrived: got.count };
    } finally {
      await context.close();
    }
  };

  const control = async () => {
    const { context, page } = await visit(null);
    try {
      const durations = await page.evaluate(FIXED_WORK, { ms: CONTROL_MS });
      return { median: durations[durations.length >> 1], longest: durations[durations.length - 1] };
    } finally {
      await context.close();
    }
  };

  log(`bench: backlog: ${IDLE_N} waiting out ${IDLE_MS / 1000} s of outage (both builds at once, in the background)…`);
  const idleStarted = await Promise.allSettled(variants.map(startIdle));
  const idle = { prev: [], now: [] };
  const runs = { prev: [], now: [] };
  const controls = [];
  try {
    for (let run = 0; run < BACKLOG_RUNS; run++) {
      for (const v of run % 2 ? [...variants].reverse() : variants) {
        log(`bench: backlog: run ${run + 1}/${BACKLOG_RUNS}, ${v.label}: ${OUTAGE_SIZES.join(' and ')} events in an outage, a ${BURST_N}-call burst…`);
        const result = {};
        for (const n of OUTAGE_SIZES) {
          result['o' + n] = await outage(n)(v, run);
          await sleep(bench.settleMs);
        }
        result.burst = await burst(v, run);
        await sleep(bench.settleMs);
        runs[v.id].push(result);
      }
      controls.push(await control());
      await sleep(bench.settleMs);
    }
  } finally {
    log('bench: backlog: the idle window…');
    const finished = await Promise.allSettled(idleStarted.map((s) => (s.status === 'fulfilled' ? finishIdle(s.value) : Promise.reject(s.reason))));
    finished.forEach((f, i) => (f.status === 'fulfilled' ? idle[variants[i].id].push(f.value) : log(`bench: backlog: ${variants[i].label}: idle window failed: ${f.reason}`)));
  }
  printBacklog(bench, variants, runs, idle, controls);
}

function printBacklog(bench, variants, runs, idle, controls) {
  const { table, spread, median, budget, budgetCell, num } = bench;
  const values = (samples, id, get) => samples[id].map(get);
  const row = (samples, measure, get, digits, b) => [
    measure,
    ...variants.map((v) => spread(values(samples, v.id, get), digits)),
    budgetCell(b, median(values(samples, 'now', get))),
  ];
  const detail = (samples, measure, get, unit, digits) => [measure, ...variants.map((v) => spread(values(samples, v.id, get), digits)), unit];
  const ratio = budget('≤ 1.5', (x) => x <= 1.5);
  const task = budget('≤ 50 ms (aim ≤ 16)', (x) => x <= 50);
  const outage = `events tracked in a ${num(OUTAGE_MS / 1000, 0)} s outage (${PER_TASK} per task)`;
  const until = 'longest task, first call → all delivered + 2 s, ms';
  const headers = ['measure', ...variants.map((v) => v.label), 'budget'];
  const count = runs.now.length;

  table(`Backlog: localStorage writes and long tasks, previous beside now (${count} run${count == 1 ? '' : 's'}; the idle window once)`, headers, [
    row(runs, `100 ${outage}, then delivered: bytes written ÷ message bytes`, (r) => r.o100.ratio, 2, ratio),
    row(runs, `100 in an outage: ${until}`, (r) => r.o100.longest, 1),
    row(runs, `1,000 ${outage}, then delivered: bytes written ÷ message bytes`, (r) => r.o1000.ratio, 2, ratio),
    row(runs, `1,000 in an outage: ${until}`, (r) => r.o1000.longest, 1, task),
    row(runs, '1,000 track() in one loop, online: bytes written ÷ message bytes', (r) => r.burst.ratio, 2),
    row(runs, `1,000 in one loop: ${until}`, (r) => r.burst.longest, 1, task),
    row(runs, '1,000 in one loop: the synchronous loop, ms', (r) => r.burst.loop, 1, budget('≤ 10 ms', (x) => x <= 10)),
    row(idle, `${IDLE_N} queued, ${num(IDLE_MS / 1000, 0)} s more of outage, nothing new: bytes written ÷ the backlog's bytes`, (r) => r.ratio, 3, budget('≤ 0.25', (x) => x <= 0.25)),
  ], [
    'Bytes written = every localStorage.setItem of an atrack_* key (key + value characters), whatever the build stores; message bytes = the bodies the collector accepted, one per messageId. ' +
    `Outage = every request to the collector aborted (connection refused); the SDK's own retry delivers after it. Longest task: 0 = none over 50 ms. ` +
    `Control, once per run: a page without the SDK runs a task of fixed work every 50 ms for ${num(CONTROL_MS / 1000, 0)} s; it took ${spread(controls.map((c) => c.median), 1)} ms (median), ` +
    `${spread(controls.map((c) => c.longest), 1)} ms at the longest: what this machine's load makes of a task of that size. ` +
    `previous = bench/baseline/atrack-prev.min.js (sha256 ${bench.sha(readFileSync(PREVIOUS.iife))}), the build of commit ee0f13a, the last before the chunked queue.`,
  ]);
  table('Backlog details', ['measure', ...variants.map((v) => v.label), 'unit'], [
    ...OUTAGE_SIZES.flatMap((n) => [
      detail(runs, `${num(n, 0)} in an outage: written to localStorage`, (r) => r['o' + n].written, 'kB', 1),
      detail(runs, `${num(n, 0)} in an outage: the messages`, (r) => r['o' + n].bytes, 'kB', 1),
      detail(runs, `${num(n, 0)} in an outage: setItem calls`, (r) => r['o' + n].calls, 'calls', 0),
      detail(runs, `${num(n, 0)} in an outage: the largest setItem`, (r) => r['o' + n].largest, 'kB', 1),
      detail(runs, `${num(n, 0)} in an outage: arrived (of ${num(n, 0)})`, (r) => r['o' + n].arrived, 'messages', 0),
      detail(runs, `${num(n, 0)} in an outage: all arrived, after its end`, (r) => r['o' + n].after, 's', 1),
      detail(runs, `${num(n, 0)} in an outage: the longest task started, after the first call (the outage ends at ${num(OUTAGE_MS / 1000, 0)})`, (r) => r['o' + n].longestAt, 's', 1),
    ]),
    detail(runs, '1,000 in one loop: written to localStorage', (r) => r.burst.written, 'kB', 1),
    detail(runs, '1,000 in one loop: the messages', (r) => r.burst.bytes, 'kB', 1),
    detail(runs, '1,000 in one loop: setItem calls', (r) => r.burst.calls, 'calls', 0),
    detail(runs, '1,000 in one loop: the largest setItem', (r) => r.burst.largest, 'kB', 1),
    detail(runs, '1,000 in one loop: arrived (of 1,000)', (r) => r.burst.arrived, 'messages', 0),
    detail(runs, '1,000 in one loop: the longest task started, after the first call', (r) => r.burst.longestAt, 's', 1),
    detail(idle, `${IDLE_N} idle: written in the ${num(IDLE_MS / 1000, 0)} s`, (r) => r.written, 'kB', 1),
    detail(idle, `${IDLE_N} idle: setItem calls in the ${num(IDLE_MS / 1000, 0)} s`, (r) => r.calls, 'calls', 0),
    detail(idle, `${IDLE_N} idle: the backlog`, (r) => r.bytes, 'kB', 1),
    detail(idle, `${IDLE_N} idle: written storing them (first call → the window) ÷ their bytes`, (r) => r.storing, 'ratio', 2),
    detail(idle, `${IDLE_N} idle: arrived after the outage (of ${IDLE_N})`, (r) => r.arrived, 'messages', 0),
  ]);
}
