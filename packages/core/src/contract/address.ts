import { isIP } from 'node:net'

/** An IPv4 socket address (`struct sockaddr_in`). `port` is 0–65535; 0 asks for an ephemeral port. */
export interface InetAddress {
  readonly family: 'inet'
  /** Dotted quad, e.g. `127.0.0.1`. */
  readonly address: string
  readonly port: number
}

/** An IPv6 socket address (`struct sockaddr_in6`). */
export interface Inet6Address {
  readonly family: 'inet6'
  /** Textual IPv6 address without brackets or zone, e.g. `::1`. */
  readonly address: string
  readonly port: number
  /** `sin6_flowinfo`, 0 when absent. */
  readonly flowinfo?: number
  /** `sin6_scope_id` (an interface index), 0 when absent. */
  readonly scopeId?: number
}

/**
 * A Unix domain socket address (`struct sockaddr_un`). A `path` starting with NUL (`"\0name"`)
 * is a Linux abstract name; an empty `path` is an unnamed socket (as the peer of a
 * `socketpair`, or a client that never bound).
 */
export interface UnixAddress {
  readonly family: 'unix'
  readonly path: string
}

/** Any socket address of the contract. */
export type SocketAddress = InetAddress | Inet6Address | UnixAddress

/** Longest `sun_path` on Linux, in bytes, counting no terminating NUL for abstract names. */
export const UNIX_PATH_MAX = 108

const isPort = (port: unknown): port is number =>
  typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535

/**
 * Checks that `value` is a well-formed socket address and returns it normalised
 * (IPv6 `flowinfo`/`scopeId` filled with 0).
 *
 * @param value - the caller's argument.
 * @param name - the argument's name, quoted in the error.
 * @throws TypeError when the shape or a field type is wrong; RangeError when a port is outside
 * 0–65535, an IP address does not parse, or a Unix path is longer than {@link UNIX_PATH_MAX}
 * bytes or holds a NUL after its first byte.
 */
export function checkAddress(value: unknown, name = 'address'): SocketAddress {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${name} must be a socket address object, got ${describe(value)}`)
  }
  const a = value as Record<string, unknown>
  switch (a.family) {
    case 'inet':
    case 'inet6': {
      if (typeof a.address !== 'string') {
        throw new TypeError(`${name}.address must be a string, got ${describe(a.address)}`)
      }
      if (typeof a.port !== 'number') {
        throw new TypeError(`${name}.port must be a number, got ${describe(a.port)}`)
      }
      if (!isPort(a.port)) throw new RangeError(`${name}.port must be an integer 0–65535, got ${a.port}`)
      const want = a.family === 'inet' ? 4 : 6
      if (isIP(a.address) !== want) {
        throw new RangeError(`${name}.address is not an IPv${want} address: ${JSON.stringify(a.address)}`)
      }
      if (a.family === 'inet') return { family: 'inet', address: a.address, port: a.port }
      const flowinfo = a.flowinfo ?? 0
      const scopeId = a.scopeId ?? 0
      for (const [field, v] of [
        ['flowinfo', flowinfo],
        ['scopeId', scopeId],
      ] as const) {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
          throw new RangeError(`${name}.${field} must be an integer 0–4294967295, got ${describe(v)}`)
        }
      }
      return {
        family: 'inet6',
        address: a.address,
        port: a.port,
        flowinfo: flowinfo as number,
        scopeId: scopeId as number,
      }
    }
    case 'unix': {
      if (typeof a.path !== 'string') {
        throw new TypeError(`${name}.path must be a string, got ${describe(a.path)}`)
      }
      const bytes = Buffer.byteLength(a.path)
      // A filesystem path needs room for its terminating NUL; an abstract name does not.
      const limit = a.path.startsWith('\0') ? UNIX_PATH_MAX : UNIX_PATH_MAX - 1
      if (bytes > limit) {
        throw new RangeError(`${name}.path is ${bytes} bytes; a Unix socket path holds at most ${limit}`)
      }
      if (a.path.indexOf('\0', 1) !== -1 && !a.path.startsWith('\0')) {
        throw new RangeError(`${name}.path must not contain a NUL byte`)
      }
      return { family: 'unix', path: a.path }
    }
    default:
      throw new TypeError(`${name}.family must be 'inet', 'inet6' or 'unix', got ${describe(a.family)}`)
  }
}

/**
 * Parses the usual textual forms of a socket address.
 *
 * @param text - `"127.0.0.1:80"`, `"[::1]:80"`, `"[fe80::1%3]:80"` (numeric scope id), a Unix
 * path starting with `/` or `.`, or `"@name"` for a Linux abstract name.
 * @returns the address, or `undefined` when `text` is none of these forms.
 */
export function parseAddress(text: string): SocketAddress | undefined {
  if (text.startsWith('/') || text.startsWith('.')) return { family: 'unix', path: text }
  if (text.startsWith('@')) return { family: 'unix', path: `\0${text.slice(1)}` }
  const v6 = /^\[([^\]%]+)(?:%(\d+))?\]:(\d{1,5})$/.exec(text)
  if (v6) {
    const [, address = '', scope, port] = v6
    const p = Number(port)
    if (isIP(address) !== 6 || !isPort(p)) return undefined
    return { family: 'inet6', address, port: p, flowinfo: 0, scopeId: scope ? Number(scope) : 0 }
  }
  const v4 = /^([\d.]+):(\d{1,5})$/.exec(text)
  if (v4) {
    const [, address = '', port] = v4
    const p = Number(port)
    if (isIP(address) !== 4 || !isPort(p)) return undefined
    return { family: 'inet', address, port: p }
  }
  return undefined
}

/**
 * Formats an address the way {@link parseAddress} reads it: `127.0.0.1:80`, `[::1]:80`,
 * `[fe80::1%3]:80`, a Unix path, `@name` for an abstract name, `(unnamed)` for an empty path.
 */
export function formatAddress(address: SocketAddress): string {
  switch (address.family) {
    case 'inet':
      return `${address.address}:${address.port}`
    case 'inet6':
      return address.scopeId
        ? `[${address.address}%${address.scopeId}]:${address.port}`
        : `[${address.address}]:${address.port}`
    case 'unix':
      if (address.path === '') return '(unnamed)'
      return address.path.startsWith('\0') ? `@${address.path.slice(1)}` : address.path
  }
}

/** A short description of a value for error messages: its type, or its value for primitives. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`
  }
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}
