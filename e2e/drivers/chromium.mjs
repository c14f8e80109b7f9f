// The Chromium page object: Playwright over CDP, with the `browser` of Playwright's worker fixture
// (Debian's Chromium, launched by playwright.config.ts). See e2e/README.md for the
// interface every driver implements.
import { readFileSync } from 'node:fs'

const playwrightVersion = JSON.parse(readFileSync(new URL('../../node_modules/playwright-core/package.json', import.meta.url), 'utf8')).version

/** What a scenario can ask of Chromium and Playwright that they cannot do: nothing. */
export const cannot = {}

/**
 * A driver on Playwright's `browser`. `expect` is what the sessions are set to: the locale and
 * time zone every context gets, so the captured context cannot be a default that merely matches.
 */
export function chromiumDriver(browser) {
  const expect = { locale: 'fr-FR', timeZone: 'America/New_York', userAgent: /Chrome\/\d/ }
  return {
    engine: 'Chromium',
    version: `Chromium ${browser.version()} (Playwright ${playwrightVersion}, CDP)`,
    cannot,
    expect,
    async session() {
      const context = await browser.newContext({ locale: expect.locale, timezoneId: expect.timeZone })
      return { open: async () => tab(context, await context.newPage()), close: () => context.close() }
    },
  }
}

function tab(context, page) {
  const errors = []
  page.on('pageerror', (error) => errors.push(error.message))
  return {
    goto: (url, { until = 'load' } = {}) => page.goto(url, { waitUntil: until == 'parsed' ? 'domcontentloaded' : 'load' }),
    // one expression, so a function takes any number of arguments; its promise is awaited
    evaluate: (fn, ...args) => page.evaluate(`(${fn})(...${JSON.stringify(args)})`),
    url: async () => page.url(),
    // a failed reload (offline) ends on Chromium's error page: wait for it, or it interrupts the next goto
    reload: () => page.reload().then(() => true, () => page.waitForURL(/^chrome-error:/, { timeout: 5_000 }).then(() => false, () => false)),
    click: (css) => page.click(css),
    close: () => page.close(),
    cookies: () => context.cookies(),
    errors: async () => errors,
    setOffline: (offline) => context.setOffline(offline),
  }
}
