// The WebKit page object: WebKitGTK (the engine of Safari) driven over classic WebDriver.
// `WebKitWebDriver` launches MiniBrowser on an Xvfb display (webkit-processes.mjs starts and stops
// them; webdriver-client.mjs is the client). ATRACK_MINIBROWSER_PATH overrides the browser binary.
// See e2e/README.md for the interface.
import { rmSync } from 'node:fs'
import { waitInPage } from '../harness.mjs'
import { closeWebKit, launchWebKit as startWebKit, localeEnv, newSession } from './webkit-processes.mjs'

/** What a scenario can ask of WebKitGTK over WebDriver that it cannot do, and why. */
export const cannot = {
  offline:
    'no offline emulation: WebKitGTK has no command to emulate offline, neither over WebDriver nor in MiniBrowser (platform-facts.md, "WebKit"); its outage scenarios take the collector down instead',
}

/**
 * Xvfb and one WebKitWebDriver for a lane. MiniBrowser runs with the fr_FR locale (compiled here
 * when the `locales` sources allow; otherwise whatever navigator.language says) and the
 * America/New_York time zone, as the other lanes are.
 */
export async function launchWebKit() {
  const env = localeEnv('fr_FR')
  const expect = { locale: env ? 'fr-FR' : undefined, timeZone: 'America/New_York', userAgent: /AppleWebKit\/.* Safari\// }
  const webkit = await startWebKit({ env: env ?? {} })
  let version = 'WebKitGTK'
  return {
    engine: 'WebKit',
    get version() {
      return version
    },
    cannot,
    expect,
    log: () => webkit.driver.log().replaceAll('\n', ' | ') || '(empty)',
    async session() {
      const session = await newSession(webkit, { pageLoadStrategy: 'none', args: [`--time-zone=${expect.timeZone}`] })
      version = `WebKitGTK ${session.capabilities.browserVersion} (MiniBrowser, WebKitWebDriver)`
      return windows(session, webkit)
    },
    async close() {
      await closeWebKit(webkit)
      if (env) rmSync(env.LOCPATH, { recursive: true, force: true })
    },
  }
}

/**
 * The session's windows as tabs. The first `open()` is the window the session started with; a
 * WebDriver session ends with its last window, so a scenario that closes a tab opens another first.
 */
function windows(session, webkit) {
  let current
  let first = true
  const use = async (handle) => {
    if (current != handle) await session.switchTo(handle)
    current = handle
  }
  return {
    async open() {
      const handle = first ? await session.windowHandle() : await session.newWindow()
      first = false
      await use(handle)
      return tab(session, handle, use, (left) => (current = left))
    },
    async close() {
      if (!(await session.quit())) {
        // the browser does not answer: kill the driver with it, start a clean one for the next
        // scenario (if that fails, the next session request says so)
        await webkit.restartDriver().catch(() => undefined)
      }
    },
  }
}

function tab(session, handle, use, closed) {
  const on = (fn) => async (...args) => {
    await use(handle)
    return fn(...args)
  }
  const self = {
    // The session's page load strategy is 'none': WebKitWebDriver would otherwise hold every
    // command while a page loads (a held async script delays the load event, also with 'eager')
    goto: on(async (url, { until = 'load' } = {}) => {
      await session.goto(url)
      // asked in the page: the driver may report the new URL while the old document is still current
      const state = until == 'load' ? ['complete'] : ['interactive', 'complete']
      await waitInPage(self, (url, state) => location.href == url && state.includes(document.readyState), [url, state], { what: `${url} ${until == 'load' ? 'loaded' : 'parsed'}`, timeoutMs: 30_000 })
    }),
    evaluate: on((fn, ...args) => session.evaluateAsync(fn, ...args)),
    url: on(() => session.url()),
    reload: on(() => session.reload().then(() => true, () => false)),
    click: on((css) => session.click(css)),
    close: on(async () => {
      const [left] = await session.closeWindow()
      if (left) await session.switchTo(left)
      closed(left)
    }),
    cookies: on(() => session.cookies()),
    // classic WebDriver reports no page errors
    errors: async () => undefined,
  }
  return self
}
