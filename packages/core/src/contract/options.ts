import { IPPROTO, SOL } from '../constants-linux.js'

/** How an option's value travels: the shape a caller passes and gets back. */
export type OptionKind =
  /** `boolean` (an int 0/1 in the kernel). */
  | 'bool'
  /** `number`, an integer. */
  | 'int'
  /** `{ onoff: boolean, linger: number }`, linger in seconds (`struct linger`). */
  | 'linger'
  /**
   * `number` of milliseconds, fractions allowed, 0 meaning no timeout; or, to set, a
   * {@link Timeval} as C hands it to the kernel (`struct timeval`).
   */
  | 'timeout'
  /** `{ pid, uid, gid }` (`struct ucred`), read only. */
  | 'ucred'
  /** `string` (an interface or algorithm name). */
  | 'string'
  /** `{ multiaddr, address?, ifindex? }` (`struct ip_mreqn`), IPv4 text addresses. */
  | 'mreq'
  /** `{ multiaddr, ifindex? }` (`struct ipv6_mreq`). */
  | 'mreq6'
  /** `string`, an IPv4 address (IP_MULTICAST_IF). */
  | 'inaddr'
  /** `Buffer`: raw bytes, for options the table does not type. */
  | 'bytes'

/** An option level by name. */
export type OptionLevel = 'SOL_SOCKET' | 'IPPROTO_IP' | 'IPPROTO_IPV6' | 'IPPROTO_TCP' | 'IPPROTO_UDP'

/** One typed option: its level, name, Linux numbers and value kind. */
export interface OptionSpec {
  readonly level: OptionLevel
  readonly name: string
  readonly levelNumber: number
  readonly nameNumber: number
  readonly kind: OptionKind
  /** `true` for options getsockopt can read but setsockopt cannot write. */
  readonly readOnly?: boolean
}

/** The value of an option: its kind's shape (see {@link OptionKind}). */
export type OptionValue =
  | boolean
  | number
  | string
  | Buffer
  | Linger
  | Ucred
  | MulticastRequest
  | Multicast6Request
  | Timeval

/**
 * `struct timeval` as given to setsockopt(2) for SO_RCVTIMEO / SO_SNDTIMEO: whole seconds and
 * microseconds, unchecked, so that the kernel (or a backend speaking for it) judges them: a
 * `usec` outside 0–999,999 is `EDOM`, a negative `sec` means no timeout. Source: socket(7).
 */
export interface Timeval {
  readonly sec: number
  readonly usec: number
}

/**
 * The milliseconds a timeval the kernel accepted stands for (a negative `sec` is no timeout, 0).
 * @returns `undefined` when the kernel refuses it (`usec` outside 0–999,999: `EDOM`).
 */
export function timevalMilliseconds(tv: Timeval): number | undefined {
  if (tv.usec < 0 || tv.usec >= 1_000_000) return undefined
  if (tv.sec < 0) return 0
  return Math.min(tv.sec * 1000 + tv.usec / 1000, 2 ** 31 - 1)
}

/** `struct linger`: `linger` in seconds. */
export interface Linger {
  readonly onoff: boolean
  readonly linger: number
}
/** `struct ucred`: the credentials of a process. */
export interface Ucred {
  readonly pid: number
  readonly uid: number
  readonly gid: number
}
/** `struct ip_mreqn`: join or leave an IPv4 multicast group. */
export interface MulticastRequest {
  readonly multiaddr: string
  readonly address?: string
  readonly ifindex?: number
}
/** `struct ipv6_mreq`: join or leave an IPv6 multicast group. */
export interface Multicast6Request {
  readonly multiaddr: string
  readonly ifindex?: number
}

type Row = readonly [name: string, number: number, kind: OptionKind, readOnly?: boolean]

