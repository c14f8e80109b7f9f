import { readJSON, type Stores } from './storage'
import type { Attributes, User } from '../types'

export const UID_KEY = 'atrack_uid'
export const USER_KEY = 'atrack_user'

/** `n` random bytes: `crypto.getRandomValues` exists in every context, secure or not. */
const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n))

/**
 * A random id for messages, sessions and tabs: `n` characters of `[0-9a-z]`, about 5.2 bits each
 * (21 carry 108 bits, near a uuid's 122).
 */
export const randomId = (n = 21): string => randomBytes(n).reduce((id, b) => id + (b % 36).toString(36), '')

/**
 * An RFC 4122 version 4 uuid from `getRandomValues` (`crypto.randomUUID` exists only in secure
 * contexts, and one way is enough): each `0` of the template becomes a random hex digit (4 bits
 * of a byte of its own), the `8` one of `8`–`b` (the variant bits `10`); the `4` is the version.
 * The digit `c` is a string: `^` and `/` make it a number.
 *
 * @example uuidv4() // '0d54c6e2-…-4…'
 */
export function uuidv4(): string {
  return '00000000-0000-4000-8000-000000000000'.replace(/[08]/g, (c: any) => (c ^ (randomBytes(1)[0] & (15 >> (c / 4)))).toString(16))
}

export interface Identity extends User {
  isNewUser: boolean
}

/**
 * Restores the visitor from storage, or creates one. The cookie wins over localStorage when they
 * disagree (it is the one shared across subdomains), and either restores the other.
 */
export function loadIdentity(stores: Stores, supplied?: string, fallback?: string): Identity {
  const fromCookie = stores._cookie?._get(UID_KEY)
  const fromLocal = stores._local._get(UID_KEY)
  const stored = fromCookie || fromLocal
  const uuid = supplied || stored || fallback || uuidv4()
  let attributes: Attributes = {}
  // attributes stored beside another uuid are that visitor's, not this one's
  if (uuid == stored && (!fromLocal || fromLocal == uuid)) {
    // corrupt attributes are not worth an error: the backend has them
    const parsed = readJSON<Attributes>(stores._local, USER_KEY)
    if (typeof parsed == 'object' && !Array.isArray(parsed)) attributes = parsed
  }
  const identity = { uuid, attributes, isNewUser: !supplied && !stored }
  if (fromCookie != uuid || fromLocal != uuid) saveIdentity(stores, identity)
  return identity
}

/** Persists the uuid (cookie and localStorage) and the attributes (localStorage only: cookies are small). */
export function saveIdentity(stores: Stores, user: User): void {
  stores._cookie?._set(UID_KEY, user.uuid)
  stores._local._set(UID_KEY, user.uuid)
  stores._local._set(USER_KEY, JSON.stringify(user.attributes))
}
