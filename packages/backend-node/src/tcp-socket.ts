import type { ListenOptions, NetConnectOpts, Socket as NetSocket } from 'node:net'
import type { Inet6Address, InetAddress, OptionTarget, OptionValue, SocketAddress, SocketInit } from '@polysocket/core'
import { fromNode, nodeHost, wildcardHost } from './address.js'
import type { Listener } from './listener.js'
import { invalidOption, noProtoOpt, optionKey } from './options.js'
import { type AcceptedInit, StreamSocket } from './stream-socket.js'

type IpFamily = 'AF_INET' | 'AF_INET6'

/** A TCP socket (AF_INET or AF_INET6, SOCK_STREAM) on node:net. */
export class TcpSocket extends StreamSocket {
  readonly protocolNumber = 6
  protected readonly unconnectedSend = 'EPIPE'
  protected readonly unconnectedRecv = 'ENOTCONN'
  readonly #ipFamily: IpFamily

  constructor(init: SocketInit & { readonly family: IpFamily }, accepted?: AcceptedInit) {
    super(init, accepted)
    this.#ipFamily = init.family
  }

  protected listenOptions(address: SocketAddress | undefined): ListenOptions {
    const ip = address as InetAddress | Inet6Address | undefined
    const v6only = this.stored.get('IPPROTO_IPV6/IPV6_V6ONLY') === true
    return {
      host: ip ? nodeHost(ip, 'bind') : wildcardHost(this.family as IpFamily),
      port: ip?.port ?? 0,
      ...(this.family === 'AF_INET6' ? { ipv6Only: v6only } : {}),
    }
  }

  protected connectOptions(address: SocketAddress, local: SocketAddress | undefined): NetConnectOpts {
    const ip = address as InetAddress | Inet6Address
    const from = local as InetAddress | Inet6Address | undefined
    // Only what differs from Node's defaults: the host is an IP literal, so no lookup needs a
    // family, and a smaller options object costs less in every stream constructor it passes.
    const options: NetConnectOpts = { host: nodeHost(ip, 'connect'), port: ip.port, allowHalfOpen: true }
    if (this.stored.get('IPPROTO_TCP/TCP_NODELAY') === true) options.noDelay = true
    if (this.stored.get('SOL_SOCKET/SO_KEEPALIVE') === true) {
      options.keepAlive = true
      options.keepAliveInitialDelay = ((this.stored.get('IPPROTO_TCP/TCP_KEEPIDLE') as number | undefined) ?? 0) * 1000
    }
    if (from) {
      options.localAddress = nodeHost(from, 'bind')
      options.localPort = from.port
    }
    return options
  }

  protected serverAddress(listener: Listener, requested: SocketAddress | undefined): SocketAddress {
    const a = listener.server.address()
    if (a === null || typeof a === 'string') return requested ?? fromNode(this.#ipFamily, undefined, 0)
    return fromNode(this.#ipFamily, a.address, a.port)
  }

  protected localEndpoint(socket: NetSocket): SocketAddress {
    return fromNode(this.#ipFamily, socket.localAddress, socket.localPort)
  }

  protected remoteEndpoint(socket: NetSocket): SocketAddress {
    return fromNode(this.#ipFamily, socket.remoteAddress, socket.remotePort)
  }

  /**
   * An IPv4 peer is the address connected to, which Node reports in the same dotted form; but
   * connect(2) to 0.0.0.0 reaches a local address. IPv6 text has many spellings of one address
   * (and v4-mapped and scoped ones), so the kernel is asked.
   */
  protected peerOf(target: SocketAddress): SocketAddress | undefined {
    return target.family === 'inet' && target.address !== '0.0.0.0' ? target : undefined
  }

  protected acceptedSocket(init: AcceptedInit): StreamSocket {
    return new TcpSocket({ family: this.#ipFamily, type: 'SOCK_STREAM', protocol: this.protocol }, init)
  }

  protected applyOptions(socket: NetSocket): void {
    if (socket.destroyed) return
    if (this.stored.get('IPPROTO_TCP/TCP_NODELAY') !== undefined) {
      socket.setNoDelay(this.stored.get('IPPROTO_TCP/TCP_NODELAY') === true)
    }
    if (this.stored.get('SOL_SOCKET/SO_KEEPALIVE') !== undefined) this.#keepAlive(socket)
  }

  /** SO_KEEPALIVE with TCP_KEEPIDLE: Node sets both at once (an idle of 0 keeps the kernel's). */
  #keepAlive(socket: NetSocket): void {
    const idle = this.stored.get('IPPROTO_TCP/TCP_KEEPIDLE') as number | undefined
    socket.setKeepAlive(this.stored.get('SOL_SOCKET/SO_KEEPALIVE') === true, (idle ?? 0) * 1000)
  }

  protected override _getOption(target: OptionTarget, rawLength: number): OptionValue {
    switch (target.spec ? optionKey(target) : '') {
      case 'IPPROTO_TCP/TCP_NODELAY':
        return this.stored.get('IPPROTO_TCP/TCP_NODELAY') ?? false
      case 'IPPROTO_TCP/TCP_KEEPIDLE':
        // tcp(7): net.ipv4.tcp_keepalive_time, 7200 s unless set.
        return this.stored.get('IPPROTO_TCP/TCP_KEEPIDLE') ?? 7200
      case 'IPPROTO_IPV6/IPV6_V6ONLY':
        if (this.family !== 'AF_INET6') throw noProtoOpt(target, 'getsockopt')
        return this.stored.get('IPPROTO_IPV6/IPV6_V6ONLY') ?? false
    }
    return super._getOption(target, rawLength)
  }

  protected override _setOption(target: OptionTarget, value: OptionValue): void {
    const key = target.spec ? optionKey(target) : ''
    switch (key) {
      case 'IPPROTO_TCP/TCP_NODELAY':
        this.store(key, value)
        this.connection?.socket.setNoDelay(value as boolean)
        return
      case 'SOL_SOCKET/SO_KEEPALIVE':
      case 'IPPROTO_TCP/TCP_KEEPIDLE': {
        // Linux takes 1 to 32767 seconds (MAX_TCP_KEEPIDLE).
        if (key.endsWith('KEEPIDLE') && ((value as number) < 1 || (value as number) > 32767)) {
          throw invalidOption('TCP_KEEPIDLE', `must be from 1 to 32767 seconds, got ${value}`)
        }
        this.store(key, value)
        const socket = this.connection?.socket
        // Node cannot set the idle time without turning keepalive on; it waits for SO_KEEPALIVE.
        if (socket && (key.endsWith('KEEPALIVE') || this.stored.get('SOL_SOCKET/SO_KEEPALIVE') === true)) {
          this.#keepAlive(socket)
        }
        return
      }
      case 'IPPROTO_IPV6/IPV6_V6ONLY':
        if (this.family !== 'AF_INET6') throw noProtoOpt(target, 'setsockopt')
        // Node passes it to listen(); once bound, the kernel refuses the change too.
        if (this.isBound) throw invalidOption('IPV6_V6ONLY', 'cannot change once the socket is bound')
        this.store(key, value)
        return
    }
    super._setOption(target, value)
  }
}
