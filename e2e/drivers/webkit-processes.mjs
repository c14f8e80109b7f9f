// Starts and stops WebKit for the WebKit lane (e2e/drivers/webkit.mjs): an Xvfb display and one WebKitWebDriver per worker
// (a test file), each in its own process group, and opens MiniBrowser sessions with a bounded
// wait. Recipe and pitfalls: ../../../shared/platform-facts.md, section "WebKit" (without a display
// the session request hangs for ever; one driver holds one session).
//
//   const webkit = await launchWebKit()          // Xvfb on the first free display from :97, a driver
//   const page = await newSession(webkit)        // a fresh MiniBrowser: empty cookies and storage
//   ...; await page.quit(); await closeWebKit(webkit)
//
// Every process started here is killed with its group (MiniBrowser and its web and network
// processes included) by closeWebKit, and on any exit of the worker. Every wait is bounded.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bounded, sleep } from '../records.mjs'
import { PAGE_LOAD_TIMEOUT_MS, SCRIPT_TIMEOUT_MS, command, openSession } from './webdriver-client.mjs'


export const MINIBROWSER = process.env.ATRACK_MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'
/** How often the waits below look again. */
const POLL_MS = 50
/** Displays tried for Xvfb, first free one wins (other lanes or engineers may hold some). */
const DISPLAYS = { first: 97, last: 120 }
/** Xvfb and the driver are ready in well under a second here; room for a busy 2-core machine. */
const START_TIMEOUT_MS = 15_000
/** A session opens in about 1 s; without a working display the request never returns. */
const SESSION_TIMEOUT_MS = 30_000
/** SIGTERM first, SIGKILL after this. */
const STOP_GRACE_MS = 2_000

/** Process groups this worker started and has not stopped yet: killed on any exit. */
const groups = new Set()
let exitHooked = false

function hookExit() {
  if (exitHooked) return
  exitHooked = true
  // no time to wait here: SIGKILL, except Xvfb, whose SIGTERM lets it remove its lock and socket
  const killAll = () => {
    for (const child of groups) killGroup(child, child.gentle ? 'SIGTERM' : 'SIGKILL')
  }
  process.on('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      killAll()
      process.exit(128 + (signal == 'SIGINT' ? 2 : 15))
    })
  }
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal) // the group: the driver's MiniBrowser and its helpers too
  } catch {
    // already gone
  }
}

/** Starts `file` in its own process group; keeps the last lines of its output for diagnostics. */
function startProcess(file, args, env) {
  hookExit()
  const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env })
  const lines = []
  const keep = (chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean))
    if (lines.length > 40) lines.splice(0, lines.length - 40)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code))
    child.once('error', (error) => {
      child.spawnError = error // e.g. ENOENT: not installed
      keep(String(error))
      resolve(error.code)
    })
  })
  child.log = () => lines.join('\n')
  groups.add(child)
  return child
}

/** The process runs (it started and has not exited). */
const alive = (child) => !child.spawnError && child.exitCode === null && child.signalCode === null

/** Throws a readable error when `child` could not be started at all. */
function assertStarted(child, file, hint) {
  if (child.spawnError) throw new Error(`${file} could not be started (${child.spawnError.code}): ${hint}`)
}

/** Stops a process group started here: SIGTERM, then SIGKILL after a grace period. Bounded. */
export async function stopProcess(child) {
  if (!child) return
  if (alive(child)) {
    killGroup(child, 'SIGTERM')
    if (!(await bounded(child.exited, STOP_GRACE_MS))) {
      killGroup(child, 'SIGKILL')
      await bounded(child.exited, STOP_GRACE_MS)
    }
  }
  killGroup(child, 'SIGKILL') // helpers left behind by a leader that exited on SIGTERM
  groups.delete(child)
}

/**
 * A display is taken when its lock file names a live process, or when it has a socket but no lock
 * (someone else's server). A lock left by a killed Xvfb is stale: the next Xvfb removes it.
 */
function displayTaken(n) {
  let pid
  try {
    pid = Number(readFileSync(`/tmp/.X${n}-lock`, 'utf8').trim())
  } catch {
    return existsSync(`/tmp/.X11-unix/X${n}`)
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code == 'EPERM' // alive, someone else's
  }
}

