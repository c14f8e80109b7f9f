// First-party collection: the page sends to its own origin (apiHost = origin + '/a'), and the
// site's server (demo/static-server.mjs with `proxy`) passes the requests on to the collector,
// as nginx or a hosting rewrite would in production (README, "Same-origin endpoint").
import { fileURLToPath } from 'node:url';
import { fileUnder, startStaticServer } from '../demo/static-server.mjs';
import { test as base, expect, received, waitForEvents, TEST_KEY, type Site } from './fixtures';

const distDir = fileURLToPath(new URL('../dist/', import.meta.url));

const test = base.extend<{ firstParty: Site }>({
  firstParty: async ({ collector }, use) => {
    const server = await startStaticServer({
      resolveFile: (pathname) => (pathname.startsWith('/dist/') ? fileUnder(distDir, pathname.slice('/dist'.length)) : null),
      replacements: { __KEY__: TEST_KEY },
      proxy: { '/a/': collector.url },
    });
    try {
      await use(server);
    } finally {
      await server.close();
    }
  },
});

/** A page with the script tag pointed at its own origin; `attributes` are more data-* options. */
const scriptTagPage = (attributes = '') => `<!doctype html><title>first party</title>
<script async src="/dist/atrack.min.js" data-key="__KEY__" data-api-host="__ORIGIN__/a" ${attributes}></script>
<button data-atrack-event="cta_clicked" data-atrack-plan="pro">Get Pro</button>`;

test('first-party endpoint: events sent to the page\'s own origin reach the collector through the proxy, with no preflight', async ({ page, firstParty, collector }) => {
  const sentTo: string[] = [];
  page.on('request', (request) => request.method() === 'POST' && sentTo.push(request.url()));
  firstParty.page('/index.html', scriptTagPage());

  await page.goto(firstParty.url('/index.html'));
  await waitForEvents(collector, 1, { filter: { event: 'page_view' } });
  await page.getByRole('button', { name: 'Get Pro' }).click();
  const [click] = await waitForEvents(collector, 1, { filter: { event: 'cta_clicked' } });

  expect(click.body.attributes).toEqual({ plan: 'pro' });
  expect(received(collector, { path: '/init' })).toHaveLength(1);
  // the browser only ever talked to the page's origin, and the collector saw that origin
  expect(sentTo.length).toBeGreaterThanOrEqual(3);
  for (const url of sentTo) expect(url.startsWith(`${firstParty.origin}/a/`)).toBe(true);
  expect(new Set(received(collector).map((record) => record.origin))).toEqual(new Set([firstParty.origin]));
  // same origin: no CORS preflight, whatever the request's headers
  expect(collector.requests().filter((request) => request.method === 'OPTIONS')).toEqual([]);
});

test('first-party endpoint: beacons pass through the proxy too', async ({ page, firstParty, collector }) => {
  firstParty.page('/index.html', scriptTagPage('data-transport="beacon"'));
  await page.goto(firstParty.url('/index.html'));
  const [view] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } });
  expect(view).toMatchObject({ transport: 'beacon', keySource: 'query', origin: firstParty.origin });
});

test('first-party endpoint: the proxy answers 502 when the collector is down, and the SDK keeps the events', async ({ page, firstParty, collector }) => {
  firstParty.page('/index.html', scriptTagPage());
  await collector.close();
  const answer = await page.request.post(firstParty.url(`/a/event?key=${TEST_KEY}`), { data: '{}', headers: { 'content-type': 'text/plain' } });
  expect(answer.status()).toBe(502);

  await page.goto(firstParty.url('/index.html'));
  // the SDK got 502s: a retryable failure, so the page view stays queued in localStorage
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).some((key) => key.startsWith('atrack_q') && (localStorage.getItem(key) || '').includes('page_view'))), { timeout: 10_000 }).toBe(true);
});
