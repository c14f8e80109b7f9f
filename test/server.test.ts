import { describe, expect, it } from 'vitest'
import { LIBRARY, SDK_VERSION } from '../src/capture/context'
import { buildInitPayload } from '../src/capture/server'
import { version } from '../package.json'

describe('buildInitPayload', () => {
  it('mirrors the Rust SDK example', () => {
    expect(
      buildInitPayload({
        url: '/pricing?source=google',
        referer: 'https://google.com',
        ipAddress: '134.122.17.144',
        userAgent: 'rust-service/1.0',
        locale: 'en-US',
        timezone: 'America/New_York',
        uuid: 'crm-user-42',
        userAttributes: { plan: 'pro' },
      }),
    ).toEqual({
      user: { uuid: 'crm-user-42', attributes: { plan: 'pro' } },
      context: {
        page: { url: '/pricing?source=google', path: '/pricing', referrer: 'https://google.com' },
        referrer: { url: 'https://google.com', host: 'google.com', type: 'search' },
        locale: 'en-US',
        timezone: 'America/New_York',
        userAgent: 'rust-service/1.0',
        ip: '134.122.17.144',
        library: { name: '@a-track/web', version },
      },
    })
  })

  it('captures utm and click ids of an absolute url, as a browser would', () => {
    const p = buildInitPayload({
      url: 'https://www.example.com/pricing?source=google&utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=G1',
      referer: 'https://www.google.com/',
    })
    expect(p.context).toEqual({
      page: { url: 'https://www.example.com/pricing?source=google&utm_source=google&utm_medium=cpc&utm_campaign=spring&gclid=G1', path: '/pricing', referrer: 'https://www.google.com/' },
      utm: { source: 'google', medium: 'cpc', campaign: 'spring' },
      clickIds: { gclid: 'G1' },
      referrer: { url: 'https://www.google.com/', host: 'www.google.com', type: 'paid' },
      library: LIBRARY,
    })
  })

  it('classifies a same-site referer as internal', () => {
    const p = buildInitPayload({ url: 'https://www.example.com/b', referer: 'https://app.example.com/a' })
    expect(p.context!.referrer).toEqual({ url: 'https://app.example.com/a', host: 'app.example.com', type: 'internal' })
  })

  it('takes the first language of an Accept-Language header', () => {
    expect(buildInitPayload({ locale: 'fr-FR,fr;q=0.9,en;q=0.8' }).context!.locale).toBe('fr-FR')
    expect(buildInitPayload({ locale: ' de-CH ; q=1' }).context!.locale).toBe('de-CH')
  })

  it('leaves out what the request did not say', () => {
    const p = buildInitPayload({})
    expect(p.context).toEqual({ referrer: { type: 'direct' }, library: LIBRARY })
    expect(JSON.parse(JSON.stringify(p.user))).toEqual({})
  })

  it('never throws on junk input', () => {
    expect(() => buildInitPayload(undefined as never)).not.toThrow()
    expect(buildInitPayload({ url: 'http://[bad', referer: 'not a url' }).context).toMatchObject({
      page: { url: 'http://[bad' },
      referrer: { url: 'not a url', type: 'direct' },
    })
  })

  it('states the SDK version', () => {
    expect(SDK_VERSION).toBe(version)
  })
})

