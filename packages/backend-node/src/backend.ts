import {
  type Backend,
  type Capabilities,
  checkFamily,
  checkInteger,
  checkOptions,
  checkSocketType,
  type Family,
  type LookupHints,
  type LookupResult,
  type NiFlag,
  notSupported,
  type Socket,
  type SocketAddress,
  type SocketCreateOptions,
  SocketError,
  type SocketType,
} from '@polysocket/core'
import { NODE_CAPABILITIES } from './capabilities.js'
import { lookup, nameinfo } from './lookup.js'
import { TcpSocket } from './tcp-socket.js'
import { UdpSocket } from './udp-socket.js'
import { UnixStreamSocket } from './unix-socket.js'

/** Options of {@link createBackend}; none yet, kept for symmetry with other backends. */
export type NodeBackendOptions = Record<string, never>

/** The contract on node:net and node:dgram; see the package README for its design. */
export class NodeBackend implements Backend {
  readonly name = 'node'
  readonly supports: Capabilities = NODE_CAPABILITIES

  /**
   * socket(2): TCP (SOCK_STREAM, protocol 0 or 6) and UDP (SOCK_DGRAM, 0 or 17) on AF_INET and
   * AF_INET6, Unix stream sockets on AF_UNIX. No Node handle exists until bind, listen,
   * connect or the first send, so this never fails for lack of resources.
   * @throws SocketError `POLYSOCKET_NOT_SUPPORTED` (`unixDgram`, `unixSeqpacket`, `raw`),
   * `EPROTONOSUPPORT` for another protocol or SOCK_SEQPACKET over IP.
   * @throws TypeError for an unknown family or type name; RangeError for a protocol outside 0–255.
   */
  async socket(family: Family, type: SocketType, protocol = 0, options?: SocketCreateOptions): Promise<Socket> {
    checkFamily(family)
    checkSocketType(type)
    checkInteger(protocol, 'protocol', 0, 255)
    const nonBlocking = checkOptions(options).nonBlocking ?? false
    if (typeof nonBlocking !== 'boolean') throw new TypeError('options.nonBlocking must be a boolean')
    const init = { type, protocol, nonBlocking }
    if (family === 'AF_UNIX') {
      if (type === 'SOCK_STREAM') {
        if (protocol !== 0) throw protocolError(family, type, protocol)
        return new UnixStreamSocket(protocol, undefined, nonBlocking)
      }
      if (type === 'SOCK_DGRAM') throw notSupported('unixDgram', 'socket')
      if (type === 'SOCK_SEQPACKET') throw notSupported('unixSeqpacket', 'socket')
      throw new SocketError('ESOCKTNOSUPPORT', { syscall: 'socket' })
    }
    if (type === 'SOCK_STREAM') {
      if (protocol !== 0 && protocol !== 6) throw protocolError(family, type, protocol)
      return new TcpSocket({ ...init, family })
    }
    if (type === 'SOCK_DGRAM') {
      if (protocol !== 0 && protocol !== 17) throw protocolError(family, type, protocol)
      return new UdpSocket({ ...init, family })
    }
    if (type === 'SOCK_RAW') throw notSupported('raw', 'socket')
    // SOCK_SEQPACKET over IP would be SCTP, which Node does not speak.
    throw new SocketError('EPROTONOSUPPORT', { syscall: 'socket' })
  }

  /** @throws SocketError `POLYSOCKET_NOT_SUPPORTED` (`socketpair`): Node has no socketpair(2). */
  async socketpair(family: 'AF_UNIX', type: SocketType): Promise<[Socket, Socket]> {
    if (family !== 'AF_UNIX') throw new SocketError('EOPNOTSUPP', { syscall: 'socketpair' })
    checkSocketType(type)
    throw notSupported('socketpair', 'socketpair')
  }

  /** getaddrinfo(3) on `dns.lookup`; see `lookup.ts` and the README for the mapping. */
  lookup(host: string | null, service: string | number | null, hints?: LookupHints): Promise<LookupResult[]> {
    return lookup(host, service, hints)
  }

  /** getnameinfo(3) on `dns.lookupService` and /etc/services. */
  nameinfo(address: SocketAddress, flags?: readonly NiFlag[]): Promise<{ host: string; service: string }> {
    return nameinfo(address, flags)
  }

  /** @throws SocketError `POLYSOCKET_NOT_SUPPORTED` (`fd`): Node cannot wrap an fd as a socket of this contract. */
  async adopt(fd: number): Promise<Socket> {
    checkInteger(fd, 'fd', 0, 2 ** 31 - 1)
    throw notSupported('fd', 'adopt')
  }
}

function protocolError(family: Family, type: SocketType, protocol: number): SocketError {
  return new SocketError('EPROTONOSUPPORT', {
    syscall: 'socket',
    message: `socket EPROTONOSUPPORT: protocol ${protocol} with ${family} ${type}`,
  })
}
