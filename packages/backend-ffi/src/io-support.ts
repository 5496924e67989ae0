import type { MsgFlag, SocketAddress } from '@polysocket/core'
import { MSG } from './platform-linux.js'

/** Constants and small helpers of ffi-socket.ts's I/O loops. */

/** Linux errno numbers the I/O loops branch on. */
export const E = { EINTR: 4, EAGAIN: 11, EINPROGRESS: 115, EALREADY: 114, EISCONN: 106, ECONNABORTED: 103 } as const

/** Returned by an attempt that hit EAGAIN: wait for readiness, then try again. */
export const AGAIN: unique symbol = Symbol('EAGAIN')

/** Flags added to every data call: no SIGPIPE ever, and never block even on a shared blocking fd. */
export const ALWAYS = MSG.MSG_NOSIGNAL | MSG.MSG_DONTWAIT

/** Largest buffer a stream recv allocates when the caller asks for more (a stream may return less). */
export const STREAM_RECV_CAP = 4 << 20
/** Largest datagram Linux can queue (an AF_UNIX datagram is bounded by SO_SNDBUF ≤ 2 × wmem_max). */
export const DGRAM_RECV_CAP = 16 << 20
/**
 * A stream read of more than this many bytes goes straight into a Buffer of its own when the
 * socket's last read was that large too (bulk traffic); smaller ones go through the arena and
 * are copied out at the size the kernel returned, so a 4 KiB request answered with 64 bytes
 * allocates 64.
 */
export const LARGE_READ = 16384
/** Retry period, in milliseconds, for waits that no epoll edge may end (see `_send`). */
export const DGRAM_RETRY_MS = 5

export function msgFlags(flags: readonly MsgFlag[]): number {
  let bits = 0
  for (const f of flags) bits |= MSG[f]
  return bits
}

/** Allocates a receive buffer, or explains why it cannot. */
export function receiveBuffer(length: number): Buffer {
  try {
    return Buffer.allocUnsafeSlow(length)
  } catch (cause) {
    throw new RangeError(`cannot allocate a ${length}-byte receive buffer`, { cause })
  }
}

/** A right-sized result: a big receive buffer mostly unused is copied, not kept alive. */
export function shrink(big: Buffer, length: number): Buffer {
  if (big.length > 65536 && length < big.length / 2) return Buffer.from(big.subarray(0, length))
  return big.subarray(0, length)
}

export function where(address: SocketAddress): { address?: string; port?: number } {
  if (address.family === 'unix') return { address: address.path }
  return { address: address.address, port: address.port }
}
