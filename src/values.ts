import type { Attributes } from './types'

export const NOT_JSON = 'attributes must be a JSON object'

export const isObject = (v: unknown): v is Attributes => !!v && typeof v == 'object' && !Array.isArray(v)

/** `v` if it is an object, else an empty one: arguments from the page may be anything. */
export const objectOr = <T extends object>(v: T | undefined): T => (isObject(v) ? v : {}) as T

/** `v` if it is a non-empty string. */
export const text = (v: unknown): string | undefined => (typeof v == 'string' && v) || undefined

/**
 * What the page passed, copied at the call as it will be sent: through JSON, so a page that reuses
 * one object (`props.step = i; track('step', props)`) does not change messages already made from
 * it, a Date is the time it was then, and nothing is sent that JSON cannot hold. Undefined for a
 * value JSON cannot hold (a cycle, a BigInt) or that is not an object.
 *
 * @example const a = { n: 1 }; const b = snapshot(a)!; a.n = 2; b.n // 1
 */
export function snapshot<T>(value: T): T | undefined {
  try {
    return isObject(value) ? JSON.parse(JSON.stringify(value)) : undefined
  } catch {
    // reported by the caller as an argument it cannot use
  }
}
