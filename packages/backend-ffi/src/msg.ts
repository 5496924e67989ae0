import { type ControlMessage, type RecvmsgResult, type SocketAddress, SocketError } from '@polysocket/core'
import { CONTROL_SIZE, DATA_SIZE, MAX_IOV, REGION } from './arena.js'
import type { NativeBlock } from './engine/engine.js'
import { currentLayout, MSG, SCM, SOL } from './platform-linux.js'
import { orErrno, type Runtime } from './runtime.js'
import { decodeSockaddr, encodeSockaddr } from './sockaddr.js'

/**
 * sendmsg(2) / recvmsg(2): msghdr, iovec and cmsghdr built in the arena (or in a malloc'ed
 * block for data or control larger than the arena's regions, freed after the call). Layouts
 * come from platform-linux.ts; CMSG_ALIGN / CMSG_LEN / CMSG_SPACE are computed from them.
 * Source: cmsg(3), unix(7) "Ancillary messages".
 */

const L = currentLayout()
const H = L.cmsghdr.header
const align = (n: number): number => Math.ceil(n / L.cmsghdr.align) * L.cmsghdr.align
/** CMSG_LEN(n): header plus payload. */
export const cmsgLen = (n: number): number => H + n
/** CMSG_SPACE(n): header plus payload, padded to the next header. */
export const cmsgSpace = (n: number): number => H + align(n)

/** Writes a native pointer (little-endian, 64-bit) into a view. */
export function writePointer(view: Buffer, offset: number, address: number): void {
  view.writeUInt32LE(address % 0x1_0000_0000, offset)
  view.writeUInt32LE(Math.floor(address / 0x1_0000_0000), offset + 4)
}

function readSize(view: Buffer, offset: number): number {
  return view.readUInt32LE(offset) + view.readUInt32LE(offset + 4) * 0x1_0000_0000
}

/** The payload of each control message as it goes on the wire. */
function controlPayload(m: ControlMessage): { level: number; type: number; data: Buffer } {
  switch (m.type) {
    case 'SCM_RIGHTS': {
      const data = Buffer.alloc(4 * m.fds.length)
      m.fds.forEach((fd, i) => {
        data.writeInt32LE(fd, 4 * i)
      })
      return { level: SOL.SOL_SOCKET, type: SCM.SCM_RIGHTS, data }
    }
    case 'SCM_CREDENTIALS': {
      const data = Buffer.alloc(12)
      data.writeUInt32LE(m.pid, 0)
      data.writeUInt32LE(m.uid, 4)
      data.writeUInt32LE(m.gid, 8)
      return { level: SOL.SOL_SOCKET, type: SCM.SCM_CREDENTIALS, data }
    }
    case 'raw':
      return { level: m.level, type: m.messageType, data: Buffer.from(m.data) }
  }
}

/** Encodes control messages into `view` at `offset`; returns the bytes used. */
export function encodeControl(
  payloads: readonly { level: number; type: number; data: Buffer }[],
  view: Buffer,
  offset: number,
): number {
  let at = offset
  for (const p of payloads) {
    const space = cmsgSpace(p.data.length)
    view.fill(0, at, at + space)
    writePointer(view, at + L.cmsghdr.len, cmsgLen(p.data.length))
    view.writeInt32LE(p.level, at + L.cmsghdr.level)
    view.writeInt32LE(p.type, at + L.cmsghdr.type)
    p.data.copy(view, at + H)
    at += space
  }
  return at - offset
}

/** Parses the control messages the kernel wrote (`length` bytes at `offset`). */
export function decodeControl(view: Buffer, offset: number, length: number): ControlMessage[] {
  const out: ControlMessage[] = []
  let at = offset
  while (at + H <= offset + length) {
    const len = readSize(view, at + L.cmsghdr.len)
    if (len < H || at + len > offset + length) break
    const level = view.readInt32LE(at + L.cmsghdr.level)
    const type = view.readInt32LE(at + L.cmsghdr.type)
    const start = at + H
    const n = len - H
    if (level === SOL.SOL_SOCKET && type === SCM.SCM_RIGHTS) {
      const fds: number[] = []
      for (let i = 0; i + 4 <= n; i += 4) fds.push(view.readInt32LE(start + i))
      out.push({ type: 'SCM_RIGHTS', fds })
    } else if (level === SOL.SOL_SOCKET && type === SCM.SCM_CREDENTIALS && n >= 12) {
      out.push({
        type: 'SCM_CREDENTIALS',
        pid: view.readUInt32LE(start),
        uid: view.readUInt32LE(start + 4),
        gid: view.readUInt32LE(start + 8),
      })
    } else {
      out.push({ type: 'raw', level, messageType: type, data: Buffer.from(view.subarray(start, start + n)) })
    }
    at += H + align(n)
  }
  return out
}

function tooManyBuffers(count: number): SocketError {
  return new SocketError('EMSGSIZE', {
    syscall: 'sendmsg',
    message: `sendmsg EMSGSIZE: ${count} buffers; at most ${MAX_IOV} (IOV_MAX)`,
  })
}

/** A place for `size` bytes: the arena region when it fits, else a malloc'ed block. */
function placeFor(
  rt: Runtime,
  size: number,
  region: number,
  capacity: number,
): { address: number; view: Buffer; offset: number; owned?: NativeBlock } {
  const { arena } = rt
  if (size <= capacity) return { address: arena.address + region, view: arena.view, offset: region }
  const owned = rt.engine.allocate(size)
  return { address: owned.address, view: owned.view, offset: 0, owned }
}

