// The README's script tag as a site copies it: pinned to package.json's version, with the
// integrity of the built bundle. Served here from the test site instead of unpkg (same bytes: the
// built dist/atrack.min.js), Chromium runs it and its page view reaches the collector; with one
// character of the hash changed, the browser refuses to run it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test, TEST_KEY, waitForEvents, type Site } from './fixtures';

/** package.json's version: what the wire must say. */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** The README's first script tag loading the bundle from unpkg, as written there. */
function readmeTag(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const tag = readme.match(/<script async src="https:\/\/unpkg\.com\/@a-track\/web@[^"]+"[^>]*><\/script>/)?.[0];
  if (!tag) throw new Error('README.md: no unpkg script tag');
  return tag;
}

/** A page with `tag`, pointed at the test site's copy of the bundle and at the collector. */
function pageWith(tag: string, collectorUrl: string): string {
  const local = tag
    .replace(`https://unpkg.com/@a-track/web@${version}/dist/atrack.min.js`, '/dist/atrack.min.js')
    .replace('data-key="pub_xxx"', `data-key="${TEST_KEY}" data-api-host="${collectorUrl}"`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>README tag</title>${local}</head><body></body></html>`;
}

/**
 * Serves `html` from the test site (a file under e2e/pages/build/, which is not committed): a page
 * fulfilled by page.route() would count as public, and Chromium would refuse its requests to the
 * loopback collector (Local Network Access).
 */
function serve(site: Site, html: string, name: string): string {
  mkdirSync(new URL('./pages/build/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`./pages/build/${name}.html`, import.meta.url), html);
  return site.url(`/build/${name}.html`);
}

test('the README script tag, with its version and integrity, runs and sends its page view', async ({ page, site, collector }) => {
  const tag = readmeTag();
  expect(tag).toContain(`@a-track/web@${version}/dist/atrack.min.js`);
  expect(tag).toMatch(/ integrity="sha384-[A-Za-z0-9+/]{64}" crossorigin="anonymous" /);
  await page.goto(serve(site, pageWith(tag, collector.url), 'readme-tag'));
  const [view] = await waitForEvents(collector, 1, { filter: { event: 'page_view' } });
  expect(view.body.sdkVersion).toBe(version);
  expect(view.body.context.library).toEqual({ name: '@a-track/web', version });
});

test('with another integrity the browser does not run the bundle', async ({ page, site, collector }) => {
  const tag = readmeTag().replace(/integrity="sha384-(.)/, (_, first: string) => `integrity="sha384-${first === 'A' ? 'B' : 'A'}`);
  const refused = page.waitForEvent('console', (message) => message.type() === 'error' && /integrity/i.test(message.text()));
  await page.goto(serve(site, pageWith(tag, collector.url), 'readme-tag-tampered'));
  await refused;
  expect(await page.evaluate(() => typeof (window as any).atrack)).toBe('undefined');
  await page.waitForTimeout(300);
  expect(collector.requests()).toEqual([]);
});
