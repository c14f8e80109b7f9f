// Types for the script-tag bundle (`dist/atrack.min.js`, the `@a-track/web/atrack.min.js` export):
// it declares the global client. A TypeScript page that loads the script tag gets it with
//   /// <reference types="@a-track/web/atrack.min.js" />
// (or `"types": ["@a-track/web/atrack.min.js"]` in tsconfig.json, or an `import '@a-track/web/atrack.min.js'`).
import type { ATrackClient } from '../src/index'

declare global {
  /**
   * The script-tag client: the pre-load stub until the bundle has loaded, then the live client
   * (the same methods as `createATrack()` returns, bound, so `const { track } = atrack` works).
   *
   * @example atrack.track('cta_clicked', { plan: 'pro' })
   */
  // `var`, so that `window.atrack` and `globalThis.atrack` are typed too
  var atrack: ATrackClient
}
