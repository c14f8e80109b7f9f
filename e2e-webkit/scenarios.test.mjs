// The WebKit lane: every scenario of e2e/scenarios/ in WebKitGTK (MiniBrowser over WebKitWebDriver, under Xvfb).
import { cannot, launchWebKit } from '../e2e/drivers/webkit.mjs'
import { runLane } from '../e2e/lane.mjs'

runLane({ engine: 'WebKit', cannot, launch: launchWebKit })
