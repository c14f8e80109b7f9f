import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import type { Report } from '../src/errors'
import { createQueue, type Item, type Limits, QUEUE_PREFIX } from '../src/delivery/queue'
import { toStored } from '../src/delivery/orphans'
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
const ids = (items: readonly Item[]) => items.map((i) => i._id)
/** The chunk keys of a tab, in the order they were made. */
const chunkKeys = (tab: string) => localKeys().filter((k) => k.startsWith(QUEUE_PREFIX + tab + '.')).sort((a, b) => +a.split('.')[1] - +b.split('.')[1])
/** The messageIds stored by a tab, chunk by chunk. */
const storedIds = (tab: string) => chunkKeys(tab).flatMap((k) => JSON.parse(localStorage.getItem(k)!).map((m: any) => m.b.messageId))
const liveness = (tab: string) => localStorage.getItem(QUEUE_PREFIX + tab)

/** What another tab (alive, closed or crashed) left in localStorage: one chunk and its liveness. */
function orphan(tab: string, items: Item[], h: number, x?: 1) {
  localStorage.setItem(QUEUE_PREFIX + tab + '.0', toStored(items))
  localStorage.setItem(QUEUE_PREFIX + tab, h + (x ? 'x' : ''))
}
/** What a tab of 0.1.0 left: its whole queue in one key. */
function legacy(tab: string, items: Item[], h: number, x?: 1) {
  localStorage.setItem('atrack_q1_' + tab, JSON.stringify({ h, ...(x ? { x } : {}), q: items.map((i) => ({ p: i._path, t: i._t, b: JSON.parse(i._body) })) }))
}

/** A store over localStorage that counts the characters each setItem writes. */
function countingStore() {
  const counted = localStore(vi.fn())
  const writes: [string, number][] = []
  const set = counted._set
  counted._set = (k, v) => (writes.push([k, v.length]), set(k, v))
  return { store: counted, writes, written: () => writes.reduce((sum, [, n]) => sum + n, 0) }
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
  return done
}

