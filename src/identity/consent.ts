import type { Stores } from './storage'

/** The one key kept after a refusal: the refusal itself. */
export const REFUSAL_KEY = 'atrack_optout'

/** True when the visitor refused earlier (opt-out or denied consent), in the cookie or localStorage. */
export function storedRefusal(stores: Stores): boolean {
  return !!(stores.cookie?.get(REFUSAL_KEY) || stores.local.get(REFUSAL_KEY))
}

/** Do Not Track or Global Privacy Control (globalprivacycontrol.org) is on. */
export function privacySignal(): boolean {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean }
  return n.globalPrivacyControl === true || n.doNotTrack == '1'
}

export function saveRefusal(stores: Stores, refused: boolean): void {
  for (const s of [stores.cookie, stores.local]) {
    if (refused) s?.set(REFUSAL_KEY, '1')
    else s?.remove(REFUSAL_KEY)
  }
}
