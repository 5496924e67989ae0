import type { SocketAddress } from './address.js'
import type { Family, MsgFlag, ShutdownHow, SocketType } from './names.js'
import type { OptionValue, Ucred } from './options.js'

/** Data the contract accepts for sending: bytes, or a string sent as UTF-8. */
export type Data = Uint8Array | string

/** Options of {@link Socket.connect}. */
export interface ConnectOptions {
  /**
   * Give up with `ETIMEDOUT` after this many milliseconds. When absent, SO_SNDTIMEO bounds the
   * connect, and its expiry is `EINPROGRESS`, as on Linux (socket(7)).
   */
  readonly timeoutMs?: number
  /** Aborting rejects with the signal's reason and leaves the socket unusable for connect. */
  readonly signal?: AbortSignal
}

/** Options of {@link Socket.send}. */
export interface SendOptions {
  readonly flags?: readonly MsgFlag[]
  /** Destination, for datagram sockets (`sendto(2)`). */
  readonly to?: SocketAddress
  readonly signal?: AbortSignal
}

/** Options of {@link Socket.recv}. */
export interface RecvOptions {
  readonly flags?: readonly MsgFlag[]
  readonly signal?: AbortSignal
  /**
   * The memory to receive into, as recv(2) fills the caller's buffer: at least `maxBytes`
   * long; the result's `data` is then a view of its first bytes, and no buffer is allocated.
   * Bytes past what was received keep their content.
   */
  readonly into?: Uint8Array
}

/** What {@link Socket.recv} gives back. */
export interface RecvResult {
  /** At most `maxBytes` bytes; zero bytes on a stream socket is orderly EOF. */
  readonly data: Buffer
  /** The sender, on datagram sockets (`recvfrom(2)`). */
  readonly from?: SocketAddress
  /** A datagram was longer than `maxBytes`; the rest was discarded (MSG_TRUNC in msg_flags). */
  readonly truncated: boolean
  /**
   * With the `MSG_TRUNC` flag: on a datagram socket, the datagram's full length in bytes; on a
   * stream socket, how many bytes were discarded (Linux's TCP throws them away and returns the
   * count, tcp(7)), and `data` is then empty.
   */
  readonly fullLength?: number
}

/** An ancillary (control) message of `sendmsg(2)` / `recvmsg(2)`. */
export type ControlMessage =
  /** SCM_RIGHTS: file descriptors. Received ones belong to the receiving socket until taken (`detachFds`). */
  | { readonly type: 'SCM_RIGHTS'; readonly fds: readonly number[] }
  /** SCM_CREDENTIALS: a process's credentials (needs SO_PASSCRED on the receiver). */
  | ({ readonly type: 'SCM_CREDENTIALS' } & Ucred)
  /** Any other message, by Linux numbers, with its payload bytes. */
  | { readonly type: 'raw'; readonly level: number; readonly messageType: number; readonly data: Uint8Array }

/** Options of {@link Socket.sendmsg}. */
export interface SendmsgOptions {
  readonly flags?: readonly MsgFlag[]
  readonly to?: SocketAddress
  readonly control?: readonly ControlMessage[]
  readonly signal?: AbortSignal
}

/** Options of {@link Socket.recvmsg}. */
export interface RecvmsgOptions {
  /** One buffer of each size, in bytes, filled in order (scatter). Default `[4096]`. */
  readonly sizes?: readonly number[]
  /** Room for ancillary data, in bytes. Default 0: no control messages. */
  readonly controlSize?: number
  readonly flags?: readonly MsgFlag[]
  readonly signal?: AbortSignal
}

/** What {@link Socket.recvmsg} gives back. */
export interface RecvmsgResult {
  /** One buffer per requested size, each cut to the bytes it received. */
  readonly buffers: readonly Buffer[]
  /** Total bytes received (with MSG_TRUNC on a datagram socket: the datagram's full length). */
  readonly bytes: number
  readonly control: readonly ControlMessage[]
  readonly from?: SocketAddress
  /** MSG_TRUNC in msg_flags: a datagram was cut. */
  readonly truncated: boolean
  /** MSG_CTRUNC in msg_flags: control data was cut (received fds may have been closed by the kernel). */
  readonly controlTruncated: boolean
  /** MSG_EOR / MSG_OOB in msg_flags. */
  readonly endOfRecord: boolean
  readonly oob: boolean
}

/** One datagram of {@link Socket.sendBatch}. */
export interface BatchMessage {
  readonly data: Data
  /** Destination; absent on a connected socket. */
  readonly to?: SocketAddress
}

