import type { Engine, NativeBlock } from './engine/engine.js'

/**
 * One native block per engine, split into fixed regions, for everything the kernel reads or
 * writes during a call: sockaddrs, socklen_t, option values, msghdr/iovec/cmsg, epoll events
 * and the data of calls up to {@link DATA_SIZE} bytes. Every call is synchronous on this
 * thread, so a region is in use only for the length of one call; the block is never freed,
 * so memory handed to the kernel is always alive. Each user zeroes the bytes it hands over.
 */
export const REGION = Object.freeze({
  /** A sockaddr the caller passes in (bind, connect, sendto, sendmsg). */
  addrIn: 0,
  /** A sockaddr the kernel writes (accept, recvfrom, getsockname, recvmsg). */
  addrOut: 128,
  /** socklen_t, in/out. */
  len: 256,
  /** socketpair's int[2]. */
  pair: 264,
  /** getsockopt's socklen_t. */
  optLen: 272,
  /** One struct pollfd for poll(2). */
  pollfd: 280,
  /** Option values (512 bytes). */
  opt: 512,
  msghdr: 1024,
  /** One epoll_event for epoll_ctl. */
  event: 1088,
  /** epoll_wait's output: {@link MAX_EVENTS} events. */
  events: 1152,
  /** iovecs: up to {@link MAX_IOV}. */
  iov: 4096,
  /** Control (ancillary) data, {@link CONTROL_SIZE} bytes. */
  control: 20480,
  /** Data of send/recv calls, {@link DATA_SIZE} bytes. */
  data: 131072,
})

export const MAX_EVENTS = 64
/** Linux IOV_MAX. */
export const MAX_IOV = 1024
export const CONTROL_SIZE = 65536
export const DATA_SIZE = 262144

/** Allocates an arena through `engine`; it is never freed. */
export function createArena(engine: Engine): NativeBlock {
  return engine.allocate(REGION.data + DATA_SIZE)
}
