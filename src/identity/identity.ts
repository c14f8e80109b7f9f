import { nanoid, random } from 'nanoid'
import { readJSON, type Stores } from './storage'
import type { Attributes, User } from '../types'

export const UID_KEY = 'atrack_uid'
export const USER_KEY = 'atrack_user'

/**
 * A random id for messages, sessions and tabs: nanoid, `size` characters (21 by default: 126 bits)
 * of its url-safe alphabet `[A-Za-z0-9_-]`, each from 6 bits of `crypto.getRandomValues`, so no
 * character is likelier than another. The SDK's one id entry point.
 */
export const randomId: (size?: number) => string = nanoid

/**
 * An RFC 4122 version 4 uuid from nanoid's random bytes (`crypto.randomUUID` exists only in secure
 * contexts, and one way is enough): each `0` of the template becomes a random hex digit (4 bits
 * of a byte of its own), the `8` one of `8`–`b` (the variant bits `10`); the `4` is the version.
 * The digit `c` is a string: `^` and `/` make it a number.
 *
 * @example uuidv4() // '0d54c6e2-…-4…'
 */
export function uuidv4(): string {
  return '00000000-0000-4000-8000-000000000000'.replace(/[08]/g, (c: any) => (c ^ (random(1)[0] & (15 >> (c / 4)))).toString(16))
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
