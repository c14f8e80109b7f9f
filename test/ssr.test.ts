// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { version } from '../package.json'

describe('server-side rendering (plain Node, no DOM)', () => {
  it('imports without touching browser globals', async () => {
    expect(typeof (globalThis as any).window).toBe('undefined')
    expect(typeof (globalThis as any).document).toBe('undefined')
    const mod = await import('../src/index')
    expect(typeof mod.createATrack).toBe('function')
    expect(typeof mod.ATrack).toBe('function')
    expect(typeof mod.buildInitPayload).toBe('function')
    expect(mod.SDK_VERSION).toBe(version)
  })

  it('validates options in createATrack', async () => {
    const { createATrack, ATrack } = await import('../src/index')
    expect(() => createATrack({ publicKey: '' })).toThrow(TypeError)
    expect(() => createATrack({ publicKey: 'pub_x', geo: 'not a label' })).toThrow(/`geo`/)
    expect(() => createATrack({ publicKey: 'pub_x', apiHost: 'nope' })).toThrow(/`apiHost`/)
    expect(createATrack({ publicKey: 'pub_x', geo: 'fra' })).toBeInstanceOf(ATrack)
  })

  it('never throws or rejects when the API is called on the server', async () => {
    const { createATrack } = await import('../src/index')
    const errors: string[] = []
    const client = createATrack({ publicKey: 'pub_x', onError: (e) => void errors.push(e.code) })
    let ready: Promise<unknown> | undefined
    expect(() => {
      ready = client.init()
      client.track('rendered')
      client.page()
      client.identify('crm-1')
    }).not.toThrow()
    await expect(ready).resolves.toBeDefined()
    await expect(client.setAttributes({ plan: 'pro' })).resolves.toBeUndefined()
    await expect(client.flush()).resolves.toBeUndefined()
    ;(client as any)._stop()
  })

  it('builds the contract InitPayload from request data, as the Rust SDK example', async () => {
    const { buildInitPayload } = await import('../src/index')
    const payload = buildInitPayload({
      url: '/pricing?source=google&utm_source=google&utm_medium=organic&utm_campaign=spring',
      referer: 'https://google.com',
      ipAddress: '134.122.17.144',
      userAgent: 'rust-service/1.0',
      locale: 'en-US',
      timezone: 'America/New_York',
      uuid: 'crm-user-42',
      userAttributes: { plan: 'pro' },
    })
    expect(payload).toEqual({
      user: { uuid: 'crm-user-42', attributes: { plan: 'pro' } },
      context: {
        page: { url: '/pricing?source=google&utm_source=google&utm_medium=organic&utm_campaign=spring', path: '/pricing', referrer: 'https://google.com' },
        utm: { source: 'google', medium: 'organic', campaign: 'spring' },
        referrer: { url: 'https://google.com', host: 'google.com', type: 'search' },
        locale: 'en-US',
        timezone: 'America/New_York',
        userAgent: 'rust-service/1.0',
        ip: '134.122.17.144',
        library: { name: '@a-track/web', version },
      },
    })
    // what travels to /init is plain JSON: no undefined values, nothing lost in a round trip
    expect(JSON.parse(JSON.stringify(payload.context))).toEqual(payload.context)
  })

  it('builds the exact Rust SDK example, whose `source=google` is not a utm parameter', async () => {
    const { buildInitPayload } = await import('../src/index')
    const { context } = buildInitPayload({
      url: '/pricing?source=google', referer: 'https://google.com', ipAddress: '134.122.17.144', userAgent: 'rust-service/1.0',
      locale: 'en-US', timezone: 'America/New_York', uuid: 'crm-user-42', userAttributes: { plan: 'pro' },
    })
    expect(context!.utm).toBeUndefined()
    expect(context!.page).toEqual({ url: '/pricing?source=google', path: '/pricing', referrer: 'https://google.com' })
  })
})
