/** Dispatched on window after `history.pushState`/`replaceState`, by the one wrapper per window. */
const NAVIGATE = 'atrack:navigate'
/** Marks wrapped history methods. Not `_`-prefixed: the minifier must not rename it, or two bundles would wrap twice. */
const WRAPPED = 'atrackWrapped'
/**
 * How long a navigation's page view waits (client.ts) for the new page's title. Routers set it after they
 * push: when the new route renders (the same task or the next frame), or once its data has loaded.
 * 2 s covers a data load that is not slow; longer, the page view and the calls held behind it
 * would lag the live view for routers that never set a title (theirs then stands).
 */
export const TITLE_WAIT_MS = 2000
/** How often the title is looked at meanwhile: a page view lags its title by no more than this. */
export const TICK_MS = 50

function wrapHistory(): void {
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name] as History['pushState'] & { [WRAPPED]?: 1 }
    if (original[WRAPPED]) continue
    const wrapped = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      dispatchEvent(new Event(NAVIGATE))
      return result
    }
    ;(wrapped as typeof original)[WRAPPED] = 1
    history[name] = wrapped
  }
}

/** The part of the URL whose change is a new page: the path, and the hash for hash routers. */
export function routeOf(hashRouting?: boolean): string {
  return location.pathname + (hashRouting ? location.hash : '')
}

/**
 * Calls `onPage` for the first page (`first` true) and for every SPA navigation that changes the
 * route (pushState, replaceState to a new path, popstate; hash changes only with `hashRouting`),
 * and `onExit` when the page is hidden or left: listening from `init()` on, in the capture phase,
 * it comes before delivery's own exit drain, so a page view still waiting for its title goes with it.
 * (A prerendered page is handled by `init()`, which waits until it is shown.) History is wrapped once per window, whatever the
 * number of clients or bundles; each client keeps its own last route, so none counts twice. It
 * listens until `signal` aborts.
 */
export function watchPageviews(signal: AbortSignal, onPage: (first: boolean) => void, onExit: () => void, hashRouting?: boolean): void {
  let last: string | undefined
  // a listener's event says it is a navigation; the call below is the first page
  const check = (navigation?: Event) => {
    const route = routeOf(hashRouting)
    if (route != last) {
      last = route
      onPage(!navigation)
    }
  }
  wrapHistory()
  for (const e of [NAVIGATE, 'popstate', ...(hashRouting ? ['hashchange'] : [])]) addEventListener(e, check, { signal })
  for (const e of ['visibilitychange', 'pagehide']) addEventListener(e, onExit, { capture: true, signal })
  check()
}
