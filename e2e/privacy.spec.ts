// The README's "What is stored" table against a real visit in Chromium: every cookie and
// localStorage key the SDK writes is a row of the table, and every row is written by the visit
// on the consent fixture (consent pending, then granted; a session; identify(); a queue left at a reload and adopted
// under the localStorage lease, as on a site without Web Locks; an opt-out). Keys are matched by
// the table's patterns (`<tab>` is any text without a dot), so the test reads the table, not a list of its own.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, waitForEvents } from './fixtures';

type Where = 'cookie' | 'localStorage';
interface Row {
  key: string;
  pattern: RegExp;
  where: Where[];
}

/** The rows between the README's storage-keys markers: key pattern and where it is written. */
function storageTable(): Row[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.split('<!-- storage-keys')[1]?.split('<!-- /storage-keys -->')[0];
  if (!table) throw new Error('README.md: no storage-keys table');
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [keyCell, whereCell] = line.split('|').slice(1, 3);
      const key = keyCell.trim().replace(/`/g, '');
      const source = key.split(/<[^>]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^.]+');
      const where = (['cookie', 'localStorage'] as const).filter((store) => whereCell.includes(store));
      return { key, pattern: new RegExp(`^${source}$`), where };
    });
}

/**
 * Before any page script: records the name of every localStorage key set and every cookie
 * written (removals, Max-Age below 0, aside) in sessionStorage, which survives the reload; and
 * takes Web Locks away, as on a plain-http site, so adoption takes the localStorage lease.
 */
function instrument() {
  const setItem = Storage.prototype.setItem;
  const note = (where: string, key: string) => {
    const written = JSON.parse(sessionStorage.getItem('written') || '[]');
    if (!written.includes(`${where} ${key}`)) setItem.call(sessionStorage, 'written', JSON.stringify([...written, `${where} ${key}`]));
  };
  Storage.prototype.setItem = function (key: string, value: string) {
    if (this === localStorage) note('localStorage', key);
    return setItem.call(this, key, value);
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    get() {
      return cookie.get!.call(this);
    },
    set(value: string) {
      if (!/;\s*max-age=-/i.test(value)) note('cookie', value.split('=')[0].trim());
      cookie.set!.call(this, value);
    },
  });
  Object.defineProperty(Navigator.prototype, 'locks', { configurable: true, get: () => undefined });
}

/** What the page has stored now, and what it wrote since the visit began, as `'<where> <key>'`. */
async function storage(page: Page) {
  return page.evaluate(() => ({
    now: [
      ...document.cookie.split(/;\s*/).filter(Boolean).map((pair) => `cookie ${pair.split('=')[0]}`),
      ...Object.keys(localStorage).map((key) => `localStorage ${key}`),
    ],
    written: JSON.parse(sessionStorage.getItem('written') || '[]') as string[],
  }));
}

test('the README lists exactly the cookies and localStorage keys a visit writes, and nothing is written while consent is pending', async ({ page, site, collector }) => {
  const rows = storageTable();
  expect(rows.map((row) => row.key)).toContain('atrack_uid');
  await page.addInitScript(instrument);
  // a host with a dot, as a real site has: the SDK looks for the widest cookie domain there
  const url = site.url('/ac-consent.html').replace('//localhost:', '//app.localhost:');

  await page.goto(url);
  await page.evaluate(async () => {
    await (window as any).atrack.init();
    (window as any).atrack.track('while_pending', { n: 1 });
    (window as any).atrack.identify('crm-user-42', { plan: 'pro' });
  });
  await page.waitForTimeout(500);
  expect(await storage(page)).toEqual({ now: [], written: [] });
  expect(collector.requests()).toEqual([]);

  // granted while the collector answers 503: the messages stay queued, and the reload leaves them
  collector.fail({ status: 503 });
  await page.evaluate(() => {
    (window as any).atrack.setConsent('granted');
    (window as any).atrack.setAttributes({ plan: 'business' });
    (window as any).atrack.track('queued_at_reload');
  });
  await expect.poll(async () => (await storage(page)).now.filter((key) => key.startsWith('localStorage atrack_q'))).not.toEqual([]);
  await page.reload();
  collector.fail({ status: 0 });
  await page.evaluate(async () => {
    (window as any).atrack.setConsent('granted');
    await (window as any).atrack.flush();
  });
  await waitForEvents(collector, 1, { filter: { event: 'queued_at_reload' } });
  await page.evaluate(() => (window as any).atrack.optOut());

  const { written, now } = await storage(page);
  // after the opt-out, only the refusal stays
  expect(now.filter((key) => key.includes('atrack_')).sort()).toEqual(['cookie atrack_optout', 'localStorage atrack_optout']);
  const rowOf = (entry: string) => {
    const [where, key] = entry.split(' ') as [Where, string];
    return rows.find((row) => row.pattern.test(key) && row.where.includes(where));
  };
  expect(written.filter((entry) => !rowOf(entry)), 'written, but not in the README table').toEqual([]);
  const expected = rows.flatMap((row) => row.where.map((where) => `${where} ${row.key}`));
  const found = expected.filter((entry) => {
    const [where, key] = entry.split(' ');
    const row = rows.find((r) => r.key === key)!;
    return written.some((w) => w.startsWith(`${where} `) && row.pattern.test(w.slice(where.length + 1)));
  });
  expect(found, 'in the README table, but not written by the visit').toEqual(expected);
});
