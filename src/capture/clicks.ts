import type { Attributes } from '../types'

const ATTR = 'data-atrack-'

/** `data-atrack-*` attributes of an element, prefix removed, the event name left out. */
export function declaredAttributes(el: Element): Attributes {
  const out: Attributes = {}
  for (const a of el.attributes) {
    if (a.name.startsWith(ATTR) && a.name != ATTR + 'event') out[a.name.slice(ATTR.length)] = a.value
  }
  return out
}

/**
 * One delegated click listener for `[data-atrack-event]` elements, including those added later,
 * and optionally for links to other sites. It listens in the capture phase so a handler that stops
 * propagation does not hide the click; it never prevents the default, so links still navigate
 * (their event is sent at once, and drained at page exit if still pending).
 */
export function watchClicks(track: (event: string, attributes: Attributes) => void, outbound?: boolean): () => void {
  const onClick = (e: Event) => {
    const target = e.target as Element | null
    if (!target?.closest) return
    const el = target.closest('[data-atrack-event]')
    if (el) track(el.getAttribute('data-atrack-event')!, declaredAttributes(el))
    const link = outbound && (target.closest('a[href]') as HTMLAnchorElement | null)
    if (link && /^https?:/.test(link.protocol) && link.hostname != location.hostname) {
      track('outbound_link_clicked', { url: link.href, host: link.hostname })
    }
  }
  const stop = new AbortController()
  document.addEventListener('click', onClick, { capture: true, signal: stop.signal })
  return () => stop.abort()
}
