// The loss table: for each fault of e2e/scenarios/, what each engine delivered in the last e2e run
// (delivered / sent, duplicates), read from e2e-results/ (every lane leaves one file per scenario).
//
//   npm run e2e:table               # prints it and writes e2e-results/loss-table.md
//   npm run e2e:table -- --readme   # also puts it in the README, between the loss-table markers
//   npm run e2e:table -- --check    # fails unless every scenario passed in every engine that can run it
//
// test/loss-table.test.ts fails when the README's table lists other faults than the scenarios do.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RESULTS_DIR } from './harness.mjs'
import { SCENARIOS } from './scenarios/index.mjs'

export const ENGINES = ['Chromium', 'Firefox', 'WebKit']
export const START = '<!-- loss-table: `npm run e2e:table -- --readme` writes this table from the last e2e run -->'
export const END = '<!-- /loss-table -->'
const README = fileURLToPath(new URL('../README.md', import.meta.url))

/**
 * Every result the lanes left, one per scenario and engine: `{ [engine]: { [scenario id]: result } }`.
 * Runs of one scenario (E2E_REPEAT, --repeat-each) add up; one that failed marks it failed, one
 * that passed only on a retry marks it flaky.
 */
export function readResults(dir = RESULTS_DIR) {
  const out = {}
  for (const engine of ENGINES) {
    const folder = join(dir, engine)
    out[engine] = {}
    if (!existsSync(folder)) continue
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
      const run = JSON.parse(readFileSync(join(folder, file), 'utf8'))
      const before = out[engine][run.scenario]
      if (!before || run.skipped) {
        out[engine][run.scenario] = { ...run, runs: 1, flaky: run.attempt > 0 }
        continue
      }
      const add = (key) => (before[key] ?? 0) + (run[key] ?? 0)
      out[engine][run.scenario] = {
        ...before,
        at: [before.at, run.at].sort()[1],
        runs: before.runs + 1,
        sent: add('sent'),
        delivered: add('delivered'),
        duplicates: add('duplicates'),
        passed: before.passed && run.passed,
        flaky: before.flaky || run.attempt > 0,
      }
    }
  }
  return out
}

/** One cell: `20/20, 0 duplicates`, a failure marked ✗, a skip with its note number, or `not run`. */
function cell(result, notes) {
  if (!result) return 'not run'
  if (result.skipped) {
    if (!notes.includes(result.skipped)) notes.push(result.skipped)
    return `cannot [${notes.indexOf(result.skipped) + 1}]`
  }
  const counts = result.sent == null ? '' : `${result.delivered}/${result.sent}, ${result.duplicates} duplicate${result.duplicates == 1 ? '' : 's'}`
  const runs = (result.runs > 1 ? ` in ${result.runs} runs` : '') + (result.flaky ? ' (flaky: passed on a retry)' : '')
  return result.passed ? (counts || 'passed') + runs : `✗ failed${counts ? ` (${counts}${runs})` : ''}`
}

/** The Markdown table (with the run's date and each engine's version) from `results`. */
export function renderTable(results) {
  const notes = []
  const rows = SCENARIOS.map((s) => `| ${s.fault} | ${ENGINES.map((e) => cell(results[e][s.id], notes)).join(' | ')} |`)
  // each engine's version and the day its lane ran (lanes can be run one at a time)
  const versions = ENGINES.map((e) => {
    const runs = Object.values(results[e])
    const day = runs.map((r) => r.at).sort().at(-1)?.slice(0, 10)
    return `${e}: ${runs.find((r) => r.version)?.version ?? 'not run'}${day ? `, run ${day}` : ''}`
  })
  return [
    `${versions.join('; ')}.`,
    '',
    `| fault | ${ENGINES.join(' | ')} |`,
    `|---|${ENGINES.map(() => '---').join('|')}|`,
    ...rows,
    ...(notes.length ? ['', ...notes.map((note, i) => `[${i + 1}] ${note}`)] : []),
  ].join('\n')
}

/** The faults (first column) of the table between the markers of `readme`. */
export function readmeFaults(readme) {
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) return []
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| fault |'))
    .map((line) => line.split(' | ')[0].slice(2))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = readResults()
  const table = renderTable(results)
  mkdirSync(RESULTS_DIR, { recursive: true })
  writeFileSync(join(RESULTS_DIR, 'loss-table.md'), table + '\n')
  console.log(table)
  // every scenario ran in every engine that can run it, and passed: --check (the last step of
  // `npm test`) fails otherwise, and --readme writes only such a table
  const missing = SCENARIOS.flatMap((s) => ENGINES.filter((e) => !results[e][s.id]?.passed && !results[e][s.id]?.skipped).map((e) => `${e} ${s.id}`))
  if (missing.length && (process.argv.includes('--check') || process.argv.includes('--readme'))) {
    console.error(`e2e:table: not run or failed: ${missing.join(', ')}`)
    process.exitCode = 1
  } else if (process.argv.includes('--readme')) {
    const readme = readFileSync(README, 'utf8')
    const start = readme.indexOf(START)
    const end = readme.indexOf(END)
    if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} markers`)
    writeFileSync(README, readme.slice(0, start + START.length) + '\n\n' + table + '\n\n' + readme.slice(end))
    console.log('README.md: loss table written')
  }
}
