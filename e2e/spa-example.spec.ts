// The React Router example (examples/spa), a project of its own, installed and built by
// global-setup.ts, served at the root of its own origin with /a/ proxied to the collector, as in
// production. Counts page views exactly (a doubled or a missing page_view fails) and checks that
// each carries its own route's title, whenever the app renders it.
import { fileURLToPath } from 'node:url';
import { fileUnder, startStaticServer } from '../demo/static-server.mjs';
import { test as base, expect, received, waitForEvents, type Collector, type CollectorRecord, type Site } from './fixtures';

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

const TITLES = {
  home: 'Ledgerly · invoices that get paid',
  pricing: 'Pricing · Ledgerly',
  signup: 'Sign up · Ledgerly',
  gettingStarted: 'Getting started · Ledgerly docs',
  typedEvents: 'Typed events · Ledgerly docs',
};

type View = [path: string, title: string | undefined];
const pageViews = (collector: Collector): View[] =>
  received(collector, { event: 'page_view' }).map((record) => [record.body.attributes.path, record.body.attributes.title]);

/** Waits for the n-th page view, then checks the whole list: nothing doubled, nothing missing, each its own title. */
async function expectPageViews(collector: Collector, views: View[]) {
  await waitForEvents(collector, views.length, { filter: { event: 'page_view' } });
  expect(pageViews(collector)).toEqual(views);
}

/** Events in the order the collector received them (one request per event here: sent as soon as tracked). */
const arrivals = (collector: Collector): CollectorRecord[] => received(collector).filter((record) => record.path === '/event');

test('examples/spa: one page_view per route change through links, a query change, a loader redirect, back and forward, each with its route\'s title', async ({ page, app, collector }) => {
  // ten navigations, two of them waiting for a doc to load (800 ms) before the title is known
  test.setTimeout(90_000);
  const views: View[] = [['/', TITLES.home]];
  await page.goto(app.url('/'));
  await expectPageViews(collector, views);

  await page.getByRole('link', { name: 'Pricing', exact: true }).click();
  views.push(['/pricing', TITLES.pricing]);
  await expectPageViews(collector, views);

  // only the query string changes: no page view
  await page.getByRole('button', { name: 'Show yearly prices' }).click();
  await expect(page).toHaveURL(/\/pricing\?billing=yearly$/);
  await expect(page.getByText('€190 a year')).toBeVisible();

  // a tracked click that navigates in code, and an event tracked once the navigation is done
  await page.getByRole('button', { name: 'Choose Pro' }).click();
  await expect(page).toHaveURL(/\/signup\?plan=pro$/);
  views.push(['/signup', TITLES.signup]);
  await expectPageViews(collector, views);

  // /docs redirects (a loader) to /docs/getting-started: one page view, of the target; the doc
  // loads after the page renders, and its title with it
  await page.getByRole('link', { name: 'Docs' }).click();
  await expect(page).toHaveURL(/\/docs\/getting-started$/);
  views.push(['/docs/getting-started', TITLES.gettingStarted]);
  await expectPageViews(collector, views);

  // the same route with another doc: the title of the one before stays until the next has loaded
  await page.getByRole('link', { name: 'Typed events' }).click();
  views.push(['/docs/typed-events', TITLES.typedEvents]);
  await expectPageViews(collector, views);

  await page.goBack();
  await expect(page).toHaveURL(/\/docs\/getting-started$/);
  views.push(['/docs/getting-started', TITLES.gettingStarted]);
  await expectPageViews(collector, views);

  await page.goBack();
  await expect(page).toHaveURL(/\/signup\?plan=pro$/);
  views.push(['/signup', TITLES.signup]);
  await expectPageViews(collector, views);

  await page.goForward();
  await expect(page).toHaveURL(/\/docs\/getting-started$/);
  views.push(['/docs/getting-started', TITLES.gettingStarted]);
  await expectPageViews(collector, views);

  // a last event marks the end; whatever a doubled page view would have sent has arrived by then
  await page.getByRole('button', { name: 'This page helped' }).click();
  await waitForEvents(collector, 1, { filter: { event: 'doc_rated' } });
  await page.waitForTimeout(SETTLE_MS);

  expect(pageViews(collector)).toEqual(views);
  expect(received(collector, { path: '/init' })).toHaveLength(1);
  expect(received(collector, { event: 'doc_rated' }).map((record) => record.body.attributes)).toEqual([{ doc: 'getting-started', helpful: true }]);
  // the page view of a route carries that route's URL, and the previous page as its referrer
  const [, pricing, signup] = received(collector, { event: 'page_view' });
  expect(pricing.body.attributes).toMatchObject({ url: app.url('/pricing'), referrer: app.url('/') });
  expect(signup.body.attributes).toMatchObject({ url: app.url('/signup?plan=pro'), referrer: app.url('/pricing') }); // a query change is no page

  // plan_chosen belongs to the page it was clicked on; signup_started, tracked right after the
  // navigation (before the new page's title), arrives after the new page's page view, with its path
  const order = arrivals(collector).map((record) => [record.body.event, record.body.context.page.path]);
  const signupView = order.findIndex(([event, path]) => event === 'page_view' && path === '/signup');
  expect(order.slice(signupView - 1, signupView + 2)).toEqual([
    ['plan_chosen', '/pricing'],
    ['page_view', '/signup'],
    ['signup_started', '/signup'],
  ]);
  const [started] = received(collector, { event: 'signup_started' });
  expect(started.body.attributes).toEqual({ plan: 'pro' });
  expect(started.body.context.page).toMatchObject({ url: app.url('/signup?plan=pro'), title: TITLES.signup });

  // everything went to the site's own origin: one uuid, no CORS preflight
  expect(new Set(received(collector).map((record) => record.origin))).toEqual(new Set([app.origin]));
  expect(new Set(received(collector).map((record) => record.body.uuid)).size).toBe(1);
  expect(collector.requests().filter((request) => request.method === 'OPTIONS')).toEqual([]);
});

test('examples/spa: a redirect on landing counts once, as the page the visitor sees, with its title', async ({ page, app, collector }) => {
  await page.goto(app.url('/old-pricing'));
  await expect(page).toHaveURL(app.url('/pricing'));
  await expectPageViews(collector, [['/pricing', TITLES.pricing]]);

  await page.goto(app.url('/docs'));
  await expect(page).toHaveURL(app.url('/docs/getting-started'));
  await expectPageViews(collector, [['/pricing', TITLES.pricing], ['/docs/getting-started', TITLES.gettingStarted]]);

  await page.waitForTimeout(SETTLE_MS);
  expect(pageViews(collector)).toHaveLength(2);
});

test('examples/spa: a tab closed before the new page has its title still sends that page view', async ({ page, app, collector }) => {
  await page.goto(app.url('/docs/getting-started'));
  await expectPageViews(collector, [['/docs/getting-started', TITLES.gettingStarted]]);

  // the next doc takes 800 ms to load, and its title with it: the tab closes long before
  await page.getByRole('link', { name: 'Typed events' }).click();
  await expect(page).toHaveURL(/\/docs\/typed-events$/);
  expect(await page.title()).toBe(TITLES.gettingStarted);
  await page.close({ runBeforeUnload: true });

  // it goes with what is known at exit: the path of its navigation, the title that stood
  await expectPageViews(collector, [
    ['/docs/getting-started', TITLES.gettingStarted],
    ['/docs/typed-events', TITLES.gettingStarted],
  ]);
  const [, closing] = received(collector, { event: 'page_view' });
  expect(closing.body.attributes).toMatchObject({ url: app.url('/docs/typed-events'), referrer: app.url('/docs/getting-started') });
});
