// @vitest-environment node
// The messages TypeScript gives a user of typed events, read from the compiler itself: a call that
// leaves out required attributes names them (test/types.test-d.ts checks the types themselves).
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/** The type errors of `code`, compiled beside src/ under the project's strict options. */
function typeErrors(code: string): string[] {
  const file = new URL('./typed-events.fixture.ts', import.meta.url).pathname
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile
  host.readFile = (name) => (name == file ? code : readFile(name))
  host.fileExists = ((exists) => (name: string) => name == file || exists(name))(host.fileExists)
  const program = ts.createProgram([file], options, host)
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

// a whole program per test: seconds on a loaded machine
describe('typed events: type errors', { timeout: 30_000 }, () => {
  it('names the attributes a call without attributes leaves out', () => {
    const [error, ...more] = typeErrors(`
      import { createATrack } from '../src/index'
      const atrack = createATrack<{ signup_clicked: { plan: 'free' | 'pro'; seats: number; note?: string }; logged_out: undefined }>({ publicKey: 'pub_xxx' })
      atrack.track('logged_out')
      atrack.track('signup_clicked')
    `)
    expect(more).toEqual([])
    expect(error).toContain('signup_clicked needs the attribute plan')
    expect(error).toContain('signup_clicked needs the attribute seats')
    expect(error).not.toContain('needs the attribute note')
  })

  it('names a required attribute missing from the attributes given', () => {
    const errors = typeErrors(`
      import { createATrack } from '../src/index'
      const atrack = createATrack<{ signup_clicked: { plan: 'free' | 'pro' } }>({ publicKey: 'pub_xxx' })
      atrack.track('signup_clicked', {})
      atrack.track({ event: 'signup_clicked', attributes: {} })
    `)
    expect(errors).toHaveLength(2)
    for (const error of errors) expect(error).toMatch(/Property 'plan' is missing/)
  })
})