describe('createQueue', () => {
  it('writes what one intake slice produced at once, as a chunk of its own, and its liveness beside it', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    const a = item('m1')
    q._add([a, item('m2')], NOW)
    expect(localKeys()).toEqual(['atrack_q2_tabA', 'atrack_q2_tabA.0'])
    expect(JSON.parse(localStorage.getItem('atrack_q2_tabA.0')!)).toEqual([
      { p: '/event', t: NOW, b: JSON.parse(a._body) },
      { p: '/event', t: NOW, b: JSON.parse(item('m2')._body) },
    ])
    expect(liveness('tabA')).toBe(String(NOW))
    q._add([item('m3')], NOW)
    expect(chunkKeys('tabA')).toEqual(['atrack_q2_tabA.0', 'atrack_q2_tabA.1'])
    expect(storedIds('tabA')).toEqual(['m1', 'm2', 'm3'])
  })

  it('splits a slice into chunks of at most 50 messages and 64 KiB', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add(Array.from({ length: 120 }, (_, n) => item('s' + n)), NOW)
    expect(chunkKeys('tabA').map((k) => JSON.parse(localStorage.getItem(k)!).length)).toEqual([50, 50, 20])
    localStorage.clear()
    const big = createQueue(store, 'big', limits(), report)
    big._add(Array.from({ length: 5 }, (_, n) => item('b' + n, NOW, 'x'.repeat(30_000))), NOW)
    expect(chunkKeys('big').map((k) => JSON.parse(localStorage.getItem(k)!).length)).toEqual([2, 2, 1])
    expect(Math.max(...chunkKeys('big').map((k) => localStorage.getItem(k)!.length))).toBeLessThanOrEqual(64 * 1024)
  })

  it('keeps queued events across a reload', async () => {
    const before = createQueue(store, 'tabA', limits(), report)
    before._add([item('m1'), item('m2')], NOW)
    before._persist(true) // pagehide
    const after = createQueue(localStore(report), 'tabB', limits(), report)
    await adopt(after)
    expect(ids(after._items)).toEqual(['m1', 'm2'])
    expect(after._items[0]._body).toBe(item('m1')._body)
    expect(localKeys()).toEqual(['atrack_q2_tabB', 'atrack_q2_tabB.0'])
    expect(report).not.toHaveBeenCalled()
  })

  it('adopts the single-key queue a tab of 0.1.0 left', async () => {
    legacy('old', [item('o1', NOW - 2000), item('o2', NOW - 1000)], NOW - 1000, 1)
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(ids(q._items)).toEqual(['o1', 'o2'])
    expect(localKeys()).toEqual(['atrack_q2_tabA', 'atrack_q2_tabA.0'])
    expect(storedIds('tabA')).toEqual(['o1', 'o2'])
  })

  it('drops the oldest messages first over the count cap and reports queue_full with the count', () => {
    const q = createQueue(store, 'tabA', limits({ _maxMessages: 3 }), report)
    q._add(['m1', 'm2', 'm3', 'm4', 'm5'].map((id, i) => item(id, NOW + i)), NOW + 5)
    expect(ids(q._items)).toEqual(['m3', 'm4', 'm5'])
    expect(storedIds('tabA')).toEqual(['m3', 'm4', 'm5'])
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
    expect(storedIds('tabA')).toEqual(['m2', 'm3'])
    expect(report).toHaveBeenCalledWith('queue_full', expect.any(String), { count: 1, messageId: 'm1' })
  })

  it('drops messages older than the maximum age and reports expired with the count', () => {
    const q = createQueue(store, 'tabA', limits({ _maxAgeMs: HOUR }), report)
    q._add([item('old1', NOW - 3 * HOUR), item('old2', NOW - 2 * HOUR), item('fresh', NOW - HOUR / 2)], NOW)
    expect(ids(q._items)).toEqual(['fresh'])
    expect(report).toHaveBeenCalledWith('expired', expect.any(String), { count: 2, messageId: 'old1' })
  })

  it('counts the bytes of settled messages out of the byte cap', () => {
    const size = item('m1')._size
    const q = createQueue(store, 'tabA', limits({ _maxBytes: size * 2 }), report)
    q._add([item('m1'), item('m2')], NOW)
    q._settle(q._items[0])
    q._settle(q._items[0])
    q._add([item('m3'), item('m4')], NOW)
    expect(ids(q._items)).toEqual(['m3', 'm4'])
    expect(report).not.toHaveBeenCalled()
  })

  it('removes a chunk once all its messages are settled, and the liveness key with the last one', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1'), item('m2')], NOW)
    q._add([item('m3')], NOW)
    q._settle(q._items[0])
    expect(chunkKeys('tabA')).toHaveLength(2)
    q._settle(q._items[0])
    expect(chunkKeys('tabA')).toEqual(['atrack_q2_tabA.1'])
    q._settle(q._items[0])
    expect(localKeys()).toEqual([])
  })

  it('leaves a partly settled chunk as it is while the page lives, however long', async () => {
    const counting = countingStore()
    const q = createQueue(counting.store, 'tabA', limits(), report)
    q._add(['a', 'b', 'c', 'd'].map((id) => item(id)), NOW)
    counting.writes.length = 0
    q._settle(q._items[0])
    q._settle(q._items[0])
    q._settle(q._items[0])
    await vi.advanceTimersByTimeAsync(5000)
    expect(counting.writes.filter(([k]) => k.includes('.'))).toEqual([])
    expect(storedIds('tabA')).toEqual(['a', 'b', 'c', 'd'])
  })

  it('writes each message a bounded number of times: 1,000 queued through an outage, then delivered', async () => {
    const counting = countingStore()
    const q = createQueue(counting.store, 'tabA', limits(), report)
    let bytes = 0
    // 50 per intake slice, one slice every 100 ms, while nothing can be sent
    for (let slice = 0; slice < 20; slice++) {
      const added = Array.from({ length: 50 }, (_, n) => item('m' + (slice * 50 + n), Date.now(), 'p'.repeat(600)))
      bytes += added.reduce((sum, i) => sum + i._body.length, 0)
      q._add(added, Date.now())
      await vi.advanceTimersByTimeAsync(100)
    }
    // 60 s of outage: nothing new, no message rewritten (without Web Locks, the liveness key says it lives)
    counting.writes.length = 0
    await vi.advanceTimersByTimeAsync(60_000)
    expect(counting.writes.map(([k]) => k)).toEqual(['atrack_q2_tabA', 'atrack_q2_tabA', 'atrack_q2_tabA'])
    // delivered in order, a few at a time
    while (q._items.length) {
      q._items.slice(0, 7).forEach(q._settle)
      await vi.advanceTimersByTimeAsync(20)
    }
    expect(counting.written() / bytes).toBeLessThan(1.2)
    expect(localKeys()).toEqual([])
  })

  it('writes 1,000 messages settled in any order about once, the page left halfway', async () => {
    const counting = countingStore()
    const q = createQueue(counting.store, 'tabA', limits(), report)
    const added = Array.from({ length: 1000 }, (_, n) => item('m' + n, NOW, 'p'.repeat(300)))
    for (let at = 0; at < added.length; at += 50) q._add(added.slice(at, at + 50), NOW)
    const bytes = added.reduce((sum, i) => sum + i._body.length, 0)
    // every other message first, then the page is left: each chunk is rewritten with its other half
    for (let n = 0; n < 1000; n += 2) q._settle(added[n])
    q._persist(true)
    q._resume()
    for (let n = 1; n < 1000; n += 2) q._settle(added[n])
    expect(counting.written() / bytes).toBeLessThan(1.7) // 1 + the stored form's 8 % + the half rewritten
    expect(localKeys()).toEqual([])
  })

  it('leaves out, when the tab goes away, messages whose keepalive request is in flight', () => {
    const inKeepalive = (i: Item) => i._id == 'm1' // the browser finishes it; m2's plain fetch is cancelled with the page
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1'), item('m2'), item('m3')], NOW)
    q._persist(true, inKeepalive)
    expect(storedIds('tabA')).toEqual(['m2', 'm3'])
    expect(liveness('tabA')).toBe(NOW + 'x')
    // a late visibilitychange (after pagehide: WebKit, and Chromium on a reload) writes again: same form
    q._persist(false, inKeepalive)
    expect(liveness('tabA')).toBe(NOW + 'x')
    expect(storedIds('tabA')).toEqual(['m2', 'm3'])
    // back from the back/forward cache: alive again
    q._resume()
    expect(liveness('tabA')).toBe(String(NOW))
    expect(ids(q._items)).toEqual(['m1', 'm2', 'm3'])
  })

  it('rewrites on hidden only what pays, and everything settled when the page is left', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add(['a', 'b', 'c', 'd'].map((id) => item(id)), NOW)
    q._settle(q._items[0])
    q._persist()
    expect(storedIds('tabA')).toEqual(['a', 'b', 'c', 'd'])
    q._persist(true)
    expect(storedIds('tabA')).toEqual(['b', 'c', 'd'])
  })

  it.each(['', 'soon', 'x1'])('takes a liveness key without a time (%s) as gone, instead of looking again forever', async (raw) => {
    orphan('odd', [item('o1')], 0)
    localStorage.setItem(QUEUE_PREFIX + 'odd', raw)
    const q = createQueue(store, 'tabA', limits(), report)
    const next = await adopt(q)
    expect(next).toBeUndefined()
    expect(ids(q._items)).toEqual(['o1'])
    expect(localStorage.getItem(QUEUE_PREFIX + 'odd')).toBeNull()
  })

  it('works without a store (memory only)', () => {
    const q = createQueue(undefined, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist(true)
    expect(ids(q._items)).toEqual(['m1'])
    expect(localKeys()).toEqual([])
  })

  it('writes nothing while not allowed (consent withdrawn), and what waited once it is', () => {
    let allowed = false
    const q = createQueue(store, 'tabA', limits(), report, undefined, () => allowed)
    q._add([item('m1')], NOW)
    q._persist(true)
    expect(localKeys()).toEqual([])
    allowed = true
    q._resume()
    q._persist()
    expect(storedIds('tabA')).toEqual(['m1'])
  })

  it.each([
    ['said it had gone (x)', NOW - 1000, 1 as const],
    ['with a heartbeat older than 90 s', NOW - 91_000, undefined],
  ])('adopts the chunks of a tab that %s', async (_, h, x) => {
    orphan('dead', [item('o1', NOW - 60_000), item('o2', NOW - 50_000)], h, x)
    localStorage.setItem(QUEUE_PREFIX + 'dead.1', toStored([item('o3', NOW - 40_000)]))
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(ids(q._items)).toEqual(['o1', 'o2', 'o3'])
    expect(localKeys().filter((k) => k.includes('dead'))).toEqual([])
    expect(storedIds('tabA').sort()).toEqual(['o1', 'o2', 'o3'])
  })

  it('looks again within 90 s at most, even for a heartbeat from the future (a clock set back)', async () => {
    orphan('future', [item('f1')], NOW + 30 * 24 * HOUR)
    const q = createQueue(store, 'tabA', limits(), report)
    expect(await q._adopt()).toBe(90_000)
    expect(q._items).toEqual([])
  })

  it('leaves the chunks of a live tab alone', async () => {
    orphan('alive', [item('l1')], NOW - 30_000)
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(q._items).toEqual([])
    expect(localStorage.getItem(QUEUE_PREFIX + 'alive.0')).not.toBeNull()
  })

  it('never adopts its own chunks', async () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist(true)
    await adopt(q)
    expect(ids(q._items)).toEqual(['m1'])
    expect(storedIds('tabA')).toEqual(['m1'])
  })

  it.each([
    ['text that is not JSON', '[{"p":'],
    ['JSON that is no list', '{"h":1}'],
    ['a message without a body', '[{"p":"/event","t":1,"b":null}]'],
  ])('reports and removes a corrupt chunk: %s', async (_, raw) => {
    orphan('dead', [item('o1')], NOW, 1)
    localStorage.setItem(QUEUE_PREFIX + 'dead.7', raw)
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(report).toHaveBeenCalledWith('storage', expect.stringContaining('corrupt'))
    expect(localStorage.getItem(QUEUE_PREFIX + 'dead.7')).toBeNull()
    expect(ids(q._items)).toEqual(['o1'])
  })

  it('has no duplicate ids after adoption and keeps messages in time order', async () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m2', NOW - 2000), item('mine', NOW)], NOW)
    orphan('dead', [item('m1', NOW - 3000), item('m2', NOW - 2000), item('m3', NOW - 1000)], NOW - 100_000)
    await adopt(q)
    expect(ids(q._items)).toEqual(['m1', 'm2', 'm3', 'mine'])
  })

  it('sends each message of a dead tab once when two tabs adopt it', async () => {
    orphan('dead', [item('o1'), item('o2')], NOW - 1000, 1)
    localStorage.setItem(QUEUE_PREFIX + 'dead.1', toStored([item('o3')]))
    const one = createQueue(localStore(report), 'one', limits(), report)
    const two = createQueue(localStore(report), 'two', limits(), report)
    const both = Promise.all([one._adopt(), two._adopt()])
    await vi.advanceTimersByTimeAsync(200)
    await both
    await adopt(one)
    await adopt(two)
    expect([...ids(one._items), ...ids(two._items)].sort()).toEqual(['o1', 'o2', 'o3'])
    expect([...storedIds('one'), ...storedIds('two')].sort()).toEqual(['o1', 'o2', 'o3'])
  })

  it('adopts nothing while another tab holds the adoption lease', async () => {
    store._set('atrack_adopt_lease', 'tabB ' + (NOW + 5000))
    orphan('dead', [item('o1')], NOW, 1)
    const q = createQueue(store, 'tabA', limits(), report)
    await adopt(q)
    expect(q._items).toEqual([])
    expect(localStorage.getItem(QUEUE_PREFIX + 'dead.0')).not.toBeNull()
  })

  it('drops the oldest messages first when an adopted queue takes it over the count cap', async () => {
    const q = createQueue(store, 'tabA', limits({ _maxMessages: 2 }), report)
    q._add([item('mine', NOW)], NOW)
    orphan('dead', [item('a1', NOW - 2000), item('a2', NOW - 1000)], NOW, 1)
    await adopt(q)
    expect(ids(q._items)).toEqual(['a2', 'mine'])
    expect(report).toHaveBeenCalledWith('queue_full', expect.any(String), { count: 1, messageId: 'a1' })
  })

  it('drops adopted messages older than the maximum age', async () => {
    const q = createQueue(store, 'tabA', limits({ _maxAgeMs: HOUR }), report)
    q._add([item('mine', NOW)], NOW)
    orphan('dead', [item('stale', NOW - 2 * HOUR)], NOW, 1)
    await adopt(q)
    expect(ids(q._items)).toEqual(['mine'])
    expect(report).toHaveBeenCalledWith('expired', expect.any(String), { count: 1, messageId: 'stale' })
  })

  it('gives up the chunks another tab adopted during a back/forward-cache stay', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._add([item('m2')], NOW)
    q._persist(true)
    localStorage.removeItem(QUEUE_PREFIX + 'tabA.0') // adopted elsewhere
    q._resume()
    expect(ids(q._items)).toEqual(['m2'])
  })

  it('keeps its chunks after a back/forward-cache stay when nobody adopted them', () => {
    const q = createQueue(store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    q._persist(true)
    q._resume()
    expect(ids(q._items)).toEqual(['m1'])
    expect(liveness('tabA')).toBe(String(NOW))
  })

  it('keeps working in memory when localStorage is full', () => {
    const full = memoryStore()
    full._set = () => false
    const q = createQueue(full, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    expect(ids(q._items)).toEqual(['m1'])
  })

  it('says it lives every 20 s without Web Locks, writing only its own liveness key', async () => {
    const counting = countingStore()
    const q = createQueue(counting.store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    counting.writes.length = 0
    await vi.advanceTimersByTimeAsync(60_000)
    expect(counting.writes).toEqual([['atrack_q2_tabA', 13], ['atrack_q2_tabA', 13], ['atrack_q2_tabA', 13]])
    expect(liveness('tabA')).toBe(String(NOW + 60_000))
    q._stop()
  })
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

  it('holds a lock named after its tab once it stores a message, and releases it at pagehide', async () => {
    const held = fakeLocks()
    const q = createQueue(store, 'tabA', limits(), report)
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(false)
    q._add([item('m1')], NOW)
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(true)
    q._persist(true)
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(false)
    q._resume()
    await microtasks()
    expect(held.has('atrack_tab_tabA')).toBe(true)
  })

  it('asks nothing of the browser and writes nothing while it stores nothing, even idle for a minute', async () => {
    fakeLocks()
    const counting = countingStore()
    const q = createQueue(counting.store, 'tabA', limits(), report)
    await vi.advanceTimersByTimeAsync(60_000)
    q._persist(true)
    expect(navigator.locks.request).not.toHaveBeenCalled()
    expect(counting.writes).toEqual([])
  })

  it('writes nothing while idle with messages stored: the lock says it lives', async () => {
    fakeLocks()
    const counting = countingStore()
    const q = createQueue(counting.store, 'tabA', limits(), report)
    q._add([item('m1')], NOW)
    counting.writes.length = 0
    await vi.advanceTimersByTimeAsync(120_000)
    expect(counting.writes).toEqual([])
  })

  it('leaves the chunks of a tab that holds its lock, however old its liveness', async () => {
    const held = fakeLocks()
    held.add('atrack_tab_busy')
    orphan('busy', [item('b1')], NOW - 10 * 60_000)
    const q = createQueue(store, 'tabA', limits(), report)
    const next = await q._adopt()
    expect(q._items).toEqual([])
    expect(next).toBeGreaterThan(0)
  })

  it('leaves a live 0.1.0 tab\'s queue alone: it holds its Web Lock', async () => {
    const held = fakeLocks()
    held.add('atrack_tab_old')
    legacy('old', [item('o1')], NOW - 10 * 60_000)
    const q = createQueue(store, 'tabA', limits(), report)
    await q._adopt()
    expect(q._items).toEqual([])
    held.delete('atrack_tab_old')
    await q._adopt()
    expect(ids(q._items)).toEqual(['o1'])
    expect(localStorage.getItem('atrack_q1_old')).toBeNull()
  })

  it('adopts the chunks of a tab whose lock is gone, once it had 2 s to take it', async () => {
    fakeLocks()
    orphan('crashed', [item('c1')], NOW - 500)
    const q = createQueue(store, 'tabA', limits(), report)
    const next = await q._adopt()
    expect(q._items).toEqual([])
    expect(next).toBe(1500)
    vi.setSystemTime(NOW + 1500)
    await q._adopt()
    expect(ids(q._items)).toEqual(['c1'])
    expect(localStorage.getItem(QUEUE_PREFIX + 'crashed.0')).toBeNull()
    expect(localStorage.getItem(QUEUE_PREFIX + 'crashed')).toBeNull()
  })
})
