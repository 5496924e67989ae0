import { IPPROTO, SCM, SOL } from '../../constants-linux.js'
import type { ControlMessage } from '../../contract/socket.js'
import { isDict, toInteger, toUnsigned } from './args.js'
import { ERRNO, fail } from './error-slot.js'

// Ancillary data of sendmsg / recvmsg in ucode's shape: `{level, type, data}` per control
// message (ucode lib/socket.c, uc_socket_inst_sendmsg and uc_socket_inst_recvmsg), mapped onto
// the contract's ControlMessage.

/** A control message as ucode scripts write and read it. */
export interface UcodeControlMessage {
  level: number
  type: number
  data: unknown
}

/** Control messages whose payload is one C int (ucode's decoding table). */
const INT_TYPES = new Set([
  `${IPPROTO.IPPROTO_IP}/1`, // IP_TOS
  `${IPPROTO.IPPROTO_IP}/2`, // IP_TTL
  `${IPPROTO.IPPROTO_IP}/25`, // IP_RECVFRAGSIZE
  `${IPPROTO.IPPROTO_IPV6}/67`, // IPV6_TCLASS
  `${IPPROTO.IPPROTO_IPV6}/52`, // IPV6_HOPLIMIT
  `${IPPROTO.IPPROTO_IPV6}/77`, // IPV6_RECVFRAGSIZE
  `${IPPROTO.IPPROTO_TCP}/36`, // TCP_CM_INQ
  `${IPPROTO.IPPROTO_UDP}/104`, // UDP_GRO
])

const CMSG_HEADER = 16
const align8 = (n: number) => (n + 7) & ~7

/**
 * ucode's ancillary argument of `sendmsg()`: an array of `{level, type, data}` or the raw
 * control buffer (a string or bytes holding `struct cmsghdr` records).
 *
 * @param toFd - turns one element of an SCM_RIGHTS `data` array into a descriptor number.
 * @throws UcodeFailure `Ancillary data must be string or array value` and conversion errors.
 */
export function encodeAncillary(value: unknown, toFd: (item: unknown) => number): ControlMessage[] {
  if (typeof value === 'string') return parseControlBuffer(Buffer.from(value, 'utf8'))
  if (value instanceof Uint8Array)
    return parseControlBuffer(Buffer.from(value.buffer, value.byteOffset, value.byteLength))
  if (!Array.isArray(value)) throw fail(ERRNO.EINVAL, 'Ancillary data must be string or array value')
  const out: ControlMessage[] = []
  for (const item of value) {
    if (!isDict(item)) continue
    const level = toInteger(item.level)
    const type = toInteger(item.type)
    if (!level.ok || !type.ok) throw fail(ERRNO.EINVAL, 'Invalid ancillary data')
    out.push(encodeOne(level.value, type.value, item.data, toFd))
  }
  return out
}

function encodeOne(level: number, type: number, data: unknown, toFd: (item: unknown) => number): ControlMessage {
  if (level === SOL.SOL_SOCKET && type === SCM.SCM_RIGHTS) {
    const items = Array.isArray(data) ? data : [data]
    return { type: 'SCM_RIGHTS', fds: items.map(toFd) }
  }
  if (level === SOL.SOL_SOCKET && type === SCM.SCM_CREDENTIALS) {
    const c = isDict(data) ? data : {}
    const field = (name: string) => {
      const r = toUnsigned(c[name])
      if (!r.ok) throw fail(r.errno, `Unable to convert field ${name} to unsigned`)
      return r.value
    }
    return { type: 'SCM_CREDENTIALS', pid: field('pid'), uid: field('uid'), gid: field('gid') }
  }
  let payload: Uint8Array
  if (typeof data === 'string') payload = Buffer.from(data, 'utf8')
  else if (data instanceof Uint8Array) payload = data
  else if (typeof data === 'number' || typeof data === 'boolean') {
    // As ucode guesses for types it does not know: numbers and booleans travel as a C int.
    const b = Buffer.alloc(4)
    b.writeInt32LE(Number(data) | 0)
    payload = b
  } else throw fail(ERRNO.EINVAL, 'Invalid ancillary data')
  return { type: 'raw', level, messageType: type, data: payload }
}

