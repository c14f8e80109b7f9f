// Every scenario, in the order of the loss table. Each lane runs all of them in its engine;
// a scenario whose `needs` its driver `cannot` meet is skipped there with the driver's reason.
import bfcache from './bfcache.mjs'
import consent from './consent.mjs'
import crossTabAdoption from './cross-tab-adoption.mjs'
import exitNavigation from './exit-navigation.mjs'
import exitSlowNetwork from './exit-slow-network.mjs'
import exitTabClose from './exit-tab-close.mjs'
import exitToSdkPage from './exit-to-sdk-page.mjs'
import fixedAtCall from './fixed-at-call.mjs'
import noPreflight from './no-preflight.mjs'
import offlineReload from './offline-reload.mjs'
import outage503 from './outage-503.mjs'
import outageReload from './outage-reload.mjs'
import preloadStub from './preload-stub.mjs'
import retryAfter from './retry-after.mjs'
import scriptTag from './script-tag.mjs'
import spaPageviews from './spa-pageviews.mjs'

export const SCENARIOS = [
  exitNavigation,
  exitToSdkPage,
  exitTabClose,
  exitSlowNetwork,
  outageReload,
  offlineReload,
  outage503,
  retryAfter,
  crossTabAdoption,
  consent,
  spaPageviews,
  bfcache,
  fixedAtCall,
  noPreflight,
  preloadStub,
  scriptTag,
]
