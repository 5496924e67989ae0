import { isIPv4, isIPv6, SocketAddress as NodeSocketAddress } from 'node:net'
import { AF } from '../../constants-linux.js'
import type { Inet6Address, InetAddress, SocketAddress } from '../../contract/address.js'
import { isDict, toUnsigned } from './args.js'
import { ERRNO, fail } from './error-slot.js'
import { interfaceIndex, interfaceName } from './interfaces.js'

// ucode's address forms (ucode lib/socket.c, uv_to_sockaddr): strings ("1.2.3.4:80", "[::1]:80",
// "fe80::1%lo", anything with a "/" is a Unix path), iptoarr() byte arrays and dictionaries.

/** `sun_path` holds 108 bytes on Linux, the last one kept for the NUL. */
const SUN_PATH = 108
/** ucode copies IP text into a buffer this big (`"ffff:…:255.255.255.255%2147483648"` + NUL). */
const ADDRSTR = 57

/** A ucode address dictionary as ucode returns it (§4.2). */
export interface UcodeAddress {
  family: number
  address?: string
  port?: number
  flowinfo?: number
  interface?: string | number
  path?: string
}

/**
 * Parses any address form ucode accepts. Hostnames are never resolved.
 *
 * @throws UcodeFailure with ucode's texts: `Invalid IP address`, `Invalid IPv6 address`,
 * `Unable to parse IP address`, `Invalid port number`, `Invalid IP address array`,
 * `Invalid path value`, `Invalid address value` (EINVAL), `Unable to resolve interface <name>`
 * (ENODEV), `Invalid scope ID`; AF_PACKET dictionaries fail with EAFNOSUPPORT.
 */
export function parseUcodeAddress(value: unknown): SocketAddress {
  if (typeof value === 'string') return parseString(value)
  if (Array.isArray(value)) return parseArray(value)
  if (isDict(value)) return parseDict(value)
  throw fail(ERRNO.EINVAL, 'Invalid address value')
}

function parseString(text: string): SocketAddress {
  if (text.includes('/')) return { family: 'unix', path: truncateUtf8(text, SUN_PATH - 1) }
  if (text === '') throw fail(ERRNO.EINVAL, 'Invalid IP address')
  let host: string
  let want: 0 | 4 | 6
  let rest = ''
  const firstColon = text.indexOf(':')
  if (text.startsWith('[')) {
    const close = text.indexOf(']', 1)
    if (close < 0 || close - 1 >= ADDRSTR) throw fail(ERRNO.EINVAL, 'Invalid IPv6 address')
    host = text.slice(1, close)
    want = 6
    rest = text.slice(close + 1)
  } else if (firstColon >= 0 && text.indexOf(':', firstColon + 1) < 0) {
    if (firstColon >= ADDRSTR) throw fail(ERRNO.EINVAL, 'Invalid IP address')
    host = text.slice(0, firstColon)
    want = 4
    rest = text.slice(firstColon)
  } else {
    if (text.length >= ADDRSTR) throw fail(ERRNO.EINVAL, 'Invalid IP address')
    host = text
    want = 0
  }
  const parsed = parseIp(host, want)
  // Text after "]" that is not ":port" is ignored, as ucode does.
  if (rest.startsWith(':')) return withPort(parsed, parsePortText(rest.slice(1)))
  return parsed
}

function parsePortText(digits: string): number {
  if (digits === '' || !/^[0-9]+$/.test(digits)) throw fail(ERRNO.EINVAL, 'Invalid port number')
  const port = Number(digits)
  if (port > 65535) throw fail(ERRNO.EINVAL, 'Invalid port number')
  return port
}

/** ucode's `parse_addr`: IPv6 (with `%scope`) and/or IPv4 text, port 0. */
function parseIp(text: string, want: 0 | 4 | 6): InetAddress | Inet6Address {
  const v6 = want !== 4
  const v4 = want !== 6
  const percent = text.indexOf('%')
  if (v6 && percent >= 0) {
    const scope = text.slice(percent + 1)
    const host = text.slice(0, percent)
    let scopeId = /^[0-9]+$/.test(scope) ? Number(scope) % 2 ** 32 : 0
    if (!/^[0-9]+$/.test(scope)) {
      scopeId = interfaceIndex(scope)
      if (scopeId === 0) throw fail(ERRNO.ENODEV, `Unable to resolve interface ${scope}`)
    }
    if (!isIPv6(host)) throw fail(ERRNO.EINVAL, 'Invalid IPv6 address')
    return { family: 'inet6', address: normalizeV6(host), port: 0, flowinfo: 0, scopeId }
  }
  if (v6 && isIPv6(text)) return { family: 'inet6', address: normalizeV6(text), port: 0, flowinfo: 0, scopeId: 0 }
  if (v4 && isIPv4(text)) return { family: 'inet', address: text, port: 0 }
  throw fail(ERRNO.EINVAL, 'Unable to parse IP address')
}

