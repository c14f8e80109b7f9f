import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { routeOf, watchPageviews } from '../src/capture/pageviews'
import { resetPage, setURL } from './helpers'

const stops: (() => void)[] = []
function watch(hashRouting?: boolean) {
  const onPage = vi.fn()
  stops.push(watchPageviews(onPage, hashRouting))
  return onPage
}

beforeEach(() => setURL('/start'))
afterEach(() => {
  stops.splice(0).forEach((stop) => stop())
  resetPage()
})

describe('routeOf', () => {
  it('is the path, plus the hash for hash routers', () => {
    setURL('/app?tab=1#/settings')
    expect(routeOf()).toBe('/app')
    expect(routeOf(true)).toBe('/app#/settings')
  })
})

describe('watchPageviews', () => {
  it('counts the first page view at once', () => {
    expect(watch()).toHaveBeenCalledTimes(1)
  })

  it('counts pushState to a new path', () => {
    const onPage = watch()
    history.pushState({}, '', '/pricing')
    expect(onPage).toHaveBeenCalledTimes(2)
    expect(location.pathname).toBe('/pricing')
  })

  it('counts replaceState to a new path but not to the same path', () => {
    const onPage = watch()
    history.replaceState({}, '', '/start?tab=2')
    expect(onPage).toHaveBeenCalledTimes(1)
    history.replaceState({}, '', '/other')
    expect(onPage).toHaveBeenCalledTimes(2)
  })

  it('does not count a query change alone', () => {
    const onPage = watch()
    history.pushState({}, '', '/start?page=2')
    expect(onPage).toHaveBeenCalledTimes(1)
  })

  it('counts popstate (back/forward) to another path', () => {
    const onPage = watch()
    setURL('/previous')
    dispatchEvent(new PopStateEvent('popstate'))
    expect(onPage).toHaveBeenCalledTimes(2)
  })

  it('does not count a hash change unless hashRouting is on', () => {
    const plain = watch()
    const hashed = watch(true)
    history.pushState({}, '', '/start#/settings')
    setURL('/start#/profile')
    dispatchEvent(new HashChangeEvent('hashchange'))
    expect(plain).toHaveBeenCalledTimes(1)
    expect(hashed).toHaveBeenCalledTimes(3)
  })

  it('wraps history only once with two clients, and each counts a navigation once', () => {
    const first = watch()
    const pushAfterFirst = history.pushState
    const second = watch()
    expect(history.pushState).toBe(pushAfterFirst)
    expect((history.pushState as any).atrackWrapped).toBe(1)
    const navigations = vi.fn()
    addEventListener('atrack:navigate', navigations)
    history.pushState({}, '', '/twice')
    removeEventListener('atrack:navigate', navigations)
    expect(navigations).toHaveBeenCalledTimes(1)
    expect(first).toHaveBeenCalledTimes(2)
    expect(second).toHaveBeenCalledTimes(2)
  })

  it('keeps history working: pushState still returns and moves the URL', () => {
    watch()
    expect(history.pushState({ a: 1 }, '', '/moved')).toBeUndefined()
    expect(location.pathname).toBe('/moved')
    expect(history.state).toEqual({ a: 1 })
  })

  it('stops counting once stopped', () => {
    const onPage = vi.fn()
    watchPageviews(onPage)()
    history.pushState({}, '', '/after-stop')
    expect(onPage).toHaveBeenCalledTimes(1)
  })

})
