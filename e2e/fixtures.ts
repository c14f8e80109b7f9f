// Playwright fixtures for the Chromium-only specs: every test gets its own collector (fresh data
// dir) and its own site, made by the harness all three lanes share (e2e/harness.mjs). The site is
// on `localhost` and the collector on `127.0.0.1`: cross-site, like a real page and
// api.a-track.io, so CORS, preflights and beacon rules apply as in production.
//
//   import { test, expect, waitForEvents, eventNames } from './fixtures';
//   test('sends a page view', async ({ page, site, collector }) => {
//     await page.goto(site.url('/script-tag.html'));
//     const records = await waitForEvents(collector, 1, { filter: { event: 'page_view' } });
//   });
import { test as base, expect } from '@playwright/test';
import { rmSync } from 'node:fs';
import type { Collector, CollectorRecord, RecordFilter } from '../demo/collector.mjs';
import type { StaticServer } from '../demo/static-server.mjs';
import { newCollector, newSite } from './harness.mjs';

export { TEST_KEY } from './harness.mjs';
export { eventNames, received, waitForEvents } from './records.mjs';

export type Site = Pick<StaticServer, 'origin' | 'url' | 'page'>;
export type { Collector, CollectorRecord, RecordFilter };

export const test = base.extend<{ collector: Collector; site: Site }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  collector: async ({}, use, testInfo) => {
    const collector = await newCollector();
    try {
      await use(collector);
    } finally {
      // On failure, keep what the collector saw next to the test's report.
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('collector-events.json', { body: JSON.stringify(collector.events(), null, 2), contentType: 'application/json' });
        await testInfo.attach('collector-requests.json', { body: JSON.stringify(collector.requests(), null, 2), contentType: 'application/json' });
      }
      await collector.close();
      rmSync(collector.dataDir, { recursive: true, force: true });
    }
  },

  site: async ({ collector }, use) => {
    const server = await newSite(collector.url);
    try {
      await use(server);
    } finally {
      await server.close();
    }
  },
});

export { expect };