function parseArray(items: readonly unknown[]): SocketAddress {
  if (items.length !== 16 && items.length !== 4) throw fail(ERRNO.EINVAL, 'Invalid IP address array')
  const bytes = items.map((item) => {
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item > 255) {
      throw fail(ERRNO.EINVAL, 'Invalid IP address array')
    }
    return item
  })
  if (bytes.length === 4) return { family: 'inet', address: bytes.join('.'), port: 0 }
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16))
  return { family: 'inet6', address: normalizeV6(groups.join(':')), port: 0, flowinfo: 0, scopeId: 0 }
}

function parseDict(dict: Record<string, unknown>): SocketAddress {
  const familyValue = toUnsigned(dict.family)
  let family = familyValue.ok ? familyValue.value : 0
  if (family === 0) {
    if (typeof dict.path === 'string') family = AF.AF_UNIX
    else family = typeof dict.address === 'string' && dict.address.includes(':') ? AF.AF_INET6 : AF.AF_INET
  }
  switch (family) {
    case AF.AF_INET:
    case AF.AF_INET6: {
      let scopeId = 0
      let flowinfo = 0
      if (family === AF.AF_INET6) {
        const f = toUnsigned(dict.flowinfo)
        flowinfo = f.ok ? f.value % 2 ** 32 : 0
        const iface = dict.interface
        if (typeof iface === 'string') {
          scopeId = interfaceIndex(iface)
          if (scopeId === 0) throw fail(ERRNO.ENODEV, `Unable to resolve interface ${iface}`)
        } else if (iface !== undefined && iface !== null) {
          const s = toUnsigned(iface)
          if (!s.ok) throw fail(s.errno, 'Invalid scope ID')
          scopeId = s.value % 2 ** 32
        }
      }
      const p = toUnsigned(dict.port)
      if (!p.ok || p.value > 65535) throw fail(ERRNO.EINVAL, 'Invalid port number')
      // Only a string counts as an address; anything else leaves the wildcard.
      const text = typeof dict.address === 'string' ? dict.address : ''
      if (Buffer.byteLength(text) >= ADDRSTR) throw fail(ERRNO.EINVAL, 'Invalid IP address')
      let parsed: InetAddress | Inet6Address =
        family === AF.AF_INET
          ? { family: 'inet', address: '0.0.0.0', port: 0 }
          : { family: 'inet6', address: '::', port: 0, flowinfo: 0, scopeId: 0 }
      if (text !== '') parsed = parseIp(text, family === AF.AF_INET ? 4 : 6)
      if (parsed.family === 'inet6') {
        return {
          family: 'inet6',
          address: parsed.address,
          port: p.value,
          flowinfo,
          scopeId: parsed.scopeId ? parsed.scopeId : scopeId,
        }
      }
      return { family: 'inet', address: parsed.address, port: p.value }
    }
    case AF.AF_UNIX: {
      const path = typeof dict.path === 'string' ? dict.path : ''
      const length = Buffer.byteLength(path)
      if (length === 0 || length >= SUN_PATH) throw fail(ERRNO.EINVAL, 'Invalid path value')
      return { family: 'unix', path }
    }
    case AF.AF_PACKET:
      throw fail(ERRNO.EAFNOSUPPORT, 'AF_PACKET addresses are not supported by polysocket')
    default:
      throw fail(ERRNO.EINVAL, 'Invalid address value')
  }
}

/** The address with another port; only IP addresses have one. */
export function withPort(address: SocketAddress, port: number): SocketAddress {
  if (address.family === 'unix') return address
  return { ...address, port }
}

/**
 * The dictionary ucode returns for an address (§4.2): `{family: 2, address, port}`,
 * `{family: 10, address, port, flowinfo, interface?}` (interface only with a scope id: its
 * name where one exists, else the index), `{family: 1, path}`.
 */
export function toUcodeAddress(address: SocketAddress): UcodeAddress {
  switch (address.family) {
    case 'inet':
      return { family: AF.AF_INET, address: address.address, port: address.port }
    case 'inet6': {
      const out: UcodeAddress = {
        family: AF.AF_INET6,
        address: address.address,
        port: address.port,
        flowinfo: address.flowinfo ?? 0,
      }
      if (address.scopeId) out.interface = interfaceName(address.scopeId) ?? address.scopeId
      return out
    }
    case 'unix':
      return { family: AF.AF_UNIX, path: address.path }
  }
}

/** IPv6 text in inet_ntop's canonical form (`::0001` → `::1`). */
function normalizeV6(text: string): string {
  try {
    return new NodeSocketAddress({ address: text, family: 'ipv6' }).address
  } catch {
    return text
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= maxBytes) return text
  return bytes.subarray(0, maxBytes).toString('utf8')
}