/** Xvfb on the first free display from :97; resolves once its socket exists. */
export async function startXvfb() {
  for (let n = DISPLAYS.first; n <= DISPLAYS.last; n++) {
    if (displayTaken(n)) continue
    const xvfb = Object.assign(startProcess('Xvfb', [`:${n}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], process.env), { gentle: true })
    const deadline = Date.now() + START_TIMEOUT_MS
    while (Date.now() < deadline && alive(xvfb) && !existsSync(`/tmp/.X11-unix/X${n}`)) await sleep(POLL_MS)
    if (alive(xvfb) && existsSync(`/tmp/.X11-unix/X${n}`)) return Object.assign(xvfb, { display: `:${n}` })
    await stopProcess(xvfb) // lost a race for this display, or did not come up: try the next
    assertStarted(xvfb, 'Xvfb', 'apt-get install xvfb xauth (.ci/run does)')
  }
  throw new Error(`startXvfb: no display in :${DISPLAYS.first}..:${DISPLAYS.last} could be started`)
}

/** A TCP port free right now on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** WebKitWebDriver on a free port with DISPLAY set; resolves once it answers GET /status. */
export async function startDriver(display, env = {}) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort()
    const driver = startProcess('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], { ...process.env, ...env, DISPLAY: display })
    const url = `http://127.0.0.1:${port}`
    const deadline = Date.now() + START_TIMEOUT_MS
    while (Date.now() < deadline && alive(driver)) {
      try {
        await command(url, 'GET', '/status', undefined, 2_000)
        return Object.assign(driver, { url })
      } catch {
        await sleep(POLL_MS)
      }
    }
    await stopProcess(driver) // the port was taken in between, or it hangs: another port
    assertStarted(driver, 'WebKitWebDriver', 'apt-get install webkit2gtk-driver (.ci/run does)')
  }
  throw new Error('startDriver: WebKitWebDriver did not answer on 3 ports')
}

/**
 * Xvfb and one WebKitWebDriver for this worker (a test file). `env` reaches MiniBrowser, e.g.
 * the locale from `localeEnv()`.
 */
export async function launchWebKit({ env = {} } = {}) {
  const xvfb = await startXvfb()
  try {
    const driver = await startDriver(xvfb.display, env)
    const webkit = { xvfb, driver, env }
    /** Kills the driver (its browser with it) and starts a clean one on the same display. */
    webkit.restartDriver = async () => {
      await stopProcess(webkit.driver)
      webkit.driver = await startDriver(xvfb.display, env)
    }
    return webkit
  } catch (error) {
    await stopProcess(xvfb)
    throw error
  }
}

/** Stops the driver (and with its group, any browser left) and Xvfb. Never throws. */
export async function closeWebKit(webkit) {
  if (!webkit) return
  await stopProcess(webkit.driver)
  await stopProcess(webkit.xvfb)
}

/**
 * The environment that gives MiniBrowser the locale `name` (e.g. 'fr_FR'): WebKitGTK takes
 * navigator.language from the C library's locale, and this machine ships only C.UTF-8 compiled.
 * The locale is compiled into a temp dir (LOCPATH) from the `locales` sources; returns null when
 * they are missing (the caller then expects whatever navigator.language says).
 */
export function localeEnv(name) {
  const dir = mkdtempSync(join(tmpdir(), 'atrack-wk-locale-'))
  try {
    execFileSync('localedef', ['-i', name, '-f', 'UTF-8', join(dir, `${name}.UTF-8`)], { stdio: 'ignore', timeout: 30_000 })
    return { LANG: `${name}.UTF-8`, LC_ALL: `${name}.UTF-8`, LOCPATH: dir }
  } catch {
    rmSync(dir, { recursive: true, force: true })
    return null
  }
}

/**
 * A fresh MiniBrowser session. The request is bounded; when it times out or fails, the driver is
 * killed (browser included) and restarted once, then the session is asked for again.
 */
export async function newSession(webkit, { pageLoadStrategy = 'normal', args = [] } = {}) {
  const capabilities = {
    browserName: 'MiniBrowser',
    pageLoadStrategy,
    timeouts: { script: SCRIPT_TIMEOUT_MS, pageLoad: PAGE_LOAD_TIMEOUT_MS, implicit: 0 },
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', ...args] },
  }
  try {
    return await openSession(webkit.driver.url, capabilities, { timeoutMs: SESSION_TIMEOUT_MS })
  } catch (error) {
    const log = webkit.driver.log()
    await stopProcess(webkit.driver)
    webkit.driver = await startDriver(webkit.xvfb.display, webkit.env)
    try {
      return await openSession(webkit.driver.url, capabilities, { timeoutMs: SESSION_TIMEOUT_MS })
    } catch (again) {
      throw new Error(`newSession: ${error.message}; after restarting the driver: ${again.message}\ndriver log:\n${log}`)
    }
  }
}
