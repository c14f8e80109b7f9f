import { describe, expect, it, vi } from 'vitest'
import { prepare, type Pending } from '../src/delivery/intake'
import type { EventMessage } from '../src/types'

const NOW = Date.parse('2026-04-08T12:00:00.000Z')

function event(id: string, attributes: Record<string, unknown> = {}): Pending {
  const m: EventMessage = { sdkVersion: '0.1.0', messageId: id, uuid: 'u', event: 'e', attributes, timestamp: new Date(NOW).toISOString(), context: {} }
  return ['/event', m]
}

function run(batch: Pending[], options: { beforeSend?: (m: any) => any; _maxMessages?: number } = {}) {
  const report = vi.fn()
  const log = vi.fn()
  const items = prepare(batch, { _maxMessages: 1000, ...options }, report, log, NOW)
  return { items, report, codes: report.mock.calls.map((c) => c[0]), log }
}

describe('prepare', () => {
  it('serialises each message once, with its size in UTF-8 bytes and the time it was queued', () => {
    const { items, report } = run([event('a', { s: 'é' })])
    expect(items).toEqual([{ _path: '/event', _id: 'a', _t: NOW, _body: expect.any(String), _size: new TextEncoder().encode(items[0]._body).length }])
    expect(JSON.parse(items[0]._body)).toMatchObject({ messageId: 'a', attributes: { s: 'é' } })
    expect(report).not.toHaveBeenCalled()
  })

  it('keeps only the newest of a burst over the cap, and reports the rest once', () => {
    const { items, report } = run(['a', 'b', 'c', 'd'].map((id) => event(id)), { _maxMessages: 2 })
    expect(items.map((i) => i._id)).toEqual(['c', 'd'])
    expect(report.mock.calls).toEqual([['queue_full', expect.stringContaining('2 queued'), { count: 2 }]])
  })

  it.each([
    ['null (dropped on purpose, silently)', () => null, []],
    ['undefined (a hook that forgot to return)', () => undefined, ['invalid_argument']],
    ['true (a filter)', () => true, ['invalid_argument']],
    ['an array', () => [], ['invalid_argument']],
    ['a throw', () => { throw new Error('boom') }, ['invalid_argument']],
  ])('leaves out a message when beforeSend returns %s', (_, beforeSend, codes) => {
    const run1 = run([event('a')], { beforeSend })
    expect(run1.items).toEqual([])
    expect(run1.codes).toEqual(codes)
  })

  it('takes what beforeSend returns, scrubbed', () => {
    const { items } = run([event('a', { email: 'x@y.z', plan: 'pro' })], { beforeSend: (m) => ({ ...m, attributes: { plan: m.attributes.plan } }) })
    expect(JSON.parse(items[0]._body).attributes).toEqual({ plan: 'pro' })
  })

  it('refuses a message over 32 KB and a circular one, and keeps the others', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    const { items, codes } = run([event('big', { s: 'x'.repeat(33_000) }), event('loop', circular), event('ok')])
    expect(items.map((i) => i._id)).toEqual(['ok'])
    expect(codes).toEqual(['oversize', 'invalid_argument'])
  })

  it('logs one line per queued message', () => {
    const { log } = run([event('a'), event('b')])
    expect(log.mock.calls.map((c) => JSON.parse(c[0].replace(/^queued \/event /, '')).messageId)).toEqual(['a', 'b'])
  })
})
