import { afterEach, describe, expect, it, vi } from 'vitest'
import { createReporter, once } from '../src/errors'
import type { ATrackError } from '../src/types'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('createReporter', () => {
  it('gives onError an ATrackError with the code, a prefixed message and the extra fields', () => {
    const onError = vi.fn()
    createReporter(onError, false)('rejected', 'the backend refused /event with 400', { status: 400, messageId: 'm1', count: 1 })
    expect(onError).toHaveBeenCalledTimes(1)
    const e: ATrackError = onError.mock.calls[0][0]
    expect(e).toBeInstanceOf(Error)
    expect(e).toMatchObject({ name: 'ATrackError', code: 'rejected', status: 400, messageId: 'm1', count: 1 })
    expect(e.message).toBe('[atrack] the backend refused /event with 400')
  })

  it('never throws when onError throws', () => {
    const report = createReporter(() => {
      throw new Error('page bug')
    }, false)
    expect(() => report('network', 'x')).not.toThrow()
  })

  it('never throws without an onError', () => {
    expect(() => createReporter(undefined, false)('internal', 'x')).not.toThrow()
  })

  it('warns on the console only in debug mode', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    createReporter(undefined, false)('storage', 'quiet')
    expect(warn).not.toHaveBeenCalled()
    createReporter(undefined, true)('storage', 'loud')
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toBe('[atrack] loud')
  })
})

describe('once', () => {
  it('reports each code only the first time', () => {
    const inner = vi.fn()
    const report = once(inner)
    report('storage', 'first')
    report('storage', 'second')
    report('network', 'other code')
    report('network', 'again')
    expect(inner.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      ['storage', 'first'],
      ['network', 'other code'],
    ])
  })
})
