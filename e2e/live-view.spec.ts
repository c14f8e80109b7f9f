// The demo's live view (demo/site/live.html) against a collector: counters per endpoint and
// transport, the duplicates the collector dropped, and the whole JSON of a message on click.
import { fileURLToPath } from 'node:url';
import { fileUnder, startStaticServer } from '../demo/static-server.mjs';
import { test as base, expect, TEST_KEY, waitForEvents, type Site } from './fixtures';

const demoSite = fileURLToPath(new URL('../demo/site/', import.meta.url));

const test = base.extend<{ demo: Site }>({
  demo: async ({ collector }, use) => {
    const server = await startStaticServer({ resolveFile: (pathname) => fileUnder(demoSite, pathname), replacements: { __COLLECTOR__: collector.url } });
    try {
      await use(server);
    } finally {
      await server.close();
    }
  },
});

const eventBody = (event: string) => ({
  sdkVersion: '0.1.0',
  messageId: `live-${event}`,
  uuid: '0d54c2f1-7b2a-4c1e-9a51-6f1d2b3c4e5f',
  event,
  attributes: {},
  timestamp: new Date().toISOString(),
  context: {},
});

test('live view: counters per endpoint and transport, dropped duplicates, the whole JSON on click', async ({ page, demo, collector }) => {
  await page.goto(demo.url('/live.html'));
  await expect(page.locator('#status')).toHaveText('live');

  // from the page: a fetch, a keepalive fetch that says so, a beacon, a retry of the fetch, an unknown key
  await page.evaluate(async ({ collector, key, bodies }) => {
    const post = (query: string, body: unknown, keepalive = false) =>
      fetch(`${collector}/event?key=${key}${query}`, { method: 'POST', keepalive, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
    await post('', bodies[0]);
    await post('&via=keepalive', bodies[1], true);
    navigator.sendBeacon(`${collector}/event?key=${key}`, JSON.stringify(bodies[2]));
    await post('', bodies[0]);
    await fetch(`${collector}/event?key=pub_nope`, { method: 'POST', body: '{}' });
  }, { collector: collector.url, key: TEST_KEY, bodies: [eventBody('by_fetch'), eventBody('by_keepalive'), eventBody('by_beacon')] });
  await waitForEvents(collector, 3);

  const row = (endpoint: string) => page.locator('#counters tbody tr').filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${endpoint}$`) }) });
  // endpoint, fetch, keepalive, beacon, all, duplicates, refused
  await expect(row('/event').locator('td')).toHaveText(['/event', '1', '1', '1', '3', '1', '1']);
  await expect(row('/init').locator('td')).toHaveText(['/init', '0', '0', '0', '0', '0', '0']);
  await expect(page.locator('#count')).toHaveText('3 messages');

  const duplicate = page.locator('#dups tbody.record');
  await expect(duplicate).toHaveCount(1);
  await expect(duplicate.locator('tr.main')).toContainText('by_fetch (stored as #1)');
  await duplicate.locator('tr.main').click();
  await expect(duplicate.locator('pre')).toContainText('"duplicate": true');

  const message = page.locator('#messages tbody.record', { hasText: 'by_beacon' });
  await expect(message.locator('td.transport')).toHaveText('beacon');
  await expect(message.locator('pre')).toBeHidden();
  await message.locator('tr.main').click();
  // the whole record: what the collector noted about the request, and the body
  await expect(message.locator('pre')).toContainText('"transport": "beacon"');
  await expect(message.locator('pre')).toContainText('"messageId": "live-by_beacon"');
  await expect(message.locator('pre')).toContainText(`"origin": "${demo.origin}"`);
});

test('live view: a wrong key shows as a refused request with the collector\'s reason', async ({ page, demo, site, collector }) => {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(demo.url('/live.html'));
  await expect(page.locator('#status')).toHaveText('live');
  await expect(page.locator('#refusals-empty')).toContainText('pub_demo');

  // the SDK with the README's placeholder key: the collector answers 401 {"error":"unknown key"}
  const sdkPage = await page.context().newPage();
  await sdkPage.goto(site.url('/wrong-key.html'));
  const refused = page.locator('#refusals tbody.record');
  await expect(refused.first()).toBeVisible();
  await expect(refused.filter({ hasText: '/init' }).locator('tr.main td')).toHaveText([/\d/, '/init', '401', 'unknown key', 'pub_xxx', /fetch|keepalive/]);
  await expect(refused.filter({ hasText: '/event' }).first().locator('td.reason')).toHaveText('unknown key');
  await expect(page.locator('#refusals-empty')).toBeHidden();
  await expect(page.locator('#count')).toHaveText('0 messages');
  expect(collector.requests().filter((request) => request.status === 401).every((request) => request.reason === 'unknown key' && request.key === 'pub_xxx')).toBe(true);
  await sdkPage.close();
  await page.bringToFront();
  await page.screenshot({ path: '/work/shots/live-view-refused.png', fullPage: true });
});

test('live view: attributes on event rows, an identify as one, the event time beside the received time', async ({ page, demo, site, collector }) => {
  await page.goto(demo.url('/live.html'));
  await expect(page.locator('#status')).toHaveText('live');
  const sdkPage = await page.context().newPage();
  await sdkPage.goto(site.url('/script-tag.html'));
  await sdkPage.evaluate(() => {
    const atrack = (window as any).atrack;
    atrack.track('cta_clicked', { plan: 'pro' });
    atrack.track('cta_clicked', { plan: 'business' });
    atrack.track({ event: 'imported', timestamp: '2026-04-08T12:00:00.000Z' });
    atrack.identify('crm-user-42', { plan: 'pro' });
  });
  await waitForEvents(collector, 1, { filter: { path: '/init', uuid: 'crm-user-42' } });
  await sdkPage.close();

  const rows = page.locator('#messages tbody.record tr.main');
  await expect(rows.filter({ hasText: 'cta_clicked' })).toHaveCount(2);
  await expect(rows.filter({ hasText: 'cta_clicked' }).locator('.chip.attr')).toHaveText(['planbusiness', 'planpro']);
  await expect(rows.filter({ hasText: 'identify crm-user-42 (was ' })).toHaveCount(1);
  const imported = rows.filter({ hasText: 'imported' }).locator('td.time');
  // the event's own time (12:00:00.000 in the page's zone), then when it arrived
  await expect(imported).toContainText(new Date('2026-04-08T12:00:00.000Z').toLocaleTimeString([], { hour12: false }) + '.000');
  await expect(imported.locator('.received')).toHaveText(/^received \d\d:\d\d:\d\d\.\d{3}$/);
  await page.screenshot({ path: '/work/shots/live-view-rows.png', fullPage: true });
});
