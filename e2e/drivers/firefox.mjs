// The Firefox page object: Firefox ESR driven by puppeteer-core over WebDriver BiDi (Playwright's
// Firefox cannot be downloaded here; ../../../shared/platform-facts.md, "Driving the browsers").
// ATRACK_FIREFOX_PATH overrides the binary (default /usr/bin/firefox-esr). See e2e/README.md.
import puppeteer from 'puppeteer-core'
import { bounded } from '../records.mjs'

/** What a scenario can ask of Firefox over BiDi that it cannot do, and why. */
export const cannot = {
  bfcache:
    'no back/forward cache: headless Firefox ESR under WebDriver BiDi never restores a page from its back/forward cache here: even a page without the SDK, served no-cache, comes back with pageshow persisted=false (also with browser.sessionhistory.max_total_viewers=8, in the default and in a new user context)',
}

/** Launching Firefox takes 2–3 s here; give it room on a busy machine. */
const LAUNCH_TIMEOUT_MS = 30_000

/**
 * One headless Firefox for a lane, set to the fr-FR locale (navigator.language follows
 * `intl.accept_languages`) and the America/New_York time zone (TZ), as the other lanes are.
 */
export async function launchFirefox() {
  const expect = { locale: 'fr-FR', timeZone: 'America/New_York', userAgent: /Gecko\/\d+ Firefox\/\d/ }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.ATRACK_FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: 30_000,
    env: { ...process.env, TZ: expect.timeZone },
    extraPrefsFirefox: { 'intl.accept_languages': expect.locale, 'intl.locale.requested': expect.locale },
  })
  return {
    engine: 'Firefox',
    version: `Firefox ESR ${(await browser.version()).replace(/^firefox\//i, '')} (puppeteer-core, WebDriver BiDi)`,
    cannot,
    expect,
    async session() {
      const context = await browser.createBrowserContext()
      return { open: async () => tab(await context.newPage()), close: () => bounded(context.close(), 10_000) }
    },
    /** Closes the browser within 10 s; if it hangs, kills the Firefox process this lane started. */
    async close() {
      if (!(await bounded(browser.close(), 10_000))) browser.process()?.kill('SIGKILL')
    },
  }
}

function tab(page) {
  const errors = []
  page.on('pageerror', (error) => errors.push(error.message))
  return {
    goto: (url, { until = 'load' } = {}) => page.goto(url, { waitUntil: until == 'parsed' ? 'domcontentloaded' : 'load' }),
    evaluate: (fn, ...args) => page.evaluate(fn, ...args),
    url: async () => page.url(),
    reload: () => page.reload().then(() => true, () => false),
    click: (css) => page.click(css),
    close: () => page.close(),
    cookies: () => page.cookies(),
    errors: async () => errors,
    setOffline: (offline) => page.setOfflineMode(offline),
  }
}
