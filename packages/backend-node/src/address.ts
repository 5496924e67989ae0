import type { Inet6Address, InetAddress, SocketAddress, UnixAddress } from '@polysocket/core'

/** The host string Node takes for an IP address: an IPv6 scope id becomes a `%zone` suffix. */
export function nodeHost(address: InetAddress | Inet6Address): string {
  if (address.family === 'inet6' && address.scopeId) return `${address.address}%${address.scopeId}`
  return address.address
}

/**
 * An address as Node reports it (`socket.remoteAddress`, `server.address()`, `rinfo`) in the
 * contract's shape, for a socket of `family`. IPv6 zone suffixes become `scopeId` when numeric.
 */
export function fromNode(
  family: 'AF_INET' | 'AF_INET6',
  host: string | undefined,
  port: number | undefined,
): InetAddress | Inet6Address {
  if (family === 'AF_INET') return { family: 'inet', address: host ?? '0.0.0.0', port: port ?? 0 }
  let address = host ?? '::'
  let scopeId = 0
  const zone = address.indexOf('%')
  if (zone !== -1) {
    const id = Number(address.slice(zone + 1))
    if (Number.isInteger(id)) scopeId = id
    address = address.slice(0, zone)
  }
  return { family: 'inet6', address, port: port ?? 0, flowinfo: 0, scopeId }
}

/** The unspecified address of a family with port 0: what getsockname(2) says before bind. */
export function unspecified(family: 'AF_INET' | 'AF_INET6' | 'AF_UNIX'): SocketAddress {
  if (family === 'AF_UNIX') return unnamed()
  return fromNode(family, undefined, 0)
}

/** An unnamed Unix socket's address. */
export function unnamed(): UnixAddress {
  return { family: 'unix', path: '' }
}

/** The wildcard host of an IP family, for an implicit bind. */
export function wildcardHost(family: 'AF_INET' | 'AF_INET6'): string {
  return family === 'AF_INET' ? '0.0.0.0' : '::'
}
