// The React Router example (examples/spa), built with Vite by global-setup.ts from the package's
// name, served at the root of its own origin with /a/ proxied to the collector, as in production.
// Counts page views exactly: a doubled or a missing page_view fails.
import { fileURLToPath } from 'node:url';
import { fileUnder, startStaticServer } from '../demo/static-server.mjs';
import { test as base, expect, received, waitForEvents, type Collector, type Site } from './fixtures';

const appDir = fileURLToPath(new URL('../examples/spa/dist/', import.meta.url));
/** After the last expected message, how long to wait for one that should not come. */
const SETTLE_MS = 750;

const test = base.extend<{ app: Site }>({
  app: async ({ collector }, use) => {
    const server = await startStaticServer({
      // assets are files; every other path is the app (history API fallback)
      resolveFile: (pathname) => fileUnder(appDir, pathname.startsWith('/assets/') ? pathname : '/index.html'),
      proxy: { '/a/': collector.url },
    });
    try {
      await use(server);
    } finally {
      await server.close();
    }
  },
});

const pageViews = (collector: Collector) => received(collector, { event: 'page_view' }).map((record) => record.body.attributes.path);

/** Waits for the n-th page view, then checks the whole list: nothing doubled, nothing missing. */
async function expectPageViews(collector: Collector, paths: string[]) {
  await waitForEvents(collector, paths.length, { filter: { event: 'page_view' } });
  expect(pageViews(collector)).toEqual(paths);
}

test('examples/spa: one page_view per route change through links, a query change, a redirect, back and forward', async ({ page, app, collector }) => {
  const views = ['/'];
  await page.goto(app.url('/'));
  await expectPageViews(collector, views);

  await page.getByRole('link', { name: 'Pricing', exact: true }).click();
  await expectPageViews(collector, views.concat('/pricing'));
  views.push('/pricing');

  // only the query string changes: no page view
  await page.getByRole('button', { name: 'Show yearly prices' }).click();
  await expect(page).toHaveURL(/\/pricing\?billing=yearly$/);
  await expect(page.getByText('€190 a year')).toBeVisible();

  // a tracked click that navigates in code
  await page.getByRole('button', { name: 'Choose Pro' }).click();
  await expect(page).toHaveURL(/\/signup\?plan=pro$/);
  await expectPageViews(collector, views.concat('/signup'));
  views.push('/signup');

  // /docs redirects (a loader) to /docs/getting-started: one page view, of the target
  await page.getByRole('link', { name: 'Docs' }).click();
  await expect(page).toHaveURL(/\/docs\/getting-started$/);
  await expectPageViews(collector, views.concat('/docs/getting-started'));
  views.push('/docs/getting-started');

  await page.getByRole('link', { name: 'Typed events' }).click();
  await expectPageViews(collector, views.concat('/docs/typed-events'));
  views.push('/docs/typed-events');

  await page.goBack();
  await expect(page).toHaveURL(/\/docs\/getting-started$/);
  await expectPageViews(collector, views.concat('/docs/getting-started'));
  views.push('/docs/getting-started');

  await page.goBack();
  await expect(page).toHaveURL(/\/signup\?plan=pro$/);
  await expectPageViews(collector, views.concat('/signup'));
  views.push('/signup');

  await page.goForward();
  await expect(page).toHaveURL(/\/docs\/getting-started$/);
  await expectPageViews(collector, views.concat('/docs/getting-started'));
  views.push('/docs/getting-started');

  // a last event marks the end; whatever a doubled page view would have sent has arrived by then
  await page.getByRole('button', { name: 'This page helped' }).click();
  await waitForEvents(collector, 1, { filter: { event: 'doc_rated' } });
  await page.waitForTimeout(SETTLE_MS);

  expect(pageViews(collector)).toEqual(views);
  expect(received(collector, { path: '/init' })).toHaveLength(1);
  expect(received(collector, { event: 'plan_chosen' }).map((record) => record.body.attributes)).toEqual([{ plan: 'pro' }]);
  expect(received(collector, { event: 'doc_rated' }).map((record) => record.body.attributes)).toEqual([{ doc: 'getting-started', helpful: true }]);
  // the page view of a route carries that route's URL, and the previous page as its referrer
  const [, pricing, signup] = received(collector, { event: 'page_view' });
  expect(pricing.body.attributes).toMatchObject({ url: app.url('/pricing'), referrer: app.url('/') });
  expect(signup.body.attributes).toMatchObject({ url: app.url('/signup?plan=pro'), referrer: app.url('/pricing') }); // a query change is no page
  // everything went to the site's own origin: one uuid, no CORS preflight
  expect(new Set(received(collector).map((record) => record.origin))).toEqual(new Set([app.origin]));
  expect(new Set(received(collector).map((record) => record.body.uuid)).size).toBe(1);
  expect(collector.requests().filter((request) => request.method === 'OPTIONS')).toEqual([]);
});

test('examples/spa: a redirect on landing counts once, as the page the visitor sees', async ({ page, app, collector }) => {
  await page.goto(app.url('/old-pricing'));
  await expect(page).toHaveURL(app.url('/pricing'));
  await expectPageViews(collector, ['/pricing']);

  await page.goto(app.url('/docs'));
  await expect(page).toHaveURL(app.url('/docs/getting-started'));
  await expectPageViews(collector, ['/pricing', '/docs/getting-started']);

  await page.waitForTimeout(SETTLE_MS);
  expect(pageViews(collector)).toEqual(['/pricing', '/docs/getting-started']);
});