const table: Record<OptionLevel, readonly [number, readonly Row[]]> = {
  SOL_SOCKET: [
    SOL.SOL_SOCKET,
    [
      ['SO_DEBUG', 1, 'bool'],
      ['SO_REUSEADDR', 2, 'bool'],
      ['SO_TYPE', 3, 'int', true],
      ['SO_ERROR', 4, 'int', true],
      ['SO_DONTROUTE', 5, 'bool'],
      ['SO_BROADCAST', 6, 'bool'],
      ['SO_SNDBUF', 7, 'int'],
      ['SO_RCVBUF', 8, 'int'],
      ['SO_KEEPALIVE', 9, 'bool'],
      ['SO_OOBINLINE', 10, 'bool'],
      ['SO_PRIORITY', 12, 'int'],
      ['SO_LINGER', 13, 'linger'],
      ['SO_REUSEPORT', 15, 'bool'],
      ['SO_PASSCRED', 16, 'bool'],
      ['SO_PEERCRED', 17, 'ucred', true],
      ['SO_RCVLOWAT', 18, 'int'],
      ['SO_SNDLOWAT', 19, 'int'],
      ['SO_RCVTIMEO', 20, 'timeout'],
      ['SO_SNDTIMEO', 21, 'timeout'],
      ['SO_BINDTODEVICE', 25, 'string'],
      ['SO_TIMESTAMP', 29, 'bool'],
      ['SO_ACCEPTCONN', 30, 'bool', true],
      ['SO_SNDBUFFORCE', 32, 'int'],
      ['SO_RCVBUFFORCE', 33, 'int'],
      ['SO_PASSSEC', 34, 'bool'],
      ['SO_MARK', 36, 'int'],
      ['SO_PROTOCOL', 38, 'int', true],
      ['SO_DOMAIN', 39, 'int', true],
      ['SO_RXQ_OVFL', 40, 'bool'],
      ['SO_BUSY_POLL', 46, 'int'],
      ['SO_INCOMING_CPU', 49, 'int'],
    ],
  ],
  IPPROTO_IP: [
    IPPROTO.IPPROTO_IP,
    [
      ['IP_TOS', 1, 'int'],
      ['IP_TTL', 2, 'int'],
      ['IP_HDRINCL', 3, 'bool'],
      ['IP_RECVOPTS', 6, 'bool'],
      ['IP_PKTINFO', 8, 'bool'],
      ['IP_MTU_DISCOVER', 10, 'int'],
      ['IP_RECVERR', 11, 'bool'],
      ['IP_RECVTTL', 12, 'bool'],
      ['IP_RECVTOS', 13, 'bool'],
      ['IP_MTU', 14, 'int', true],
      ['IP_FREEBIND', 15, 'bool'],
      ['IP_TRANSPARENT', 19, 'bool'],
      ['IP_MINTTL', 21, 'int'],
      ['IP_BIND_ADDRESS_NO_PORT', 24, 'bool'],
      ['IP_MULTICAST_IF', 32, 'inaddr'],
      ['IP_MULTICAST_TTL', 33, 'int'],
      ['IP_MULTICAST_LOOP', 34, 'bool'],
      ['IP_ADD_MEMBERSHIP', 35, 'mreq'],
      ['IP_DROP_MEMBERSHIP', 36, 'mreq'],
    ],
  ],
  IPPROTO_IPV6: [
    IPPROTO.IPPROTO_IPV6,
    [
      ['IPV6_UNICAST_HOPS', 16, 'int'],
      ['IPV6_MULTICAST_IF', 17, 'int'],
      ['IPV6_MULTICAST_HOPS', 18, 'int'],
      ['IPV6_MULTICAST_LOOP', 19, 'bool'],
      ['IPV6_ADD_MEMBERSHIP', 20, 'mreq6'],
      ['IPV6_DROP_MEMBERSHIP', 21, 'mreq6'],
      ['IPV6_MTU_DISCOVER', 23, 'int'],
      ['IPV6_MTU', 24, 'int', true],
      ['IPV6_RECVERR', 25, 'bool'],
      ['IPV6_V6ONLY', 26, 'bool'],
      ['IPV6_RECVPKTINFO', 49, 'bool'],
      ['IPV6_TCLASS', 67, 'int'],
      ['IPV6_FREEBIND', 78, 'bool'],
    ],
  ],
  IPPROTO_TCP: [
    IPPROTO.IPPROTO_TCP,
    [
      ['TCP_NODELAY', 1, 'bool'],
      ['TCP_MAXSEG', 2, 'int'],
      ['TCP_CORK', 3, 'bool'],
      ['TCP_KEEPIDLE', 4, 'int'],
      ['TCP_KEEPINTVL', 5, 'int'],
      ['TCP_KEEPCNT', 6, 'int'],
      ['TCP_SYNCNT', 7, 'int'],
      ['TCP_LINGER2', 8, 'int'],
      ['TCP_DEFER_ACCEPT', 9, 'int'],
      ['TCP_WINDOW_CLAMP', 10, 'int'],
      ['TCP_QUICKACK', 12, 'bool'],
      ['TCP_CONGESTION', 13, 'string'],
      ['TCP_USER_TIMEOUT', 18, 'int'],
      ['TCP_FASTOPEN', 23, 'int'],
      ['TCP_NOTSENT_LOWAT', 25, 'int'],
      ['TCP_FASTOPEN_CONNECT', 30, 'bool'],
    ],
  ],
  IPPROTO_UDP: [
    IPPROTO.IPPROTO_UDP,
    [
      ['UDP_CORK', 1, 'bool'],
      ['UDP_SEGMENT', 103, 'int'],
      ['UDP_GRO', 104, 'bool'],
    ],
  ],
}

