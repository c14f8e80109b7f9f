/** What the client does at the turning points of a page's life. */
export interface LifecycleHandlers {
  /** The page is hidden (`leaving` false) or being left (`pagehide`, `leaving` true). */
  _hidden(leaving: boolean): void
  /** The page is visible again, or restored from the back/forward cache (`restored`). */
  _shown(restored: boolean): void
  _online(): void
}

/**
 * Listens for page exit without an `unload` listener, which would disable the back/forward cache
 * (web.dev/articles/bfcache). `visibilitychange` → hidden is the last event that fires reliably on
 * mobile; `pagehide` covers navigations that do not hide first. Returns a function that stops.
 */
export function watchLifecycle(h: LifecycleHandlers): () => void {
  const onVisibility = () => (document.visibilityState == 'hidden' ? h._hidden(false) : h._shown(false))
  const onHide = () => h._hidden(true)
  const onShow = (e: PageTransitionEvent) => e.persisted && h._shown(true)
  const onOnline = () => h._online()
  document.addEventListener('visibilitychange', onVisibility)
  addEventListener('pagehide', onHide)
  addEventListener('pageshow', onShow)
  addEventListener('online', onOnline)
  return () => {
    document.removeEventListener('visibilitychange', onVisibility)
    removeEventListener('pagehide', onHide)
    removeEventListener('pageshow', onShow)
    removeEventListener('online', onOnline)
  }
}
