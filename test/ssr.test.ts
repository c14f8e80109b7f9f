// @vitest-environment node
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { rollup } from 'rollup'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { version } from '../package.json'

/** A child process gets this long to exit on its own: an open port or timer keeps it alive forever. */
const EXIT_WITHIN_MS = 5000
const root = join(import.meta.dirname, '..')
// inside the project, so the build's imports (nanoid, js-cookie) resolve from its node_modules
mkdirSync(join(root, '.tmp'), { recursive: true })
const work = mkdtempSync(join(root, '.tmp', 'ssr-'))
const built = join(work, 'index.js')

/**
 * The ESM package as `npm run build` makes it (the first entry of rollup.config.mjs: compiled,
 * minified, private properties renamed), written here rather than to dist/: the unit tests run
 * before the build, on a clean clone too.
 */
beforeAll(async () => {
  const [esm] = (await import(pathToFileURL(join(root, 'rollup.config.mjs')).href)).default
  const bundle = await rollup({ input: esm.input, plugins: esm.plugins, onwarn: () => {} })
  const { output } = await bundle.generate({ format: 'es' })
  writeFileSync(built, output[0].code)
  await bundle.close()
}, 60_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Runs `source` as an ES module in plain Node; resolves with the JSON it printed last. Fails if it is still alive after EXIT_WITHIN_MS. */
function runBuilt(source: string): Promise<any> {
  const file = join(work, 'run-' + Math.random().toString(36).slice(2) + '.mjs')
  writeFileSync(file, source)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('still running after ' + EXIT_WITHIN_MS + ' ms: something keeps Node alive\n' + stdout + stderr))
    }, EXIT_WITHIN_MS)
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code !== 0) return reject(new Error('exited with ' + code + '\n' + stderr))
      resolve(JSON.parse(stdout.trim().split('\n').pop()!))
    })
  })
}

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

  it('the built package, in a Node process of its own: every method, no error reported, and the process exits by itself', async () => {
    const out = await runBuilt(`
      import { createATrack } from ${JSON.stringify(built)}
      const errors = []
      const results = {}
      process.on('exit', () => console.log(JSON.stringify({ errors, results })))
      const atrack = createATrack({ publicKey: 'pub_test', onError: (e) => errors.push(e.code + ': ' + e.message) })
      const calls = () => {
        atrack.track('rendered', { plan: 'pro' })
        atrack.page()
        atrack.identify('crm-1', { plan: 'pro' })
        atrack.reset()
        atrack.optOut()
        atrack.optIn()
        atrack.setConsent('pending')
        atrack.setConsent('granted')
        return Promise.all([atrack.setAttributes({ plan: 'pro' }), atrack.flush()])
      }
      await calls()
      results.init = await atrack.init({ user: { uuid: 'crm-1' }, context: { app: 'ssr' } })
      await calls()
      results.user = atrack.getUser()
      results.again = await atrack.init()
    `)
    expect(out.errors).toEqual([])
    expect(out.results).toEqual({ init: { uuid: '', isNewUser: false }, user: null, again: { uuid: '', isNewUser: false } })
  }, 3 * EXIT_WITHIN_MS)

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
