import type { SocketAddress } from '../../contract/address.js'
import type { LookupHints } from '../../contract/backend.js'
import type { SocketType } from '../../contract/names.js'
import { isDict, toInteger, toUnsigned } from './args.js'
import { ERRNO, fail } from './error-slot.js'
import { lookupHintsOf, type NumericHints } from './numbers.js'
import { ucodeToString } from './tostring.js'

/**
 * ucode's hints dictionary (`{flags, family, socktype, protocol}`, missing keys 0) as numbers.
 * @throws UcodeFailure `Unable to convert field <name> to integer` (EINVAL).
 */
export function numericHints(hints: Record<string, unknown>): NumericHints {
  const field = (name: string) => {
    const r = toInteger(hints[name])
    if (!r.ok) throw fail(ERRNO.EINVAL, `Unable to convert field ${name} to integer`)
    return r.value
  }
  return { flags: field('flags'), family: field('family'), socktype: field('socktype'), protocol: field('protocol') }
}

/** Contract hints from a ucode hints value, or `undefined` when it cannot be converted. */
export function tryLookupHints(hints: unknown): LookupHints | undefined {
  if (!isDict(hints)) return undefined
  try {
    return lookupHintsOf(numericHints(hints))
  } catch {
    return undefined
  }
}

/**
 * A resolver service from a ucode value: strings as they are, integers as numbers, other
 * values printed as ucode prints them, absent as `null`.
 */
export function serviceOf(service: unknown): string | number | null {
  if (service === null || service === undefined) return null
  if (typeof service === 'string') return service
  if (typeof service === 'number' && Number.isInteger(service)) return service
  return ucodeToString(service)
}

/**
 * The port a `service` argument puts on an address given directly (not resolved): an integer
 * or a numeric string, 0–65535.
 * @throws UcodeFailure `Invalid port number` (EINVAL, or ERANGE above 65535).
 */
export function servicePort(service: unknown): number {
  const r = typeof service === 'number' || typeof service === 'string' ? toUnsigned(service) : undefined
  if (!r?.ok) throw fail(ERRNO.EINVAL, 'Invalid port number')
  if (r.value > 65535) throw fail(ERRNO.ERANGE, 'Invalid port number')
  return r.value
}

/** A resolved or given address to create a socket for. */
export interface Candidate {
  readonly address: SocketAddress
  readonly type: SocketType
  readonly protocol: number
}

function isLoopback(a: SocketAddress): boolean {
  if (a.family === 'inet') return a.address.startsWith('127.')
  return a.family === 'inet6' && a.address === '::1'
}

function isLinkLocal(a: SocketAddress): boolean {
  if (a.family === 'inet') return a.address.startsWith('169.254.')
  return a.family === 'inet6' && /^fe[89ab]/i.test(a.address)
}

/**
 * The address `socket.listen()` binds among several resolver results: a non-loopback one
 * before a loopback one, then IPv6 before IPv4, then not link-local; the first on a tie.
 * Source: ucode lib/socket.c, uc_socket_listen.
 */
export function preferredListenCandidate<T extends Candidate>(candidates: readonly T[]): T | undefined {
  let best: T | undefined
  let bestScore = -1
  for (const c of candidates) {
    const score =
      (isLoopback(c.address) ? 0 : 4) + (c.address.family === 'inet6' ? 2 : 0) + (isLinkLocal(c.address) ? 0 : 1)
    if (score > bestScore) {
      best = c
      bestScore = score
    }
  }
  return best
}
