import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import type { Report } from '../src/errors'
import { createQueue, type Item, type Limits, QUEUE_PREFIX } from '../src/delivery/queue'
import { localStore, memoryStore, type Store } from '../src/identity/storage'
import { utf8Bytes } from '../src/delivery/transport'
import { localKeys, microtasks, resetPage } from './helpers'

const NOW = Date.parse('2026-04-08T12:00:00Z')
const HOUR = 3_600_000
const limits = (l: Partial<Limits> = {}): Limits => ({ _maxMessages: 1000, _maxBytes: 1_000_000, _maxAgeMs: 168 * HOUR, ...l })

/** A queued event as the client builds it. */
function item(id: string, t = NOW, pad = ''): Item {
  const body = JSON.stringify({ sdkVersion: '0.1.0', messageId: id, uuid: 'u1', event: 'e', attributes: { pad } })
  return { _path: '/event', _body: body, _id: id, _t: t, _size: utf8Bytes(body) }
}
const ids = (items: Item[]) => items.map((i) => i._id)
const stored = (tab: string) => JSON.parse(localStorage.getItem(QUEUE_PREFIX + tab)!)

/** What another tab (alive, closed or crashed) left in localStorage. */
function orphan(tab: string, items: Item[], h: number, x?: 1) {
  localStorage.setItem(QUEUE_PREFIX + tab, JSON.stringify({ h, ...(x ? { x } : {}), q: items.map((i) => ({ p: i._path, t: i._t, b: JSON.parse(i._body) })) }))
}

let store: Store
let report: Mock<Report>

beforeEach(() => {
  resetPage()
  vi.useFakeTimers({ now: NOW })
  report = vi.fn<Report>()
  store = localStore(report)
})
afterEach(() => {
  vi.clearAllTimers()
  vi.useRealTimers()
  resetPage()
})

/** Runs adoption to the end (the localStorage lease waits 50 ms for other tabs). */
async function adopt(q: ReturnType<typeof createQueue>) {
  const done = q._adopt()
  await vi.advanceTimersByTimeAsync(100)
  await done
}

