import { isIPv4, isIPv6 } from 'node:net'
import { findOption, type OptionSpec, type OptionValue } from '../../contract/options.js'
import type { Socket } from '../../contract/socket.js'
import { isDict, toInteger, toNumber } from './args.js'
import { ERRNO, fail } from './error-slot.js'
import { interfaceIndex, interfaceName } from './interfaces.js'
import { findUcodeOption, type UcodeOption } from './sockopt-table.js'

// getopt / setopt: ucode's value shapes (ucode lib/socket.c, uc_socket_inst_getopt and
// uc_socket_inst_setopt) on the contract's typed options, or, for options the contract does
// not type, as raw bytes (backends with `rawOptions`). Layouts are Linux x86_64 / arm64 (little-endian).

/** Buffer size for reading string options the contract does not type. */
const RAW_STRING_LENGTH = 256
/** `sizeof(struct tcp_info)` on current Linux, generous enough for the 32 fields ucode reads. */
const TCP_INFO_LENGTH = 232

const TCP_INFO_U32 = [
  'rto',
  'ato',
  'snd_mss',
  'rcv_mss',
  'unacked',
  'sacked',
  'lost',
  'retrans',
  'fackets',
  'last_data_sent',
  'last_ack_sent',
  'last_data_recv',
  'last_ack_recv',
  'pmtu',
  'rcv_ssthresh',
  'rtt',
  'rttvar',
  'snd_ssthresh',
  'snd_cwnd',
  'advmss',
  'reordering',
  'rcv_rtt',
  'rcv_space',
  'total_retrans',
] as const

function lookup(level: number, option: number): UcodeOption {
  const entry = findUcodeOption(level, option)
  if (!entry) throw fail(ERRNO.EINVAL, 'Unknown socket level or option')
  return entry
}

function unsupported(entry: UcodeOption, context: string): never {
  throw fail(ERRNO.EOPNOTSUPP, `${context}: ${entry.name} is not supported by polysocket`)
}

/**
 * `sock.setopt(level, option, value)` on a contract socket.
 * @throws UcodeFailure: `Unknown socket level or option`, `Socket option is read only`,
 * `Unable to convert value to boolean|integer`, `Unable to convert field <f> to …`; contract
 * errors propagate for the caller to report as `setsockopt(): …`.
 */
export function setUcodeOption(sock: Socket, level: number, option: number, value: unknown): void {
  const entry = lookup(level, option)
  if (entry.kind === 'int-ro') throw fail(ERRNO.EOPNOTSUPP, 'Socket option is read only')
  const spec = findOption(level, option)
  if (spec) {
    sock.setOption(level, option, typedValue(entry, spec, value))
    return
  }
  sock.setOption(level, option, rawValue(entry, value))
}

/**
 * `sock.getopt(level, option)` on a contract socket: booleans, integers, strings or the
 * option's dictionary.
 * @throws UcodeFailure: `Unknown socket level or option`, `Socket option is write only`.
 */
export function getUcodeOption(sock: Socket, level: number, option: number): unknown {
  const entry = lookup(level, option)
  if (entry.kind === 'void') throw fail(ERRNO.EOPNOTSUPP, 'Socket option is write only')
  const spec = findOption(level, option)
  if (spec) return fromTyped(entry, spec, sock.getOption(level, option))
  switch (entry.kind) {
    case 'bool':
    case 'int':
    case 'int-ro':
    case 'ifname':
      return fromInt(entry, readInt(sock.getOption(level, option, 4)))
    case 'string':
      return bytesOf(sock.getOption(level, option, RAW_STRING_LENGTH)).toString('utf8')
    case 'tcp-info':
      return decodeTcpInfo(bytesOf(sock.getOption(level, option, TCP_INFO_LENGTH)))
    case 'mreq-source': {
      const b = bytesOf(sock.getOption(level, option, 12))
      return { multiaddr: ipv4At(b, 0), interface: ipv4At(b, 4), sourceaddr: ipv4At(b, 8) }
    }
    default:
      return unsupported(entry, 'getsockopt()')
  }
}

