// An SPA's entry as a developer writes it; e2e/global-setup.ts bundles it with rollup,
// the way the app's own bundler would consume the package's ESM build.
import { createATrack } from '../../dist/index.js'

const atrack = createATrack({ publicKey: window.KEY, apiHost: window.COLLECTOR })
window.app = {
  atrack,
  ready: atrack.init().then((result) => {
    atrack.track('esm_loaded', { from: 'bundle' })
    return result
  }),
}
