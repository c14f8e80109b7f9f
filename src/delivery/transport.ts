/**
 * The two ways a message leaves the page. Only `fetch` tells what happened; `sendBeacon`'s `true`
 * means "queued by the browser", so beacons are for page exit (see shared/platform-facts.md).
 */

/** sendBeacon and keepalive fetch share 64 KiB of in-flight body per page (Fetch spec, "keepalive"). */
export const MAX_BEACON_BYTES = 64 * 1024
/** The backend's limit for one message, as Segment's 32 KB per call. */
export const MAX_MESSAGE_BYTES = 32 * 1024

/** What became of a send: delivered, try again later, or refused for good. */
export interface Result {
  _outcome: 'ok' | 'retry' | 'drop'
  _status: number
  /** from `Retry-After`, in ms */
  _wait?: number
}

/** Retry 5xx, 408 and 429 and network errors (status 0); other 4xx are permanent. */
export function classify(status: number): Result['_outcome'] {
  if (status >= 200 && status < 300) return 'ok'
  return !status || status >= 500 || status == 408 || status == 429 ? 'retry' : 'drop'
}

/** `Retry-After` as seconds or an HTTP date, in ms; undefined when absent or unparsable. */
export function retryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined
  const ms = /^\d+$/.test(header.trim()) ? +header * 1000 : Date.parse(header) - now
  return ms >= 0 ? ms : undefined
}

/**
 * POSTs one message with the key in `x-a-track-key`. Never rejects: a network error is status 0.
 * The response body is cancelled at once, because a keepalive request holds the page's 64 KiB
 * budget until its body is consumed.
 */
export async function sendFetch(url: string, key: string, body: string, keepalive: boolean): Promise<Result> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-a-track-key': key },
      body,
      keepalive,
      credentials: 'omit',
    })
    res.body?.cancel().catch(() => undefined)
    return { _outcome: classify(res.status), _status: res.status, _wait: retryAfter(res.headers.get('retry-after')) }
  } catch {
    return { _outcome: 'retry', _status: 0 }
  }
}

/**
 * Hands one message to `sendBeacon`: JSON text as `text/plain;charset=UTF-8`, which needs no CORS
 * preflight (a JSON Blob would, and is lost when the preflight is not answered with credentials),
 * and the key in the query string because beacons cannot carry headers.
 */
export function sendBeacon(url: string, key: string, body: string): boolean {
  try {
    return navigator.sendBeacon(url + '?key=' + encodeURIComponent(key), new Blob([body], { type: 'text/plain;charset=UTF-8' }))
  } catch {
    return false
  }
}

/** UTF-8 length of a string: what the 64 KiB and 32 KB limits count. */
export function utf8Bytes(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    // surrogate halves are 2 bytes each of a 4-byte sequence; the rest of non-ASCII is 1 or 2 more
    if (c > 0x7f) n += c > 0x7ff && (c < 0xd800 || c > 0xdfff) ? 2 : 1
  }
  return n
}
