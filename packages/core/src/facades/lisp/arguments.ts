import { MSG } from '../../constants-linux.js'
import { describe } from '../../contract/address.js'
import { type Family, MSG_FLAGS, type MsgFlag, type SocketType } from '../../contract/names.js'
import { MAX_IO_BYTES } from '../../contract/validate.js'
import { invalid, LispFault } from './faults.js'

/**
 * Turning the arguments a Lisp program writes (symbols as strings, integers, keyword/value
 * pairs) into the contract's. Every function throws a {@link LispFault} for a value the
 * document does not allow; the methods turn it into nil and `*lastsocketerror*`.
 * Source: Lisp socket class, socket-constructor and each method's "Arguments".
 */

/** A symbol as TypeScript writes it: `'inet'`, `"'inet"` or `':inet'`, any case. */
export function symbolName(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  // One leading ' or : goes (a quoted symbol or a keyword); no regular expression per keyword.
  const first = value.charCodeAt(0)
  return (first === 0x27 || first === 0x3a ? value.slice(1) : value).toLowerCase()
}

const FAMILIES: Readonly<Record<string, Family>> = {
  unix: 'AF_UNIX',
  local: 'AF_UNIX',
  inet: 'AF_INET',
  inet6: 'AF_INET6',
}
/** Families the document lists but no backend of the contract provides. */
const DOCUMENTED_FAMILIES = ['ipx', 'netlink', 'x25', 'ax25', 'atmpvc', 'appletalk', 'packet']

/**
 * The family symbol: `unix` / `local`, `inet`, `inet6` (an `AF_`/`PF_` prefix is accepted).
 * @throws LispFault EAFNOSUPPORT for the document's other families, EINVAL for anything else.
 */
export function parseFamily(value: unknown): Family {
  const name = symbolName(value)?.replace(/^[ap]f_/, '')
  if (name === undefined) throw invalid(`the family must be a symbol, got ${describe(value)}`)
  const family = FAMILIES[name]
  if (family) return family
  if (DOCUMENTED_FAMILIES.includes(name)) {
    throw new LispFault('EAFNOSUPPORT', `family ${name} is not implemented (unix, local, inet and inet6 are)`)
  }
  throw invalid(`unknown family ${name} (unix, local, inet or inet6)`)
}

const TYPES: Readonly<Record<string, SocketType>> = {
  stream: 'SOCK_STREAM',
  dgram: 'SOCK_DGRAM',
  seqpacket: 'SOCK_SEQPACKET',
  raw: 'SOCK_RAW',
}
const UNSUPPORTED_TYPES = ['rdm', 'packet']

/**
 * The type symbol: `stream`, `dgram`, `seqpacket`, `raw` (a `SOCK_` prefix is accepted).
 * @throws LispFault ESOCKTNOSUPPORT for `rdm` and `packet`, EINVAL for anything else.
 */
export function parseType(value: unknown): SocketType {
  const name = symbolName(value)?.replace(/^sock_/, '')
  if (name === undefined) throw invalid(`the type must be a symbol, got ${describe(value)}`)
  const type = TYPES[name]
  if (type) return type
  if (UNSUPPORTED_TYPES.includes(name)) {
    throw new LispFault('ESOCKTNOSUPPORT', `type ${name} is not supported (stream, dgram, seqpacket and raw are)`)
  }
  throw invalid(`unknown socket type ${name} (stream, dgram, seqpacket or raw)`)
}

/** Protocol names of /etc/protocols that make sense for the supported families. */
const PROTOCOLS: Readonly<Record<string, number>> = {
  ip: 0,
  hopopt: 0,
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  ipv6: 41,
  icmpv6: 58,
  'ipv6-icmp': 58,
  sctp: 132,
  udplite: 136,
  raw: 255,
  mptcp: 262,
}

/**
 * The protocol: an integer, a numeric string or a name (`tcp`, `udp`, `IPPROTO_TCP`, …);
 * nil means 0, the family's default.
 * @throws LispFault EPROTONOSUPPORT for an unknown name, EINVAL for a bad number.
 */
export function parseProtocol(value: unknown): number {
  if (value === null || value === undefined) return 0
  if (typeof value === 'number') return integer(value, 'the protocol', 0, 2 ** 31 - 1)
  const name = symbolName(value)?.replace(/^ipproto_/, '')
  if (name === undefined) throw invalid(`the protocol must be an integer or a name, got ${describe(value)}`)
  if (/^\d+$/.test(name)) return integer(Number(name), 'the protocol', 0, 2 ** 31 - 1)
  const number = PROTOCOLS[name]
  if (number === undefined) throw new LispFault('EPROTONOSUPPORT', `unknown protocol ${name}`)
  return number
}

/**
 * A port as connect and send-to take it: an integer, or a string or symbol naming a service
 * (`'http'`); a numeric string is a number. nil means port 0.
 * @returns the port number, or the service name for the resolver.
 */