/** Options of {@link Socket.recvBatch}. */
export interface RecvBatchOptions {
  /** Largest datagram kept whole, in bytes (default 65,535); longer ones are truncated. */
  readonly maxBytes?: number
  readonly signal?: AbortSignal
}

/** What {@link Socket.accept} gives back. */
export interface Accepted {
  /** The connected socket; it is blocking whatever the listener's mode (as accept(2) does on Linux). */
  readonly socket: Socket
  /** The peer's address. */
  readonly address: SocketAddress
}

/**
 * One socket of the contract. Every I/O method returns a Promise that never blocks the event
 * loop. In blocking mode (the default) it waits until the operation can complete, or until
 * SO_RCVTIMEO / SO_SNDTIMEO elapse (then `EAGAIN`); in non-blocking mode (`setNonBlocking(true)`
 * or `MSG_DONTWAIT`) it rejects at once with `EAGAIN` when the operation would block.
 *
 * After `close()`, every method rejects (or throws) a `SocketError` with code `EBADF`; a second
 * `close()` is harmless.
 *
 * Argument mistakes throw `TypeError` / `RangeError` naming the argument, synchronously.
 * Source: POSIX socket(2) family of calls; see each method.
 */
/**
 * The events of {@link Socket.waitReady}, by poll(2)'s names: input (POLLIN), urgent data
 * (POLLPRI), room for output (POLLOUT), the peer's shutdown of its sending side (POLLRDHUP),
 * an error pending (POLLERR), hang-up (POLLHUP). Source: poll(2).
 */
export type PollEvent = 'POLLIN' | 'POLLPRI' | 'POLLOUT' | 'POLLRDHUP' | 'POLLERR' | 'POLLHUP'

/** Every {@link PollEvent}, in poll(2)'s bit order. */
export const POLL_EVENTS: readonly PollEvent[] = Object.freeze([
  'POLLIN',
  'POLLPRI',
  'POLLOUT',
  'POLLERR',
  'POLLHUP',
  'POLLRDHUP',
])

/** Options of {@link Socket.waitReady}. */
export interface WaitReadyOptions {
  /** Milliseconds to wait at most; `0` asks without waiting; absent waits without limit. */
  readonly timeoutMs?: number
  readonly signal?: AbortSignal
}

