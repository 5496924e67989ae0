import {
  type Inet6Address,
  type InetAddress,
  notSupported,
  type SocketAddress,
  SocketError,
  type UnixAddress,
} from '@polysocket/core'
import { interfaceIndex, interfaceName } from './interfaces.js'

/**
 * Whether Linux reads an IPv6 address's scope id: for link-local unicast (fe80::/10, as ipv6(7)
 * says) and for interface- and link-local multicast (ffx1::, ffx2::), the addresses the kernel's
 * `__ipv6_addr_needs_scope_id` names. For every other address it ignores `sin6_scope_id`, in
 * bind, connect and sendto alike.
 */
export function needsScope(address: string): boolean {
  const colon = address.indexOf(':')
  const first = colon <= 0 ? 0 : Number.parseInt(address.slice(0, colon), 16)
  if ((first & 0xffc0) === 0xfe80) return true
  const scope = first & 0x000f
  return (first & 0xff00) === 0xff00 && (scope === 1 || scope === 2)
}

/** The zones Node's `net.isIPv6` accepts: a name with other characters would go to the resolver, which drops it. */
const NODE_ZONE = /^[0-9A-Za-z.-]+$/

/**
 * The host string Node takes for an IP address. libuv reads a `%zone` suffix as an interface
 * name (if_nametoindex(3)), so a scope id is handed over as the name of its interface; on
 * Windows libuv reads a number, so it stays one. The zone is left out where the kernel ignores
 * the scope id (see {@link needsScope}).
 *
 * @param syscall - what the address is for, which decides the error for an unknown index.
 * @throws SocketError `ENODEV` (bind) or `ENETUNREACH` (connect, sendto) when no interface has
 * the scope id as its index, as Linux answers; `POLYSOCKET_NOT_SUPPORTED` when the interface's
 * name holds a character Node cannot take in a zone.
 */
export function nodeHost(address: InetAddress | Inet6Address, syscall: 'bind' | 'connect' | 'sendto'): string {
  if (address.family !== 'inet6' || !address.scopeId || !needsScope(address.address)) return address.address
  if (process.platform === 'win32') return `${address.address}%${address.scopeId}`
  const name = interfaceName(address.scopeId)
  if (name === undefined) {
    const code = syscall === 'bind' ? 'ENODEV' : 'ENETUNREACH'
    throw new SocketError(code, {
      syscall,
      address: address.address,
      port: address.port,
      message: `${syscall} ${code} ${address.address}:${address.port}: no network interface has index ${address.scopeId}`,
    })
  }
  if (!NODE_ZONE.test(name)) {
    throw notSupported(`an IPv6 scope on an interface whose name Node cannot take as a zone (${name})`, syscall)
  }
  return `${address.address}%${name}`
}

/**
 * The scope id of a `%zone` suffix, read as getaddrinfo(3) in glibc reads it: an interface
 * name first (if_nametoindex(3)) where the address takes a scope, else a decimal number
 * (at most 2^32 - 1). `undefined` when it is neither.
 */
export function zoneScopeId(address: string, zone: string): number | undefined {
  if (needsScope(address)) {
    const index = interfaceIndex(zone)
    if (index > 0) return index
  }
  if (!/^[0-9]+$/.test(zone)) return undefined
  const n = Number(zone)
  return n <= 0xffffffff ? n : undefined
}

/**
 * An address as Node reports it (`socket.remoteAddress`, `server.address()`, `rinfo`) in the
 * contract's shape, for a socket of `family`. Node gives the scope of a link-local address as
 * its interface's name (a number on Windows); it becomes `scopeId`, 0 when the interface is
 * gone by now.
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
    scopeId = zoneScopeId(address.slice(0, zone), address.slice(zone + 1)) ?? 0
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