const specs = new Map<string, OptionSpec>()
const byNumbers = new Map<string, OptionSpec>()
for (const [level, [levelNumber, rows]] of Object.entries(table) as [OptionLevel, (typeof table)[OptionLevel]][]) {
  for (const [name, nameNumber, kind, readOnly] of rows) {
    const spec: OptionSpec = Object.freeze({
      level,
      name,
      levelNumber,
      nameNumber,
      kind,
      ...(readOnly ? { readOnly } : {}),
    })
    specs.set(`${level}/${name}`, spec)
    byNumbers.set(`${levelNumber}/${nameNumber}`, spec)
  }
}

/** Every typed option, for listing and tests. */
export const OPTION_SPECS: readonly OptionSpec[] = Object.freeze([...specs.values()])

/** Option levels by name, with their Linux numbers. */
export const OPTION_LEVELS: Readonly<Record<OptionLevel, number>> = Object.freeze(
  Object.fromEntries(Object.entries(table).map(([k, [n]]) => [k, n])) as Record<OptionLevel, number>,
)

/**
 * Finds the typed spec of an option, by names (`'SOL_SOCKET', 'SO_REUSEADDR'`) or by Linux
 * numbers (`1, 2`). `SOL_IP`, `SOL_TCP`, `SOL_IPV6` and `SOL_UDP` are accepted for their
 * `IPPROTO_*` twins.
 *
 * @returns the spec, or `undefined` for an option the table does not type (a numeric pair
 * then travels as raw bytes where the backend has `rawOptions`).
 * Source: socket(7), ip(7), ipv6(7), tcp(7), udp(7).
 */
export function findOption(level: string | number, name: string | number): OptionSpec | undefined {
  if (typeof level === 'number' && typeof name === 'number') return byNumbers.get(`${level}/${name}`)
  const levelName = typeof level === 'number' ? levelNameOf(level) : canonicalLevel(level)
  if (levelName === undefined) return undefined
  if (typeof name === 'number') return byNumbers.get(`${OPTION_LEVELS[levelName]}/${name}`)
  return specs.get(`${levelName}/${name}`)
}

function canonicalLevel(level: string): OptionLevel | undefined {
  const aliases: Record<string, OptionLevel> = {
    SOL_IP: 'IPPROTO_IP',
    SOL_IPV6: 'IPPROTO_IPV6',
    SOL_TCP: 'IPPROTO_TCP',
    SOL_UDP: 'IPPROTO_UDP',
  }
  if (level in table) return level as OptionLevel
  return aliases[level]
}

function levelNameOf(level: number): OptionLevel | undefined {
  return (Object.keys(table) as OptionLevel[]).find((k) => table[k][0] === level)
}
