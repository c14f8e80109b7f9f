/**
 * The two ways a message leaves the page. Only `fetch` tells what happened; `sendBeacon`'s `true`
 * means "queued by the browser", so beacons are for page exit (see docs/browsers.md).
 */

/** sendBeacon and keepalive fetch share 64 KiB of in-flight body per page (Fetch spec, "keepalive"). */
export const MAX_BEACON_BYTES = 64 * 1024
/** The backend's limit for one message, as Segment's 32 KB per call. */
export const MAX_MESSAGE_BYTES = 32 * 1024

/** What became of a send: the HTTP status (0: no answer), and `Retry-After`. See `classify`. */
export interface Result {
  _status: number
  /** from `Retry-After`, in ms */
  _wait?: number
  /** what the server said of a refusal (its body, e.g. `{"error":"unknown key"}`), for onError and debug */
  _reason?: string
}

/** Retry 5xx, 408 and 429 and network errors (status 0); other 4xx are permanent. */
export function classify(status: number): 'ok' | 'retry' | 'drop' {
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
 * The URL of an endpoint with the key in the query: with the JSON sent as a string, which the
 * browser labels `text/plain;charset=UTF-8`, a fetch is a "simple" CORS request and a beacon needs
 * no preflight either (docs/wire.md; a header or a JSON content type costs an OPTIONS round trip).
 */
export const endpoint = (base: string, path: string, key: string): string => base + path + '?key=' + encodeURIComponent(key)

/**
 * POSTs one message. Never rejects: a network error is status 0. The body of a success is cancelled
 * at once, because a keepalive request holds the page's 64 KiB budget until its body is consumed;
 * that of a refusal is read, so the page's onError and debug output say why.
 */
export async function sendFetch(url: string, body: string, keepalive: boolean): Promise<Result> {
  try {
    const res = await fetch(url, { method: 'POST', body, keepalive, credentials: 'omit' })
    const reason = res.ok ? void res.body?.cancel().catch(() => undefined) : (await res.text()).slice(0, 200)
    return { _status: res.status, _wait: retryAfter(res.headers.get('retry-after')), _reason: reason }
  } catch {
    return { _status: 0 }
  }
}

/** Hands one message to `sendBeacon`: a string goes as `text/plain;charset=UTF-8`, without preflight. */
export function sendBeacon(url: string, body: string): boolean {
  try {
    return navigator.sendBeacon(url, body)
  } catch {
    return false
  }
}

/** UTF-8 length of a string: what the 64 KiB and 32 KB limits count (about 1 µs for a message). */
export const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length
