// The pre-load snippet is published in the README and copied into pages: one text, within budget.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const readme = readFileSync('README.md', 'utf8')
const snippet = readme.match(/<script>!function\(w,n,a\).*?<\/script>/)![0]
const methods = snippet.match(/"([a-zA-Z ]+)"\.split/)![1].split(' ')

describe('the pre-load snippet', () => {
  it('is at most 400 bytes', () => {
    expect(Buffer.byteLength(snippet)).toBeLessThanOrEqual(400)
  })

  it('stubs every public method of the client', async () => {
    const { ATrack } = await import('../src/client')
    const publicMethods = Object.getOwnPropertyNames(ATrack.prototype).filter((m) => m != 'constructor' && !m.startsWith('_'))
    expect(methods.sort()).toEqual(publicMethods.sort())
  })

  it.each(['e2e/pages/stub.html', 'e2e/pages/app.html', 'demo/site/index.html'])('is the same text in %s', (file) => {
    expect(readFileSync(file, 'utf8')).toContain(snippet)
  })

  it('queues calls as [method, ...args] with the time of the call as t, and keeps an existing queue', () => {
    const w: Record<string, any> = { atrack: { q: [['track', 'first']] } }
    new Function('window', snippet.replace(/<\/?script>/g, ''))(w)
    const before = Date.now()
    w.atrack.track('cta_clicked', { plan: 'pro' })
    w.atrack.setConsent('granted')
    expect(w.atrack.q.map((call: unknown[]) => [...call])).toEqual([['track', 'first'], ['track', 'cta_clicked', { plan: 'pro' }], ['setConsent', 'granted']])
    for (const call of w.atrack.q.slice(1)) expect(call.t).toBeGreaterThanOrEqual(before)
  })

  it('copies the arguments at the call, as the client does; what JSON cannot hold is kept as it is', () => {
    const w: Record<string, any> = {}
    new Function('window', snippet.replace(/<\/?script>/g, ''))(w)
    const props: Record<string, unknown> = { step: 1 }
    w.atrack.track('step', props)
    props.step = 2
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(() => w.atrack.track('loop', cycle)).not.toThrow()
    expect([...w.atrack.q[0]]).toEqual(['track', 'step', { step: 1 }])
    expect(w.atrack.q[1][2]).toBe(cycle)
  })

  it('keeps the call when an old library makes arrays serialise as strings (Prototype.js toJSON)', () => {
    const w: Record<string, any> = {}
    new Function('window', snippet.replace(/<\/?script>/g, ''))(w)
    const proto = Array.prototype as unknown as { toJSON?: () => string }
    proto.toJSON = function (this: unknown[]) { return JSON.stringify([...this]) }
    try {
      w.atrack.track('legacy', { a: 1 })
    } finally {
      delete proto.toJSON
    }
    expect([...w.atrack.q[0]]).toEqual(['track', 'legacy', { a: 1 }])
    expect(typeof w.atrack.q[0].t).toBe('number')
  })
})
