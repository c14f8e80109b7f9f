import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchLifecycle } from '../src/delivery/lifecycle'

function handlers() {
  return { _hidden: vi.fn(), _shown: vi.fn(), _online: vi.fn(), _offline: vi.fn() }
}

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
  document.dispatchEvent(new Event('visibilitychange'))
}

afterEach(() => {
  delete (document as any).visibilityState
})

describe('watchLifecycle', () => {
  it('tells hiding from leaving, and showing from a back/forward-cache restore', () => {
    const h = handlers()
    const stop = watchLifecycle(h)
    setVisibility('hidden')
    dispatchEvent(new Event('pagehide'))
    setVisibility('visible')
    const show = new Event('pageshow') as Event & { persisted: boolean }
    Object.defineProperty(show, 'persisted', { value: true })
    dispatchEvent(show)
    dispatchEvent(new Event('pageshow')) // a normal load: not a restore
    dispatchEvent(new Event('online'))
    dispatchEvent(new Event('offline'))
    expect(h._hidden.mock.calls).toEqual([[false], [true]])
    expect(h._shown.mock.calls).toEqual([[false], [true]])
    expect(h._online).toHaveBeenCalledTimes(1)
    expect(h._offline).toHaveBeenCalledTimes(1)
    stop()
  })

  it('stops listening when told to', () => {
    const h = handlers()
    watchLifecycle(h)()
    setVisibility('hidden')
    dispatchEvent(new Event('pagehide'))
    dispatchEvent(new Event('online'))
    expect(h._hidden).not.toHaveBeenCalled()
    expect(h._online).not.toHaveBeenCalled()
  })

  it('never listens for unload, which would disable the back/forward cache', () => {
    const spy = vi.spyOn(window, 'addEventListener')
    const stop = watchLifecycle(handlers())
    expect(spy.mock.calls.map((c) => c[0])).not.toContain('unload')
    expect(spy.mock.calls.map((c) => c[0])).not.toContain('beforeunload')
    stop()
  })
})
