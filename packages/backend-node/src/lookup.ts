import { ADDRCONFIG, ALL, V4MAPPED } from 'node:dns'
import { lookup as dnsLookup, lookupService } from 'node:dns/promises'
import { isIP } from 'node:net'
import {
  checkAddress,
  type LookupHints,
  type LookupResult,
  type NiFlag,
  type SocketAddress,
  SocketError,
  type SocketType,
} from '@polysocket/core'
import { fromNode, zoneScopeId } from './address.js'
import { interfaceName } from './interfaces.js'
import { serviceName, servicePort } from './services.js'

/** getaddrinfo(3) failures, as Node's dns module names them, to the `EAI_*` codes. */
const EAI: Record<string, `EAI_${string}`> = {
  ENOTFOUND: 'EAI_NONAME',
  ENODATA: 'EAI_NODATA',
  EAI_AGAIN: 'EAI_AGAIN',
  ETIMEOUT: 'EAI_AGAIN',
  ESERVFAIL: 'EAI_FAIL',
  EAI_FAIL: 'EAI_FAIL',
  EBADFAMILY: 'EAI_FAMILY',
  ENOMEM: 'EAI_MEMORY',
}

function eai(code: `EAI_${string}`, syscall: string, cause?: unknown): SocketError {
  return new SocketError(code, cause === undefined ? { syscall } : { syscall, cause })
}

const PROTOCOL: Record<SocketType, number> = { SOCK_STREAM: 6, SOCK_DGRAM: 17, SOCK_RAW: 0, SOCK_SEQPACKET: 132 }

/**
 * getaddrinfo(3) on `dns.lookup` (the same resolver: nsswitch, /etc/hosts). Service names
 * come from /etc/services. Without a type hint each address yields a SOCK_STREAM, a SOCK_DGRAM
 * and a SOCK_RAW entry, as glibc gives.
 *
 * @throws SocketError `EAI_NONAME`, `EAI_SERVICE`, `EAI_ADDRFAMILY`, `EAI_FAMILY`,
 * `EAI_SOCKTYPE`, `EAI_AGAIN`, `EAI_FAIL`.
 */
export async function lookup(
  host: string | null,
  service: string | number | null,
  hints: LookupHints = {},
): Promise<LookupResult[]> {
  if (host !== null && typeof host !== 'string') throw new TypeError('host must be a string or null')
  if (service !== null && typeof service !== 'string' && typeof service !== 'number') {
    throw new TypeError('service must be a string, a number or null')
  }
  const flags = hints.flags ?? []
  if (host === null && service === null) throw eai('EAI_NONAME', 'getaddrinfo')
  if (hints.family !== undefined && hints.family !== 'AF_INET' && hints.family !== 'AF_INET6') {
    throw eai('EAI_FAMILY', 'getaddrinfo')
  }
  const ports = await resolvePorts(
    service,
    hints.type ? [hints.type] : ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW'],
    flags.includes('AI_NUMERICSERV'),
  )

  let addresses: { address: string; family: 4 | 6 }[]
  const want = hints.family === 'AF_INET' ? 4 : hints.family === 'AF_INET6' ? 6 : 0
  if (host === null || host === '') {
    if (host === '') throw eai('EAI_NONAME', 'getaddrinfo')
    const passive = flags.includes('AI_PASSIVE')
    const v6 = { address: passive ? '::' : '::1', family: 6 as const }
    const v4 = { address: passive ? '0.0.0.0' : '127.0.0.1', family: 4 as const }
    addresses = want === 4 ? [v4] : want === 6 ? [v6] : passive ? [v4, v6] : [v6, v4]
  } else if (isIP(host) !== 0) {
    const family = isIP(host) as 4 | 6
    const zone = host.indexOf('%')
    // glibc refuses a zone that is neither an interface (where the address takes one) nor a number.
    if (zone !== -1 && zoneScopeId(host.slice(0, zone), host.slice(zone + 1)) === undefined) {
      throw eai('EAI_NONAME', 'getaddrinfo')
    }
    if (want !== 0 && want !== family) {
      if (!(want === 6 && family === 4 && flags.includes('AI_V4MAPPED'))) throw eai('EAI_ADDRFAMILY', 'getaddrinfo')
      addresses = [{ address: `::ffff:${host}`, family: 6 }]
    } else {
      addresses = [{ address: host, family }]
    }
  } else if (flags.includes('AI_NUMERICHOST')) {
    throw eai('EAI_NONAME', 'getaddrinfo')
  } else {
    try {
      const found = await dnsLookup(host, {
        all: true,
        family: want,
        order: 'verbatim',
        hints:
          (flags.includes('AI_ADDRCONFIG') ? ADDRCONFIG : 0) |
          (flags.includes('AI_V4MAPPED') ? V4MAPPED : 0) |
          (flags.includes('AI_ALL') ? ALL : 0),
      })
      addresses = found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }))
    } catch (error) {
      const code = (error as { code?: string }).code ?? ''
      throw eai(EAI[code] ?? 'EAI_FAIL', 'getaddrinfo', error)
    }
  }

  const results: LookupResult[] = []
  for (const a of addresses) {
    const family = a.family === 4 ? 'AF_INET' : 'AF_INET6'
    for (const [type, port] of ports) {
      const address: SocketAddress = fromNode(family, a.address, port)
      results.push({ family, type, protocol: hints.protocol ?? PROTOCOL[type], address })
    }
  }
  if (flags.includes('AI_CANONNAME') && results[0] && host !== null) {
    // dns.lookup gives no canonical name; the name asked for is what /etc/hosts-style answers give.
    results[0] = { ...results[0], canonname: host }
  }
  return results
}

