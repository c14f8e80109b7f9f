import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cheapTimezone, classifySource, createPageContext, environment, isBot, pageInfo, parseCampaign, referrerOf, siteOf, timezone } from '../src/capture/context'
import { resetPage, setReferrer, setURL } from './helpers'
import { version } from '../package.json'

beforeEach(resetPage)
afterEach(() => {
  vi.restoreAllMocks()
  resetPage()
})

describe('parseCampaign', () => {
  it('reads the five utm parameters', () => {
    expect(parseCampaign('?utm_source=google&utm_medium=cpc&utm_campaign=spring&utm_term=crm&utm_content=ad1&page=2')).toEqual({
      utm: { source: 'google', medium: 'cpc', campaign: 'spring', term: 'crm', content: 'ad1' },
      clickIds: undefined,
    })
  })

  it.each(['gclid', 'gbraid', 'wbraid', 'dclid', 'msclkid', 'fbclid', 'ttclid', 'twclid', 'li_fat_id', 'yclid'])('reads the %s click id', (id) => {
    expect(parseCampaign('?' + id + '=abc123')).toEqual({ utm: undefined, clickIds: { [id]: 'abc123' } })
  })

  it('reads utm and click ids together, decoded', () => {
    expect(parseCampaign('utm_campaign=black%20friday&gclid=G1&fbclid=F1')).toEqual({
      utm: { campaign: 'black friday' },
      clickIds: { gclid: 'G1', fbclid: 'F1' },
    })
  })

  it.each(['', '?', '?source=google', '?utm_source=', '?q=utm_source'])('finds no campaign in %j', (search) => {
    expect(parseCampaign(search)).toEqual({ utm: undefined, clickIds: undefined })
  })
})

describe('siteOf', () => {
  it.each([
    ['www.example.com', 'example.com'],
    ['app.example.com', 'example.com'],
    ['example.com', 'example.com'],
    ['shop.example.co.uk', 'example.co.uk'],
    ['shop.example.com.au', 'example.com.au'],
    ['shop.bmw.de', 'bmw.de'],
    ['app.abc.io', 'abc.io'],
    ['localhost', 'localhost'],
  ])('takes %s to the site %s', (host, site) => {
    expect(siteOf(host)).toBe(site)
  })
})

describe('classifySource', () => {
  const site = 'www.example.com'
  it.each([
    ['google search', 'www.google.com', {}, 'search'],
    ['bing search', 'www.bing.com', {}, 'search'],
    ['duckduckgo', 'duckduckgo.com', {}, 'search'],
    ['utm_medium organic', undefined, { utm: { source: 'partner', medium: 'organic' } }, 'search'],
    ['facebook', 'm.facebook.com', {}, 'social'],
    ['t.co', 't.co', {}, 'social'],
    ['linkedin', 'www.linkedin.com', {}, 'social'],
    ['utm_source facebook', undefined, { utm: { source: 'facebook' } }, 'social'],
    ['utm_medium social', undefined, { utm: { source: 'x', medium: 'social' } }, 'social'],
    ['utm_medium newsletter', undefined, { utm: { source: 'weekly', medium: 'newsletter' } }, 'email'],
    ['utm_medium email', 'www.google.com', { utm: { source: 'crm', medium: 'email' } }, 'email'],
    ['utm_medium e-mail', undefined, { utm: { medium: 'E-Mail' } }, 'email'],
    ['webmail referrer', 'mail.google.com', {}, 'email'],
    ['a gclid', 'www.google.com', { clickIds: { gclid: 'x' } }, 'paid'],
    ['an fbclid', 'm.facebook.com', { clickIds: { fbclid: 'x' } }, 'paid'],
    ['utm_medium cpc', 'www.google.com', { utm: { source: 'google', medium: 'cpc' } }, 'paid'],
    ['utm_medium paid_social', undefined, { utm: { source: 'facebook', medium: 'paid_social' } }, 'paid'],
    ['utm_medium display', undefined, { utm: { medium: 'display' } }, 'paid'],
    ['a same-site subdomain', 'blog.example.com', {}, 'internal'],
    ['the same host', 'www.example.com', {}, 'internal'],
    ['another site', 'news.ycombinator.com', {}, 'referral'],
    ['a look-alike site', 'example.com.evil.net', {}, 'referral'],
    ['a site with "search." inside a label', 'research.example.org', {}, 'referral'],
    ['the Gmail app', 'com.google.android.gm', {}, 'email'],
    ['an unknown utm_source', undefined, { utm: { source: 'partner-blog' } }, 'referral'],
    ['nothing at all', undefined, {}, 'direct'],
  ] as const)('classifies %s', (_, ref, campaign, type) => {
    expect(classifySource(ref, site, campaign)).toBe(type)
  })

  it('treats a subdomain of a short domain name as internal', () => {
    expect(classifySource('shop.bmw.de', 'www.bmw.de', {})).toBe('internal')
  })

  it('treats a same-site referrer with a utm_source as a campaign, not internal', () => {
    expect(classifySource('blog.example.com', site, { utm: { source: 'newsletter' } })).toBe('email')
  })
})

