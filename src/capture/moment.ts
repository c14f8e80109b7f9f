import type { Config } from '../options'
import type { Attributes, Context, PageInfo } from '../types'
import { snapshot } from '../values'
import { watchClicks } from './clicks'
import { createPageContext, pageInfo } from './context'
import type { Moment } from './message'
import { watchPageviews } from './pageviews'

/**
 * What every call captures at once, so the message it becomes is the same whenever it is built:
 * the time, the page as it is now (an SPA navigation right after changes nothing), and the global
 * context under the call's own, both copied.
 *
 * @example const capture = createCapture({ app: 'web' }); const at = capture._moment({ plan: 'pro' })
 */
export function createCapture(global: Context) {
  const pageContext = createPageContext()
  /** URL of the last page view, and the referrer of the current page (the previous page after an SPA navigation) */
  let lastUrl: string | undefined
  let pageRef: string | undefined
  const off: (() => void)[] = []
  const capture = {
    /** Epoch ms of the call being replayed, made to the pre-load snippet (browser.ts); 0: now. */
    _clock: 0,
    /** Starts what `init()` captures by itself: page views and `data-atrack-event` clicks, as the options say. */
    _watch(c: Config, page: () => void, track: (event: string, attributes: Attributes) => void) {
      if (c.autoPageviews !== false) off.push(watchPageviews(page, c.hashRouting))
      if (c.autocapture !== false) off.push(watchClicks(track, c.trackOutboundLinks))
    },
    _stop: () => off.splice(0).forEach((stop) => stop()),
    /** `init({ context })` adds to the global context. */
    _extend(context: Context | undefined) {
      Object.assign(global, snapshot(context))
    },
    _moment: (context?: Context): Moment => ({ _t: capture._clock || Date.now(), _page: pageContext(pageRef), _context: { ...global, ...snapshot(context) } }),
    /** A page view's attributes: the page now, the previous page as referrer after an SPA navigation. */
    _page(): PageInfo {
      if (lastUrl && lastUrl != location.href) pageRef = lastUrl
      lastUrl = location.href
      return pageInfo(pageRef)
    },
  }
  return capture
}
