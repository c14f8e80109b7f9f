import { describe, expect, it, vi } from 'vitest'
import { prepare, type Pending } from '../src/delivery/intake'
import type { EventMessage } from '../src/types'

const NOW = Date.parse('2026-04-08T12:00:00.000Z')

function event(id: string, attributes: Record<string, unknown> = {}): Pending {
  const m: EventMessage = { sdkVersion: '0.1.0', messageId: id, uuid: 'u', event: 'e', attributes, timestamp: new Date(NOW).toISOString(), context: {} }
  return ['/event', m]
}

function run(batch: Pending[], options: { beforeSend?: (m: any) => any } = {}) {
  const report = vi.fn()
  const log = vi.fn()
  const items = prepare(batch, options, report, log, NOW)
  return { items, report, codes: report.mock.calls.map((c) => c[0]), log }
}

describe('prepare', () => {
  it('serialises each message once, with its size in UTF-8 bytes and the time it was queued', () => {
    const { items, report } = run([event('a', { s: 'é' })])
    expect(items).toEqual([{ _path: '/event', _id: 'a', _t: NOW, _body: expect.any(String), _size: new TextEncoder().encode(items[0]._body).length }])
    expect(JSON.parse(items[0]._body)).toMatchObject({ messageId: 'a', attributes: { s: 'é' } })
    expect(report).not.toHaveBeenCalled()
  })

  it('gives beforeSend a copy to edit: a part shared with other messages stays as it was', () => {
    const page = { url: 'https://example.com/?email=a@b.c' }
    const [a, b] = [event('a'), event('b')]
    ;(a[1] as EventMessage).context = { page }
    ;(b[1] as EventMessage).context = { page }
    const items = prepare([a, b], { beforeSend: (m) => (m.messageId == 'a' && ((m as EventMessage).context.page!.url = 'scrubbed'), m) }, vi.fn(), vi.fn(), NOW)
    expect(items.map((i) => JSON.parse(i._body).context.page.url)).toEqual(['scrubbed', 'https://example.com/?email=a@b.c'])
    expect(page.url).toBe('https://example.com/?email=a@b.c')
  })

  it('joins the page\'s unchanging context under the message\'s own, without changing the built message', () => {
    const built = event('a')
    ;(built[1] as EventMessage).context = { sessionId: 's', locale: 'fr-FR' }
    const report = vi.fn()
    const [item] = prepare([built], {}, report, vi.fn(), NOW, { locale: 'en-US', timezone: 'Europe/Paris' })
    expect(JSON.parse(item._body).context).toEqual({ locale: 'fr-FR', timezone: 'Europe/Paris', sessionId: 's' })
    expect((built[1] as EventMessage).context).toEqual({ sessionId: 's', locale: 'fr-FR' })
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
