import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { withLock } from '../src/delivery/lock'
import { memoryStore } from '../src/identity/storage'

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-04-08T12:00:00Z') })
})
afterEach(() => {
  vi.useRealTimers()
  delete (navigator as any).locks
})

describe('withLock with a localStorage lease (no Web Locks, as on plain-http sites)', () => {
  it('runs the function, then removes its lease', async () => {
    const store = memoryStore()
    const fn = vi.fn(() => expect(store._get('adopt_lease')).toMatch(/^tabA \d+$/))
    const done = withLock('adopt', store, 'tabA', fn)
    await vi.advanceTimersByTimeAsync(60)
    await expect(done).resolves.toBe(true)
    expect(fn).toHaveBeenCalledTimes(1)
    expect(store._get('adopt_lease')).toBeNull()
  })

  it('skips while another tab holds an unexpired lease', async () => {
    const store = memoryStore()
    store._set('adopt_lease', 'tabB ' + (Date.now() + 3000))
    const fn = vi.fn()
    await expect(withLock('adopt', store, 'tabA', fn)).resolves.toBe(false)
    expect(fn).not.toHaveBeenCalled()
    expect(store._get('adopt_lease')).toBe('tabB ' + (Date.now() + 3000))
  })

  it('takes over a lease left by a tab that died inside it', async () => {
    const store = memoryStore()
    store._set('adopt_lease', 'tabB ' + (Date.now() - 1))
    const fn = vi.fn()
    const done = withLock('adopt', store, 'tabA', fn)
    await vi.advanceTimersByTimeAsync(60)
    await expect(done).resolves.toBe(true)
    expect(fn).toHaveBeenCalledTimes(1)
  })

  it('backs off when another tab writes its lease while this one settles', async () => {
    const store = memoryStore()
    const fn = vi.fn()
    const done = withLock('adopt', store, 'tabA', fn)
    store._set('adopt_lease', 'tabB ' + (Date.now() + 5000))
    await vi.advanceTimersByTimeAsync(60)
    await expect(done).resolves.toBe(false)
    expect(fn).not.toHaveBeenCalled()
  })

  it('removes its lease even when the function throws', async () => {
    const store = memoryStore()
    const done = withLock('adopt', store, 'tabA', () => {
      throw new Error('boom')
    })
    const settled = expect(done).rejects.toThrow('boom')
    await vi.advanceTimersByTimeAsync(60)
    await settled
    expect(store._get('adopt_lease')).toBeNull()
  })
})

describe('withLock with Web Locks', () => {
  it('asks for the lock only if available and runs the function when granted', async () => {
    const request = vi.fn((_name: string, _o: object, cb: (lock: unknown) => unknown) => Promise.resolve(cb({ name: 'adopt' })))
    Object.defineProperty(navigator, 'locks', { value: { request }, configurable: true })
    const store = memoryStore()
    const fn = vi.fn()
    await expect(withLock('adopt', store, 'tabA', fn)).resolves.toBe(true)
    expect(fn).toHaveBeenCalledTimes(1)
    expect(request.mock.calls[0].slice(0, 2)).toEqual(['adopt', { ifAvailable: true }])
    expect(store._get('adopt_lease')).toBeNull()
  })

  it('skips when another tab holds the lock', async () => {
    const request = vi.fn((_name: string, _o: object, cb: (lock: unknown) => unknown) => Promise.resolve(cb(null)))
    Object.defineProperty(navigator, 'locks', { value: { request }, configurable: true })
    const fn = vi.fn()
    await expect(withLock('adopt', memoryStore(), 'tabA', fn)).resolves.toBe(false)
    expect(fn).not.toHaveBeenCalled()
  })
})
