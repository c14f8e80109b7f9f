// The app's one A-Track client, created once at module level (not in a component, so React's
// StrictMode and re-renders never create a second one). `Events` lists every event the app sends:
// `atrack.track()` checks names and attributes at compile time.
import { createATrack } from '@a-track/web'

export type Events = {
  plan_chosen: { plan: 'free' | 'pro' }
  doc_rated: { doc: string; helpful: boolean }
}

export const atrack = createATrack<Events>({
  publicKey: import.meta.env.VITE_ATRACK_KEY || 'pub_demo',
  // First-party collection: this site serves the A-Track API under its own origin at /a/
  // (a reverse proxy in production, `server.proxy` in vite.config.js in development).
  apiHost: `${location.origin}/a`,
})
