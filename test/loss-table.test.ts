// @vitest-environment node
// The README's loss table is written from an e2e run (`npm run e2e:table -- --readme`); it is out of
// date when the scenarios' list changed since: a fault added, removed or renamed.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: an .mjs module of the e2e harness, without types
import { END, ENGINES, START, readmeFaults } from '../e2e/loss-table.mjs'
// @ts-expect-error: an .mjs module of the e2e harness, without types
import { SCENARIOS } from '../e2e/scenarios/index.mjs'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

describe("the README's loss table", () => {
  it('lists exactly the scenarios, in their order (else: npm test, then npm run e2e:table -- --readme)', () => {
    expect(readmeFaults(readme)).toEqual(SCENARIOS.map((s: { fault: string }) => s.fault))
  })

  it('has a column per engine and says which version of each ran, and when', () => {
    expect(readme).toContain(`| fault | ${ENGINES.join(' | ')} |`)
    expect(readme).toMatch(/Chromium: Chromium \d+[^;]*, run \d{4}-\d{2}-\d{2}; Firefox: Firefox ESR \d+[^;]*, run \d{4}-\d{2}-\d{2}; WebKit: WebKitGTK \d[^;]*, run \d{4}-\d{2}-\d{2}\./)
  })

  it('comes from a run in which every scenario passed where it can run', () => {
    const table = readme.slice(readme.indexOf(START), readme.indexOf(END))
    expect(table).not.toMatch(/✗|not run/)
  })

  it('finds no faults when the markers are missing', () => {
    expect(readmeFaults('no table here')).toEqual([])
  })
})
