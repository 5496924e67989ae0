/**
 * What a backend can do, as booleans. Every flag defaults to `false`; tests and users gate on
 * these, never on a backend's name.
 */
export interface Capabilities {
  /** TCP over IPv4. */
  readonly tcp: boolean
  /** UDP over IPv4. */
  readonly udp: boolean
  /** AF_INET6 for TCP and UDP. */
  readonly inet6: boolean
  /** AF_UNIX SOCK_STREAM on filesystem paths. */
  readonly unixStream: boolean
  /** AF_UNIX SOCK_DGRAM. */
  readonly unixDgram: boolean
  /** AF_UNIX SOCK_SEQPACKET. */
  readonly unixSeqpacket: boolean
  /** Linux abstract socket names (a path starting with NUL). */
  readonly abstractNamespace: boolean
  /** `Backend.socketpair`. */
  readonly socketpair: boolean
  /** `MSG_PEEK` on recv. */
  readonly msgPeek: boolean
  /** `MSG_OOB` (TCP urgent data). */
  readonly oob: boolean
  /** `sendmsg`/`recvmsg` with several buffers. */
  readonly scatterGather: boolean
  /** SCM_RIGHTS: passing file descriptors. */
  readonly ancillaryRights: boolean
  /** SCM_CREDENTIALS with SO_PASSCRED. */
  readonly ancillaryCredentials: boolean
  /** `Socket.peerCredentials()` (SO_PEERCRED). */
  readonly peerCredentials: boolean
  /** Numeric level/name options with byte values, passed to the kernel as they are. */
  readonly rawOptions: boolean
  /** SO_REUSEPORT. */
  readonly reusePort: boolean
  /** A real file descriptor in `Socket.fd`, and adopting one (`Backend.fromFd`). */
  readonly fd: boolean
  /** `shutdown(SHUT_RD)` with the kernel's semantics. */
  readonly halfCloseRead: boolean
  /** SOCK_RAW (also needs the privilege at run time). */
  readonly raw: boolean
  /** Non-blocking connect that settles with `EINPROGRESS`. */
  readonly nonBlockingConnect: boolean
  /** Binding a stream socket without listening or connecting holds the port like the kernel does. */
  readonly exactBind: boolean
  /** `sendBatch` / `recvBatch` move a whole batch in one system call (sendmmsg / recvmmsg); otherwise a loop. */
  readonly batchIo: boolean
  /**
   * `waitReady` reports what poll(2) would, every event exactly (POLLOUT only while the send
   * buffer has room, POLLRDHUP, POLLPRI); otherwise as closely as the backend can see.
   */
  readonly exactReadiness: boolean
}

/** One capability's name. */
export type Capability = keyof Capabilities

/** Every capability name, in the manifest's order. */
export const CAPABILITIES: readonly Capability[] = Object.freeze([
  'tcp',
  'udp',
  'inet6',
  'unixStream',
  'unixDgram',
  'unixSeqpacket',
  'abstractNamespace',
  'socketpair',
  'msgPeek',
  'oob',
  'scatterGather',
  'ancillaryRights',
  'ancillaryCredentials',
  'peerCredentials',
  'rawOptions',
  'reusePort',
  'fd',
  'halfCloseRead',
  'raw',
  'nonBlockingConnect',
  'exactBind',
  'batchIo',
  'exactReadiness',
])

/**
 * Builds a frozen capability manifest: the flags given, every other one `false`.
 *
 * @throws TypeError for a key that is not a capability or a value that is not a boolean.
 */
export function defineCapabilities(flags: Partial<Record<Capability, boolean>>): Capabilities {
  const manifest: Record<string, boolean> = {}
  for (const name of CAPABILITIES) manifest[name] = false
  for (const [name, value] of Object.entries(flags)) {
    if (!CAPABILITIES.includes(name as Capability)) throw new TypeError(`unknown capability: ${name}`)
    if (typeof value !== 'boolean') throw new TypeError(`capability ${name} must be a boolean`)
    manifest[name] = value
  }
  return Object.freeze(manifest) as unknown as Capabilities
}
