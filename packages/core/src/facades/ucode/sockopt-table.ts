import { UCODE_CONSTANTS, type UcodeConstants } from './constants.js'

/**
 * How ucode converts one option's value (ucode lib/socket.c, uc_socket_inst_setopt): `bool`, `int`,
 * `int-ro` (read only), `void` (write only, value ignored), `string`, `ifname` (interface name
 * or index), or a struct shape.
 */
export type UcodeOptionKind =
  | 'bool'
  | 'int'
  | 'int-ro'
  | 'void'
  | 'string'
  | 'ifname'
  | 'timeval'
  | 'linger'
  | 'ucred'
  | 'mreqn'
  | 'mreq-source'
  | 'mreq6'
  | 'pktinfo6'
  | 'tcp-info'
  | 'flowlabel'
  | 'filter'
  | 'msfilter'
  | 'packet-mreq'
  | 'packet-ring'
  | 'packet-stats'
  | 'packet-fanout'

/** One entry of ucode's option table. */
export interface UcodeOption {
  readonly name: string
  readonly level: number
  readonly option: number
  readonly kind: UcodeOptionKind
}

type Name = keyof UcodeConstants
type Group = readonly [level: Name, kind: UcodeOptionKind, names: readonly Name[]]

// ucode's `sockopts[]` table, grouped by level and kind (Linux build).
const GROUPS: readonly Group[] = [
  [
    'SOL_SOCKET',
    'bool',
    [
      'SO_ACCEPTCONN',
      'SO_BROADCAST',
      'SO_DEBUG',
      'SO_DONTROUTE',
      'SO_KEEPALIVE',
      'SO_OOBINLINE',
      'SO_REUSEADDR',
      'SO_REUSEPORT',
      'SO_TIMESTAMP',
      'SO_PASSCRED',
      'SO_PASSSEC',
      'SO_RXQ_OVFL',
      'SO_TIMESTAMPNS',
    ],
  ],
  [
    'SOL_SOCKET',
    'int',
    [
      'SO_RCVBUF',
      'SO_RCVLOWAT',
      'SO_SNDBUF',
      'SO_SNDLOWAT',
      'SO_TYPE',
      'SO_ATTACH_BPF',
      'SO_ATTACH_REUSEPORT_EBPF',
      'SO_INCOMING_CPU',
      'SO_LOCK_FILTER',
      'SO_MARK',
      'SO_PEEK_OFF',
      'SO_PRIORITY',
      'SO_PROTOCOL',
      'SO_RCVBUFFORCE',
      'SO_SNDBUFFORCE',
      'SO_BUSY_POLL',
    ],
  ],
  ['SOL_SOCKET', 'int-ro', ['SO_ERROR', 'SO_DOMAIN', 'SO_INCOMING_NAPI_ID']],
  ['SOL_SOCKET', 'void', ['SO_DETACH_FILTER']],
  ['SOL_SOCKET', 'string', ['SO_ATTACH_REUSEPORT_CBPF', 'SO_BINDTODEVICE', 'SO_PEERSEC']],
  ['SOL_SOCKET', 'linger', ['SO_LINGER']],
  ['SOL_SOCKET', 'timeval', ['SO_RCVTIMEO', 'SO_SNDTIMEO']],
  ['SOL_SOCKET', 'ucred', ['SO_PEERCRED']],
  ['SOL_SOCKET', 'filter', ['SO_ATTACH_FILTER']],
  [
    'IPPROTO_IP',
    'bool',
    [
      'IP_HDRINCL',
      'IP_MULTICAST_LOOP',
      'IP_PKTINFO',
      'IP_RECVOPTS',
      'IP_RECVTOS',
      'IP_RECVTTL',
      'IP_RETOPTS',
      'IP_BIND_ADDRESS_NO_PORT',
      'IP_FREEBIND',
      'IP_MULTICAST_ALL',
      'IP_NODEFRAG',
      'IP_PASSSEC',
      'IP_RECVERR',
      'IP_RECVORIGDSTADDR',
      'IP_ROUTER_ALERT',
      'IP_TRANSPARENT',
    ],
  ],
  ['IPPROTO_IP', 'int', ['IP_MULTICAST_TTL', 'IP_TOS', 'IP_TTL', 'IP_MTU', 'IP_MTU_DISCOVER']],
  ['IPPROTO_IP', 'string', ['IP_OPTIONS']],
  ['IPPROTO_IP', 'mreqn', ['IP_ADD_MEMBERSHIP', 'IP_DROP_MEMBERSHIP', 'IP_MULTICAST_IF']],
  [
    'IPPROTO_IP',
    'mreq-source',
    ['IP_ADD_SOURCE_MEMBERSHIP', 'IP_BLOCK_SOURCE', 'IP_DROP_SOURCE_MEMBERSHIP', 'IP_UNBLOCK_SOURCE'],
  ],
  ['IPPROTO_IP', 'msfilter', ['IP_MSFILTER']],
  [
    'IPPROTO_IPV6',
    'bool',
    [
      'IPV6_FLOWINFO_SEND',
      'IPV6_FLOWINFO',
      'IPV6_MULTICAST_LOOP',
      'IPV6_RECVTCLASS',
      'IPV6_V6ONLY',
      'IPV6_AUTHHDR',
      'IPV6_AUTOFLOWLABEL',
      'IPV6_DONTFRAG',
      'IPV6_FREEBIND',
      'IPV6_HOPLIMIT',
      'IPV6_MULTICAST_ALL',
      'IPV6_RECVDSTOPTS',
      'IPV6_RECVERR',
      'IPV6_RECVFRAGSIZE',
      'IPV6_RECVHOPLIMIT',
      'IPV6_RECVHOPOPTS',
      'IPV6_RECVORIGDSTADDR',
      'IPV6_RECVPATHMTU',
      'IPV6_RECVPKTINFO',
      'IPV6_RECVRTHDR',
      'IPV6_ROUTER_ALERT_ISOLATE',
      'IPV6_ROUTER_ALERT',
      'IPV6_TRANSPARENT',
    ],
  ],
  [
    'IPPROTO_IPV6',
    'int',
    [
      'IPV6_MULTICAST_HOPS',
      'IPV6_TCLASS',
      'IPV6_UNICAST_HOPS',
      'IPV6_ADDR_PREFERENCES',
      'IPV6_ADDRFORM',
      'IPV6_MINHOPCOUNT',
      'IPV6_MTU_DISCOVER',
      'IPV6_MTU',
    ],
  ],
  ['IPPROTO_IPV6', 'string', ['IPV6_DSTOPTS', 'IPV6_HOPOPTS', 'IPV6_RTHDR', 'IPV6_RTHDRDSTOPTS']],
  ['IPPROTO_IPV6', 'ifname', ['IPV6_MULTICAST_IF', 'IPV6_UNICAST_IF']],
  ['IPPROTO_IPV6', 'flowlabel', ['IPV6_FLOWLABEL_MGR']],
  ['IPPROTO_IPV6', 'mreq6', ['IPV6_ADD_MEMBERSHIP', 'IPV6_DROP_MEMBERSHIP', 'IPV6_JOIN_ANYCAST', 'IPV6_LEAVE_ANYCAST']],
  ['IPPROTO_IPV6', 'pktinfo6', ['IPV6_PKTINFO']],
  ['IPPROTO_TCP', 'bool', ['TCP_NODELAY', 'TCP_CORK', 'TCP_QUICKACK']],
  [
    'IPPROTO_TCP',
    'int',
    [
      'TCP_KEEPCNT',
      'TCP_KEEPINTVL',
      'TCP_MAXSEG',
      'TCP_FASTOPEN',
      'TCP_DEFER_ACCEPT',
      'TCP_KEEPIDLE',
      'TCP_LINGER2',
      'TCP_SYNCNT',
      'TCP_USER_TIMEOUT',
      'TCP_WINDOW_CLAMP',
      'TCP_FASTOPEN_CONNECT',
    ],
  ],
  ['IPPROTO_TCP', 'string', ['TCP_CONGESTION']],
  ['IPPROTO_TCP', 'tcp-info', ['TCP_INFO']],
  ['IPPROTO_UDP', 'bool', ['UDP_CORK']],
  ['SOL_PACKET', 'bool', ['PACKET_AUXDATA', 'PACKET_LOSS', 'PACKET_QDISC_BYPASS']],
  ['SOL_PACKET', 'int', ['PACKET_RESERVE', 'PACKET_TIMESTAMP', 'PACKET_VERSION']],
  ['SOL_PACKET', 'packet-mreq', ['PACKET_ADD_MEMBERSHIP', 'PACKET_DROP_MEMBERSHIP']],
  ['SOL_PACKET', 'packet-ring', ['PACKET_RX_RING', 'PACKET_TX_RING']],
  ['SOL_PACKET', 'packet-stats', ['PACKET_STATISTICS']],
  ['SOL_PACKET', 'packet-fanout', ['PACKET_FANOUT']],
]

const byNumbers = new Map<string, UcodeOption>()
for (const [levelName, kind, names] of GROUPS) {
  const level = UCODE_CONSTANTS[levelName]
  for (const name of names) {
    const option = UCODE_CONSTANTS[name]
    byNumbers.set(`${level}/${option}`, Object.freeze({ name, level, option, kind }))
  }
}

/** Every option ucode knows, for listing and tests. */
export const UCODE_OPTIONS: readonly UcodeOption[] = Object.freeze([...byNumbers.values()])

/** ucode's table lookup by numbers; `undefined` means `Unknown socket level or option`. */
export function findUcodeOption(level: number, option: number): UcodeOption | undefined {
  return byNumbers.get(`${level}/${option}`)
}