describe('referrerOf', () => {
  it('gives the url, host and class of the referrer', () => {
    expect(referrerOf('https://www.google.com/search?q=x', 'https://www.example.com/', {})).toEqual({
      url: 'https://www.google.com/search?q=x', host: 'www.google.com', type: 'search',
    })
  })

  it('has only a type for a direct visit', () => {
    expect(JSON.parse(JSON.stringify(referrerOf('', 'https://www.example.com/', {})))).toEqual({ type: 'direct' })
  })

  it('tolerates a referrer that is not a URL', () => {
    expect(referrerOf('not a url', 'https://www.example.com/', {})).toMatchObject({ host: undefined })
  })
})

describe('pageInfo', () => {
  it('describes the page now', () => {
    setURL('https://www.example.com/pricing?plan=pro#top')
    setReferrer('https://www.google.com/')
    document.title = 'Pricing'
    expect(pageInfo()).toEqual({ url: 'https://www.example.com/pricing?plan=pro#top', path: '/pricing', title: 'Pricing', referrer: 'https://www.google.com/' })
  })

  it('takes the previous SPA url as referrer when given, and leaves out what is empty', () => {
    setURL('https://www.example.com/b')
    expect(JSON.parse(JSON.stringify(pageInfo('https://www.example.com/a')))).toEqual({
      url: 'https://www.example.com/b', path: '/b', referrer: 'https://www.example.com/a',
    })
    expect(JSON.parse(JSON.stringify(pageInfo()))).toEqual({ url: 'https://www.example.com/b', path: '/b' })
  })
})

describe('environment', () => {
  it('has locale, timezone, screen, userAgent and the library', () => {
    const c = environment()
    expect(c).toMatchObject({
      locale: navigator.language,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
      userAgent: navigator.userAgent,
      library: { name: '@a-track/web', version },
    })
  })

  it('leaves the timezone out when Intl fails', () => {
    vi.spyOn(Intl, 'DateTimeFormat').mockImplementation(() => {
      throw new RangeError('no ICU')
    })
    expect(environment().timezone).toBeUndefined()
  })

  it('reads the time zone from Temporal where it exists, without the first use of Intl', () => {
    const intl = vi.spyOn(Intl, 'DateTimeFormat')
    vi.stubGlobal('Temporal', { Now: { timeZoneId: () => 'Europe/Paris' } })
    expect(cheapTimezone()).toBe(true)
    expect(timezone()).toBe('Europe/Paris')
    expect(intl).not.toHaveBeenCalled()
    vi.unstubAllGlobals()
    expect(cheapTimezone()).toBe(false)
  })

  it('flags an automated browser with isBot', () => {
    Object.defineProperty(navigator, 'webdriver', { value: true, configurable: true })
    expect(environment().isBot).toBe(true)
    delete (navigator as any).webdriver
  })
})

describe('isBot', () => {
  afterEach(() => {
    delete (navigator as any).webdriver
    delete (navigator as any).userAgent
  })
  const ua = (s: string) => Object.defineProperty(navigator, 'userAgent', { value: s, configurable: true })
  const webdriver = (v: boolean) => Object.defineProperty(navigator, 'webdriver', { value: v, configurable: true })

  it.each([
    ['a desktop Chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36', false],
    ['HeadlessChrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0 Safari/537.36', true],
    ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', true],
    ['Lighthouse', 'Mozilla/5.0 Chrome-Lighthouse', true],
  ])('reads %s', (_, agent, bot) => {
    webdriver(false)
    ua(agent)
    expect(isBot()).toBe(bot)
  })

  it('believes navigator.webdriver', () => {
    webdriver(true)
    ua('Mozilla/5.0 Chrome/130.0')
    expect(isBot()).toBe(true)
  })
})

describe('createPageContext', () => {
  it('computes the page context once per page: calls on one page share it', () => {
    const pageContext = createPageContext()
    expect(pageContext()).toBe(pageContext())
    document.title = 'Other'
    expect(pageContext().page!.title).toBe('Other')
  })

  it('follows the URL and the referrer given', () => {
    const pageContext = createPageContext()
    expect(pageContext('https://ref.example/').page!.referrer).toBe('https://ref.example/')
    history.pushState({}, '', '/moved?utm_source=mail')
    expect(pageContext()).toMatchObject({ page: { path: '/moved' }, utm: { source: 'mail' } })
    history.pushState({}, '', '/')
  })
})
