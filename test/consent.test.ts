import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createConsent, privacySignal, REFUSAL_KEY, saveRefusal, storedRefusal } from '../src/identity/consent'
import { createStores } from '../src/identity/storage'
import { cookies, resetPage, setURL } from './helpers'

beforeEach(resetPage)
afterEach(() => {
  delete (navigator as any).globalPrivacyControl
  delete (navigator as any).doNotTrack
  resetPage()
})

describe('refusal', () => {
  it('is kept in the cookie and localStorage as atrack_optout', () => {
    const stores = createStores(undefined, false, vi.fn())
    expect(REFUSAL_KEY).toBe('atrack_optout')
    saveRefusal(stores, true)
    expect(cookies()[REFUSAL_KEY]).toBe('1')
    expect(localStorage.getItem(REFUSAL_KEY)).toBe('1')
    expect(storedRefusal(createStores(undefined, false, vi.fn()))).toBe(true)
  })

  it.each([
    ['the cookie', () => (document.cookie = 'atrack_optout=1; path=/')],
    ['localStorage', () => localStorage.setItem('atrack_optout', '1')],
  ])('is found in %s alone', (_, write) => {
    write()
    expect(storedRefusal(createStores(undefined, false, vi.fn()))).toBe(true)
  })

  it('is removed from both stores by a later consent', () => {
    const stores = createStores(undefined, false, vi.fn())
    saveRefusal(stores, true)
    saveRefusal(stores, false)
    expect(cookies()[REFUSAL_KEY]).toBeUndefined()
    expect(localStorage.getItem(REFUSAL_KEY)).toBeNull()
    expect(storedRefusal(stores)).toBe(false)
  })

  it('removes every cookie the SDK wrote on its widest domain, the remembered domain too, and keeps the refusal', () => {
    setURL('https://www.example.com/')
    const stores = createStores(undefined, undefined, vi.fn())
    const consent = createConsent(stores, 'granted')
    stores._cookie!._set('atrack_uid', 'u-1')
    expect(Object.keys(cookies()).sort()).toEqual(['atrack_domain', 'atrack_uid'])
    consent._set('denied')
    expect(cookies()).toEqual({ [REFUSAL_KEY]: '1' })
  })

  it('is absent on a first visit', () => {
    expect(storedRefusal(createStores(undefined, false, vi.fn()))).toBe(false)
  })
})

describe('privacySignal', () => {
  it.each([
    ['nothing', {}, false],
    ['Global Privacy Control', { globalPrivacyControl: true }, true],
    ['Do Not Track 1', { doNotTrack: '1' }, true],
    ['Do Not Track 0', { doNotTrack: '0' }, false],
    ['Do Not Track unspecified', { doNotTrack: 'unspecified' }, false],
  ])('reads %s as %s', (_, props, expected) => {
    for (const [k, v] of Object.entries(props)) Object.defineProperty(navigator, k, { value: v, configurable: true })
    expect(privacySignal()).toBe(expected)
  })
})
