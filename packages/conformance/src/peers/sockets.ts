import type { Socket, SocketAddress, SocketType } from '@polysocket/core'
import type { CaseContext } from '../case.js'

/**
 * Opens a socket of the run's IP family (or `family`) and registers its close with the case's
 * cleanups at once, so that a failing assertion never leaks it.
 */
export async function openSocket(
  ctx: CaseContext,
  type: SocketType,
  family: 'AF_INET' | 'AF_INET6' | 'AF_UNIX' = ctx.family,
): Promise<Socket> {
  const socket = await ctx.backend.socket(family, type)
  ctx.onCleanup(() => socket.close())
  return socket
}

/** Registers the close of a socket the case got from elsewhere (an accepted one). */
export function own<T extends Socket>(ctx: CaseContext, socket: T): T {
  ctx.onCleanup(() => socket.close())
  return socket
}

/** A listening stream socket and the address it listens on (with its real port). */
export interface Listener {
  readonly socket: Socket
  readonly address: SocketAddress
}

/**
 * A TCP listener on the run's loopback address and an ephemeral port, or a Unix stream
 * listener on `address` when one is given.
 */
export async function listen(ctx: CaseContext, address?: SocketAddress): Promise<Listener> {
  const family = address === undefined ? ctx.family : familyOf(address)
  const socket = await openSocket(ctx, 'SOCK_STREAM', family)
  await socket.bind(address ?? ctx.addr(0))
  await socket.listen(16)
  return { socket, address: socket.localAddress() }
}

/** A connected stream pair: `client` connected to `server`, which `listener` accepted. */
export interface ConnectedPair {
  readonly client: Socket
  readonly server: Socket
  readonly listener: Listener
  /** The peer address `accept()` reported. */
  readonly acceptedFrom: SocketAddress
}

/**
 * Connects a client to a fresh listener (TCP on the run's loopback address, or Unix on
 * `address`) and accepts it. Every socket is closed after the case.
 */
export async function connectedPair(ctx: CaseContext, address?: SocketAddress): Promise<ConnectedPair> {
  const listener = await listen(ctx, address)
  const client = await openSocket(ctx, 'SOCK_STREAM', familyOf(listener.address))
  const accepting = listener.socket.accept({ signal: ctx.signal })
  await client.connect(listener.address, { signal: ctx.signal })
  const accepted = await accepting
  own(ctx, accepted.socket)
  return { client, server: accepted.socket, listener, acceptedFrom: accepted.address }
}

/** The socket family that goes with an address. */
export function familyOf(address: SocketAddress): 'AF_INET' | 'AF_INET6' | 'AF_UNIX' {
  return address.family === 'inet' ? 'AF_INET' : address.family === 'inet6' ? 'AF_INET6' : 'AF_UNIX'
}

/**
 * A TCP port on the run's loopback address that nothing listens on: bound by a listener, read,
 * then closed. A connect to it is refused (unless another process grabs it meanwhile); a bind to
 * it usually succeeds, but the port is not reserved.
 */
export async function closedPort(ctx: CaseContext): Promise<number> {
  const socket = await ctx.backend.socket(ctx.family, 'SOCK_STREAM')
  try {
    await socket.bind(ctx.addr(0))
    await socket.listen(1)
    return portOf(socket.localAddress())
  } finally {
    await socket.close()
  }
}

/** The port of an IP address. @throws Error for a Unix address. */
export function portOf(address: SocketAddress): number {
  if (address.family === 'unix') throw new Error(`expected an IP address, got unix ${JSON.stringify(address.path)}`)
  return address.port
}

/**
 * An address reduced to what two ends must agree on (family, address and port, or path), for
 * `deepEqual`: IPv6 flowinfo and scope id are left out, since loopback carries none.
 */
export function endpoint(address: SocketAddress): { family: string; address: string; port?: number } {
  return address.family === 'unix'
    ? { family: 'unix', address: address.path }
    : { family: address.family, address: address.address, port: address.port }
}
