import type { ATrackError, ErrorCode } from './types'

/** Reports a problem without ever throwing: `onError` first, then `console.warn` in debug mode. */
export type Report = (code: ErrorCode, message: string, extra?: Partial<ATrackError>) => void

/**
 * Builds the reporter every module gets. A faulty `onError` handler is itself caught: the SDK must
 * never throw into the page, whatever the page gave it.
 */
export function createReporter(onError: ((e: ATrackError) => void) | undefined, debug: boolean): Report {
  return (code, message, extra) => {
    const error = Object.assign(new Error('[atrack] ' + message), { name: 'ATrackError', code }, extra)
    try {
      onError?.(error as ATrackError)
    } catch {
      // the page's handler failed; nothing more we can do without throwing
    }
    if (debug) console.warn(error.message, extra || '')
  }
}

/** Wraps a reporter so that each code is reported once, e.g. a storage failure on every write. */
export function once(report: Report): Report {
  const seen: Record<string, 1> = {}
  return (code, message, extra) => {
    if (seen[code]) return
    seen[code] = 1
    report(code, message, extra)
  }
}

/** Runs functions so that what they throw is reported as `internal`, never thrown into the page. */
export function guard(report: Report): (fn: () => void) => void {
  return (fn) => {
    try {
      fn()
    } catch (e) {
      report('internal', 'caught: ' + e, { cause: e })
    }
  }
}
