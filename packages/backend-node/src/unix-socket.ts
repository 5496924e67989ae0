import type { ListenOptions, NetConnectOpts, Socket as NetSocket } from 'node:net'
import {
  notSupported,
  type OptionTarget,
  type OptionValue,
  type SocketAddress,
  type UnixAddress,
} from '@polysocket/core'
import { unnamed } from './address.js'
import { NODE_CAPABILITIES } from './capabilities.js'
import { errnoError } from './errors.js'
import type { Listener } from './listener.js'
import { noProtoOpt } from './options.js'
import { type AcceptedInit, StreamSocket } from './stream-socket.js'

/**
 * The path Node gets for a Unix address.
 * @throws SocketError `POLYSOCKET_NOT_SUPPORTED` for an abstract name where Node cannot bind
 * it exactly (see {@link NODE_CAPABILITIES}), and for the empty path (Linux's autobind).
 */
function nodePath(address: UnixAddress, syscall: 'bind' | 'connect'): string {
  if (address.path.startsWith('\0') && !NODE_CAPABILITIES.abstractNamespace) {
    throw notSupported('abstractNamespace', syscall)
  }
  if (address.path === '') throw notSupported('autobind of an empty Unix path', syscall)
  return address.path
}

/**
 * A Unix stream socket (AF_UNIX, SOCK_STREAM) on node:net pipes: filesystem paths, and on
 * Linux abstract names (a path starting with NUL) where libuv binds them exactly.
 */
export class UnixStreamSocket extends StreamSocket {
  readonly protocolNumber = 0
  protected readonly unconnectedSend = 'ENOTCONN'
  protected readonly unconnectedRecv = 'EINVAL'
  /** The path this socket was bound to, or the server path an accepted socket came through. */
  #path: string | undefined

  constructor(protocol: number, accepted?: AcceptedInit & { readonly path: string }, nonBlocking = false) {
    super({ family: 'AF_UNIX', type: 'SOCK_STREAM', protocol, nonBlocking }, accepted)
    if (accepted) this.#path = accepted.path
  }

  protected listenOptions(address: SocketAddress | undefined): ListenOptions {
    // Linux refuses listen(2) on an unbound Unix socket.
    if (address === undefined) throw errnoError('EINVAL', 'listen', 'a Unix socket must be bound before listen')
    return { path: nodePath(address as UnixAddress, 'bind') }
  }

  protected connectOptions(address: SocketAddress): NetConnectOpts {
    return { path: nodePath(address as UnixAddress, 'connect'), allowHalfOpen: true }
  }

  protected serverAddress(_listener: Listener, requested: SocketAddress | undefined): SocketAddress {
    // Called once the listen succeeded: from now on this socket is named.
    this.#path = (requested as UnixAddress | undefined)?.path
    return requested ?? unnamed()
  }

  // A connecting Unix socket here is never bound (Node cannot bind it), so it is unnamed, and
  // its peer is the path it connected to; an accepted one is named after its listener, and its
  // peer is unnamed.
  protected localEndpoint(_socket: NetSocket): SocketAddress {
    return this.#path === undefined ? unnamed() : { family: 'unix', path: this.#path }
  }

  protected remoteEndpoint(_socket: NetSocket): SocketAddress {
    return unnamed()
  }

  protected peerOf(target: SocketAddress): SocketAddress {
    return target
  }

  protected acceptedSocket(init: AcceptedInit): StreamSocket {
    return new UnixStreamSocket(this.protocol, { ...init, path: this.#path ?? '' })
  }

  protected applyOptions(_socket: NetSocket): void {}

  protected override _getOption(target: OptionTarget, rawLength: number): OptionValue {
    if (
      target.spec?.level === 'IPPROTO_TCP' ||
      target.spec?.level === 'IPPROTO_IPV6' ||
      target.spec?.level === 'IPPROTO_IP'
    ) {
      throw noProtoOpt(target, 'getsockopt')
    }
    return super._getOption(target, rawLength)
  }

  protected override _setOption(target: OptionTarget, value: OptionValue): void {
    if (
      target.spec?.level === 'IPPROTO_TCP' ||
      target.spec?.level === 'IPPROTO_IPV6' ||
      target.spec?.level === 'IPPROTO_IP'
    ) {
      throw noProtoOpt(target, 'setsockopt')
    }
    super._setOption(target, value)
  }
}
