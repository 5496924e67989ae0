import { checkAddress, type SocketAddress } from './address.js'
import type { AiFlag, Backend, LookupHints, LookupResult, NiFlag, SocketCreateOptions } from './backend.js'
import type { Capabilities } from './capabilities.js'
import type { Family, SocketType } from './names.js'
import type { Socket } from './socket.js'
import { checkFamily, checkInteger, checkOptions, checkSocketType } from './validate.js'

const AI_FLAGS: readonly AiFlag[] = [
  'AI_PASSIVE',
  'AI_CANONNAME',
  'AI_NUMERICHOST',
  'AI_V4MAPPED',
  'AI_ALL',
  'AI_ADDRCONFIG',
  'AI_NUMERICSERV',
]
const NI_FLAGS: readonly NiFlag[] = ['NI_NUMERICHOST', 'NI_NUMERICSERV', 'NI_NOFQDN', 'NI_NAMEREQD', 'NI_DGRAM']

/** A socket's creation options, checked: `{ nonBlocking }`. */
export interface CheckedCreateOptions {
  readonly nonBlocking: boolean
}

/**
 * The contract's common half of a {@link Backend}: every public method checks its arguments,
 * the same way on every backend, then calls a protected hook (`_socket`, `_socketpair`,
 * `_lookup`, `_nameinfo`, `_adopt`) with canonical ones. What the kernel can judge (a protocol
 * number, a family a backend lacks) is left to the hook: only what cannot be expressed at all
 * is refused here, with a `TypeError` or `RangeError`.
 */
export abstract class AbstractBackend implements Backend {
  abstract readonly name: string
  abstract readonly supports: Capabilities

  /**
   * socket(2).
   * @param protocol - 0 (default) or a protocol number, 0 to 2³¹−1.
   * @throws TypeError for an unknown family or type name or bad options; RangeError for a
   * protocol outside 0–2³¹−1; SocketError from the backend (`EPROTONOSUPPORT`, `EMFILE`,
   * `POLYSOCKET_NOT_SUPPORTED`, …).
   */
  // Not async: the backend's promise goes back as it is, without one more around it.
  socket(family: Family, type: SocketType, protocol = 0, options?: SocketCreateOptions): Promise<Socket> {
    try {
      checkFamily(family)
      checkSocketType(type)
      checkInteger(protocol, 'protocol', 0, 2 ** 31 - 1)
      return this._socket(family, type, protocol, checkCreateOptions(options))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * socketpair(2).
   * @throws TypeError for an unknown family or type name or bad options; SocketError from the
   * backend (`EOPNOTSUPP` for a family other than AF_UNIX, `POLYSOCKET_NOT_SUPPORTED`).
   */
  async socketpair(family: 'AF_UNIX', type: SocketType, options?: SocketCreateOptions): Promise<[Socket, Socket]> {
    checkFamily(family)
    checkSocketType(type)
    return this._socketpair(family, type, checkCreateOptions(options))
  }

  /**
   * getaddrinfo(3).
   * @param host - a name or numeric address (no NUL), or `null`.
   * @param service - a port number (0–65535), a numeric string or a service name (no NUL), or `null`.
   * @throws TypeError / RangeError for arguments of the wrong shape; SocketError `EAI_*`.
   */
  async lookup(host: string | null, service: string | number | null, hints?: LookupHints): Promise<LookupResult[]> {
    if (host !== null && typeof host !== 'string') throw new TypeError('host must be a string or null')
    if (typeof host === 'string' && host.includes('\0')) throw new TypeError('host must not contain NUL')
    if (service !== null && typeof service !== 'string' && typeof service !== 'number') {
      throw new TypeError('service must be a string, a port number or null')
    }
    if (typeof service === 'string' && service.includes('\0')) throw new TypeError('service must not contain NUL')
    if (typeof service === 'number') checkInteger(service, 'service', 0, 65535)
    return this._lookup(host, service, checkHints(hints))
  }

  /**
   * getnameinfo(3).
   * @throws TypeError for a malformed address or an unknown `NI_*` name; SocketError `EAI_*`.
   */
  async nameinfo(address: SocketAddress, flags?: readonly NiFlag[]): Promise<{ host: string; service: string }> {
    const a = checkAddress(address)
    return this._nameinfo(a, checkNames(flags ?? [], NI_FLAGS, 'flags'))
  }

  /**
   * Adopts an open socket file descriptor; the returned Socket owns and will close it.
   * @throws RangeError for an fd outside 0–2³¹−1; SocketError `EBADF`, `ENOTSOCK`, `EBUSY`
   * (a live socket of this backend owns it already), `POLYSOCKET_NOT_SUPPORTED` (feature `fd`).
   */
  async adopt(fd: number): Promise<Socket> {
    checkInteger(fd, 'fd', 0, 2 ** 31 - 1)
    return this._adopt(fd)
  }

  protected abstract _socket(
    family: Family,
    type: SocketType,
    protocol: number,
    options: CheckedCreateOptions,
  ): Promise<Socket>
  protected abstract _socketpair(
    family: 'AF_UNIX',
    type: SocketType,
    options: CheckedCreateOptions,
  ): Promise<[Socket, Socket]>
  protected abstract _lookup(
    host: string | null,
    service: string | number | null,
    hints: LookupHints,
  ): Promise<LookupResult[]>
  protected abstract _nameinfo(
    address: SocketAddress,
    flags: readonly NiFlag[],
  ): Promise<{ host: string; service: string }>
  protected abstract _adopt(fd: number): Promise<Socket>
}

function checkCreateOptions(options: unknown): CheckedCreateOptions {
  const o = checkOptions(options)
  if (o.nonBlocking !== undefined && typeof o.nonBlocking !== 'boolean') {
    throw new TypeError('options.nonBlocking must be a boolean')
  }
  return { nonBlocking: o.nonBlocking === true }
}

function checkHints(hints: unknown): LookupHints {
  const h = checkOptions(hints, 'hints')
  const out: { family?: 'AF_INET' | 'AF_INET6'; type?: SocketType; protocol?: number; flags?: readonly AiFlag[] } = {}
  // A family getaddrinfo does not resolve for (AF_UNIX) is its EAI_FAMILY, not a TypeError.
  if (h.family !== undefined && h.family !== 'AF_UNSPEC') {
    out.family = checkFamily(h.family, 'hints.family') as 'AF_INET' | 'AF_INET6'
  }
  if (h.type !== undefined) out.type = checkSocketType(h.type, 'hints.type')
  if (h.protocol !== undefined) out.protocol = checkInteger(h.protocol, 'hints.protocol', 0, 2 ** 31 - 1)
  if (h.flags !== undefined) out.flags = checkNames(h.flags, AI_FLAGS, 'hints.flags')
  return out
}

function checkNames<T extends string>(value: unknown, known: readonly T[], name: string): readonly T[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of names`)
  for (const f of value) {
    if (!known.includes(f as T)) throw new TypeError(`${name} holds an unknown name: ${String(f)}`)
  }
  return value as T[]
}
