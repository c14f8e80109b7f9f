/** What the client does at the turning points of a page's life. */
export interface LifecycleHandlers {
  /** The page is hidden (`leaving` false) or being left (`pagehide`, `leaving` true). */
  _hidden(leaving: boolean): void
  /** The page is visible again, or restored from the back/forward cache (`restored`). */
  _shown(restored: boolean): void
  _online(): void
  _offline(): void
}

/**
 * Listens for page exit without an `unload` listener, which would disable the back/forward cache
 * (web.dev/articles/bfcache). `visibilitychange` → hidden is the last event that fires reliably on
 * mobile; `pagehide` covers navigations that do not hide first. Returns a function that stops.
 */
export function watchLifecycle(h: LifecycleHandlers): () => void {
  const stop = new AbortController()
  const o = { signal: stop.signal }
  document.addEventListener('visibilitychange', () => (document.visibilityState == 'hidden' ? h._hidden(false) : h._shown(false)), o)
  addEventListener('pagehide', () => h._hidden(true), o)
  addEventListener('pageshow', (e) => e.persisted && h._shown(true), o)
  addEventListener('online', () => h._online(), o)
  addEventListener('offline', () => h._offline(), o)
  return () => stop.abort()
}
