/** Dispatched on window after `history.pushState`/`replaceState`, by the one wrapper per window. */
const NAVIGATE = 'atrack:navigate'
/** Marks wrapped history methods. Not `_`-prefixed: the minifier must not rename it, or two bundles would wrap twice. */
const WRAPPED = 'atrackWrapped'

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
 * Calls `onPage` for the first page and for every SPA navigation that changes the route
 * (pushState, replaceState to a new path, popstate; hash changes only with `hashRouting`).
 * (A prerendered page is handled by `init()`, which waits until it is shown.) History is wrapped once per window, whatever the
 * number of clients or bundles; each client keeps its own last route, so none counts twice.
 */
export function watchPageviews(onPage: () => void, hashRouting?: boolean): () => void {
  let last: string | undefined
  const check = () => {
    const route = routeOf(hashRouting)
    if (route != last) {
      last = route
      onPage()
    }
  }
  wrapHistory()
  const stop = new AbortController()
  for (const e of [NAVIGATE, 'popstate', ...(hashRouting ? ['hashchange'] : [])]) addEventListener(e, check, { signal: stop.signal })
  check()
  return () => stop.abort()
}