export function parsePort(value: unknown): number | string {
  if (value === null || value === undefined) return 0
  if (typeof value === 'number') return integer(value, 'the port', 0, 65535)
  const name = symbolName(value)
  if (name === undefined || name === '') {
    throw invalid(`the port must be an integer or a service name, got ${describe(value)}`)
  }
  return /^\d+$/.test(name) ? integer(Number(name), 'the port', 0, 65535) : name
}

/** Checks an integer argument. @throws LispFault EINVAL naming it. */
export function integer(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${what} must be an integer from ${min} to ${max}, got ${describe(value)}`)
  }
  return value
}

/** Checks a Lisp binary (a `Uint8Array`). @throws LispFault EINVAL. */
export function binary(value: unknown, what = 'the buffer'): Uint8Array {
  if (!(value instanceof Uint8Array)) throw invalid(`${what} must be a binary (Uint8Array), got ${describe(value)}`)
  return value
}

/** Checks a string argument. @throws LispFault EINVAL. */
export function text(value: unknown, what: string): string {
  if (typeof value !== 'string') throw invalid(`${what} must be a string, got ${describe(value)}`)
  return value
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)

/**
 * The "series of optional pairs of symbols and values": `'length', 10, 'flags', 2`, or the
 * same as one object `{ length: 10, flags: 2 }` (an object may also follow the pairs).
 * Keys are symbols: case and a leading `'` or `:` do not matter. An `undefined` value counts
 * as absent; a repeated key keeps its last value.
 *
 * @param allowed - the keywords the method documents.
 * @throws LispFault EINVAL for an odd count, a key that is not a symbol, or an unknown keyword.
 */
export function parseKeywords(args: readonly unknown[], allowed: readonly string[]): ReadonlyMap<string, unknown> {
  // No keywords, the usual data call: one shared empty map, nothing allocated.
  if (args.length === 0) return NO_KEYWORDS
  const out = new Map<string, unknown>()
  const last = args[args.length - 1]
  const object = args.length % 2 === 1 && isPlainObject(last) ? last : undefined
  const pairs = object ? args.length - 1 : args.length
  if (pairs % 2 !== 0) throw invalid('keywords must come in pairs of a symbol and a value')
  for (let i = 0; i < pairs; i += 2) putKeyword(out, allowed, args[i], args[i + 1])
  if (object) for (const [key, value] of Object.entries(object)) putKeyword(out, allowed, key, value)
  return out
}

const NO_KEYWORDS: ReadonlyMap<string, unknown> = new Map()

function putKeyword(out: Map<string, unknown>, allowed: readonly string[], key: unknown, value: unknown): void {
  const name = symbolName(key)
  if (name === undefined) throw invalid(`a keyword must be a symbol, got ${describe(key)}`)
  if (!allowed.includes(name)) {
    throw invalid(`unknown keyword ${name}${allowed.length ? ` (expected ${allowed.join(', ')})` : ''}`)
  }
  if (value !== undefined) out.set(name, value)
}

const NO_FLAGS: readonly MsgFlag[] = Object.freeze([])
const FLAG_BITS: readonly (readonly [MsgFlag, number])[] = MSG_FLAGS.map((f) => [f, MSG[f]] as const)
/** Bits a Lisp program may pass that need no translation: backends always send with MSG_NOSIGNAL. */
const IGNORED_BITS = MSG.MSG_NOSIGNAL

/**
 * The `flags` keyword of recv / send: an integer of or-ed Linux MSG_* bits (as in
 * `man 2 recv`), a flag name, or a list of names; nil means none.
 * @throws LispFault EINVAL for bits or names the contract does not know.
 */
export function parseFlags(value: unknown): readonly MsgFlag[] {
  // No flags: one shared empty list, nothing allocated per call.
  if (value === null || value === undefined) return NO_FLAGS
  if (typeof value === 'number') {
    let rest = integer(value, 'flags', 0, 2 ** 31 - 1) & ~IGNORED_BITS
    const flags: MsgFlag[] = []
    for (const [flag, bit] of FLAG_BITS) {
      if (rest & bit) {
        flags.push(flag)
        rest &= ~bit
      }
    }
    if (rest !== 0) throw invalid(`unsupported flag bits 0x${rest.toString(16)}`)
    return flags
  }
  const names = Array.isArray(value) ? value : [value]
  return names.map((n) => {
    const name = symbolName(n)?.toUpperCase()
    const flag = MSG_FLAGS.find((f) => f === name || f === `MSG_${name}`)
    if (!flag) throw invalid(`unknown flag ${describe(n)}`)
    return flag
  })
}

/**
 * The byte count of a read or write: the binary's length, or `length` (the optional integer
 * argument or keyword) when smaller. @throws LispFault EINVAL for a bad length.
 */
export function span(buffer: Uint8Array, length: unknown): number {
  if (length === null || length === undefined) return buffer.length
  return Math.min(buffer.length, integer(length, 'the length', 0, MAX_IO_BYTES))
}
