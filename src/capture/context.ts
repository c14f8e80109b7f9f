import type { Context, PageInfo, SourceType, Utm } from '../types'
import { text } from '../values'

/** package.json's version, written in by the build (rollup.config.mjs) and by vitest.config.ts. */
declare const __SDK_VERSION__: string
export const SDK_VERSION: string = __SDK_VERSION__
export const LIBRARY = { name: '@a-track/web', version: SDK_VERSION }

const UTM_KEYS = 'source medium campaign term content'.split(' ')
/** Ad-platform click ids: Google, Microsoft, Meta, TikTok, X, LinkedIn, Yandex. */
const CLICK_IDS = 'gclid gbraid wbraid dclid msclkid fbclid ttclid twclid li_fat_id yclid'.split(' ')

const PAID_MEDIUM = /^(cp[cmva]|ppc|display|banner|ads?)\b|paid/
const EMAIL = /e-?mail|newsletter|^mail\.|outlook\.|webmail|android\.gm$/
const SOCIAL = /social|facebook|^fb|instagram|^(t\.co|x\.com)$|twitter|linkedin|lnkd\.in|reddit|youtube|tiktok|pinterest|threads\.net|mastodon|bsky|quora|whatsapp|telegram/
const SEARCH = /organic|google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|qwant|naver|seznam|startpage|(^|\.)search\./

/** UTM parameters and click ids of a query string; absent when the page has none. */
export function parseCampaign(search: string): { utm?: Utm; clickIds?: Record<string, string> } {
  const q = new URLSearchParams(search)
  /** The parameters `prefix + key` that have a value, by key; undefined when none has. */
  const pick = (keys: readonly string[], prefix = '') => {
    let found: Record<string, string> | undefined
    for (const k of keys) if (q.get(prefix + k)) (found = found || {})[k] = q.get(prefix + k)!
    return found
  }
  return { utm: pick(UTM_KEYS, 'utm_'), clickIds: pick(CLICK_IDS) }
}

/**
 * The registrable part of a host: the last two labels, or three under a country code's generic
 * second level (`co.uk`, `com.au`, `ac.jp`…), without shipping a public-suffix list.
 *
 * @example siteOf('shop.example.co.uk') // 'example.co.uk'; siteOf('shop.bmw.de') // 'bmw.de'
 */
export function siteOf(host: string): string {
  // a dot before the generic label: there is a third label to keep (parts.length > 2)
  return host.split('.').slice(/\.(com?|net|org|gov|edu|ac|or|ne|go|gv|ltd|plc|nic|mil)\.[^.]{2}$/.test(host) ? -3 : -2).join('.')
}

/**
 * Traffic-source class of a visit: click ids and a paid medium mean `paid`; then the UTM medium or
 * source, then the referrer host, decide between email, social and search; any other outside
 * referrer is `referral`, the same site (subdomains included) `internal`, nothing at all `direct`.
 *
 * @example classifySource('www.google.com', 'example.com', {}) // 'search'
 */
export function classifySource(refHost: string | undefined, siteHost: string | undefined, campaign: { utm?: Utm; clickIds?: object }): SourceType {
  const { utm = {}, clickIds } = campaign
  const medium = (utm.medium || '').toLowerCase()
  const source = (utm.source || '').toLowerCase()
  if (clickIds || PAID_MEDIUM.test(medium)) return 'paid'
  if (refHost && siteHost && siteOf(refHost) == siteOf(siteHost) && !source) return 'internal'
  for (const name of [medium, source, refHost || '']) {
    if (EMAIL.test(name)) return 'email'
    if (SOCIAL.test(name)) return 'social'
    if (SEARCH.test(name)) return 'search'
  }
  return refHost || source ? 'referral' : 'direct'
}

/** The host of a URL; undefined when there is none or it does not parse. */
export function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname : undefined
  } catch {
    return undefined
  }
}

/** Where the visitor came from: `{ url, host, type }`, the type being the traffic-source class. */
export function referrerOf(referrer: string | undefined, pageUrl: string | undefined, campaign: { utm?: Utm; clickIds?: object }): NonNullable<Context['referrer']> {
  const host = hostOf(referrer)
  return { url: text(referrer), host, type: classifySource(host, hostOf(pageUrl), campaign) }
}

/** The page as seen now: `{ url, path, title, referrer }`. */
export function pageInfo(referrer = document.referrer): PageInfo {
  return { url: location.href, path: location.pathname, title: text(document.title), referrer: text(referrer) }
}

/**
 * The page's part of the context (page, campaign, referrer), computed once per URL, title and
 * referrer rather than per track(). Messages of one page share the object: it is never changed
 * (a `beforeSend` gets a copy of its message, see intake).
 */
export function createPageContext(): (pageRef?: string) => Context {
  let key: string | undefined
  let cached: Context = {}
  return (pageRef) => {
    const k = location.href + ' ' + document.title + ' ' + pageRef
    if (k != key) {
      const campaign = parseCampaign(location.search)
      key = k
      cached = { page: pageInfo(pageRef), ...campaign, referrer: referrerOf(document.referrer, location.href, campaign) }
    }
    return cached
  }
}

/** The IANA time zone. `Temporal.Now.timeZoneId()` costs 0.1 ms; the first use of `Intl` in a page
 * costs 35–80 ms in Chromium (ICU loading, docs/browsers.md), so without Temporal it is read in a
 * task of its own (see pipeline.ts), or at page exit. */
export function timezone(): string | undefined {
  try {
    const temporal = (globalThis as { Temporal?: { Now: { timeZoneId(): string } } }).Temporal
    return temporal ? temporal.Now.timeZoneId() : Intl.DateTimeFormat().resolvedOptions().timeZone
  } catch {
    // very old engines: the backend can fall back to the IP
  }
}

/** Whether the time zone is cheap to read now (Temporal), or costs the first use of `Intl`. */
export const cheapTimezone = (): boolean => 'Temporal' in globalThis

/** Parts of the context that do not change during a page's life: read once, merged into every message as it is serialised. */
export function environment(): Context {
  const n = navigator
  return {
    locale: text(n.language),
    timezone: timezone(),
    screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
    userAgent: n.userAgent,
    library: LIBRARY,
    isBot: isBot() || undefined,
  }
}

/** Automated browsers say so (`navigator.webdriver`), headless ones in their user agent. */
export function isBot(): boolean {
  return !!navigator.webdriver || /headless|bot\b|crawl|spider|lighthouse|phantom/i.test(navigator.userAgent)
}