describe('createQueue', () => {
  it('writes a small queue at once, a large one within a second or when told to before a send', async () => {
    const small = createQueue(store, 'small', limits(), report)
    small._add([item('m0')], NOW)
    expect(localKeys()).toEqual(['atrack_q1_small'])
    localStorage.clear()

    const large = createQueue(store, 'large', limits(), report)
    large._add([item('big', NOW, 'x'.repeat(40_000))], NOW)
    expect(localKeys()).toEqual([])
    await vi.advanceTimersByTimeAsync(1000)
    expect(localKeys()).toEqual(['atrack_q1_large'])
    large._add([item('more')], NOW)
    large._save()
    expect(stored('large').q).toHaveLength(2)
    localStorage.clear()

    const q = createQueue(store, 'tabA', limits(), report)
    const a = item('m1')
    q._add([a, item('m2')], NOW)
    q._persist()
    expect(localKeys()).toEqual(['atrack_q1_tabA'])
    expect(stored('tabA')).toEqual({
      h: NOW + 1000,
      q: [
        { p: '/event', t: NOW, b: JSON.parse(a._body) },
        { p: '/event', t: NOW, b: JSON.parse(item('m2')._body) },
      ],
    })
  })

  it('keeps queued events across a reload', async () => {
    const before = createQueue(store, 'tabA', limits(), report)
    before._add([item('m1'), item('m2')], NOW)
    before._persist(true) // pagehide
    const after = createQueue(localStore(report), 'tabB', limits(), report)
    await adopt(after)
    expect(ids(after._items)).toEqual(['m1', 'm2'])
    expect(after._items[0]._body).toBe(item('m1')._body)
    expect(localKeys()).toEqual(['atrack_q1_tabB'])
    expect(report).not.toHaveBeenCalled()
  })

  it('drops the oldest messages first over the count cap and reports queue_full with the count', () => {
    const q = createQueue(store, 'tabA', limits({ _maxMessages: 3 }), report)
    q._add(['m1', 'm2', 'm3', 'm4', 'm5'].map((id, i) => item(id, NOW + i)), NOW + 5)
    q._persist()
    expect(ids(q._items)).toEqual(['m3', 'm4', 'm5'])
    expect(stored('tabA').q.map((m: any) => m.b.messageId)).toEqual(['m3', 'm4', 'm5'])
    expect(report).toHaveBeenCalledTimes(1)
    expect(report).toHaveBeenCalledWith('queue_full', expect.any(String), { count: 2, messageId: 'm1' })
  })

  it('drops the oldest messages first over the byte cap', () => {
    const size = item('m1')._size
    const q = createQueue(store, 'tabA', limits({ _maxBytes: size * 2 + 10 }), report)
    q._add([item('m1')], NOW)
    q._add([item('m2')], NOW)
    expect(report).not.toHaveBeenCalled()
    q._add([item('m3')], NOW)
    expect(ids(q._items)).toEqual(['m2', 'm3'])
    expect(report).toHaveBeenCalledWith('queue_full', expect.any(String), { count: 1, messageId: 'm1' })
  })

  it('drops messages older than the maximum age and reports expired with the count', () => {
    const q = createQueue(store, 'tabA', limits({ _maxAgeMs: HOUR }), report)
    q._add([item('old1', NOW - 3 * HOUR), item('old2', NOW - 2 * HOUR), item('fresh', NOW - HOUR / 2)], NOW)
    expect(ids(q._items)).toEqual(['fresh'])
    expect(report).toHaveBeenCalledWith('expired', expect.any(String), { count: 2, messageId: 'old1' })
  })

  it('counts the bytes of removed messages out of the byte cap', () => {
    const size = item('m1')._size
    const q = createQueue(store, 'tabA', limits({ _maxBytes: size * 2 }), report)
    q._add([item('m1'), item('m2')], NOW)
    q._remove(q._items[0])
    q._remove(q._items[0])
    q._add([item('m3'), item('m4')], NOW)
    expect(ids(q._items)).toEqual(['m3', 'm4'])
    expect(report).not.toHaveBeenCalled()
  })

  it('writes removals lazily and removes the key once the queue is empty', async () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1'), item('m2')], NOW)
    q._persist()
    q._remove(q._items[0])
    expect(stored('tabA').q).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(500)
    expect(stored('tabA').q.map((m: any) => m.b.messageId)).toEqual(['m2'])
    q._remove(q._items[0])
    await vi.advanceTimersByTimeAsync(500)
    expect(localKeys()).toEqual([])
  })

  it('rewrites its heartbeat every 20 s while messages are pending', async () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist()
    expect(stored('tabA').h).toBe(NOW)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(stored('tabA').h).toBe(NOW + 20_000)
    expect(stored('tabA').x).toBeUndefined()
  })

  it('leaves out, when the tab goes away, messages whose keepalive request is in flight', () => {
    const inKeepalive = new Set<string>(['m1']) // the browser finishes it; m2's plain fetch is cancelled with the page
    const q = createQueue(store, 'tabA', limits(), report, (i) => inKeepalive.has(i._id))
    q._add([item('m1'), item('m2'), item('m3')], NOW)
    q._persist(true)
    expect(stored('tabA').q.map((m: any) => m.b.messageId)).toEqual(['m2', 'm3'])
    // a late visibilitychange (after pagehide: WebKit, and Chromium on a reload) writes again: same form
    q._persist()
    expect(stored('tabA')).toMatchObject({ x: 1 })
    expect(stored('tabA').q.map((m: any) => m.b.messageId)).toEqual(['m2', 'm3'])
    // back from the back/forward cache, the page owns its in-flight messages again
    q._resume()
    expect(stored('tabA').x).toBeUndefined()
    expect(stored('tabA').q.map((m: any) => m.b.messageId)).toEqual(['m1', 'm2', 'm3'])
  })

  it.each(['{}', '1', '{"q":[]}', '{"h":"soon","q":[]}'])('takes a queue key without a heartbeat (%s) as gone, instead of looking again forever', async (raw) => {
    localStorage.setItem(QUEUE_PREFIX + 'odd', raw)
    const q = createQueue(store, 'tabA', limits(), report)
    const done = q._adopt()
    await vi.advanceTimersByTimeAsync(100)
    const next = await done
    expect(next).toBeUndefined()
    expect(localStorage.getItem(QUEUE_PREFIX + 'odd')).toBeNull()
  })

  it('marks its queue adoptable at once when the tab goes away', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist(true)
    expect(stored('tabA')).toMatchObject({ h: NOW, x: 1 })
  })

  it('works without a store (memory only)', () => {
    const q = createQueue(undefined, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist(true)
    expect(ids(q._items)).toEqual(['m1'])
    expect(localKeys()).toEqual([])
  })

  it.each([
    ['marked x:1 by a closed tab', NOW - 1000, 1 as const],
    ['with a heartbeat older than 90 s', NOW - 91_000, undefined],
  ])('adopts an orphan queue %s', async (_, h, x) => {
    orphan('dead', [item('o1', NOW - 60_000), item('o2', NOW - 50_000)], h, x)
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(ids(q._items)).toEqual(['o1', 'o2'])
    expect(localStorage.getItem(QUEUE_PREFIX + 'dead')).toBeNull()
    expect(stored('tabA').q.map((m: any) => m.b.messageId)).toEqual(['o1', 'o2'])
  })

  it('looks again within 90 s at most, even for a heartbeat from the future (a clock set back)', async () => {
    orphan('future', [item('f1')], NOW + 30 * 24 * HOUR)
    const q = createQueue(store, 'tabA', limits(), report)
    expect(await q._adopt()).toBe(90_000)
    expect(q._items).toEqual([])
  })

  it('leaves the queue of a live tab alone', async () => {
    orphan('alive', [item('l1')], NOW - 30_000)
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(q._items).toEqual([])
    expect(localStorage.getItem(QUEUE_PREFIX + 'alive')).not.toBeNull()
  })

  it('never adopts its own key', async () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist(true)
    await adopt(q)
    expect(ids(q._items)).toEqual(['m1'])
  })

  it.each([
    ['text that is not JSON', '{"h":1,"q":[{"p":'],
    ['JSON without a queue', '{"h":1}'],
    ['a message without a body', '{"h":1,"x":1,"q":[{"p":"/event","t":1,"b":null}]}'],
  ])('reports and removes a corrupt orphan queue: %s', async (_, raw) => {
    localStorage.setItem(QUEUE_PREFIX + 'corrupt', raw)
    orphan('dead', [item('o1')], NOW, 1)
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(report).toHaveBeenCalledWith('storage', expect.stringContaining('corrupt'))
    expect(localStorage.getItem(QUEUE_PREFIX + 'corrupt')).toBeNull()
    expect(ids(q._items)).toEqual(['o1'])
  })

  it('has no duplicate ids after adoption and keeps messages in time order', async () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m2', NOW - 2000), item('mine', NOW)], NOW)
    orphan('dead', [item('m1', NOW - 3000), item('m2', NOW - 2000), item('m3', NOW - 1000)], NOW - 100_000)
    await adopt(q)
    expect(ids(q._items)).toEqual(['m1', 'm2', 'm3', 'mine'])
  })

  it('adopts nothing while another tab holds the adoption lease', async () => {
    store._set('atrack_adopt_lease', 'tabB ' + (NOW + 5000))
    orphan('dead', [item('o1')], NOW, 1)
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(q._items).toEqual([])
    expect(localStorage.getItem(QUEUE_PREFIX + 'dead')).not.toBeNull()
  })

  // Regression (fixed in src/queue.ts:197-198): adopted messages are appended after this tab's newer ones and the caps
  // are enforced before sorting, so the newest messages are dropped instead of the oldest.
  it('drops the oldest messages first when an adopted queue takes it over the count cap', async () => {
    const q = createQueue(store, 'tabA', limits({ _maxMessages: 2 }), report)
    q._add([item('mine', NOW)], NOW)
    orphan('dead', [item('a1', NOW - 2000), item('a2', NOW - 1000)], NOW, 1)
    await adopt(q)
    expect(ids(q._items)).toEqual(['a2', 'mine'])
    expect(report).toHaveBeenCalledWith('queue_full', expect.any(String), { count: 1, messageId: 'a1' })
  })

  // Regression (fixed in src/queue.ts:197-198): the age check stops at this tab's fresh message, so an
  // adopted message older than the maximum age is kept and sent.
  it('drops adopted messages older than the maximum age', async () => {
    const q = createQueue(store, 'tabA', limits({ _maxAgeMs: HOUR }), report)
    q._add([item('mine', NOW)], NOW)
    orphan('dead', [item('stale', NOW - 2 * HOUR)], NOW, 1)
    await adopt(q)
    expect(ids(q._items)).toEqual(['mine'])
    expect(report).toHaveBeenCalledWith('expired', expect.any(String), { count: 1, messageId: 'stale' })
  })

  it('gives up its messages when another tab adopted them during a back/forward-cache stay', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist(true)
    localStorage.removeItem(QUEUE_PREFIX + 'tabA') // adopted elsewhere
    q._resume()
    expect(q._items).toEqual([])
  })

  it('reclaims its key after a back/forward-cache stay when nobody adopted it', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist(true)
    q._resume()
    expect(ids(q._items)).toEqual(['m1'])
    expect(stored('tabA').x).toBeUndefined()
  })

  it('keeps working in memory when localStorage is full', () => {
    const full = memoryStore()
    full._set = () => false
    const q = createQueue(full, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    expect(ids(q._items)).toEqual(['m1'])
  })

describe('createQueue with Web Locks', () => {
  /** A minimal navigator.locks: exclusive locks by name, ifAvailable, query(). */
  function fakeLocks() {
    const held = new Set<string>()
    const request = vi.fn((name: string, a: any, b?: any) => {
      const [options, cb] = typeof a == 'function' ? [{}, a] : [a, b]
      if (held.has(name)) return options.ifAvailable ? Promise.resolve(cb(null)) : new Promise(() => undefined)
      held.add(name)
      return Promise.resolve(cb({ name })).finally(() => held.delete(name))
    })
    Object.defineProperty(navigator, 'locks', { value: { request, query: async () => ({ held: [...held].map((name) => ({ name })) }) }, configurable: true })
    return held
  }
  afterEach(() => {
    delete (navigator as any).locks
  })

  it('holds a lock named after its tab while alive and releases it at pagehide', async () => {
    const held = fakeLocks()
    const q = createQueue(store, 'tabA', limits(), report)
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(true)
    q._add([item('m1')], NOW)
    q._persist(true)
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(false)
  })

  it('releases its lock at pagehide with nothing queued too, so the page can enter the bfcache', async () => {
    const held = fakeLocks()
    const q = createQueue(store, 'tabA', limits(), report)
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(true)
    q._persist(true)
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(false)
    q._resume()
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(true)
  })

  it('leaves the queue of a tab that holds its lock, however old its heartbeat', async () => {
    const held = fakeLocks()
    held.add('atrack_tab_busy')
    orphan('busy', [item('b1')], NOW - 10 * 60_000)
    const q = createQueue(store, 'tabA', limits(), report)
    const next = await q._adopt()
    expect(q._items).toEqual([])
    expect(next).toBeGreaterThan(0)
  })

  it('adopts the queue of a tab whose lock is gone, once it had 2 s to take it', async () => {
    fakeLocks()
    orphan('crashed', [item('c1')], NOW - 500)
    const q = createQueue(store, 'tabA', limits(), report)
    const next = await q._adopt()
    expect(q._items).toEqual([])
    expect(next).toBe(1500)
    vi.setSystemTime(NOW + 1500)
    await q._adopt()
    expect(ids(q._items)).toEqual(['c1'])
    expect(localStorage.getItem(QUEUE_PREFIX + 'crashed')).toBeNull()
  })
})

})