/** The C-level integer of a bool / int / ifname value, converted as ucode does. */
function intOf(entry: UcodeOption, value: unknown): number {
  if (entry.kind === 'bool') {
    const n = toNumber(value)
    if (n === undefined) throw fail(ERRNO.EINVAL, 'Unable to convert value to boolean')
    if (n < 0) throw fail(ERRNO.ERANGE, 'Unable to convert value to boolean')
    return n !== 0 ? 1 : 0
  }
  if (entry.kind === 'ifname' && typeof value === 'string') {
    const index = interfaceIndex(value)
    if (index === 0) throw fail(ERRNO.ENODEV, `Unable to resolve interface ${value}`)
    return index
  }
  const r = toInteger(value)
  if (!r.ok) {
    throw fail(
      r.errno,
      entry.kind === 'ifname' ? 'Unable to convert interface to integer' : 'Unable to convert value to integer',
    )
  }
  // A C int keeps the low 32 bits.
  return r.value | 0
}

function fromInt(entry: UcodeOption, n: number): unknown {
  if (entry.kind === 'bool') return n !== 0
  if (entry.kind === 'ifname') return (n > 0 && interfaceName(n)) || n
  return n
}

/** Dictionary fields of a struct value: a non-dictionary gives an all-zero struct. */
function fields(value: unknown): Record<string, unknown> {
  return isDict(value) ? value : {}
}

function intField(dict: Record<string, unknown>, name: string, unsigned = false): number {
  const n = toNumber(dict[name])
  if (n === undefined || !Number.isFinite(n) || (unsigned && n < 0)) {
    throw fail(ERRNO.EINVAL, `Unable to convert field ${name} to ${unsigned ? 'unsigned' : 'integer'}`)
  }
  return Math.trunc(n)
}

function ipv4Field(dict: Record<string, unknown>, name: string): string {
  const v = dict[name]
  if (v === undefined || v === null) return '0.0.0.0'
  if (typeof v !== 'string' || !isIPv4(v)) throw fail(ERRNO.EINVAL, `Unable to convert field ${name} to IP address`)
  return v
}

function ipv6Field(dict: Record<string, unknown>, name: string): string {
  const v = dict[name]
  if (v === undefined || v === null) return '::'
  if (typeof v !== 'string' || !isIPv6(v)) throw fail(ERRNO.EINVAL, `Unable to convert field ${name} to IPv6 address`)
  return v
}

function interfaceField(dict: Record<string, unknown>): number {
  const v = dict.interface
  if (typeof v === 'string') {
    const index = interfaceIndex(v)
    if (index === 0) throw fail(ERRNO.ENODEV, `Unable to resolve interface ${v}`)
    return index
  }
  const r = toInteger(v)
  if (!r.ok) throw fail(r.errno, 'Unable to convert interface to integer')
  return r.value
}

/** ucode value → the contract's typed value for `spec`. */
function typedValue(entry: UcodeOption, spec: OptionSpec, value: unknown): OptionValue {
  switch (spec.kind) {
    case 'bool':
      return intOf(entry, value) !== 0
    case 'int':
      return intOf(entry, value)
    case 'timeout': {
      // As ucode builds it for the kernel: the timeval's fields go unchecked, for the kernel
      // (or a backend speaking for it) to refuse a usec out of range with EDOM.
      const tv = fields(value)
      return { sec: intField(tv, 'sec'), usec: intField(tv, 'usec') }
    }
    case 'linger': {
      const l = fields(value)
      return { onoff: intField(l, 'onoff') !== 0, linger: intField(l, 'linger') }
    }
    case 'string':
      // ucode hands the kernel no bytes for a non-string value.
      return typeof value === 'string' ? value : ''
    case 'mreq': {
      const m = fields(value)
      return { multiaddr: ipv4Field(m, 'multiaddr'), address: ipv4Field(m, 'address'), ifindex: intField(m, 'ifindex') }
    }
    case 'inaddr':
      return ipv4Field(fields(value), 'address')
    case 'mreq6': {
      const m = fields(value)
      return { multiaddr: ipv6Field(m, 'multiaddr'), ifindex: interfaceField(m) }
    }
    case 'ucred': {
      const c = fields(value)
      return int32s([intField(c, 'pid'), intField(c, 'uid'), intField(c, 'gid')])
    }
    case 'bytes':
      return rawValue(entry, value)
  }
}

