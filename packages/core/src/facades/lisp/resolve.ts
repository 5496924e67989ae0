import { isIP } from 'node:net'
import type { SocketAddress } from '../../contract/address.js'
import type { Backend } from '../../contract/backend.js'
import type { Family, SocketType } from '../../contract/names.js'
import { parsePort, text } from './arguments.js'
import { LispFault } from './faults.js'

/**
 * Resolves what a Lisp program names as a peer or a local end: for a unix socket, a file
 * name; otherwise an IP address or host name and a port or service, through the backend's
 * getaddrinfo (`lookup`), restricted to the socket's family and type.
 *
 * @param host - the file name (unix) or address / host name (inet, inet6).
 * @param port - an integer, a service name, or nil for 0; ignored for unix.
 * @throws LispFault EINVAL for arguments of the wrong kind; the backend's `EAI_*` errors.
 */
export async function resolveTarget(
  backend: Backend,
  family: Family,
  type: SocketType,
  host: unknown,
  port: unknown,
): Promise<SocketAddress> {
  if (family === 'AF_UNIX') return { family: 'unix', path: text(host, 'the file name') }
  const name = text(host, 'the address')
  const service = parsePort(port)
  const want = family === 'AF_INET' ? 4 : 6
  // A numeric address of the socket's family needs no resolver (and no service lookup either
  // when the port is a number).
  if (isIP(name) === want && typeof service === 'number') {
    return want === 4
      ? { family: 'inet', address: name, port: service }
      : { family: 'inet6', address: name, port: service }
  }
  const results = await backend.lookup(name, service, { family, type })
  const found = results.find((r) => r.address.family === (want === 4 ? 'inet' : 'inet6'))
  if (!found) throw new LispFault('EAI_ADDRFAMILY', `${name} has no address of family ${family}`)
  return found.address
}

/** The address and port properties of an address: `(address port)`, port nil for unix. */
export function addressParts(address: SocketAddress): { address: string; port: number | null } {
  return address.family === 'unix'
    ? { address: address.path, port: null }
    : { address: address.address, port: address.port }
}
