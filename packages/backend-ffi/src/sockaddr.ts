import { type SocketAddress, SocketError } from '@polysocket/core'
import { AF } from './platform-linux.js'

/**
 * Encoding and decoding of Linux `sockaddr_in`, `sockaddr_in6` and `sockaddr_un` in a byte
 * view, with no FFI: the functions are pure and unit-tested. Every byte of the struct is
 * written (zeroed first), so no stale arena bytes reach the kernel.
 * Source: ip(7), ipv6(7), unix(7) "Address format".
 */

/** Room a sockaddr needs, in bytes (`sizeof(struct sockaddr_storage)`). */
export const SOCKADDR_MAX = 128
const SUN_PATH = 108

/**
 * Writes `address` into `view` at `offset` and returns the length to hand to the kernel.
 *
 * Unix paths: a filesystem path gets its terminating NUL counted; an abstract name (leading
 * NUL) is counted exactly, with no terminator (names are compared by length); an empty path
 * encodes just the family (bind: autobind to an abstract name; connect: EINVAL).
 *
 * @throws SocketError `ENAMETOOLONG` when a Unix path does not fit `sun_path` (108 bytes),
 * before anything is written; RangeError for an IP text that does not parse.
 */
export function encodeSockaddr(address: SocketAddress, view: Buffer, offset: number): number {
  switch (address.family) {
    case 'inet': {
      view.fill(0, offset, offset + 16)
      view.writeUInt16LE(AF.AF_INET, offset)
      view.writeUInt16BE(address.port, offset + 2)
      writeIPv4(address.address, view, offset + 4)
      return 16
    }
    case 'inet6': {
      view.fill(0, offset, offset + 28)
      view.writeUInt16LE(AF.AF_INET6, offset)
      view.writeUInt16BE(address.port, offset + 2)
      view.writeUInt32BE((address.flowinfo ?? 0) >>> 0, offset + 4)
      writeIPv6(address.address, view, offset + 8)
      view.writeUInt32LE((address.scopeId ?? 0) >>> 0, offset + 24)
      return 28
    }
    case 'unix': {
      const path = Buffer.from(address.path, 'utf8')
      const abstract = path.length > 0 && path[0] === 0
      const needed = abstract ? path.length : path.length + 1
      if (needed > SUN_PATH) {
        throw new SocketError('ENAMETOOLONG', {
          syscall: 'sockaddr_un',
          address: address.path,
          message: `sockaddr_un ENAMETOOLONG: the path is ${path.length} bytes; sun_path holds ${abstract ? SUN_PATH : SUN_PATH - 1}`,
        })
      }
      view.fill(0, offset, offset + 2 + SUN_PATH)
      view.writeUInt16LE(AF.AF_UNIX, offset)
      path.copy(view, offset + 2)
      return path.length === 0 ? 2 : 2 + needed
    }
  }
}

/**
 * Reads the sockaddr the kernel wrote at `offset`, `length` bytes long.
 * @returns the address; a Unix socket with no name gives `{family: 'unix', path: ''}`.
 * @throws SocketError `EAFNOSUPPORT` for a family the contract does not know.
 */
export function decodeSockaddr(view: Buffer, offset: number, length: number): SocketAddress {
  if (length < 2) return { family: 'unix', path: '' }
  const family = view.readUInt16LE(offset)
  if (family === AF.AF_INET && length >= 16) {
    return { family: 'inet', address: readIPv4(view, offset + 4), port: view.readUInt16BE(offset + 2) }
  }
  if (family === AF.AF_INET6 && length >= 28) {
    return {
      family: 'inet6',
      address: readIPv6(view, offset + 8),
      port: view.readUInt16BE(offset + 2),
      flowinfo: view.readUInt32BE(offset + 4),
      scopeId: view.readUInt32LE(offset + 24),
    }
  }
  if (family === AF.AF_UNIX) {
    const end = offset + Math.min(length, 2 + SUN_PATH)
    if (end <= offset + 2) return { family: 'unix', path: '' }
    if (view[offset + 2] === 0) return { family: 'unix', path: `\0${view.toString('utf8', offset + 3, end)}` }
    const nul = view.indexOf(0, offset + 2)
    return { family: 'unix', path: view.toString('utf8', offset + 2, nul === -1 || nul > end ? end : nul) }
  }
  if (family === 0) return { family: 'unix', path: '' }
  throw new SocketError('EAFNOSUPPORT', { message: `address family ${family} is not supported by the contract` })
}

/** Writes a dotted-quad IPv4 address as 4 bytes in network order. @throws RangeError */
export function writeIPv4(text: string, view: Buffer, offset: number): void {
  const parts = text.split('.')
  if (parts.length !== 4) throw new RangeError(`not an IPv4 address: ${JSON.stringify(text)}`)
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? ''
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new RangeError(`not an IPv4 address: ${JSON.stringify(text)}`)
    view[offset + i] = Number(p)
  }
}

export function readIPv4(view: Buffer, offset: number): string {
  return `${view[offset]}.${view[offset + 1]}.${view[offset + 2]}.${view[offset + 3]}`
}

/** Writes a textual IPv6 address (with `::` and an embedded IPv4 tail) as 16 bytes. @throws RangeError */
export function writeIPv6(text: string, view: Buffer, offset: number): void {
  const fail = (): never => {
    throw new RangeError(`not an IPv6 address: ${JSON.stringify(text)}`)
  }
  const halves = text.split('::')
  if (halves.length > 2) fail()
  const groups = (s: string): number[] => {
    if (s === '') return []
    const out: number[] = []
    const parts = s.split(':')
    parts.forEach((p, i) => {
      if (i === parts.length - 1 && p.includes('.')) {
        const b = Buffer.alloc(4)
        writeIPv4(p, b, 0)
        out.push(b.readUInt16BE(0), b.readUInt16BE(2))
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) fail()
        out.push(Number.parseInt(p, 16))
      }
    })
    return out
  }
  const head = groups(halves[0] ?? '')
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : []
  const fill = 8 - head.length - tail.length
  if (halves.length === 2 ? fill < 1 : fill !== 0) fail()
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail]
  all.forEach((g, i) => {
    view.writeUInt16BE(g, offset + 2 * i)
  })
}

/**
 * Formats 16 bytes as RFC 5952 text, as inet_ntop(3) does: lower case, the longest run of
 * two or more zero groups as `::`, and IPv4-mapped / compatible addresses with a dotted tail.
 */
export function readIPv6(view: Buffer, offset: number): string {
  const g: number[] = []
  for (let i = 0; i < 8; i++) g.push(view.readUInt16BE(offset + 2 * i))
  const zeroPrefix = g.slice(0, 5).every((x) => x === 0)
  if (zeroPrefix && g[5] === 0xffff) return `::ffff:${readIPv4(view, offset + 12)}`
  let best = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  // inet_ntop prints a deprecated IPv4-compatible address (::a.b.c.d) with a dotted tail too.
  if (best === 0 && bestLen === 6) return `::${readIPv4(view, offset + 12)}`
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':')
  if (bestLen < 2) return hex(g)
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`
}
