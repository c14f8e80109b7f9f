// A lane run by node:test (Firefox: e2e-firefox/, WebKit: e2e-webkit/): every scenario of
// e2e/scenarios/ in one engine, one browser for the lane and a fresh session per scenario. A
// scenario the engine cannot run is skipped with the driver's reason, and the loss table says so.
import { after, before, test } from 'node:test'
import { cannotRun, clearResults, ensureDist, runScenario, writeResult } from './harness.mjs'
import { SCENARIOS } from './scenarios/index.mjs'

/** Registers the lane: `engine` and `cannot` name the driver, `launch()` starts its browser. */
export function runLane({ engine, cannot, launch }) {
  let driver
  before(async () => {
    ensureDist()
    clearResults(engine)
    driver = await launch()
  })
  after(async () => {
    for (const scenario of SCENARIOS) {
      const why = cannotRun({ engine, cannot }, scenario)
      if (why && driver) writeResult(driver, scenario, { skipped: why })
    }
    await driver?.close()
  })
  // E2E_REPEAT=5 runs each scenario 5 times (Playwright's --repeat-each, which node:test lacks)
  const repeat = Math.max(1, Number(process.env.E2E_REPEAT) || 1)
  for (const scenario of SCENARIOS) {
    for (let i = 1; i <= repeat; i++) {
      // runScenario keeps the scenario's own time limit and tears down after it: this one is a backstop
      const options = { timeout: scenario.timeoutMs + 60_000, skip: cannotRun({ engine, cannot }, scenario) }
      test(`${scenario.fault}: ${scenario.title}${repeat > 1 ? ` (${i}/${repeat})` : ''}`, options, (t) =>
        runScenario(driver, scenario, { log: (line) => t.diagnostic(line), run: { repeat: i - 1 } }),
      )
    }
  }
}