/** One sendmsg(2); returns the byte count or minus errno. */
export function sendMessage(
  rt: Runtime,
  fd: number,
  buffers: readonly Buffer[],
  to: SocketAddress | undefined,
  control: readonly ControlMessage[],
  bits: number,
): number {
  if (buffers.length > MAX_IOV) throw tooManyBuffers(buffers.length)
  const { view, address: base } = rt.arena
  const m = L.msghdr
  const total = buffers.reduce((s, b) => s + b.length, 0)
  const payloads = control.map(controlPayload)
  const controlBytes = payloads.reduce((s, p) => s + cmsgSpace(p.data.length), 0)
  const data = placeFor(rt, total, REGION.data, DATA_SIZE)
  const ctl = placeFor(rt, controlBytes, REGION.control, CONTROL_SIZE)
  try {
    view.fill(0, REGION.msghdr, REGION.msghdr + m.size)
    let at = 0
    buffers.forEach((b, i) => {
      const iov = REGION.iov + i * L.iovec.size
      b.copy(data.view, data.offset + at)
      writePointer(view, iov + L.iovec.base, data.address + at)
      writePointer(view, iov + L.iovec.len, b.length)
      at += b.length
    })
    if (to !== undefined) {
      const len = encodeSockaddr(to, view, REGION.addrIn)
      writePointer(view, REGION.msghdr + m.name, base + REGION.addrIn)
      view.writeUInt32LE(len, REGION.msghdr + m.namelen)
    }
    writePointer(view, REGION.msghdr + m.iov, base + REGION.iov)
    writePointer(view, REGION.msghdr + m.iovlen, buffers.length)
    if (controlBytes > 0) {
      encodeControl(payloads, ctl.view, ctl.offset)
      writePointer(view, REGION.msghdr + m.control, ctl.address)
      writePointer(view, REGION.msghdr + m.controllen, controlBytes)
    }
    return orErrno(rt, rt.libc.sendmsg(fd, base + REGION.msghdr, bits))
  } finally {
    if (data.owned) rt.engine.release(data.owned)
    if (ctl.owned) rt.engine.release(ctl.owned)
  }
}

/** One recvmsg(2); returns the result or minus errno. Received fds are the caller's to close. */
export function receiveMessage(
  rt: Runtime,
  fd: number,
  sizes: readonly number[],
  controlSize: number,
  bits: number,
  withFrom: boolean,
): RecvmsgResult | number {
  if (sizes.length > MAX_IOV) throw tooManyBuffers(sizes.length)
  const { view, address: base } = rt.arena
  const m = L.msghdr
  const total = sizes.reduce((s, n) => s + n, 0)
  const data = placeFor(rt, total, REGION.data, DATA_SIZE)
  const ctl = placeFor(rt, controlSize, REGION.control, CONTROL_SIZE)
  try {
    view.fill(0, REGION.msghdr, REGION.msghdr + m.size)
    view.fill(0, REGION.addrOut, REGION.addrOut + 128)
    let at = 0
    sizes.forEach((size, i) => {
      const iov = REGION.iov + i * L.iovec.size
      writePointer(view, iov + L.iovec.base, data.address + at)
      writePointer(view, iov + L.iovec.len, size)
      at += size
    })
    writePointer(view, REGION.msghdr + m.name, base + REGION.addrOut)
    view.writeUInt32LE(128, REGION.msghdr + m.namelen)
    writePointer(view, REGION.msghdr + m.iov, base + REGION.iov)
    writePointer(view, REGION.msghdr + m.iovlen, sizes.length)
    if (controlSize > 0) {
      ctl.view.fill(0, ctl.offset, ctl.offset + controlSize)
      writePointer(view, REGION.msghdr + m.control, ctl.address)
      writePointer(view, REGION.msghdr + m.controllen, controlSize)
    }
    const n = rt.libc.recvmsg(fd, base + REGION.msghdr, bits)
    if (n === -1) return -rt.engine.errno()
    const flags = view.readInt32LE(REGION.msghdr + m.flags)
    const controlLength = controlSize > 0 ? readSize(view, REGION.msghdr + m.controllen) : 0
    const nameLength = view.readUInt32LE(REGION.msghdr + m.namelen)
    const stored = Math.min(n, total)
    const out: Buffer[] = []
    let from = 0
    for (const size of sizes) {
      const take = Math.max(0, Math.min(size, stored - from))
      out.push(Buffer.from(data.view.subarray(data.offset + from, data.offset + from + take)))
      from += size
    }
    const control = controlLength > 0 ? decodeControl(ctl.view, ctl.offset, controlLength) : []
    const address = withFrom && nameLength > 0 ? decodeSockaddr(view, REGION.addrOut, nameLength) : undefined
    return {
      buffers: out,
      bytes: n,
      control,
      ...(address ? { from: address } : {}),
      truncated: (flags & MSG.MSG_TRUNC) !== 0,
      controlTruncated: (flags & MSG.MSG_CTRUNC) !== 0,
      endOfRecord: (flags & MSG.MSG_EOR) !== 0,
      oob: (flags & MSG.MSG_OOB) !== 0,
    }
  } finally {
    if (data.owned) rt.engine.release(data.owned)
    if (ctl.owned) rt.engine.release(ctl.owned)
  }
}
