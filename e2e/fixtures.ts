// Playwright fixtures: every test gets its own collector (fresh data dir) and its own site.
// The site is on `localhost` and the collector on `127.0.0.1`: cross-site, like a real page
// and api.a-track.io, so CORS, preflights and beacon rules apply as in production.
//
//   import { test, expect, waitForEvents, eventNames } from './fixtures';
//   test('sends a page view', async ({ page, site, collector }) => {
//     await page.goto(site.url('/script-tag.html'));
//     const records = await waitForEvents(collector, 1, { filter: { event: 'page_view' } });
//   });
import { test as base, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector, type Collector, type CollectorRecord, type RecordFilter } from '../demo/collector.mjs';
import { fileUnder, startStaticServer, type StaticServer } from '../demo/static-server.mjs';

const pagesDir = fileURLToPath(new URL('./pages/', import.meta.url));
const distDir = fileURLToPath(new URL('../dist/', import.meta.url));

/** The public key the e2e pages use (`__KEY__` in HTML). */
export const TEST_KEY = 'pub_test';
/** How often waitForEvents looks at the collector. */
const POLL_MS = 50;

export type Site = Pick<StaticServer, 'origin' | 'url' | 'page'>;
export type { Collector, CollectorRecord, RecordFilter };

/** Where each URL path of the test site comes from. */
function resolveTestFile(pathname: string): string | null {
  if (pathname.startsWith('/dist/')) return fileUnder(distDir, pathname.slice('/dist'.length));
  // SPA tests deep-link and reload anywhere under /app: one HTML page serves them all.
  if (pathname === '/app' || pathname.startsWith('/app/')) return join(pagesDir, 'app.html');
  return fileUnder(pagesDir, pathname);
}

export const test = base.extend<{ collector: Collector; site: Site }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  collector: async ({}, use, testInfo) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atrack-e2e-'));
    const collector = await startCollector({ port: 0, dataDir, quiet: true });
    try {
      await use(collector);
    } finally {
      // On failure, keep what the collector saw next to the test's report.
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('collector-events.json', { body: JSON.stringify(collector.events(), null, 2), contentType: 'application/json' });
        await testInfo.attach('collector-requests.json', { body: JSON.stringify(collector.requests(), null, 2), contentType: 'application/json' });
      }
      await collector.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },

  site: async ({ collector }, use) => {
    const server = await startStaticServer({
      host: '127.0.0.1',
      port: 0,
      urlHost: 'localhost',
      resolveFile: resolveTestFile,
      replacements: { __COLLECTOR__: collector.url, __KEY__: TEST_KEY },
    });
    try {
      await use(server);
    } finally {
      await server.close();
    }
  },
});

export { expect };

/** Accepted records so far, in arrival order; `filter` is a predicate or `{ path, event, uuid, transport }`. */
export function received(collector: Collector, filter?: RecordFilter): CollectorRecord[] {
  return collector.events(filter);
}

/**
 * Waits until at least `n` matching records arrived and returns all matching records.
 * Throws after `timeoutMs`, naming what did arrive.
 *
 * @example const [view] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } });
 */
export async function waitForEvents(
  collector: Collector,
  n: number,
  { filter, timeoutMs = 10_000 }: { filter?: RecordFilter; timeoutMs?: number } = {},
): Promise<CollectorRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = received(collector, filter);
    if (records.length >= n) return records;
    if (Date.now() >= deadline) {
      throw new Error(
        `waitForEvents: wanted ${n} matching record(s) within ${timeoutMs} ms, got ${records.length}. ` +
          `Everything received: ${JSON.stringify(eventNames(received(collector)))}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The event name of each record; `/init` and `/attributes` records appear as their path. */
export function eventNames(records: CollectorRecord[]): string[] {
  return records.map((record) => (record.path === '/event' ? String(record.body.event) : record.path));
}
