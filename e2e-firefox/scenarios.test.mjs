// The Firefox lane: every scenario of e2e/scenarios/ in Firefox ESR (puppeteer-core over WebDriver BiDi).
import { cannot, launchFirefox } from '../e2e/drivers/firefox.mjs'
import { runLane } from '../e2e/lane.mjs'

runLane({ engine: 'Firefox', cannot, launch: launchFirefox })
