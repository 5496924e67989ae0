import type { SocketAddress } from './address.js'
import type { Capabilities } from './capabilities.js'
import type { Family, SocketType } from './names.js'
import type { Socket } from './socket.js'

/** Flags of {@link Backend.lookup} (getaddrinfo(3) `ai_flags`). */
export type AiFlag =
  | 'AI_PASSIVE'
  | 'AI_CANONNAME'
  | 'AI_NUMERICHOST'
  | 'AI_V4MAPPED'
  | 'AI_ALL'
  | 'AI_ADDRCONFIG'
  | 'AI_NUMERICSERV'

/** Flags of {@link Backend.nameinfo} (getnameinfo(3)). */
export type NiFlag = 'NI_NUMERICHOST' | 'NI_NUMERICSERV' | 'NI_NOFQDN' | 'NI_NAMEREQD' | 'NI_DGRAM'

/** Hints of {@link Backend.lookup}. */
export interface LookupHints {
  /** Restrict to one family; absent means AF_UNSPEC. */
  readonly family?: 'AF_INET' | 'AF_INET6'
  readonly type?: SocketType
  readonly protocol?: number
  readonly flags?: readonly AiFlag[]
}

/** One result of {@link Backend.lookup} (an `addrinfo`). */
export interface LookupResult {
  readonly family: Family
  readonly type: SocketType
  readonly protocol: number
  readonly address: SocketAddress
  /** With AI_CANONNAME, on the first result. */
  readonly canonname?: string
}

/** Options of {@link Backend.socket}. */
export interface SocketCreateOptions {
  /** Create in non-blocking mode (SOCK_NONBLOCK). */
  readonly nonBlocking?: boolean
}

/**
 * A backend: the contract on one platform mechanism. Created by each backend package's
 * `createBackend(options?)`.
 */
export interface Backend {
  /** Short name: `node`, `ffi`. */
  readonly name: string
  /** What it can do; gate on this, never on `name`. */
  readonly supports: Capabilities
  /**
   * The library the backend reaches the OS through, where it has a choice (backend-ffi:
   * `koffi` or `ffi-rs`); absent where it has none. Reports name it beside `name`.
   */
  readonly engine?: string
  /**
   * socket(2).
   * @param protocol - 0 (default) or a protocol number.
   * @throws SocketError `EAFNOSUPPORT`, `EPROTONOSUPPORT`, `EMFILE`, `POLYSOCKET_NOT_SUPPORTED`.
   * @throws TypeError for an unknown family or type name.
   */
  socket(family: Family, type: SocketType, protocol?: number, options?: SocketCreateOptions): Promise<Socket>
  /** socketpair(2), AF_UNIX only. @throws SocketError `POLYSOCKET_NOT_SUPPORTED` (feature `socketpair`). */
  socketpair(family: 'AF_UNIX', type: SocketType, options?: SocketCreateOptions): Promise<[Socket, Socket]>
  /**
   * getaddrinfo(3).
   * @param host - a name or numeric address, or `null` (with AI_PASSIVE: the wildcard).
   * @param service - a port number, a numeric string or a service name, or `null`.
   * @throws SocketError `EAI_NONAME`, `EAI_SERVICE`, `EAI_FAMILY`, `EAI_AGAIN`, …
   */
  lookup(host: string | null, service: string | number | null, hints?: LookupHints): Promise<LookupResult[]>
  /**
   * getnameinfo(3).
   * @returns host and service names (numeric where asked or where no name exists).
   * @throws SocketError `EAI_NONAME` (with NI_NAMEREQD and no name), `EAI_FAMILY`.
   */
  nameinfo(address: SocketAddress, flags?: readonly NiFlag[]): Promise<{ host: string; service: string }>
  /**
   * Adopts an open socket file descriptor; the returned Socket owns and will close it.
   * @throws SocketError `ENOTSOCK`, `EBADF`, `POLYSOCKET_NOT_SUPPORTED` (feature `fd`).
   */
  adopt(fd: number): Promise<Socket>
}