/** ucode value → raw option bytes, for options the contract does not type. */
function rawValue(entry: UcodeOption, value: unknown): Buffer {
  switch (entry.kind) {
    case 'bool':
    case 'int':
    case 'ifname':
      return int32s([intOf(entry, value)])
    case 'void':
      return Buffer.alloc(4)
    case 'string':
      return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.alloc(0)
    case 'mreq-source': {
      const m = fields(value)
      return Buffer.concat([
        ipv4Bytes(ipv4Field(m, 'multiaddr')),
        ipv4Bytes(ipv4Field(m, 'interface')),
        ipv4Bytes(ipv4Field(m, 'sourceaddr')),
      ])
    }
    default:
      return unsupported(entry, 'setsockopt()')
  }
}

/** The contract's typed value → ucode's shape for the option. */
function fromTyped(entry: UcodeOption, spec: OptionSpec, value: OptionValue): unknown {
  switch (spec.kind) {
    case 'bool':
      return fromInt(entry, value === true ? 1 : 0)
    case 'int':
      return fromInt(entry, typeof value === 'number' ? value : 0)
    case 'timeout': {
      const ms = typeof value === 'number' ? value : 0
      const sec = Math.floor(ms / 1000)
      return { sec, usec: Math.round((ms - sec * 1000) * 1000) }
    }
    case 'linger': {
      const l = value as { onoff?: boolean; linger?: number }
      return { onoff: l.onoff ? 1 : 0, linger: l.linger ?? 0 }
    }
    case 'ucred': {
      // getopt(SO_PEERCRED) reads every field as a signed int (uid -1, not 4294967295).
      const c = value as { pid?: number; uid?: number; gid?: number }
      return { pid: (c.pid ?? 0) | 0, uid: (c.uid ?? 0) | 0, gid: (c.gid ?? 0) | 0 }
    }
    case 'string':
      return typeof value === 'string' ? value : bytesOf(value).toString('utf8')
    case 'mreq': {
      const m = value as { multiaddr?: string; address?: string; ifindex?: number }
      return { multiaddr: m.multiaddr ?? '0.0.0.0', address: m.address ?? '0.0.0.0', ifindex: m.ifindex ?? 0 }
    }
    case 'inaddr':
      return { multiaddr: '0.0.0.0', address: typeof value === 'string' ? value : '0.0.0.0', ifindex: 0 }
    case 'mreq6': {
      const m = value as { multiaddr?: string; ifindex?: number }
      const index = m.ifindex ?? 0
      return { multiaddr: m.multiaddr ?? '::', interface: (index > 0 && interfaceName(index)) || index }
    }
    case 'bytes':
      return fromInt(entry, readInt(value))
  }
}

function bytesOf(value: OptionValue): Buffer {
  if (Buffer.isBuffer(value)) return value
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  return Buffer.alloc(0)
}

function readInt(value: OptionValue): number {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  const b = bytesOf(value)
  if (b.length >= 4) return b.readInt32LE(0)
  if (b.length >= 1) return b.readInt8(0)
  return 0
}

function int32s(values: readonly number[]): Buffer {
  const b = Buffer.alloc(values.length * 4)
  values.forEach((v, i) => {
    b.writeInt32LE(v | 0, i * 4)
  })
  return b
}

function ipv4Bytes(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number))
}

function ipv4At(b: Buffer, offset: number): string {
  if (b.length < offset + 4) return '0.0.0.0'
  return [...b.subarray(offset, offset + 4)].join('.')
}

/** `struct tcp_info` as ucode returns it: 32 counters by their field names. */
export function decodeTcpInfo(b: Buffer): Record<string, number> {
  const u8 = (i: number) => (b.length > i ? (b[i] ?? 0) : 0)
  const out: Record<string, number> = {
    state: u8(0),
    ca_state: u8(1),
    retransmits: u8(2),
    probes: u8(3),
    backoff: u8(4),
    options: u8(5),
    snd_wscale: u8(6) & 0x0f,
    rcv_wscale: u8(6) >> 4,
  }
  TCP_INFO_U32.forEach((name, i) => {
    const at = 8 + i * 4
    out[name] = b.length >= at + 4 ? b.readUInt32LE(at) : 0
  })
  return out
}
