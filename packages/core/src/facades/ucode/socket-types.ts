import type { UcodeAddress } from './address.js'
import type { UcodeControlMessage } from './cmsg.js'

/** What `recvmsg()` returns (ucode socket documentation, ReceivedMessage). */
export interface UcodeMessage {
  /** `MSG_*` result bits: MSG_TRUNC 32, MSG_CTRUNC 8, MSG_EOR 128, MSG_OOB 1. */
  flags: number
  /** Bytes the call received (with MSG_TRUNC on a datagram: the datagram's full length). */
  length: number
  /** One Buffer, or one Buffer per size when `sizes` was an array. */
  data: Buffer | Buffer[]
  /** The sender, when the kernel reported one. */
  address?: UcodeAddress
  /** Control messages, only when some arrived. */
  ancillary?: UcodeControlMessage[]
}

/** Credentials of `peercred()`: uid and gid unsigned, pid signed. */
export interface UcodePeerCredentials {
  uid: number
  gid: number
  pid: number
}

/**
 * A ucode socket handle. Every method returns `null` on failure and records the error in the
 * module's slot (read it with `error()`); none throws. Methods that block in ucode return
 * Promises. Arguments are typed `unknown` because, as in ucode, any value is accepted and a
 * wrong one is reported, not thrown. Source: ucode socket documentation (socket methods) and
 * ucode lib/socket.c, the uc_socket_inst_* functions.
 */
export interface UcodeSocket {
  /** Connects to an address in any ucode form; `port` (IPv4/IPv6 only) overrides its port. → `true`. */
  connect(address?: unknown, port?: unknown): Promise<true | null>
  /** Binds; without an address, the IP wildcard with an ephemeral port. → `true`. */
  bind(address?: unknown): Promise<true | null>
  /** Marks the socket passive; backlog defaults to 128. → `true`. */
  listen(backlog?: unknown): Promise<true | null>
  /** Waits for a connection; fills `address` with the peer; `flags` may hold SOCK_NONBLOCK / SOCK_CLOEXEC. */
  accept(address?: unknown, flags?: unknown): Promise<UcodeSocket | null>
  /** Sends a string (UTF-8), bytes, or any value turned into a string as ucode prints it. → bytes sent. */
  send(data?: unknown, flags?: unknown, address?: unknown): Promise<number | null>
  /** Sends several buffers (an array) with optional ancillary data. → bytes sent. */
  sendmsg(data?: unknown, ancillary?: unknown, address?: unknown, flags?: unknown): Promise<number | null>
  /** Receives up to `length` bytes (default 4096); an empty Buffer at end of stream. */
  recv(length?: unknown, flags?: unknown, address?: unknown): Promise<Buffer | null>
  /** Receives into buffers of the given sizes, with up to `ancillarySize` bytes of control data. */
  recvmsg(sizes?: unknown, ancillarySize?: unknown, flags?: unknown): Promise<UcodeMessage | null>
  /** setsockopt by ucode's numbers; the value shaped per option. → `true`. */
  setopt(level?: unknown, option?: unknown, value?: unknown): true | null
  /** getsockopt by ucode's numbers: boolean, integer, string or dictionary. */
  getopt(level?: unknown, option?: unknown): unknown
  /** The descriptor number. */
  fileno(): number | null
  /** shutdown(2); `how` defaults to SHUT_RD (0) as in ucode. → `true`. */
  shutdown(how?: unknown): Promise<true | null>
  /** SO_PEERCRED of a connected Unix socket. */
  peercred(): UcodePeerCredentials | null
  /** The peer's address dictionary. */
  peername(): UcodeAddress | null
  /** The local address dictionary. */
  sockname(): UcodeAddress | null
  /** Closes the socket. → `true`; a second close fails with `Invalid socket context`. */
  close(): Promise<true | null>
  /** The module's error slot, the same as the module's `error()`. */
  error(numeric?: unknown): string | number | null
}
