/**
 * The script-tag entry (`dist/atrack.min.js`): reads the options from its own `<script>` tag,
 * initialises, replays the calls the pre-load stub queued, and becomes `window.atrack`.
 */
import { ATrack } from './client'
import type { ATrackOptions } from './types'

/** A call the snippet kept: `[method, ...args]`, the arguments copied, and the time of the call as `t`. */
type Call = [method: string, ...args: unknown[]] & { t?: number }
type Stub = { q?: Call[] | { push(c: Call): void } }

/** The public methods, as the README's snippet lists them. */
const METHODS = 'init track page setAttributes identify reset optOut optIn setConsent flush getUser'.split(' ')

/** `data-*` values as options: "false" and "true"/empty are booleans, numbers are numbers. */
function optionsFrom(data: DOMStringMap): ATrackOptions {
  const options: Record<string, unknown> = {}
  for (const k in data) {
    const v = data[k]!
    options[k] = v == 'false' ? false : v == '' || v == 'true' ? true : /^\d+(\.\d+)?$/.test(v) ? +v : v
  }
  options.publicKey = data.key
  return options as unknown as ATrackOptions
}

function boot(): void {
  const w = window as unknown as { atrack?: Stub & Partial<ATrack> }
  const stub = w.atrack
  // loaded twice: the first live client stays
  if (stub && !stub.q && stub.track) return
  const script = (document.currentScript || document.querySelector('script[data-key][src*="atrack"]')) as HTMLScriptElement | null
  const data = script?.dataset || {}
  /** the client, seen as its methods by name and the clock of its capture */
  let client: Record<string, (...a: unknown[]) => unknown> & { _capture: { _clock: number } }
  try {
    client = new ATrack(optionsFrom(data)) as unknown as typeof client
  } catch (e) {
    console.error((e as Error).message + ' (<script data-key>)')
    return
  }
  const capture = client._capture
  // bound, so `const { track } = atrack` and `onclick="atrack.track(…)"` both work
  for (const m of METHODS) client[m] = client[m].bind(client)
  const queued: Call[] = Array.isArray(stub?.q) ? stub.q : []
  /**
   * The page started no later than its first call to the snippet: `init()` (and with it `/init` and
   * the first page view) takes that time, so it comes first in time as it does on the wire.
   */
  const timeOf = (call: Call) => (typeof call.t == 'number' && call.t) || Infinity
  // by reduce, not a spread: a very long queue would overflow the arguments of Math.min
  const start = queued.reduce((first, call) => Math.min(first, timeOf(call)), Infinity)
  // each call at the time it was made to the snippet (0: now), init() at the start
  const run = (call: Call) => {
    const [m, ...args] = call
    const time = m == 'init' ? start : timeOf(call)
    capture._clock = time < Infinity ? time : 0
    try {
      if (METHODS.includes(m)) client[m](...args)
    } finally {
      capture._clock = 0
    }
  }
  if (data.autoInit !== 'false') run(['init'])
  queued.forEach(run)
  // a reference to the stub kept by the page keeps working
  if (stub) stub.q = { push: run }
  w.atrack = client as unknown as ATrack
}

boot()
