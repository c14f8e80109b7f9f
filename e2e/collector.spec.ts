// The reference collector itself: a real page in Chromium (cross-site, so CORS and beacon
// rules apply) and plain Node fetch. The SDK's own e2e tests trust what is checked here.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, received, waitForEvents, eventNames, TEST_KEY, type Collector, type CollectorRecord } from './fixtures';
import { startCollector } from '../demo/collector.mjs';

let counter = 0;
function eventBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    sdkVersion: '0.1.0',
    messageId: `msg-${process.pid}-${Date.now()}-${counter}`,
    uuid: '0d54c1f4-5b7e-4c1a-9d3e-2f6a8b9c0d1e',
    event: 'cta_clicked',
    attributes: { plan: 'pro' },
    timestamp: new Date().toISOString(),
    context: { locale: 'en-US' },
    ...overrides,
  };
}

/** POST from Node, as fetch (header key, JSON) or as a beacon would (query key, text/plain). */
function post(collector: Collector, path: string, body: unknown, { key = TEST_KEY as string | null, beacon = false } = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': beacon ? 'text/plain;charset=UTF-8' : 'application/json' };
  if (key && !beacon) headers['x-a-track-key'] = key;
  const query = key && beacon ? `?key=${key}` : '';
  return fetch(`${collector.url}${path}${query}`, { method: 'POST', headers, body: text });
}

