/** Shared test helpers: clean browser state, URL and referrer control, fetch/beacon stubs. */
import { vi, type Mock } from 'vitest'
import type { ATrackError, ErrorCode } from '../src/types'

const ORIGIN = 'http://localhost:3000'

/** Expires every cookie visible to the page, on the host and on each parent domain. */
export function clearCookies(): void {
  const host = location.hostname
  const parts = host.split('.')
  const domains = ['', ...parts.map((_, i) => parts.slice(i).join('.'))]
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim()
    if (!name) continue
    for (const d of domains) {
      document.cookie = name + '=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/' + (d ? '; domain=' + d : '')
    }
  }
}

/** Cookies as an object, as the page sees them now. */
export function cookies(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const c of document.cookie.split(';')) {
    const at = c.indexOf('=')
    if (at > 0) out[c.slice(0, at).trim()] = decodeURIComponent(c.slice(at + 1).trim())
  }
  return out
}

export function localKeys(): string[] {
  const keys: string[] = []
  for (let i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i)!)
  return keys.sort()
}

/** Moves the page to `url` without any history event (happy-dom's own navigation hook). */
export function setURL(url: string): void {
  ;(window as any).happyDOM.setURL(new URL(url, ORIGIN).href)
}

export function setReferrer(referrer: string): void {
  Object.defineProperty(document, 'referrer', { value: referrer, configurable: true })
}

/** Back to a fresh page at http://localhost:3000/ with no cookies, storage or referrer. */
export function resetPage(): void {
  clearCookies()
  setURL(ORIGIN + '/')
  clearCookies()
  localStorage.clear()
  delete (document as any).referrer
  document.title = ''
  document.body.innerHTML = ''
}

/** Lets queued microtasks and promise chains (fetch mocks included) run to the end. */
export async function microtasks(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve()
}

/** One later task (a MessageChannel message, as the SDK's own later tasks: fake timers leave it alone). */
export function task(): Promise<void> {
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => resolve()
    channel.port2.postMessage(0)
  })
}

/** Lets the SDK's later tasks and what they start run to the end. */
export async function settle(rounds = 4): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await task()
    await microtasks()
  }
}

/** A reporter that records what it is given. */
export function recorder() {
  const errors: ATrackError[] = []
  const onError = vi.fn((e: ATrackError) => void errors.push(e))
  return { errors, onError, codes: () => errors.map((e) => e.code), count: (code: ErrorCode) => errors.filter((e) => e.code == code).length }
}

/** A `fetch` stub answering every request with `status` (a function of the call number when given one). */
export function stubFetch(status: number | ((n: number, url: string) => number | Response) = 204): Mock {
  let n = 0
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    void init
    const s = typeof status == 'function' ? status(n++, url) : status
    return s instanceof Response ? s : new Response(null, { status: s })
  })
  vi.stubGlobal('fetch', fetch)
  return fetch
}

/** The requests a fetch stub got: path (after the base URL) and parsed JSON body. */
export function requests(fetch: Mock, base = 'https://api.a-track.io'): { path: string; key: string | null; body: any; init: RequestInit }[] {
  return fetch.mock.calls.map(([url, init]) => ({
    path: String(url).replace(base, '').replace(/\?.*/, ''),
    key: new URL(String(url)).searchParams.get('key'),
    body: JSON.parse((init as RequestInit).body as string),
    init: init as RequestInit,
  }))
}

/** Event names in the order fetch sent them (`/init` and `/attributes` as their path). */
export function sent(fetch: Mock, base?: string): string[] {
  return requests(fetch, base).map((r) => (r.path == '/event' ? r.body.event : r.path))
}

/**
 * Makes `localStorage.setItem` throw `QuotaExceededError` until the returned function is called.
 * (happy-dom's Storage is a Proxy that `vi.spyOn` cannot restore.)
 */
export function failLocalStorageWrites(): () => void {
  const original = localStorage.setItem
  const set = (value: unknown) => Object.defineProperty(localStorage, 'setItem', { value, configurable: true, writable: true })
  set(() => {
    throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
  })
  return () => set(original)
}
