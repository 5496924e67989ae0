import type { RecvResult, SocketAddress } from '@polysocket/core'
import type { NativeBlock } from './engine/engine.js'
import { writePointer } from './msg.js'
import { currentLayout, MSG } from './platform-linux.js'
import { orErrno, type Runtime } from './runtime.js'
import { decodeSockaddr, encodeSockaddr } from './sockaddr.js'

/**
 * sendmmsg(2) / recvmmsg(2): a whole batch of datagrams in one FFI call, which spares the
 * per-call cost of the engine and of the syscall entry for all but one datagram.
 * `struct mmsghdr` is a msghdr followed by `unsigned msg_len`, padded to 64 bytes on LP64.
 * Headers, iovecs and names live in a per-engine block (`Runtime.batch`) that grows to the
 * largest batch seen (never freed, like the arena); data larger than
 * {@link BATCH_DATA_MAX} goes through a block freed after the call.
 */

const L = currentLayout()
const MMSG = 64
const MSG_LEN = L.msghdr.size
const NAME = 128
/** Largest datagram Linux queues (an AF_UNIX one is bounded by SO_SNDBUF ≤ 2 × wmem_max). */
const DGRAM_MAX = 16 << 20
/** Most receive room one recvmmsg call sets aside. */
const BATCH_ROOM_MAX = 64 << 20
/** Bytes of datagram data the kept batch block holds. */
const BATCH_DATA_MAX = 4 << 20

/** The kept block, grown to hold `messages` headers and `data` bytes (data up to BATCH_DATA_MAX). */
function batchBlock(
  rt: Runtime,
  messages: number,
  data: number,
): { headers: NativeBlock; data: NativeBlock; owned?: NativeBlock } {
  const fits = data <= BATCH_DATA_MAX
  const want = fits ? data : 0
  let kept = rt.batch
  if (!kept || kept.messages < messages || kept.data < want) {
    const m = Math.max(messages, kept?.messages ?? 0, 32)
    const d = Math.max(want, kept?.data ?? 0, 65536)
    const block = rt.engine.allocate(m * (MMSG + L.iovec.size + NAME) + d)
    if (kept) rt.engine.release(kept.block)
    kept = { block, messages: m, data: d }
    rt.batch = kept
  }
  const headersSize = kept.messages * (MMSG + L.iovec.size + NAME)
  const headers = { address: kept.block.address, view: kept.block.view.subarray(0, headersSize) }
  if (fits)
    return { headers, data: { address: kept.block.address + headersSize, view: kept.block.view.subarray(headersSize) } }
  const owned = rt.engine.allocate(data)
  return { headers, data: owned, owned }
}

/** Offsets in the headers block for message `i` of a batch of `n`. */
const at = (n: number, i: number) => ({
  mmsg: i * MMSG,
  iov: n * MMSG + i * L.iovec.size,
  name: n * (MMSG + L.iovec.size) + i * NAME,
})

/** One sendmmsg(2); returns the count sent or minus errno. */
export function sendBatch(
  rt: Runtime,
  fd: number,
  batch: readonly { data: Buffer; to: SocketAddress | undefined }[],
  bits: number,
): number {
  const n = batch.length
  const total = batch.reduce((s, m) => s + m.data.length, 0)
  const { headers, data, owned } = batchBlock(rt, n, total)
  try {
    const h = headers.view
    h.fill(0, 0, n * (MMSG + L.iovec.size + NAME))
    let offset = 0
    batch.forEach((m, i) => {
      const o = at(n, i)
      m.data.copy(data.view, offset)
      writePointer(h, o.iov + L.iovec.base, data.address + offset)
      writePointer(h, o.iov + L.iovec.len, m.data.length)
      offset += m.data.length
      if (m.to !== undefined) {
        const len = encodeSockaddr(m.to, h, o.name)
        writePointer(h, o.mmsg + L.msghdr.name, headers.address + o.name)
        h.writeUInt32LE(len, o.mmsg + L.msghdr.namelen)
      }
      writePointer(h, o.mmsg + L.msghdr.iov, headers.address + o.iov)
      writePointer(h, o.mmsg + L.msghdr.iovlen, 1)
    })
    return orErrno(rt, rt.libc.sendmmsg(fd, headers.address, n, bits))
  } finally {
    if (owned) rt.engine.release(owned)
  }
}

/** One recvmmsg(2) of up to `n` datagrams of `maxBytes`; returns the results or minus errno. */
export function receiveBatch(
  rt: Runtime,
  fd: number,
  count: number,
  maxBytes: number,
  bits: number,
  withFrom: boolean,
): RecvResult[] | number {
  // Room per datagram: what was asked, but never more than Linux can queue in one; fewer
  // messages per call when the batch would need more than BATCH_ROOM_MAX bytes.
  const room = Math.min(maxBytes, DGRAM_MAX)
  const n = Math.max(1, Math.min(count, Math.floor(BATCH_ROOM_MAX / Math.max(room, 1))))
  const { headers, data, owned } = batchBlock(rt, n, n * room)
  try {
    const h = headers.view
    h.fill(0, 0, n * (MMSG + L.iovec.size + NAME))
    for (let i = 0; i < n; i++) {
      const o = at(n, i)
      writePointer(h, o.iov + L.iovec.base, data.address + i * room)
      writePointer(h, o.iov + L.iovec.len, room)
      writePointer(h, o.mmsg + L.msghdr.name, headers.address + o.name)
      h.writeUInt32LE(NAME, o.mmsg + L.msghdr.namelen)
      writePointer(h, o.mmsg + L.msghdr.iov, headers.address + o.iov)
      writePointer(h, o.mmsg + L.msghdr.iovlen, 1)
    }
    const rc = rt.libc.recvmmsg(fd, headers.address, n, bits, 0)
    if (rc === -1) return -rt.engine.errno()
    const out: RecvResult[] = []
    for (let i = 0; i < rc; i++) {
      const o = at(n, i)
      const length = h.readUInt32LE(o.mmsg + MSG_LEN)
      const flags = h.readInt32LE(o.mmsg + L.msghdr.flags)
      const nameLength = h.readUInt32LE(o.mmsg + L.msghdr.namelen)
      const kept = Math.min(length, room)
      const bytes = Buffer.from(data.view.subarray(i * room, i * room + kept))
      const from = withFrom && nameLength > 0 ? decodeSockaddr(h, o.name, nameLength) : undefined
      out.push({ data: bytes, truncated: (flags & MSG.MSG_TRUNC) !== 0, ...(from ? { from } : {}) })
    }
    return out
  } finally {
    if (owned) rt.engine.release(owned)
  }
}