/** fetch() from inside the page, as the SDK does; returns what the page can see of the answer. */
function fetchFromPage(page: Page, body: unknown) {
  return page.evaluate(async (body) => {
    const w = window as unknown as { COLLECTOR: string; KEY: string };
    const res = await fetch(`${w.COLLECTOR}/event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-a-track-key': w.KEY },
      body: JSON.stringify(body),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), text: await res.text() };
  }, body);
}

test('stores a valid event sent with fetch from a cross-site page', async ({ page, site, collector }) => {
  await page.goto(site.url('/collector.html'));
  const body = eventBody();
  expect(await fetchFromPage(page, body)).toEqual({ status: 204, retryAfter: null, text: '' });

  const [record] = await waitForEvents(collector, 1);
  expect(record).toMatchObject({ seq: 1, path: '/event', transport: 'fetch', keySource: 'header', origin: site.origin, body });
  expect(record.contentType).toBe('application/json');
  // the custom header made the browser preflight first
  expect(collector.requests().map((r) => `${r.method} ${r.status}`)).toEqual(['OPTIONS 204', 'POST 204']);
});

test('stores a beacon (text/plain, key in the query) with transport "beacon", without preflight', async ({ page, site, collector }) => {
  await page.goto(site.url('/collector.html'));
  const body = eventBody({ event: 'page_hidden' });
  const queued = await page.evaluate((body) => {
    const w = window as unknown as { COLLECTOR: string; KEY: string };
    return navigator.sendBeacon(`${w.COLLECTOR}/event?key=${w.KEY}`, JSON.stringify(body));
  }, body);
  expect(queued).toBe(true);

  const [record] = await waitForEvents(collector, 1);
  expect(record).toMatchObject({ transport: 'beacon', keySource: 'query', body });
  expect(record.contentType).toMatch(/^text\/plain/i);
  expect(collector.requests().map((r) => r.method)).toEqual(['POST']);
});

test('answers 401 without a key and with an unknown key', async ({ collector }) => {
  for (const key of [null, 'pub_nope']) {
    const res = await post(collector, '/event', eventBody(), { key });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unknown key' });
  }
  expect(received(collector)).toEqual([]);
});

const badBodies = [
  {
    path: '/event',
    body: eventBody({ uuid: '', timestamp: '2026-04-08', context: [], extra: 1 }),
    errors: ['uuid: must be a non-empty string', 'timestamp: must be an ISO-8601', 'context: must be a plain object', 'extra: unknown key'],
  },
  {
    path: '/init',
    body: { sdkVersion: '0.1.0', messageId: 'x'.repeat(65), uuid: 'u', isNewUser: 'yes', mode: 'upsert', context: {}, attributes: {} },
    errors: ['messageId: must be at most 64 characters', 'isNewUser: must be a boolean', "mode: must be 'merge' or 'replace'", 'profile: must be a plain object'],
  },
  {
    path: '/attributes',
    body: { messageId: 'm', uuid: 'u', mode: 'merge', attributes: null, profile: {}, event: 'x' },
    errors: ['sdkVersion: must be a non-empty string', 'attributes: must be a plain object', 'event: unknown key'],
  },
];
for (const { path, body, errors } of badBodies) {
  test(`answers 400 with every problem of a bad ${path} body`, async ({ collector }) => {
    const res = await post(collector, path, body);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { errors: string[] };
    expect(answer.errors).toHaveLength(errors.length);
    errors.forEach((start, i) => expect(answer.errors[i]).toContain(start));
    expect(received(collector)).toEqual([]);
  });
}

test('answers 400 for invalid JSON and 415 for other content types', async ({ collector }) => {
  expect((await post(collector, '/event', '{not json')).status).toBe(400);
  const xml = await fetch(`${collector.url}/event?key=${TEST_KEY}`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' });
  expect(xml.status).toBe(415);
});

test('accepts exactly 64 KB and answers 413 above it', async ({ collector }) => {
  const padded = (bytes: number) => {
    const body = eventBody({ attributes: { pad: '' } });
    const pad = bytes - Buffer.byteLength(JSON.stringify(body));
    return JSON.stringify({ ...body, attributes: { pad: 'x'.repeat(pad) } });
  };
  expect(Buffer.byteLength(padded(65_536))).toBe(65_536);
  expect((await post(collector, '/event', padded(65_536))).status).toBe(204);
  const tooBig = await post(collector, '/event', padded(65_537), { beacon: true });
  expect(tooBig.status).toBe(413);
  expect((await post(collector, '/event', 'x'.repeat(3_000_000))).status).toBe(413);
  expect(received(collector)).toHaveLength(1);
});

test('stores a duplicate messageId once and still answers 204', async ({ collector }) => {
  const body = eventBody();
  expect((await post(collector, '/event', body)).status).toBe(204);
  expect((await post(collector, '/event', body, { beacon: true })).status).toBe(204);
  expect(received(collector)).toHaveLength(1);
  expect(collector.requests().map((r) => r.duplicate)).toEqual([false, true]);
});

test('a fail rule answers 503 with a readable Retry-After, then the collector recovers', async ({ page, site, collector }) => {
  await page.goto(site.url('/collector.html'));
  collector.fail({ status: 503, count: 2, retryAfter: '2' });
  const body = eventBody();
  expect(await fetchFromPage(page, body)).toMatchObject({ status: 503, retryAfter: '2' });
  expect(await fetchFromPage(page, body)).toMatchObject({ status: 503, retryAfter: '2' });
  expect(await fetchFromPage(page, body)).toMatchObject({ status: 204 });
  expect(eventNames(received(collector))).toEqual(['cta_clicked']);
  expect(collector.requests().filter((r) => r.method === 'POST').map((r) => r.injected ?? false)).toEqual([true, true, false]);
});

test('POST /api/fail limits a rule to some paths, and { status: 0 } clears it', async ({ collector }) => {
  const setRule = (rule: unknown) => fetch(`${collector.url}/api/fail`, { method: 'POST', body: JSON.stringify(rule) });
  expect((await setRule({ status: 500, forMs: 60_000, paths: ['/event'] })).status).toBe(200);
  expect((await post(collector, '/event', eventBody())).status).toBe(500);
  const init = { sdkVersion: '0.1.0', messageId: 'init-1', uuid: 'u', isNewUser: true, mode: 'merge', context: {}, attributes: {}, profile: {} };
  expect((await post(collector, '/init', init)).status).toBe(204);
  expect((await setRule({ status: 0 })).status).toBe(200);
  expect((await post(collector, '/event', eventBody())).status).toBe(204);
  expect((await setRule({ status: 200 })).status).toBe(400);
  expect(eventNames(received(collector))).toEqual(['/init', 'cta_clicked']);
});

test('persists records to events.jsonl and a new collector on the same dir reloads them', async ({ collector }) => {
  const first = eventBody({ event: 'one' });
  await post(collector, '/event', first);
  await post(collector, '/event', eventBody({ event: 'two' }), { beacon: true });
  const lines = readFileSync(collector.dataFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  expect(lines).toEqual(collector.events());
  await collector.close();

  const again = await startCollector({ dataDir: dirname(collector.dataFile), quiet: true });
  try {
    expect(again.events()).toEqual(lines);
    expect((await post(again, '/event', first)).status).toBe(204); // a retry after the restart
    await post(again, '/event', eventBody({ event: 'three' }));
    expect(eventNames(again.events())).toEqual(['one', 'two', 'three']);
    expect(again.events().map((r) => r.seq)).toEqual([1, 2, 3]);
  } finally {
    await again.close();
  }
});

test('streams each accepted record to an EventSource on the page', async ({ page, site, collector }) => {
  await page.goto(site.url('/collector.html'));
  await page.evaluate(
    () =>
      new Promise<void>((opened) => {
        const w = window as unknown as { COLLECTOR: string; nextRecord: Promise<unknown> };
        const source = new EventSource(`${w.COLLECTOR}/api/stream`);
        w.nextRecord = new Promise((got) => source.addEventListener('message', (e) => got(JSON.parse(e.data)), { once: true }));
        source.onopen = () => opened();
      }),
  );
  const body = eventBody({ event: 'streamed' });
  await post(collector, '/event', body);
  const streamed = await page.evaluate(() => (window as unknown as { nextRecord: Promise<unknown> }).nextRecord);
  expect(streamed).toEqual(collector.events()[0]);
  expect(streamed).toMatchObject({ body });
});

test('answers preflights, filters /api/events and resets', async ({ collector }) => {
  const preflight = await fetch(`${collector.url}/event`, { method: 'OPTIONS', headers: { origin: 'http://localhost:1234' } });
  expect(preflight.status).toBe(204);
  expect(Object.fromEntries(preflight.headers)).toMatchObject({
    'access-control-allow-origin': 'http://localhost:1234',
    'access-control-allow-credentials': 'true',
    'access-control-allow-headers': 'content-type, x-a-track-key',
    'access-control-max-age': '600',
    vary: 'Origin',
  });

  await post(collector, '/event', eventBody({ event: 'a' }));
  await post(collector, '/event', eventBody({ event: 'b' }));
  const onlyB = (await (await fetch(`${collector.url}/api/events?event=b`)).json()) as CollectorRecord[];
  expect(eventNames(onlyB)).toEqual(['b']);

  expect((await fetch(`${collector.url}/api/reset`, { method: 'POST' })).status).toBe(204);
  expect(received(collector)).toEqual([]);
  expect(readFileSync(collector.dataFile, 'utf8')).toBe('');
});
