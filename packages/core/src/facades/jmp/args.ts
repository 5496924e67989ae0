import { decode } from './codec.js'

/**
 * A message argument a script got wrong. JSL would stop the script; here it becomes the INVAL
 * status (the documents' one INVAL text, whatever the argument), so that no exception leaves
 * a message. The message says what was wrong, for code that calls these checks directly.
 */
export class BadArgument extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BadArgument'
  }
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value)
  }
  return typeof value === 'function' ? 'a function' : Array.isArray(value) ? 'a list' : `a ${typeof value}`
}

/** A host name or numeric address: a non-empty string. */
export function checkHost(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadArgument(`Invalid host address: expected a machine name or address, got ${shown(value)}`)
  }
  return value.trim()
}

/** A port: an integer 0–65535, a numeric string, or a service name (`"http"`). */
export function checkPort(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 65535) {
      throw new BadArgument(`The port must be a whole number from 0 to 65535, got ${shown(value)}`)
    }
    return value
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim()
    if (/^\d+$/.test(text)) return checkPort(Number(text))
    return text
  }
  throw new BadArgument(`The port must be a number or a service name, got ${shown(value)}`)
}

/**
 * Most bytes one recv asks the backend for (1 MiB). recv may always return fewer bytes than
 * asked, so a larger count only changes how many messages a long stream takes, while the
 * backend would set aside a buffer of the full count for every call.
 */
export const RECV_MAX_BYTES = 1 << 20

/** recv's byte count: a number ≥ 0; fractions are dropped, counts above 1 MiB capped. */
export function checkCount(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new BadArgument(`The number of bytes to receive must be a number of 0 or more, got ${shown(value)}`)
  }
  return Math.min(Math.floor(value), RECV_MAX_BYTES)
}

/** listen's backlog: absent, or an integer ≥ 0 (capped at 2^31-1). */
export function checkBacklog(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new BadArgument(`The listen backlog must be a number of 0 or more, got ${shown(value)}`)
  }
  return Math.min(Math.floor(value), 2 ** 31 - 1)
}

/** A background callback: absent (`undefined`/`null`: no background), or a function. */
export function checkCallback(value: unknown): ((list: never) => unknown) | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'function') throw new BadArgument(`The callback must be a function, got ${shown(value)}`)
  return value as (list: never) => unknown
}

/** Longest timeout accepted, in seconds (what one Node timer can hold, about 24.8 days). */
const MAX_TIMEOUT_SECONDS = (2 ** 31 - 1) / 1000

/**
 * A background timeout in seconds (fractions allowed): absent or 0 means no time limit.
 * @returns milliseconds, or `undefined` for no limit.
 */
export function checkTimeout(value: unknown): number | undefined {
  if (value === undefined || value === null || value === 0) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMEOUT_SECONDS) {
    throw new BadArgument(`The timeout must be a number of seconds of 0 or more, got ${shown(value)}`)
  }
  return Math.max(1, Math.round(value * 1000))
}

/** Data to send: a JSL string with `~xx` escapes, or raw bytes. */
export function checkData(value: unknown): Uint8Array {
  if (typeof value === 'string') return decode(value)
  if (value instanceof Uint8Array) return value
  throw new BadArgument(`The data to send must be a string, got ${shown(value)}`)
}

/** ioctl's request: only FIONBIO (any letter case). */
export function checkIoctl(request: unknown, value: unknown): boolean {
  if (typeof request !== 'string' || request.trim().toUpperCase() !== 'FIONBIO') {
    throw new BadArgument(`The only ioctl request is "FIONBIO", got ${shown(request)}`)
  }
  if (typeof value === 'boolean') return value
  if (typeof value === 'number' && !Number.isNaN(value)) return value !== 0
  throw new BadArgument(`FIONBIO needs 1 (non-blocking) or 0 (blocking), got ${shown(value)}`)
}

/** `Socket(type)`: "STREAM" (the default) or "DGRAM", any letter case. */
export function socketTypeOf(value: unknown): 'SOCK_STREAM' | 'SOCK_DGRAM' | undefined {
  if (value === undefined || value === null) return 'SOCK_STREAM'
  if (typeof value !== 'string') return undefined
  const t = value.trim().toUpperCase()
  if (t === 'STREAM' || t === 'SOCK_STREAM') return 'SOCK_STREAM'
  if (t === 'DGRAM' || t === 'SOCK_DGRAM') return 'SOCK_DGRAM'
  return undefined
}
