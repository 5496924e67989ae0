import {
  AbstractBackend,
  type Capabilities,
  type CheckedCreateOptions,
  type Family,
  type LookupHints,
  type LookupResult,
  type NiFlag,
  notSupported,
  type Socket,
  type SocketAddress,
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
export class NodeBackend extends AbstractBackend {
  readonly name = 'node'
  readonly supports: Capabilities = NODE_CAPABILITIES

  /**
   * socket(2): TCP (SOCK_STREAM, protocol 0 or 6) and UDP (SOCK_DGRAM, 0 or 17) on AF_INET and
   * AF_INET6, Unix stream sockets on AF_UNIX. No Node handle exists until bind, listen,
   * connect or the first send, so this never fails for lack of resources.
   * @throws SocketError `POLYSOCKET_NOT_SUPPORTED` (`unixDgram`, `unixSeqpacket`, `raw`),
   * `EPROTONOSUPPORT` for another protocol or SOCK_SEQPACKET over IP.
   */
  protected _socket(family: Family, type: SocketType, protocol: number, o: CheckedCreateOptions): Promise<Socket> {
    // Not an async function: socket(2) never waits, and the contract's socket() already is one.
    try {
      return Promise.resolve(this.#create(family, type, protocol, o.nonBlocking))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  #create(family: Family, type: SocketType, protocol: number, nonBlocking: boolean): Socket {
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
      return new TcpSocket({ family, type, protocol, nonBlocking })
    }
    if (type === 'SOCK_DGRAM') {
      if (protocol !== 0 && protocol !== 17) throw protocolError(family, type, protocol)
      return new UdpSocket({ family, type, protocol, nonBlocking })
    }
    if (type === 'SOCK_RAW') throw notSupported('raw', 'socket')
    // SOCK_SEQPACKET over IP would be SCTP, which Node does not speak.
    throw new SocketError('EPROTONOSUPPORT', { syscall: 'socket' })
  }

  /** @throws SocketError `POLYSOCKET_NOT_SUPPORTED` (`socketpair`): Node has no socketpair(2). */
  protected async _socketpair(family: 'AF_UNIX'): Promise<[Socket, Socket]> {
    if (family !== 'AF_UNIX') throw new SocketError('EOPNOTSUPP', { syscall: 'socketpair' })
    throw notSupported('socketpair', 'socketpair')
  }

  /** getaddrinfo(3) on `dns.lookup`; see `lookup.ts` and the README for the mapping. */
  protected _lookup(host: string | null, service: string | number | null, hints: LookupHints): Promise<LookupResult[]> {
    return lookup(host, service, hints)
  }

  /** getnameinfo(3) on `dns.lookupService` and /etc/services. */
  protected _nameinfo(address: SocketAddress, flags: readonly NiFlag[]): Promise<{ host: string; service: string }> {
    return nameinfo(address, flags)
  }

  /** @throws SocketError `POLYSOCKET_NOT_SUPPORTED` (`fd`): Node cannot wrap an fd as a socket of this contract. */
  protected async _adopt(): Promise<Socket> {
    throw notSupported('fd', 'adopt')
  }
}

function protocolError(family: Family, type: SocketType, protocol: number): SocketError {
  return new SocketError('EPROTONOSUPPORT', {
    syscall: 'socket',
    message: `socket EPROTONOSUPPORT: protocol ${protocol} with ${family} ${type}`,
  })
}
