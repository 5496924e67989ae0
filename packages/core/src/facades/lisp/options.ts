import { describe } from '../../contract/address.js'
import { findOption, OPTION_LEVELS, type OptionSpec, type OptionValue } from '../../contract/options.js'
import { integer, symbolName } from './arguments.js'
import { invalid, LispFault } from './faults.js'
import { isTrue } from './values.js'

/**
 * setsockopt / getsockopt in Lisp terms: the level is nil (SOL_SOCKET), an integer or a name,
 * the option a quoted keyword as in socket(7), and values are integers, floats, strings, t or
 * nil, with struct options as lists. Source: Lisp socket class, socket-setsockopt and
 * socket-getsockopt; socket(7), ip(7), tcp(7).
 */

/** A resolved option: the contract's level and name, and its typed spec when it has one. */
export interface LispOption {
  readonly level: string | number
  readonly name: string | number
  readonly spec: OptionSpec | undefined
}

/** Level names beyond the contract's own (`SOL_SOCKET`, `IPPROTO_*`, `SOL_*`): protocol names. */
const LEVEL_ALIASES: Readonly<Record<string, string>> = {
  socket: 'SOL_SOCKET',
  ip: 'IPPROTO_IP',
  ipv6: 'IPPROTO_IPV6',
  tcp: 'IPPROTO_TCP',
  udp: 'IPPROTO_UDP',
}

/**
 * Resolves the level and option arguments.
 * @throws LispFault ENOPROTOOPT ("Protocol not available", what getsockopt(2) says) for an
 * option name the table does not know, EINVAL for arguments of the wrong kind.
 */
export function resolveOption(level: unknown, name: unknown): LispOption {
  let lvl: string | number
  if (level === null || level === undefined) lvl = 'SOL_SOCKET'
  else if (typeof level === 'number') lvl = integer(level, 'the level', 0, 2 ** 31 - 1)
  else if (typeof level === 'string') {
    const sym = symbolName(level) ?? ''
    lvl = /^\d+$/.test(sym) ? Number(sym) : (LEVEL_ALIASES[sym] ?? sym.toUpperCase())
    if (typeof lvl === 'string' && !(lvl in OPTION_LEVELS) && !/^SOL_(IP|IPV6|TCP|UDP)$/.test(lvl)) {
      throw new LispFault('ENOPROTOOPT', `unknown level ${level}`)
    }
  } else throw invalid(`the level must be nil, an integer or a name, got ${describe(level)}`)

  let opt: string | number
  if (typeof name === 'number') opt = integer(name, 'the option', 0, 2 ** 31 - 1)
  else if (typeof name === 'string') opt = (symbolName(name) ?? '').toUpperCase()
  else throw invalid(`the option must be a quoted keyword such as 'SO_RCVTIMEO, got ${describe(name)}`)

  const spec = findOption(lvl, opt)
  if (spec) return { level: spec.level, name: spec.name, spec }
  if (typeof lvl === 'number' && typeof opt === 'number') return { level: lvl, name: opt, spec: undefined }
  throw new LispFault('ENOPROTOOPT', `unknown option ${String(opt)} at level ${String(lvl)}`)
}

const bit = (value: unknown): boolean => (typeof value === 'number' ? value !== 0 : isTrue(value))

/**
 * The contract value for a Lisp value: t / nil (or 1 / 0) for flags, integers, milliseconds
 * for SO_RCVTIMEO / SO_SNDTIMEO (a float allowed, 0 or nil disables), `(onoff seconds)` for
 * SO_LINGER, `("group" "interface-address" ifindex)` for multicast membership, a binary for
 * options without a type.
 * @throws LispFault EINVAL for a value the option cannot take.
 */
export function toOptionValue(option: LispOption, value: unknown): OptionValue {
  const spec = option.spec
  if (!spec) {
    if (value instanceof Uint8Array || typeof value === 'number') return value as OptionValue
    if (value === null || value === undefined) return 0
    if (value === true) return 1
    throw invalid(`a numeric option takes an integer or a binary, got ${describe(value)}`)
  }
  const list = Array.isArray(value) ? (value as unknown[]) : undefined
  switch (spec.kind) {
    case 'bool':
      return bit(value)
    case 'int':
      if (value === null || value === undefined) return 0
      if (value === true) return 1
      return integer(value, spec.name, -(2 ** 31), 2 ** 31 - 1)
    case 'timeout':
      if (value === null || value === undefined) return 0
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 2 ** 31 - 1) {
        throw invalid(`${spec.name} takes milliseconds from 0 to 2147483647, got ${describe(value)}`)
      }
      return value
    case 'linger':
      if (value === null || value === undefined) return { onoff: false, linger: 0 }
      if (list?.length !== 2) throw invalid(`${spec.name} takes a list (onoff seconds), got ${describe(value)}`)
      return { onoff: bit(list[0]), linger: integer(list[1], `${spec.name} seconds`, 0, 2 ** 31 - 1) }
    case 'mreq': {
      if (!list || list.length < 1 || list.length > 3) {
        throw invalid(`${spec.name} takes a list ("group" ["interface-address"] [ifindex]), got ${describe(value)}`)
      }
      const [multiaddr, second, third] = list
      const address = typeof second === 'string' ? second : undefined
      const ifindex = typeof second === 'number' ? second : third
      return {
        multiaddr: multiaddr as string,
        ...(address === undefined ? {} : { address }),
        ...(ifindex === undefined || ifindex === null ? {} : { ifindex: ifindex as number }),
      }
    }
    case 'mreq6': {
      if (!list || list.length < 1 || list.length > 2) {
        throw invalid(`${spec.name} takes a list ("group" [ifindex]), got ${describe(value)}`)
      }
      const [multiaddr, ifindex] = list
      return {
        multiaddr: multiaddr as string,
        ...(ifindex === undefined || ifindex === null ? {} : { ifindex: ifindex as number }),
      }
    }
    default:
      // string, inaddr, ucred, bytes: the contract checks the shape and says what it expected.
      return value as OptionValue
  }
}

/** A getsockopt result in Lisp terms; `t` / `nil` for flags, lists of integers for structs. */
export type LispOptionValue = number | string | true | null | Buffer | readonly (number | string)[]

/**
 * The Lisp value for a contract value: booleans become t / nil, `struct linger` the list
 * `(onoff seconds)`, `struct ucred` `(pid uid gid)`, timeouts stay milliseconds.
 */
export function fromOptionValue(value: OptionValue): LispOptionValue {
  if (typeof value === 'boolean') return value ? true : null
  if (typeof value === 'number' || typeof value === 'string' || Buffer.isBuffer(value)) return value
  if ('onoff' in value) return [value.onoff ? 1 : 0, value.linger]
  if ('pid' in value) return [value.pid, value.uid, value.gid]
  // getOption reports timeouts as milliseconds; a timeval only ever goes in.
  if ('usec' in value) return value.sec * 1000 + value.usec / 1000
  const out: (number | string)[] = [value.multiaddr]
  if ('address' in value && value.address !== undefined) out.push(value.address)
  if (value.ifindex !== undefined) out.push(value.ifindex)
  return out
}
