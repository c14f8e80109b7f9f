import type { Consent } from '../types'
import { UID_KEY, USER_KEY } from './identity'
import { clearAll, DOMAIN_KEY, memoryStore, REFUSAL_KEY, type Stores } from './storage'

export { REFUSAL_KEY }
/** Keys the SDK writes to cookies, which cannot be listed: removed by name on a refusal. */
const COOKIE_KEYS = [UID_KEY, USER_KEY, 'atrack_session', 'atrack_first', DOMAIN_KEY]

/** True when the visitor refused earlier (opt-out or denied consent), in the cookie or localStorage. */
export function storedRefusal(stores: Stores): boolean {
  return !!(stores._cookie?._get(REFUSAL_KEY) || stores._local._get(REFUSAL_KEY))
}

/** Do Not Track or Global Privacy Control (globalprivacycontrol.org) is on. */
export function privacySignal(): boolean {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean }
  return n.globalPrivacyControl === true || n.doNotTrack == '1'
}

/** Stores a refusal, or removes one that is stored: nothing is written otherwise (consent pending stores nothing). */
export function saveRefusal(stores: Stores, refused: boolean): void {
  for (const s of [stores._cookie, stores._local]) {
    if (refused) s?._set(REFUSAL_KEY, '1')
    else if (s?._get(REFUSAL_KEY)) s._remove(REFUSAL_KEY)
  }
}

/**
 * Consent, and with it what may be stored: the real stores once granted; memory while pending and
 * after a refusal, which also removes every key the SDK wrote but the refusal itself. A refusal
 * stored on an earlier visit, or Do Not Track / GPC with `respectDnt`, wins over `initial`.
 *
 * @example const consent = createConsent(stores, 'pending'); consent._set('granted'); consent._stores() // stores
 */
export function createConsent(stores: Stores, initial: Consent, respectDnt?: boolean) {
  let state: Consent = storedRefusal(stores) || (respectDnt && privacySignal()) ? 'denied' : initial
  let memory: Stores = { _local: memoryStore() }
  return {
    _state: () => state,
    /** Where the SDK may write now. */
    _stores: () => (state == 'granted' ? stores : memory),
    _set(next: Consent) {
      state = next
      saveRefusal(stores, next == 'denied')
      if (next == 'denied') {
        clearAll(stores, COOKIE_KEYS)
        memory = { _local: memoryStore() }
      }
    },
  }
}

export type ConsentState = ReturnType<typeof createConsent>
