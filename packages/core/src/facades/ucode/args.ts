import { ERRNO, fail } from './error-slot.js'

/** The value types ucode's argument check knows, with the phrase of its error text. */
const PHRASES = {
  integer: 'an integer value',
  boolean: 'a boolean value',
  string: 'a string value',
  double: 'a double value',
  array: 'an array',
  object: 'an object',
} as const

/** A type an argument may be declared with (`any` skips the test). */
export type ArgType = keyof typeof PHRASES | 'any'

/** `null` and `undefined` are both "not passed" in ucode. */
export function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined
}

/** A ucode dictionary: a non-null, non-array object. */
export function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

function hasType(value: unknown, type: ArgType): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'string':
      return typeof value === 'string'
    case 'double':
      return typeof value === 'number'
    case 'array':
      return Array.isArray(value)
    case 'object':
      return isDict(value)
    case 'any':
      return true
  }
}

/**
 * ucode's argument check: an absent optional argument gives `undefined`; an absent required
 * one fails with `Argument <name> is required`, a mistyped one with `Argument <name> is not
 * <type phrase>`, both EINVAL. Integers must be whole numbers (`1.5` is rejected).
 * Source: ucode lib/socket.c, args_get and set_error.
 */
export function arg(value: unknown, name: string, type: 'integer', required?: boolean): number | undefined
export function arg(value: unknown, name: string, type: 'boolean', required?: boolean): boolean | undefined
export function arg(value: unknown, name: string, type: 'string', required?: boolean): string | undefined
export function arg(value: unknown, name: string, type: 'array', required?: boolean): unknown[] | undefined
export function arg(
  value: unknown,
  name: string,
  type: 'object',
  required?: boolean,
): Record<string, unknown> | undefined
export function arg(value: unknown, name: string, type: ArgType, required?: boolean): unknown
export function arg(value: unknown, name: string, type: ArgType, required = false): unknown {
  if (isAbsent(value)) {
    if (required) throw fail(ERRNO.EINVAL, `Argument ${name} is required`)
    return undefined
  }
  if (!hasType(value, type))
    throw fail(ERRNO.EINVAL, `Argument ${name} is not ${PHRASES[type as keyof typeof PHRASES]}`)
  return value
}

const INTEGER_TEXT = /^[+-]?(?:0x[0-9a-f]+|\d+)$/i
const DOUBLE_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i

/**
 * ucode's number coercion: `null` → 0, booleans → 0/1, numbers as they are, numeric strings
 * parsed (decimal, `0x` hex, decimals with fraction or exponent). Anything else → `undefined`
 * (ucode: EINVAL).
 */
export function toNumber(value: unknown): number | undefined {
  if (isAbsent(value)) return 0
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string') {
    const text = value.trim()
    if (INTEGER_TEXT.test(text)) {
      const negative = text.startsWith('-')
      const digits = text.replace(/^[+-]/, '')
      const n = Number(digits)
      return negative ? -n : n
    }
    if (DOUBLE_TEXT.test(text)) return Number(text)
  }
  return undefined
}

/** Result of a checked conversion: the number, or the errno ucode would report. */
export type Converted = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly errno: number }

/** ucode's `ucv_to_integer`: {@link toNumber}, truncated toward zero. */
export function toInteger(value: unknown): Converted {
  const n = toNumber(value)
  if (n === undefined || !Number.isFinite(n)) return { ok: false, errno: ERRNO.EINVAL }
  return { ok: true, value: Math.trunc(n) }
}

/** ucode's `ucv_to_unsigned`: like {@link toInteger}, and a negative value is ERANGE. */
export function toUnsigned(value: unknown): Converted {
  const r = toInteger(value)
  if (r.ok && r.value < 0) return { ok: false, errno: ERRNO.ERANGE }
  return r
}
