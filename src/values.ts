import type { Attributes } from './types'

export const NOT_JSON = 'attributes must be a JSON object'

export const isObject = (v: unknown): v is Attributes => !!v && typeof v == 'object' && !Array.isArray(v)

/** `v` if it is an object, else an empty one: arguments from the page may be anything. */
export const objectOr = <T extends object>(v: T | undefined): T => (isObject(v) ? v : {}) as T

/** `v` if it is a non-empty string. */
export const text = (v: unknown): string | undefined => (typeof v == 'string' && v) || undefined

/** User attributes are stored, so they must survive JSON (no cycles, no BigInt). */
export function serialisable(v: unknown): v is Attributes {
  try {
    return isObject(v) && !!JSON.stringify(v)
  } catch {
    return false
  }
}

/** Deep enough for any real payload; a cycle stops here and is reported when serialised. */
const MAX_DEPTH = 32

/**
 * A copy of what the page passed, taken at the call: a page that reuses one object
 * (`props.step = i; track('step', props)`) must not change messages already made from it.
 * Plain objects and arrays are copied; anything else (a Date, a class instance, an object without
 * prototype) is kept as it is.
 *
 * @example const a = { n: 1 }; const b = copy(a); a.n = 2; b.n // 1
 */
export function copy<T>(value: T, depth = 0): T {
  if (!value || typeof value != 'object' || depth > MAX_DEPTH) return value
  if (Array.isArray(value)) return value.map((v) => copy(v, depth + 1)) as T
  if (value.constructor != Object) return value
  const out: Record<string, unknown> = {}
  for (const key in value) out[key] = copy(value[key], depth + 1)
  return out as T
}