/**
 * The port of `service` for each socket type that has it, in order: a number serves every
 * type; a name only the types whose protocol lists it in /etc/services (glibc gives no
 * SOCK_RAW entry for a named service).
 */
async function resolvePorts(
  service: string | number | null,
  types: readonly SocketType[],
  numericOnly: boolean,
): Promise<[SocketType, number][]> {
  const every = (port: number): [SocketType, number][] => types.map((t) => [t, port])
  if (service === null) return every(0)
  if (typeof service === 'number') {
    if (!Number.isInteger(service) || service < 0 || service > 65535) throw eai('EAI_SERVICE', 'getaddrinfo')
    return every(service)
  }
  if (/^\d+$/.test(service)) {
    const n = Number(service)
    if (n > 65535) throw eai('EAI_SERVICE', 'getaddrinfo')
    return every(n)
  }
  if (numericOnly) throw eai('EAI_NONAME', 'getaddrinfo')
  const found: [SocketType, number][] = []
  for (const type of types) {
    const proto = type === 'SOCK_STREAM' ? 'tcp' : type === 'SOCK_DGRAM' ? 'udp' : undefined
    const port = proto === undefined ? undefined : await servicePort(service, proto)
    if (port !== undefined) found.push([type, port])
  }
  if (found.length === 0) throw eai('EAI_SERVICE', 'getaddrinfo')
  return found
}

/**
 * getnameinfo(3) on `dns.lookupService`, with numeric answers where asked or where no name
 * exists (unless NI_NAMEREQD).
 *
 * @throws SocketError `EAI_FAMILY` (a Unix address), `EAI_NONAME` (NI_NAMEREQD and no name).
 */
export async function nameinfo(
  address: SocketAddress,
  flags: readonly NiFlag[] = [],
): Promise<{ host: string; service: string }> {
  const a = checkAddress(address)
  if (a.family === 'unix') throw eai('EAI_FAMILY', 'getnameinfo')
  const numericHost = flags.includes('NI_NUMERICHOST')
  const numericServ = flags.includes('NI_NUMERICSERV')
  let host = a.family === 'inet6' && a.scopeId ? `${a.address}%${scopeText(a.address, a.scopeId)}` : a.address
  const service = numericServ
    ? String(a.port)
    : ((await serviceName(a.port, flags.includes('NI_DGRAM') ? 'udp' : 'tcp')) ?? String(a.port))
  if (!numericHost) {
    try {
      // Node asks getnameinfo with NI_NAMEREQD: a failure means no name, so the numeric form stands.
      const found = await lookupService(a.address, a.port)
      host = flags.includes('NI_NOFQDN') ? (found.hostname.split('.')[0] ?? found.hostname) : found.hostname
    } catch (error) {
      const code = (error as { code?: string }).code ?? ''
      if (flags.includes('NI_NAMEREQD'))
        throw eai(code === 'EAI_AGAIN' ? 'EAI_AGAIN' : 'EAI_NONAME', 'getnameinfo', error)
      if (code === 'EAI_AGAIN') throw eai('EAI_AGAIN', 'getnameinfo', error)
    }
  }
  return { host, service }
}

/**
 * The zone getnameinfo(3) in glibc writes for a numeric host: the interface's name for a
 * link-local unicast or link-local multicast address (if_indextoname(3)), else the number.
 */
function scopeText(address: string, scopeId: number): string {
  const first = Number.parseInt(address.slice(0, address.indexOf(':')) || '0', 16)
  const linkLocal = (first & 0xffc0) === 0xfe80 || (first & 0xff0f) === 0xff02
  return (linkLocal && interfaceName(scopeId)) || String(scopeId)
}
