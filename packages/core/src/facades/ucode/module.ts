import { AF, SOCK } from '../../constants-linux.js'
import { isSocketError } from '../../errors.js'
import { parseUcodeAddress, toUcodeAddress, type UcodeAddress } from './address.js'
import { arg } from './args.js'
import { runAsync, runSync, sys, type UcodeEnv } from './env.js'
import { ERRNO, fail, ucodeStrerror } from './error-slot.js'
import { familyNumber, familyOf, lookupHintsOf, niFlagsOf, splitType, typeNumber } from './numbers.js'
import { pollEntries, pollWait } from './poll.js'
import { numericHints, serviceOf } from './resolve.js'
import type { SocketFactory } from './socket.js'
import type { UcodeSocket } from './socket-types.js'

/** One result of `addrinfo()`. */
export interface UcodeAddrinfo {
  flags: number
  family: number
  socktype: number
  protocol: number
  addr: UcodeAddress
  canonname: string | null
}

/** The module functions that are neither connect() nor listen(). */
export function moduleFunctions(env: UcodeEnv, factory: SocketFactory) {
  return {
    /**
     * `create(domain = AF_INET, type = SOCK_STREAM, protocol = 0)`: a new socket; `type` may
     * carry SOCK_NONBLOCK / SOCK_CLOEXEC. Fails as `socket(): …`.
     */
    create: (domain?: unknown, type?: unknown, protocol?: unknown): Promise<UcodeSocket | null> =>
      runAsync(env, 'socket()', async () => {
        const d = arg(domain, 'domain', 'integer') ?? AF.AF_INET
        const t = arg(type, 'type', 'integer') ?? SOCK.SOCK_STREAM
        const p = arg(protocol, 'protocol', 'integer') ?? 0
        env.slot.clear()
        const family = familyOf(d, 'socket()')
        const split = splitType(t, 'socket()')
        const options = split.nonBlocking ? { nonBlocking: true } : undefined
        return factory.wrap(await sys(env, 'socket()', () => env.backend.socket(family, split.type, p, options)))
      }),

    /** `pair(type = SOCK_STREAM)`: two connected AF_UNIX sockets. Fails as `socketpair(): …`. */
    pair: (type?: unknown): Promise<[UcodeSocket, UcodeSocket] | null> =>
      runAsync(env, 'socketpair()', async () => {
        const t = arg(type, 'type', 'integer') ?? SOCK.SOCK_STREAM
        env.slot.clear()
        const split = splitType(t, 'socketpair()')
        const options = split.nonBlocking ? { nonBlocking: true } : undefined
        const [a, b] = await sys(env, 'socketpair()', () => env.backend.socketpair('AF_UNIX', split.type, options))
        return [factory.wrap(a), factory.wrap(b)] as [UcodeSocket, UcodeSocket]
      }),

    /**
     * `open(fd)`: a handle for an existing descriptor. Like ucode it does not fail for a bad
     * number: a negative one gives a closed handle, one the backend cannot adopt a handle
     * whose calls fail with that errno (`recv(): Bad file descriptor`). A backend without real
     * descriptors fails with a not-supported error.
     */
    open: (fd?: unknown): Promise<UcodeSocket | null> =>
      runAsync(env, 'open()', async () => {
        const n = arg(fd, 'fd', 'integer', true) as number
        env.slot.clear()
        if (n < 0 || n > 2 ** 31 - 1) return factory.wrap(undefined, { errno: ERRNO.EBADF, fd: n < 0 ? -1 : n })
        try {
          return factory.wrap(await env.backend.adopt(n))
        } catch (error) {
          if (isSocketError(error) && error.code !== 'POLYSOCKET_NOT_SUPPORTED' && error.errno !== undefined) {
            return factory.wrap(undefined, { errno: error.errno, fd: n })
          }
          throw error
        }
      }),

    /** `sockaddr(address)`: the address dictionary of any ucode address form; never resolves names. */
    sockaddr: (address?: unknown): UcodeAddress | null =>
      runSync(env, 'sockaddr()', () => {
        arg(address, 'address', 'any', true)
        env.slot.clear()
        return toUcodeAddress(parseUcodeAddress(address))
      }),

    /** `nameinfo(address, flags = 0)`: `{hostname, service}`. Fails as `getnameinfo(): …`. */
    nameinfo: (address?: unknown, flags?: unknown): Promise<{ hostname: string; service: string } | null> =>
      runAsync(env, 'getnameinfo()', async () => {
        arg(address, 'address', 'any', true)
        const f = arg(flags, 'flags', 'integer') ?? 0
        env.slot.clear()
        const parsed = parseUcodeAddress(address)
        const r = await sys(env, 'getnameinfo()', () => env.backend.nameinfo(parsed, niFlagsOf(f)))
        return { hostname: r.host, service: r.service }
      }),

    /**
     * `addrinfo(hostname, service?, hints?)`: getaddrinfo results. `"[v6]"` loses its brackets;
     * a non-string service is printed as ucode prints it. Fails as `getaddrinfo(): …`
     * (`error(true)` negative).
     */
    addrinfo: (hostname?: unknown, service?: unknown, hints?: unknown): Promise<UcodeAddrinfo[] | null> =>
      runAsync(env, 'getaddrinfo()', async () => {
        let host = arg(hostname, 'hostname', 'string', true) as string
        const h = arg(hints, 'hints', 'object')
        env.slot.clear()
        const numeric = h ? numericHints(h) : { flags: 0, family: 0, socktype: 0, protocol: 0 }
        if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
        const lookupHints = lookupHintsOf(numeric)
        const results = await sys(env, 'getaddrinfo()', () => env.backend.lookup(host, serviceOf(service), lookupHints))
        return results.map((r) => ({
          flags: numeric.flags,
          family: familyNumber(r.family),
          socktype: typeNumber(r.type),
          protocol: r.protocol,
          addr: toUcodeAddress(r.address),
          canonname: r.canonname ?? null,
        }))
      }),

    /**
     * `poll(timeout, ...handles)`: waits up to `timeout` ms (−1: no limit) and returns one
     * `[handle, revents, …]` tuple per usable handle, ready or not. Handles are sockets,
     * descriptor numbers, objects with `fileno()`, or `[handle, events, …extra]` tuples.
     */
    poll: (timeout?: unknown, ...handles: unknown[]): Promise<unknown[] | null> =>
      runAsync(env, 'poll()', async () => {
        const t = arg(timeout, 'timeout', 'integer', true) as number
        if (t < -(2 ** 31) || t > 2 ** 31 - 1) throw fail(ERRNO.ERANGE, 'Invalid timeout value')
        env.slot.clear()
        return pollWait(env, pollEntries(factory, handles), t)
      }),

    /** `error(numeric?)`: the last error as text, its number when `numeric` is truthy, or `null`. */
    error: (numeric?: unknown): string | number | null => env.slot.read(numeric),

    /** `strerror(code)`: glibc's text for an errno (or a negative EAI code); never `null` for an integer. */
    strerror: (code?: unknown): string | null =>
      runSync(env, 'strerror()', () => {
        const n = arg(code, 'code', 'integer', true) as number
        env.slot.clear()
        return ucodeStrerror(n)
      }),
  }
}