export interface Socket {
  readonly family: Family
  readonly type: SocketType
  /** Protocol number (0 for the family's default). */
  readonly protocol: number
  /** `true` once `close()` was called. */
  readonly closed: boolean
  /**
   * The file descriptor.
   * @throws SocketError `POLYSOCKET_NOT_SUPPORTED` (feature `fd`) where the backend has none.
   */
  readonly fd: number
  /** bind(2). @throws SocketError `EADDRINUSE`, `EADDRNOTAVAIL`, `EACCES`, `EINVAL` (already bound), `EAFNOSUPPORT`. */
  bind(address: SocketAddress): Promise<void>
  /** listen(2), backlog default 511. @throws SocketError `EADDRINUSE`, `EOPNOTSUPP` (not a stream/seqpacket socket). */
  listen(backlog?: number): Promise<void>
  /**
   * accept(2). The connection inherits the listener's SO_RCVTIMEO and SO_SNDTIMEO, as on Linux.
   * @throws SocketError `EINVAL` (not listening), `EAGAIN` (non-blocking, none pending).
   */
  accept(options?: { readonly signal?: AbortSignal }): Promise<Accepted>
  /**
   * connect(2). On a datagram socket, sets the default destination and the only accepted source.
   * @throws SocketError `ECONNREFUSED`, `ETIMEDOUT` (`options.timeoutMs` elapsed, or the kernel
   * gave up), `ENETUNREACH`, `EISCONN`, `EINPROGRESS` (non-blocking, where `nonBlockingConnect`;
   * or SO_SNDTIMEO elapsed), `ENOENT` (Unix path missing).
   */
  connect(address: SocketAddress, options?: ConnectOptions): Promise<void>
  /**
   * send(2) / sendto(2): writes what it can (blocking: all of it on a stream socket) and
   * returns the count of bytes sent.
   * @throws SocketError `EPIPE`, `ECONNRESET`, `EAGAIN`, `EMSGSIZE`, `EDESTADDRREQ`, `ENOTCONN`.
   */
  send(data: Data, options?: SendOptions): Promise<number>
  /**
   * recv(2) / recvfrom(2): up to `maxBytes` bytes (0 to 2^31-1), in a new Buffer or, with
   * `options.into`, in the caller's memory.
   * @throws SocketError `EAGAIN`, `ECONNRESET`, `ENOTCONN`.
   * @throws TypeError when `options.into` is not a Uint8Array; RangeError when it is shorter
   * than `maxBytes`.
   */
  recv(maxBytes: number, options?: RecvOptions): Promise<RecvResult>
  /** sendmsg(2): several buffers and ancillary data; returns bytes sent. */
  sendmsg(buffers: readonly Data[], options?: SendmsgOptions): Promise<number>
  /**
   * recvmsg(2): several buffers and ancillary data. File descriptors received through
   * SCM_RIGHTS belong to this socket until taken (`detachFds`, or `Backend.adopt`): closing the
   * socket closes those still held, so an ignored fd never leaks.
   */
  recvmsg(options?: RecvmsgOptions): Promise<RecvmsgResult>
  /**
   * Takes received SCM_RIGHTS fds away from this socket, which then no longer closes them: the
   * caller owns them (close them with `fs.closeSync`, or adopt them). Never close a received fd
   * yourself without taking it first: the socket would close its number again later.
   * @param fds - the fds to take; all that the socket holds when absent.
   * @returns the fds taken (those of `fds` that this socket held).
   */
  detachFds(fds?: readonly number[]): number[]
  /**
   * sendmmsg(2): sends datagrams in order and resolves with how many were sent (fewer than
   * given only when a later one would block in non-blocking mode). One system call per batch
   * where `supports.batchIo`, a loop of sends otherwise.
   * @throws SocketError as {@link Socket.send}, when not even the first datagram could be sent.
   */
  sendBatch(messages: readonly BatchMessage[], options?: { readonly signal?: AbortSignal }): Promise<number>
  /**
   * recvmmsg(2) with MSG_WAITFORONE: waits for one datagram (as {@link Socket.recv} waits), then
   * takes up to `maxMessages` in all of those already queued, without waiting again.
   * @throws SocketError as {@link Socket.recv}.
   */
  recvBatch(maxMessages: number, options?: RecvBatchOptions): Promise<RecvResult[]>
  /** shutdown(2). @throws SocketError `ENOTCONN`. */
  shutdown(how: ShutdownHow): Promise<void>
  /** close(2), exactly once; later calls resolve at once. */
  close(): Promise<void>
  /**
   * getsockopt(2) by names (`'SOL_SOCKET', 'SO_RCVBUF'`) or numbers; the value has the
   * option's kind (see `OptionKind`). An untyped numeric pair returns a Buffer of `rawLength` bytes.
   * @throws SocketError `ENOPROTOOPT`, `POLYSOCKET_NOT_SUPPORTED`.
   */
  getOption(level: string | number, name: string | number, rawLength?: number): OptionValue
  /** setsockopt(2); see {@link Socket.getOption}. @throws SocketError `ENOPROTOOPT`, `EINVAL`, `EPERM`. */
  setOption(level: string | number, name: string | number, value: OptionValue): void
  /** getsockname(2). @throws SocketError `EBADF`. */
  localAddress(): SocketAddress
  /** getpeername(2). @throws SocketError `ENOTCONN`. */
  remoteAddress(): SocketAddress
  /** SO_PEERCRED of a connected Unix socket. @throws SocketError `ENOTCONN`, `POLYSOCKET_NOT_SUPPORTED`. */
  peerCredentials(): Ucred
  /**
   * O_NONBLOCK on or off (see the class comment for what it changes). The mode is read when a
   * call starts: a call already waiting keeps waiting, as a thread blocked in recv(2) stays
   * blocked when another thread sets O_NONBLOCK.
   */
  setNonBlocking(on: boolean): void
  /** Whether the socket is in non-blocking mode. */
  readonly nonBlocking: boolean
  /**
   * Waits until one of `events` holds, as poll(2) on this one socket: resolves with the events
   * that hold now (POLLERR and POLLHUP are reported whether asked for or not), or `[]` when
   * `timeoutMs` passed first. Nothing is read or accepted. Exact where `supports.exactReadiness`,
   * otherwise as closely as the backend can see (its README says where it differs).
   * @throws SocketError `EBADF` (closed, also when closed while waiting); the signal's reason on abort.
   * @throws TypeError for an unknown event name; RangeError for a bad `timeoutMs`.
   */
  waitReady(events: readonly PollEvent[], options?: WaitReadyOptions): Promise<PollEvent[]>
}
