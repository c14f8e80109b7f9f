// A minimal W3C WebDriver (classic, HTTP) client for WebKitWebDriver: just the commands the
// WebKit lane uses, each bounded by a timeout. No dependency: Node's fetch speaks to the driver.
//
//   const session = await openSession('http://127.0.0.1:4444', capabilities, { timeoutMs: 30_000 })
//   await session.goto('http://localhost:1234/script-tag.html')
//   const title = await session.evaluate(() => document.title)
//   await session.quit()
//
// Spec: https://www.w3.org/TR/webdriver2/ (endpoints, error shape `{ value: { error, message } }`).

/** Every command but a navigation answers within this; a navigation within pageLoad + this. */
const COMMAND_TIMEOUT_MS = 30_000
/** Session timeouts given to the driver (WebDriver "timeouts" capability). */
export const PAGE_LOAD_TIMEOUT_MS = 30_000
export const SCRIPT_TIMEOUT_MS = 30_000

/** An error the driver answered (`error` is the WebDriver error code, e.g. 'no such element'). */
export class WebDriverError extends Error {
  constructor(command, error, message) {
    super(`${command}: ${error}: ${message}`)
    this.error = error
  }
}

/** One HTTP command to the driver, aborted after `timeoutMs`. Resolves the answer's `value`. */
export async function command(base, method, path, body, timeoutMs = COMMAND_TIMEOUT_MS) {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), timeoutMs)
  const name = `${method} ${path.replace(/\/session\/[^/]+/, '/session/…')}`
  try {
    const response = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: abort.signal,
    })
    const text = await response.text()
    let answer
    try {
      answer = JSON.parse(text)
    } catch {
      throw new WebDriverError(name, 'invalid answer', `${response.status} ${text.slice(0, 200)}`)
    }
    if (!response.ok || answer?.value?.error) throw new WebDriverError(name, answer?.value?.error ?? response.status, answer?.value?.message ?? text.slice(0, 200))
    return answer.value
  } catch (error) {
    if (abort.signal.aborted) throw new WebDriverError(name, 'timeout', `no answer within ${timeoutMs} ms`)
    throw error
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Opens a session. Without a display the driver never answers (platform-facts.md, "WebKit"):
 * the request is aborted after `timeoutMs` and throws; the caller then restarts the driver.
 */
export async function openSession(base, capabilities, { timeoutMs = COMMAND_TIMEOUT_MS } = {}) {
  const value = await command(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } }, timeoutMs)
  return new Session(base, value.sessionId, value.capabilities)
}

/** The script a function becomes in the page: `fn` must be self-contained (no closure). */
const callScript = (fn) => `return (${fn}).apply(null, arguments)`

/** A function that returns a promise, run with execute/async: the result or the rejection. */
const asyncScript = (fn) =>
  `const done = arguments[arguments.length - 1];
   Promise.resolve().then(() => (${fn}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
     .then((value) => done({ value }), (error) => done({ error: String(error) + (error && error.stack ? '\\n' + error.stack : '') }))`

/** A WebDriver session: one browser window at a time is "current" (switchTo changes it). */
export class Session {
  constructor(base, id, capabilities) {
    this.base = base
    this.id = id
    this.capabilities = capabilities
  }

  /** One command of this session. */
  cmd(method, path, body, timeoutMs) {
    return command(this.base, method, `/session/${this.id}${path}`, body, timeoutMs)
  }

  /** Navigates and waits for the page load strategy's event ('normal': load). */
  goto(url) {
    return this.cmd('POST', '/url', { url }, PAGE_LOAD_TIMEOUT_MS + 5_000)
  }

  url() {
    return this.cmd('GET', '/url')
  }

  back() {
    return this.cmd('POST', '/back', {}, PAGE_LOAD_TIMEOUT_MS + 5_000)
  }

  forward() {
    return this.cmd('POST', '/forward', {}, PAGE_LOAD_TIMEOUT_MS + 5_000)
  }

  reload() {
    return this.cmd('POST', '/refresh', {}, PAGE_LOAD_TIMEOUT_MS + 5_000)
  }

  /** Runs `fn(...args)` in the page and returns its (JSON-clonable) result. */
  evaluate(fn, ...args) {
    return this.cmd('POST', '/execute/sync', { script: callScript(fn), args })
  }

  /** Runs `fn(...args)` in the page and awaits the promise it returns (bounded by the script timeout). */
  async evaluateAsync(fn, ...args) {
    const result = await this.cmd('POST', '/execute/async', { script: asyncScript(fn), args }, SCRIPT_TIMEOUT_MS + 5_000)
    if (result && 'error' in result) throw new Error(`in the page: ${result.error}`)
    return result?.value
  }

  /** Clicks the element `css` selects, as a user would (WebDriver element click). */
  async click(css) {
    const element = await this.cmd('POST', '/element', { using: 'css selector', value: css })
    const id = element['element-6066-11e4-a52e-4f735466cecf']
    return this.cmd('POST', `/element/${id}/click`, {})
  }

  /** All cookies of the current page, HttpOnly ones included. */
  cookies() {
    return this.cmd('GET', '/cookie')
  }

  windowHandle() {
    return this.cmd('GET', '/window')
  }

  /** Opens a new tab (it does not become current) and returns its handle. */
  async newWindow() {
    const { handle } = await this.cmd('POST', '/window/new', { type: 'tab' })
    return handle
  }

  switchTo(handle) {
    return this.cmd('POST', '/window', { handle })
  }

  /** Closes the current tab, as the user closing it; returns the handles left. */
  closeWindow() {
    return this.cmd('DELETE', '/window')
  }

  /** Ends the session (the browser quits); never throws. */
  async quit(timeoutMs = 10_000) {
    try {
      await command(this.base, 'DELETE', `/session/${this.id}`, undefined, timeoutMs)
      return true
    } catch {
      return false
    }
  }
}
