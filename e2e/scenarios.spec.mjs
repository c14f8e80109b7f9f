// The Chromium lane: every scenario of e2e/scenarios/ in Debian's Chromium, with Playwright's
// browser (playwright.config.ts) and a fresh context per scenario.
import { test } from '@playwright/test'
import { chromiumDriver } from './drivers/chromium.mjs'
import { cannotRun, runScenario, writeResult } from './harness.mjs'
import { SCENARIOS } from './scenarios/index.mjs'

for (const scenario of SCENARIOS) {
  test(`${scenario.fault}: ${scenario.title}`, async ({ browser }, testInfo) => {
    const driver = chromiumDriver(browser)
    const why = cannotRun(driver, scenario)
    if (why) writeResult(driver, scenario, { skipped: why })
    test.skip(Boolean(why), why)
    // runScenario keeps the scenario's own time limit and tears down after it: this one is a backstop
    testInfo.setTimeout(scenario.timeoutMs + 60_000)
    const run = { repeat: testInfo.repeatEachIndex, attempt: testInfo.retry }
    await runScenario(driver, scenario, { log: (line) => console.log(`# ${line}`), run })
  })
}
