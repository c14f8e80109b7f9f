import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSessions, FIRST_TOUCH_KEY, landingTouch, SESSION_KEY } from '../src/capture/session'
import { memoryStore, type Store } from '../src/identity/storage'
import { resetPage, setReferrer, setURL } from './helpers'

const MIN = 60_000
const TIMEOUT = 30 * MIN
const T0 = Date.parse('2026-04-08T12:00:00Z')

/** A new page load at `url` sharing `store` with the earlier ones. */
function page(store: Store, url = 'https://www.example.com/', referrer = '', at = T0) {
  setURL(url)
  setReferrer(referrer)
  return createSessions(store, TIMEOUT, landingTouch(at))
}

beforeEach(resetPage)
afterEach(resetPage)

describe('landingTouch', () => {
  it('describes where the visit came from', () => {
    setURL('https://www.example.com/pricing?utm_source=google&utm_medium=cpc&gclid=G1')
    setReferrer('https://www.google.com/')
    expect(landingTouch(T0)).toEqual({
      _touch: {
        type: 'paid',
        utm: { source: 'google', medium: 'cpc' },
        clickIds: { gclid: 'G1' },
        referrer: 'https://www.google.com/',
        landingPage: 'https://www.example.com/pricing?utm_source=google&utm_medium=cpc&gclid=G1',
        timestamp: '2026-04-08T12:00:00.000Z',
      },
      _key: JSON.stringify({ utm: { source: 'google', medium: 'cpc' }, clickIds: { gclid: 'G1' } }),
    })
  })

  it('has an empty campaign key for a visit without a campaign', () => {
    setURL('https://www.example.com/')
    expect(landingTouch(T0)).toMatchObject({ _touch: { type: 'direct' }, _key: '' })
  })
})

describe('createSessions', () => {
  it('keeps the same session id within 30 minutes of activity', () => {
    const s = page(memoryStore())
    const first = s._touch(T0).sessionId
    expect(first).toEqual(expect.any(String))
    expect(s._touch(T0 + 29 * MIN).sessionId).toBe(first)
    expect(s._touch(T0 + 58 * MIN).sessionId).toBe(first)
  })

  it('starts a new session after 31 minutes without activity', () => {
    const s = page(memoryStore())
    const first = s._touch(T0).sessionId
    const second = s._touch(T0 + 31 * MIN).sessionId
    expect(second).not.toBe(first)
    expect(s._touch(T0 + 32 * MIN).sessionId).toBe(second)
  })

  it('shares the session with the next page load through the store', () => {
    const store = memoryStore()
    const first = page(store)._touch(T0).sessionId
    const next = page(store, 'https://www.example.com/docs', 'https://www.example.com/')
    expect(next._touch(T0 + 5 * MIN).sessionId).toBe(first)
    expect(next._isNew).toBe(false)
    expect(JSON.parse(store._get(SESSION_KEY)!)).toMatchObject({ id: first, at: T0 + 5 * MIN })
  })

  it('ends the session when the next page load comes too late', () => {
    const store = memoryStore()
    const first = page(store)._touch(T0).sessionId
    const next = page(store)
    expect(next._touch(T0 + 31 * MIN).sessionId).not.toBe(first)
    expect(next._isNew).toBe(true)
  })

  it('starts a new session when a new utm campaign arrives', () => {
    const store = memoryStore()
    const first = page(store, 'https://www.example.com/?utm_campaign=spring')._touch(T0).sessionId
    expect(page(store, 'https://www.example.com/?utm_campaign=spring')._touch(T0 + MIN).sessionId).toBe(first)
    expect(page(store, 'https://www.example.com/about')._touch(T0 + 2 * MIN).sessionId).toBe(first)
    expect(page(store, 'https://www.example.com/?utm_campaign=summer')._touch(T0 + 3 * MIN).sessionId).not.toBe(first)
  })

  it('starts a new session on a new click id', () => {
    const store = memoryStore()
    const first = page(store, 'https://www.example.com/?gclid=A')._touch(T0).sessionId
    expect(page(store, 'https://www.example.com/?gclid=B')._touch(T0 + MIN).sessionId).not.toBe(first)
  })

  it('marks the page that started a session as new', () => {
    const s = page(memoryStore())
    s._touch(T0)
    expect(s._isNew).toBe(true)
  })

  it('writes the initial touch once and never overwrites it', () => {
    const store = memoryStore()
    const a = page(store, 'https://www.example.com/?utm_source=first&utm_campaign=a', 'https://news.site/')
    const firstAttribution = a._touch(T0).attribution!
    expect(firstAttribution.initial).toMatchObject({ utm: { source: 'first', campaign: 'a' }, referrer: 'https://news.site/' })
    const stored = store._get(FIRST_TOUCH_KEY)

    const b = page(store, 'https://www.example.com/?utm_source=second&utm_campaign=b')
    const later = b._touch(T0 + 40 * MIN).attribution!
    expect(later.initial).toEqual(firstAttribution.initial)
    expect(later.session).toMatchObject({ utm: { source: 'second', campaign: 'b' } })
    expect(store._get(FIRST_TOUCH_KEY)).toBe(stored)
  })

  it('keeps the last outside touch as the session touch across internal navigation', () => {
    const store = memoryStore()
    page(store, 'https://www.example.com/', 'https://www.google.com/')._touch(T0)
    const next = page(store, 'https://www.example.com/docs', 'https://www.example.com/')
    expect(next._touch(T0 + MIN).attribution!.session).toMatchObject({ type: 'search', referrer: 'https://www.google.com/' })
  })

  it('replaces the session touch with a newer outside touch in the same session', () => {
    const store = memoryStore()
    page(store, 'https://www.example.com/', 'https://www.google.com/')._touch(T0)
    const next = page(store, 'https://www.example.com/', 'https://www.facebook.com/')
    expect(next._touch(T0 + MIN).attribution!.session).toMatchObject({ type: 'social', referrer: 'https://www.facebook.com/' })
  })

  it('has no session touch for a direct visit, and none after a timeout on the same page', () => {
    const s = page(memoryStore(), 'https://www.example.com/', 'https://www.google.com/')
    expect(s._touch(T0).attribution!.session).toMatchObject({ type: 'search' })
    expect(s._touch(T0 + 31 * MIN).attribution!.session).toBeUndefined()
  })
})
