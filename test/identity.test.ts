import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadIdentity, randomId, saveIdentity, UID_KEY, USER_KEY, uuidv4 } from '../src/identity/identity'
import { createStores, memoryStore, type Stores } from '../src/identity/storage'
import { cookies, resetPage } from './helpers'

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

beforeEach(resetPage)
afterEach(() => {
  vi.restoreAllMocks()
  delete (crypto as any).randomUUID
  resetPage()
})

/** Hides crypto.randomUUID, as on plain-http (non-secure) pages. */
function withoutRandomUUID() {
  Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true })
}

describe('randomId', () => {
  it('makes ids of [0-9a-z], 21 characters unless told otherwise, without repeats', () => {
    const ids = Array.from({ length: 1000 }, () => randomId())
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{21}$/)
    expect(new Set(ids).size).toBe(1000)
    expect(randomId(10)).toMatch(/^[0-9a-z]{10}$/)
  })
})

describe('uuidv4', () => {
  it('makes RFC 4122 version 4 uuids from getRandomValues, also where randomUUID is missing (plain http)', () => {
    withoutRandomUUID()
    const ids = Array.from({ length: 200 }, uuidv4)
    for (const id of ids) expect(id).toMatch(V4)
    expect(new Set(ids).size).toBe(200)
  })

  it.each([
    [0x00, '00000000-0000-4000-8000-000000000000'],
    [0xff, 'ffffffff-ffff-4fff-bfff-ffffffffffff'],
  ])('sets the version and variant bits over random bytes 0x%s', (byte, expected) => {
    withoutRandomUUID()
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(((a: Uint8Array) => a.fill(byte)) as never)
    expect(uuidv4()).toBe(expected)
  })
})

describe('loadIdentity', () => {
  let stores: Stores
  beforeEach(() => {
    stores = createStores(undefined, false, vi.fn())
  })

  it('creates a new visitor and stores the uuid in the cookie and localStorage', () => {
    const id = loadIdentity(stores)
    expect(id.isNewUser).toBe(true)
    expect(id.uuid).toMatch(V4)
    expect(id.attributes).toEqual({})
    expect(cookies()[UID_KEY]).toBe(id.uuid)
    expect(localStorage.getItem(UID_KEY)).toBe(id.uuid)
  })

  it('restores the visitor and the attributes stored on an earlier visit', () => {
    const first = loadIdentity(stores)
    saveIdentity(stores, { uuid: first.uuid, attributes: { plan: 'pro' } })
    const again = loadIdentity(createStores(undefined, false, vi.fn()))
    expect(again).toEqual({ uuid: first.uuid, attributes: { plan: 'pro' }, isNewUser: false })
  })

  it('restores localStorage from the cookie', () => {
    document.cookie = UID_KEY + '=from-cookie; path=/'
    expect(loadIdentity(stores)).toMatchObject({ uuid: 'from-cookie', isNewUser: false })
    expect(localStorage.getItem(UID_KEY)).toBe('from-cookie')
  })

  it('restores the cookie from localStorage', () => {
    localStorage.setItem(UID_KEY, 'from-local')
    expect(loadIdentity(stores)).toMatchObject({ uuid: 'from-local', isNewUser: false })
    expect(cookies()[UID_KEY]).toBe('from-local')
  })

  it('lets the cookie win when the cookie and localStorage disagree, and repairs localStorage', () => {
    document.cookie = UID_KEY + '=cookie-id; path=/'
    localStorage.setItem(UID_KEY, 'local-id')
    expect(loadIdentity(stores).uuid).toBe('cookie-id')
    expect(localStorage.getItem(UID_KEY)).toBe('cookie-id')
    expect(cookies()[UID_KEY]).toBe('cookie-id')
  })

  it('adopts a supplied uuid as a known (not new) user, without the stored attributes of another', () => {
    localStorage.setItem(UID_KEY, 'anon')
    localStorage.setItem(USER_KEY, '{"plan":"free"}')
    expect(loadIdentity(stores, 'crm-user-42')).toEqual({ uuid: 'crm-user-42', attributes: {}, isNewUser: false })
    expect(localStorage.getItem(UID_KEY)).toBe('crm-user-42')
    expect(cookies()[UID_KEY]).toBe('crm-user-42')
  })

  it('uses the fallback uuid when nothing is stored', () => {
    expect(loadIdentity(stores, undefined, 'temp-id')).toMatchObject({ uuid: 'temp-id', isNewUser: true })
  })

  it('ignores corrupt JSON in atrack_user', () => {
    localStorage.setItem(UID_KEY, 'u1')
    localStorage.setItem(USER_KEY, '{"plan":')
    expect(loadIdentity(stores)).toEqual({ uuid: 'u1', attributes: {}, isNewUser: false })
  })

  // Regression (fixed in src/identity.ts:38): valid JSON that is not an object ("text", [1]) becomes the attributes;
  // a string then spreads into {0:'t',1:'e',...} on the next setAttributes merge.
  it.each(['"text"', '[1,2]'])('ignores atrack_user holding %s, which is not an object', (raw) => {
    localStorage.setItem(UID_KEY, 'u1')
    localStorage.setItem(USER_KEY, raw)
    expect(loadIdentity(stores).attributes).toEqual({})
  })

  it('does not write when the stored identity is already consistent', () => {
    loadIdentity(stores)
    const set = vi.spyOn(stores._local, '_set')
    loadIdentity(stores)
    expect(set).not.toHaveBeenCalled()
  })
})

describe('saveIdentity', () => {
  it('keeps the uuid in both stores and the attributes in localStorage only', () => {
    const stores = createStores(undefined, false, vi.fn())
    saveIdentity(stores, { uuid: 'u9', attributes: { plan: 'pro', seats: 3 } })
    expect(cookies()).toEqual({ [UID_KEY]: 'u9' })
    expect(localStorage.getItem(UID_KEY)).toBe('u9')
    expect(JSON.parse(localStorage.getItem(USER_KEY)!)).toEqual({ plan: 'pro', seats: 3 })
  })

  it('works with localStorage alone', () => {
    const stores: Stores = { _local: memoryStore() }
    saveIdentity(stores, { uuid: 'u9', attributes: {} })
    expect(loadIdentity(stores)).toEqual({ uuid: 'u9', attributes: {}, isNewUser: false })
  })
})
