import type { SocketAddress } from '../../contract/address.js'
import type { Backend } from '../../contract/backend.js'
import type { SocketType } from '../../contract/names.js'
import { SocketError } from '../../errors.js'

/** An IP socket address, the only kind a JMP socket uses. */
export type IpAddress = Extract<SocketAddress, { family: 'inet' | 'inet6' }>

/** The contract family of an IP address. */
export function familyOf(address: IpAddress): 'AF_INET' | 'AF_INET6' {
  return address.family === 'inet' ? 'AF_INET' : 'AF_INET6'
}

/**
 * Resolves a host and port through the backend's getaddrinfo, IPv4 results first (JMP's
 * documents only ever show IPv4; a name with both gets IPv4 unless the socket is IPv6 already).
 *
 * @param family - the family of the socket when it exists already: only those results count.
 * @throws SocketError `EAI_NONAME` when nothing usable comes back, `EAFNOSUPPORT` when results
 * exist but none is of `family`; whatever `lookup` throws.
 */
export async function resolve(
  backend: Backend,
  host: string,
  port: number | string,
  type: SocketType,
  family: 'AF_INET' | 'AF_INET6' | undefined,
): Promise<IpAddress[]> {
  const results = await backend.lookup(host, port, { type })
  const seen = new Set<string>()
  const ip: IpAddress[] = []
  for (const r of results) {
    const a = r.address
    if (a.family === 'unix') continue
    const key = `${a.family} ${a.address} ${a.port}`
    if (seen.has(key)) continue
    seen.add(key)
    ip.push(a)
  }
  if (ip.length === 0) {
    throw new SocketError('EAI_NONAME', { syscall: 'getaddrinfo', message: `getaddrinfo EAI_NONAME ${host}` })
  }
  const usable = ip.filter((a) => family === undefined || familyOf(a) === family)
  if (usable.length === 0) {
    throw new SocketError('EAFNOSUPPORT', {
      syscall: 'getaddrinfo',
      message: `${host} has no ${family === 'AF_INET' ? 'IPv4' : 'IPv6'} address for this socket`,
    })
  }
  return [...usable.filter((a) => a.family === 'inet'), ...usable.filter((a) => a.family === 'inet6')]
}

/**
 * The machine name for accept's third item: a reverse lookup through the backend's
 * getnameinfo, the numeric address when there is no name, the lookup fails, or it takes longer
 * than `limitMs` milliseconds. Never throws.
 */
export async function machineName(backend: Backend, address: SocketAddress, limitMs: number): Promise<string> {
  const numeric = address.family === 'unix' ? address.path : address.address
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolveLate) => {
    timer = setTimeout(() => resolveLate(undefined), limitMs)
    // A slow resolver must not hold the process open on our behalf.
    timer.unref()
  })
  try {
    const named = backend.nameinfo(address, ['NI_NUMERICSERV']).then(
      (r) => r.host,
      () => undefined,
    )
    const host = await Promise.race([named, late])
    return typeof host === 'string' && host !== '' ? host : numeric
  } catch {
    return numeric
  } finally {
    clearTimeout(timer)
  }
}
