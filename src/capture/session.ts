import { randomId } from '../identity/identity'
import { parseCampaign, referrerOf } from './context'
import { readJSON, type Store } from '../identity/storage'
import type { Context, Touch } from '../types'

export const SESSION_KEY = 'atrack_session'
export const FIRST_TOUCH_KEY = 'atrack_first'
/** Activity is written (and other tabs' sessions read) at most this often: sessions last minutes. */
const SYNC_MS = 1000

/** A session as stored. */
interface SessionState {
  id: string
  /** last activity, epoch ms */
  at: number
  /** campaign key of the touch that started it */
  c: string
  /** last non-direct touch of the session */
  t?: Touch
}

/** The visit's own touch: campaign of the landing URL, outside referrer, traffic-source class. */
export function landingTouch(now: number): { _touch: Touch; _key: string } {
  const campaign = parseCampaign(location.search)
  const { url: referrer, type } = referrerOf(document.referrer, location.href, campaign)
  const touch: Touch = { type, ...campaign, referrer, landingPage: location.href, timestamp: new Date(now).toISOString() }
  return { _touch: touch, _key: campaign.utm || campaign.clickIds ? JSON.stringify(campaign) : '' }
}

export type Landing = ReturnType<typeof landingTouch>

/**
 * Sessions and attribution. A session ends after `timeoutMs` without activity, or when a visit
 * brings a new campaign; it is stored, so tabs and reloads share it. The first touch is written
 * once and never overwritten; the session touch is the last non-direct, non-internal one.
 * `landing` is the visit's touch, taken when the page started: its first activity here weighs it
 * against what `store` holds (a session there, a new campaign).
 */
export function createSessions(store: Store, timeoutMs: number, landing: Landing) {
  let s: SessionState | undefined
  let initial: Touch | undefined
  let syncedAt = 0
  let isLanding = true

  const sessions = {
    /** The last `_touch` started a new session. */
    _isNew: false,

    /** Session context for an activity at `now`; called for every message. */
    _touch(now: number): Pick<Context, 'sessionId' | 'attribution'> {
      const { _touch: touch, _key: key } = landing
      const counts = touch.type != 'direct' && touch.type != 'internal'
      let dirty = now - syncedAt > SYNC_MS
      sessions._isNew = false
      if (dirty) s = readJSON<SessionState>(store, SESSION_KEY) || s
      if (!s || now - s.at > timeoutMs || (isLanding && key && key != s.c)) {
        // a visit's touch starts one session only: a later timeout on the same page is direct
        s = { id: randomId(), at: now, c: isLanding ? key : '', t: isLanding && counts ? touch : undefined }
        sessions._isNew = dirty = true
      } else if (isLanding && counts) {
        s.t = touch
        dirty = true
      }
      isLanding = false
      s.at = now
      if (dirty) {
        syncedAt = now
        store._set(SESSION_KEY, JSON.stringify(s))
        initial = readJSON<Touch>(store, FIRST_TOUCH_KEY)
        if (!initial) store._set(FIRST_TOUCH_KEY, JSON.stringify((initial = touch)))
      }
      return { sessionId: s.id, attribution: { initial, session: s.t } }
    },
  }
  return sessions
}

export type Sessions = ReturnType<typeof createSessions>