/** Splits a raw control buffer (Linux 64-bit `struct cmsghdr` records) into messages. */
function parseControlBuffer(buffer: Buffer): ControlMessage[] {
  const out: ControlMessage[] = []
  let at = 0
  while (at + CMSG_HEADER <= buffer.length) {
    const length = Number(buffer.readBigUInt64LE(at))
    const level = buffer.readInt32LE(at + 8)
    const type = buffer.readInt32LE(at + 12)
    if (length < CMSG_HEADER || at + length > buffer.length) throw fail(ERRNO.EINVAL, 'Invalid ancillary data length')
    const data = buffer.subarray(at + CMSG_HEADER, at + length)
    if (level === SOL.SOL_SOCKET && type === SCM.SCM_RIGHTS) {
      const fds: number[] = []
      for (let i = 0; i + 4 <= data.length; i += 4) fds.push(data.readInt32LE(i))
      out.push({ type: 'SCM_RIGHTS', fds })
    } else if (level === SOL.SOL_SOCKET && type === SCM.SCM_CREDENTIALS && data.length >= 12) {
      out.push({
        type: 'SCM_CREDENTIALS',
        pid: data.readInt32LE(0),
        uid: data.readUInt32LE(4),
        gid: data.readUInt32LE(8),
      })
    } else {
      out.push({ type: 'raw', level, messageType: type, data })
    }
    at += align8(length)
  }
  if (at < buffer.length && buffer.length - at >= 1 && out.length === 0) {
    throw fail(ERRNO.EINVAL, 'Invalid ancillary data length')
  }
  return out
}

/**
 * Received control messages in ucode's shape: SCM_RIGHTS data is an array of the received
 * descriptors as `adopt` returns them (socket handles; plain numbers for other files);
 * SCM_CREDENTIALS `{pid, uid, gid}`; SO_TIMESTAMP `{sec, usec}`, SO_TIMESTAMPNS `{sec, nsec}`;
 * one-int types as integers; anything else as the raw payload bytes.
 */
export async function decodeAncillary(
  control: readonly ControlMessage[],
  adopt: (fd: number) => Promise<unknown>,
): Promise<UcodeControlMessage[]> {
  const out: UcodeControlMessage[] = []
  for (const m of control) {
    if (m.type === 'SCM_RIGHTS') {
      const data: unknown[] = []
      for (const fd of m.fds) data.push(await adopt(fd))
      out.push({ level: SOL.SOL_SOCKET, type: SCM.SCM_RIGHTS, data })
    } else if (m.type === 'SCM_CREDENTIALS') {
      out.push({ level: SOL.SOL_SOCKET, type: SCM.SCM_CREDENTIALS, data: { pid: m.pid, uid: m.uid, gid: m.gid } })
    } else {
      out.push({ level: m.level, type: m.messageType, data: decodeRaw(m.level, m.messageType, Buffer.from(m.data)) })
    }
  }
  return out
}

function decodeRaw(level: number, type: number, data: Buffer): unknown {
  if (INT_TYPES.has(`${level}/${type}`) && data.length >= 4) return data.readInt32LE(0)
  if (level === SOL.SOL_SOCKET && type === SCM.SCM_TIMESTAMP && data.length >= 16) {
    return { sec: Number(data.readBigInt64LE(0)), usec: Number(data.readBigInt64LE(8)) }
  }
  if (level === SOL.SOL_SOCKET && type === 35 && data.length >= 16) {
    return { sec: Number(data.readBigInt64LE(0)), nsec: Number(data.readBigInt64LE(8)) }
  }
  return data
}
