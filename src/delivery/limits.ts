/** The limits of delivery, each with its unit and the reason for its value. */

/**
 * Keepalive fetches may hold this much body in flight: well under the page's 64 KiB shared with
 * beacons, so the exit drain and the page's own keepalive requests still have room.
 */
export const KEEPALIVE_BUDGET_BYTES = 48 * 1024
/**
 * Chromium frees its keepalive budget some time after the response has resolved, so a long burst
 * can be refused ("Failed to fetch", nothing sent) while our own count is under budget (measured by
 * `npm run bench`: up to 76 of 500). A refusal halves our budget down to this; successes grow it back.
 */
export const MIN_KEEPALIVE_BYTES = 8 * 1024
/** Requests without keepalive (over the budget) in flight at once, to leave the page its connections. */
export const MAX_PLAIN_IN_FLIGHT = 2
/**
 * Requests in flight at once: a burst starts at most this many fetches in one task (each costs
 * the page some 0.1–0.5 ms), the rest follow as answers come. Above the 20 that a page typically
 * tracks right before it is left, which must all be on their way at once (docs/browsers.md, page exit).
 */
export const MAX_IN_FLIGHT = 32
/** Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"). */
export const BACKOFF_BASE_MS = 1000
export const BACKOFF_CAP_MS = 60_000
export const MIN_WAIT_MS = 100

/** What a send under way is: by fetch, by keepalive fetch (handed over at exit), or the exit's last resort. */
export const PLAIN = 1
export const KEEPALIVE = 2
export const FALLBACK = 3
