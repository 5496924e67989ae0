import { describe } from './address.js'
import {
  FAMILIES,
  type Family,
  MSG_FLAGS,
  type MsgFlag,
  SHUTDOWN_HOWS,
  type ShutdownHow,
  SOCKET_TYPES,
  type SocketType,
} from './names.js'
import type { Data } from './socket.js'

/** Largest byte count one call may ask for (Linux caps one read or write at about 2 GiB). */
export const MAX_IO_BYTES = 0x7fff_f000

/** @throws TypeError unless `value` is one of the contract's family names. */
export function checkFamily(value: unknown, name = 'family'): Family {
  if (!FAMILIES.includes(value as Family)) {
    throw new TypeError(`${name} must be one of ${FAMILIES.join(', ')}, got ${describe(value)}`)
  }
  return value as Family
}

/** @throws TypeError unless `value` is one of the contract's socket type names. */
export function checkSocketType(value: unknown, name = 'type'): SocketType {
  if (!SOCKET_TYPES.includes(value as SocketType)) {
    throw new TypeError(`${name} must be one of ${SOCKET_TYPES.join(', ')}, got ${describe(value)}`)
  }
  return value as SocketType
}

/** @throws TypeError unless `value` is SHUT_RD, SHUT_WR or SHUT_RDWR. */
export function checkShutdownHow(value: unknown, name = 'how'): ShutdownHow {
  if (!SHUTDOWN_HOWS.includes(value as ShutdownHow)) {
    throw new TypeError(`${name} must be one of ${SHUTDOWN_HOWS.join(', ')}, got ${describe(value)}`)
  }
  return value as ShutdownHow
}

/**
 * Checks an integer argument.
 * @throws TypeError when `value` is not a number; RangeError when it is not an integer in
 * `[min, max]` (NaN and infinities included).
 */
export function checkInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describe(value)}`)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`)
  }
  return value
}

/**
 * Checks a duration in milliseconds: a finite number ≥ 0, fractions allowed.
 * @throws TypeError / RangeError naming the argument.
 */
export function checkMilliseconds(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of milliseconds, got ${describe(value)}`)
  if (!Number.isFinite(value) || value < 0 || value > 2 ** 31 - 1) {
    throw new RangeError(`${name} must be from 0 to 2147483647 milliseconds, got ${value}`)
  }
  return value
}

/** Shared by every call without flags or options, so the common case allocates nothing. */
const NO_FLAGS: readonly MsgFlag[] = Object.freeze([])
const NO_OPTIONS: Record<string, unknown> = Object.freeze({})

/** @throws TypeError unless `value` is an array of known MSG_* names (or absent). */
export function checkFlags(value: unknown, name = 'flags'): readonly MsgFlag[] {
  if (value === undefined) return NO_FLAGS
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of MSG_* names, got ${describe(value)}`)
  for (const flag of value) {
    if (!MSG_FLAGS.includes(flag as MsgFlag)) throw new TypeError(`${name} holds an unknown flag: ${describe(flag)}`)
  }
  return value as MsgFlag[]
}

/**
 * Turns data into bytes: a Uint8Array as it is (a Buffer view, no copy), a string as UTF-8.
 * @throws TypeError for anything else.
 */
export function toBytes(value: unknown, name = 'data'): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  if (Buffer.isBuffer(value)) return value
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  throw new TypeError(`${name} must be a Uint8Array or a string, got ${describe(value)}`)
}

/** @throws TypeError unless `value` is an AbortSignal (or absent). */
export function checkSignal(value: unknown, name = 'signal'): AbortSignal | undefined {
  if (value === undefined) return undefined
  if (!(value instanceof AbortSignal)) throw new TypeError(`${name} must be an AbortSignal, got ${describe(value)}`)
  return value
}

/** @throws TypeError unless `value` is an object (or absent); returns an empty frozen object for absent. */
export function checkOptions(value: unknown, name = 'options'): Readonly<Record<string, unknown>> {
  if (value === undefined) return NO_OPTIONS
  if (typeof value !== 'object' || value === null)
    throw new TypeError(`${name} must be an object, got ${describe(value)}`)
  return value as Record<string, unknown>
}

/** Checks that data is Data; a type guard for facades. */
export function isData(value: unknown): value is Data {
  return typeof value === 'string' || value instanceof Uint8Array
}
