import { describe, expect, it } from 'vitest'
import { objectOr, snapshot, text } from '../src/values'

describe('snapshot', () => {
  it('copies what the page passed, as it is at the call', () => {
    const props = { step: 1, nested: { n: 1 }, list: [1] }
    const copy = snapshot(props)!
    props.step = 2
    props.nested.n = 2
    props.list.push(2)
    expect(copy).toEqual({ step: 1, nested: { n: 1 }, list: [1] })
  })

  it('keeps what JSON keeps: a Date is the time it was at the call, undefined and functions go', () => {
    const at = new Date('2026-04-08T12:00:00.000Z')
    expect(snapshot({ at, gone: undefined, fn: () => 1 })).toEqual({ at: '2026-04-08T12:00:00.000Z' })
  })

  it.each([
    ['a cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o })()],
    ['a BigInt', { n: 1n }],
    ['an array', [1]],
    ['a string', 'x'],
    ['null', null],
  ])('gives undefined for %s', (_, value) => {
    expect(snapshot(value)).toBeUndefined()
  })
})

describe('objectOr and text', () => {
  it('take only what they say', () => {
    expect(objectOr([1] as never)).toEqual({})
    expect(objectOr({ a: 1 })).toEqual({ a: 1 })
    expect(text('')).toBeUndefined()
    expect(text('x')).toBe('x')
    expect(text(1)).toBeUndefined()
  })
})
