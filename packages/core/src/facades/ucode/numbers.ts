import { AF, AI, MSG, NI, SOCK } from '../../constants-linux.js'
import type { AiFlag, LookupHints, NiFlag } from '../../contract/backend.js'
import type { Family, MsgFlag, SocketType } from '../../contract/names.js'
import { ERRNO, fail } from './error-slot.js'

// Translation between ucode's integers and the contract's names.

/** Contract family of a ucode `AF_*` number; the failure is what socket(2) would report. */
export function familyOf(domain: number, context: string): Family {
  switch (domain) {
    case AF.AF_INET:
      return 'AF_INET'
    case AF.AF_INET6:
      return 'AF_INET6'
    case AF.AF_UNIX:
      return 'AF_UNIX'
    case AF.AF_PACKET:
      throw fail(ERRNO.EAFNOSUPPORT, `${context}: AF_PACKET is not supported by polysocket`)
    default:
      throw fail(ERRNO.EAFNOSUPPORT, context)
  }
}

/** ucode `AF_*` number of a contract family. */
export function familyNumber(family: Family): number {
  return family === 'AF_INET' ? AF.AF_INET : family === 'AF_INET6' ? AF.AF_INET6 : AF.AF_UNIX
}

const TYPE_FLAGS = SOCK.SOCK_NONBLOCK | SOCK.SOCK_CLOEXEC

/** A ucode socket type with SOCK_NONBLOCK / SOCK_CLOEXEC or-ed in, split into its parts. */
export function splitType(type: number, context: string): { type: SocketType; nonBlocking: boolean } {
  const base = type & ~TYPE_FLAGS
  const nonBlocking = (type & SOCK.SOCK_NONBLOCK) !== 0
  switch (base) {
    case SOCK.SOCK_STREAM:
      return { type: 'SOCK_STREAM', nonBlocking }
    case SOCK.SOCK_DGRAM:
      return { type: 'SOCK_DGRAM', nonBlocking }
    case SOCK.SOCK_RAW:
      return { type: 'SOCK_RAW', nonBlocking }
    case SOCK.SOCK_SEQPACKET:
      return { type: 'SOCK_SEQPACKET', nonBlocking }
    default:
      throw fail(ERRNO.EINVAL, context)
  }
}

/** ucode `SOCK_*` number of a contract socket type. */
export function typeNumber(type: SocketType): number {
  return SOCK[type]
}

const MSG_NAMES: readonly (readonly [number, MsgFlag])[] = [
  [MSG.MSG_OOB, 'MSG_OOB'],
  [MSG.MSG_PEEK, 'MSG_PEEK'],
  [MSG.MSG_DONTROUTE, 'MSG_DONTROUTE'],
  [MSG.MSG_TRUNC, 'MSG_TRUNC'],
  [MSG.MSG_DONTWAIT, 'MSG_DONTWAIT'],
  [MSG.MSG_EOR, 'MSG_EOR'],
  [MSG.MSG_WAITALL, 'MSG_WAITALL'],
  [MSG.MSG_CONFIRM, 'MSG_CONFIRM'],
  [MSG.MSG_MORE, 'MSG_MORE'],
  [MSG.MSG_CMSG_CLOEXEC, 'MSG_CMSG_CLOEXEC'],
]

const NO_FLAGS: readonly MsgFlag[] = Object.freeze([])

/**
 * Contract names of ucode `MSG_*` bits. MSG_NOSIGNAL is dropped: the contract never raises
 * SIGPIPE. Bits the contract cannot express (MSG_ERRQUEUE, MSG_FASTOPEN, unknown ones) fail
 * with EOPNOTSUPP, naming them.
 */
export function msgFlagsOf(flags: number, context: string): readonly MsgFlag[] {
  let rest = flags & ~MSG.MSG_NOSIGNAL
  // No flags, the usual call: one shared empty list, nothing allocated.
  if (rest === 0) return NO_FLAGS
  const names: MsgFlag[] = []
  for (const [bit, name] of MSG_NAMES) {
    if (rest & bit) {
      names.push(name)
      rest &= ~bit
    }
  }
  if (rest !== 0) {
    throw fail(ERRNO.EOPNOTSUPP, `${context}: flags 0x${(rest >>> 0).toString(16)} are not supported by polysocket`)
  }
  return names
}

const AI_NAMES: readonly (readonly [number, AiFlag])[] = [
  [AI.AI_PASSIVE, 'AI_PASSIVE'],
  [AI.AI_CANONNAME, 'AI_CANONNAME'],
  [AI.AI_NUMERICHOST, 'AI_NUMERICHOST'],
  [AI.AI_V4MAPPED, 'AI_V4MAPPED'],
  [AI.AI_ALL, 'AI_ALL'],
  [AI.AI_ADDRCONFIG, 'AI_ADDRCONFIG'],
  [AI.AI_NUMERICSERV, 'AI_NUMERICSERV'],
]

/** Contract names of `AI_*` bits; AI_IDN / AI_CANONIDN (no contract name) are ignored. */
export function aiFlagsOf(flags: number): AiFlag[] {
  return AI_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name)
}

const NI_NAMES: readonly (readonly [number, NiFlag])[] = [
  [NI.NI_NUMERICHOST, 'NI_NUMERICHOST'],
  [NI.NI_NUMERICSERV, 'NI_NUMERICSERV'],
  [NI.NI_NOFQDN, 'NI_NOFQDN'],
  [NI.NI_NAMEREQD, 'NI_NAMEREQD'],
  [NI.NI_DGRAM, 'NI_DGRAM'],
]

/** Contract names of `NI_*` bits; NI_IDN (no contract name) is ignored. */
export function niFlagsOf(flags: number): NiFlag[] {
  return NI_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name)
}

/** ucode's numeric resolver hints, as the four integers getaddrinfo takes. */
export interface NumericHints {
  readonly flags: number
  readonly family: number
  readonly socktype: number
  readonly protocol: number
}

/**
 * Contract hints from numeric ones. A family the contract's resolver cannot ask for (AF_UNIX)
 * fails like getaddrinfo: EAI_FAMILY; a socket type it cannot name, EAI_SOCKTYPE.
 */
export function lookupHintsOf(hints: NumericHints): LookupHints {
  const out: { family?: 'AF_INET' | 'AF_INET6'; type?: SocketType; protocol?: number; flags?: AiFlag[] } = {}
  if (hints.family === AF.AF_INET) out.family = 'AF_INET'
  else if (hints.family === AF.AF_INET6) out.family = 'AF_INET6'
  else if (hints.family !== AF.AF_UNSPEC) throw fail(-6, 'getaddrinfo()')
  if (hints.socktype !== 0) {
    const base = hints.socktype
    if (base === SOCK.SOCK_STREAM) out.type = 'SOCK_STREAM'
    else if (base === SOCK.SOCK_DGRAM) out.type = 'SOCK_DGRAM'
    else if (base === SOCK.SOCK_RAW) out.type = 'SOCK_RAW'
    else if (base === SOCK.SOCK_SEQPACKET) out.type = 'SOCK_SEQPACKET'
    else throw fail(-7, 'getaddrinfo()')
  }
  if (hints.protocol !== 0) out.protocol = hints.protocol
  const flags = aiFlagsOf(hints.flags)
  if (flags.length > 0) out.flags = flags
  return out
}
