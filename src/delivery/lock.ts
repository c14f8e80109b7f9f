import type { Store } from '../identity/storage'

/** How long a localStorage lease holds when its tab dies inside it. */
const LEASE_MS = 5000
/** Time for another tab's competing lease write to reach this one (the storage event takes 2–9 ms). */
const SETTLE_MS = 50

/**
 * Runs `fn` while no other tab of the site runs a function under the same name. Web Locks where
 * the page has them; they are undefined on plain-http sites (not a secure context), where a
 * localStorage lease with expiry stands in: write, wait for writes of other tabs to settle,
 * read back, and go on only if the lease is still ours. Skips (resolves false) when busy.
 */
export async function withLock(name: string, store: Store, owner: string, fn: () => void): Promise<boolean> {
  const locks = typeof navigator != 'undefined' && navigator.locks
  if (locks) return locks.request(name, { ifAvailable: true }, (lock) => !!lock && (fn(), true))
  const key = name + '_lease'
  const held = (store._get(key) || '').split(' ')
  if (held[0] != owner && +held[1] > Date.now()) return false
  const mine = owner + ' ' + (Date.now() + LEASE_MS)
  store._set(key, mine)
  await new Promise((r) => setTimeout(r, SETTLE_MS))
  if (store._get(key) != mine) return false
  try {
    fn()
  } finally {
    store._remove(key)
  }
  return true
}
