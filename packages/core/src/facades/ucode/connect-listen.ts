import type { SocketAddress } from '../../contract/address.js'
import type { Socket } from '../../contract/socket.js'
import { errnoByNumber } from '../../errno.js'
import { isSocketError, SocketError, type SocketErrorCode } from '../../errors.js'
import { parseUcodeAddress, withPort } from './address.js'
import { arg, isAbsent } from './args.js'
import { runAsync, sys, sysSync, type UcodeEnv } from './env.js'
import { ERRNO, fail, toFailure, type UcodeFailure } from './error-slot.js'
import { lookupHintsOf, splitType } from './numbers.js'
import {
  type Candidate,
  numericHints,
  preferredListenCandidate,
  serviceOf,
  servicePort,
  tryLookupHints,
} from './resolve.js'
import { DEFAULT_BACKLOG, type SocketFactory } from './socket.js'
import type { UcodeSocket } from './socket-types.js'

const familyOfAddress = (c: Candidate) =>
  c.address.family === 'inet' ? 'AF_INET' : c.address.family === 'inet6' ? 'AF_INET6' : 'AF_UNIX'

/** Errors connect(2) reports at once, before any packet is exchanged (ucode's "could not connect"). */
const IMMEDIATE = ['ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EACCES', 'EPERM', 'EINVAL'] as const

type Attempt = { ok: true; socket: Socket } | { ok: false; error: unknown; immediate: boolean }

/**
 * `socket.connect(host, service?, hints?, timeout?)`: resolves `host` (a string without `/`)
 * or takes it as an address in any ucode form, connects to every candidate at once and
 * returns the first one in resolver order that connected.
 * Source: ucode lib/socket.c, uc_socket_connect.
 */
export function moduleConnect(env: UcodeEnv, factory: SocketFactory) {
  return (host?: unknown, service?: unknown, hints?: unknown, timeout?: unknown): Promise<UcodeSocket | null> =>
    runAsync(env, 'connect()', async () => {
      arg(hints, 'hints', 'object')
      const t = arg(timeout, 'timeout', 'integer') ?? -1
      env.slot.clear()
      let candidates: Candidate[]
      if (typeof host === 'string' && !host.includes('/')) {
        // Hints that do not convert are ignored, as ucode ignores them here.
        const lookupHints = (isAbsent(hints) ? undefined : tryLookupHints(hints)) ?? { type: 'SOCK_STREAM' as const }
        const results = await sys(env, 'getaddrinfo()', () => env.backend.lookup(host, serviceOf(service), lookupHints))
        candidates = results.filter((r) => r.address.family !== 'unix')
      } else {
        let address = parseUcodeAddress(host)
        if (!isAbsent(service)) address = withPort(address, servicePort(service))
        const h = tryLookupHints(hints)
        candidates = [{ address, type: h?.type ?? 'SOCK_STREAM', protocol: h?.protocol ?? 0 }]
      }
      return factory.wrap(await connectFirst(env, candidates, t >= 0 ? t : undefined))
    })
}

async function connectFirst(env: UcodeEnv, candidates: readonly Candidate[], timeoutMs: number | undefined) {
  const controller = new AbortController()
  const attempts = candidates.map(
    (c): Promise<Attempt> =>
      (async () => {
        let socket: Socket
        try {
          socket = await env.backend.socket(familyOfAddress(c), c.type, c.protocol)
        } catch (error) {
          return { ok: false, error, immediate: true }
        }
        try {
          await connectLikeUcode(env, socket, c.address, timeoutMs, controller.signal)
          return { ok: true, socket }
        } catch (error) {
          await socket.close().catch(() => {})
          const immediate = c.address.family === 'unix' || isSocketError(error, ...IMMEDIATE)
          return { ok: false, error, immediate }
        }
      })(),
  )
  const failures: { error: unknown; immediate: boolean }[] = []
  for (const [i, attempt] of attempts.entries()) {
    const result = await attempt
    if (result.ok) {
      controller.abort()
      // The others lose: close whatever they connected.
      for (const later of attempts.slice(i + 1)) {
        void later.then((r) => (r.ok ? r.socket.close() : undefined)).catch(() => {})
      }
      return result.socket
    }
    failures.push(result)
  }
  throw connectFailure(env, failures, timeoutMs !== undefined)
}

/**
 * connect(2) as ucode's module function makes it: the socket non-blocking, connect
 * (EINPROGRESS), poll(2) for POLLOUT up to `timeoutMs` (no limit when `undefined`), the outcome
 * read from SO_ERROR, then the blocking mode back. So the kernel still counts the socket as
 * connecting: the script's first `connect()` to the same address afterwards succeeds and a
 * second is EISCONN, as in ucode. A backend without non-blocking connect gets a plain
 * connect bounded by `timeoutMs`. Source: ucode lib/socket.c, uc_socket_connect; connect(2),
 * EINPROGRESS.
 * @throws SocketError the connect's errno (ECONNREFUSED, …), `ETIMEDOUT` when the time is up.
 */
async function connectLikeUcode(
  env: UcodeEnv,
  socket: Socket,
  address: SocketAddress,
  timeoutMs: number | undefined,
  signal: AbortSignal,
): Promise<void> {
  if (!env.backend.supports.nonBlockingConnect) {
    await socket.connect(address, timeoutMs === undefined ? { signal } : { signal, timeoutMs })
    return
  }
  socket.setNonBlocking(true)
  try {
    try {
      await socket.connect(address, { signal })
      return
    } catch (error) {
      if (!isSocketError(error, 'EINPROGRESS')) throw error
    }
    const ready = await socket.waitReady(['POLLOUT'], timeoutMs === undefined ? { signal } : { signal, timeoutMs })
    if (ready.length === 0) throw new SocketError('ETIMEDOUT', { syscall: 'connect' })
    const errno = socket.getOption('SOL_SOCKET', 'SO_ERROR')
    if (typeof errno === 'number' && errno !== 0) {
      const entry = errnoByNumber(errno)
      throw new SocketError(entry ? (entry.name as SocketErrorCode) : 'EIO', { syscall: 'connect', errno })
    }
  } finally {
    if (!socket.closed) socket.setNonBlocking(false)
  }
}

function connectFailure(
  env: UcodeEnv,
  failures: readonly { error: unknown; immediate: boolean }[],
  timed: boolean,
): UcodeFailure {
  const notSupported = failures.find((f) => isSocketError(f.error, 'POLYSOCKET_NOT_SUPPORTED'))
  const late = failures.filter((f) => !f.immediate)
  if (late.length === 0) {
    if (notSupported && failures.every((f) => isSocketError(f.error, 'POLYSOCKET_NOT_SUPPORTED'))) {
      return toFailure(notSupported.error, 'socket()', env.backend.name)
    }
    return fail(ERRNO.EAI_NONAME, 'Could not connect to any host address')
  }
  if (timed && late.every((f) => isSocketError(f.error, 'ETIMEDOUT'))) {
    return fail(ERRNO.ETIMEDOUT, 'Connection timed out')
  }
  return toFailure(late[0]?.error, 'connect()', env.backend.name)
}

/**
 * `socket.listen(host?, service?, hints?, backlog = 128, reuseaddr?)`: a bound, listening
 * socket. Source: ucode lib/socket.c, uc_socket_listen.
 */
export function moduleListen(env: UcodeEnv, factory: SocketFactory) {
  return (
    host?: unknown,
    service?: unknown,
    hints?: unknown,
    backlog?: unknown,
    reuseaddr?: unknown,
  ): Promise<UcodeSocket | null> =>
    runAsync(env, 'listen()', async () => {
      const h = arg(hints, 'hints', 'object')
      const b = arg(backlog, 'backlog', 'integer') ?? DEFAULT_BACKLOG
      const reuse = arg(reuseaddr, 'reuseaddr', 'boolean') ?? false
      env.slot.clear()
      let chosen: Candidate
      if (isAbsent(host) || (typeof host === 'string' && !host.includes('/'))) {
        const lookupHints = h
          ? lookupHintsOf(numericHints(h))
          : { flags: ['AI_PASSIVE', 'AI_ADDRCONFIG'] as const, type: 'SOCK_STREAM' as const }
        // A missing service means an ephemeral port (ucode would look up the service "null").
        const svc = serviceOf(service) ?? 0
        const results = await sys(env, 'getaddrinfo()', () =>
          env.backend.lookup(typeof host === 'string' ? host : null, svc, lookupHints),
        )
        const best = preferredListenCandidate(results.filter((r) => r.address.family !== 'unix'))
        if (!best) throw fail(ERRNO.EAI_NONAME, 'Could not resolve host address')
        chosen = best
      } else {
        let address = parseUcodeAddress(host)
        if (!isAbsent(service)) address = withPort(address, servicePort(service))
        const numeric = h ? numericHints(h) : undefined
        const ip = address.family !== 'unix'
        const type = numeric?.socktype
          ? splitType(numeric.socktype, 'socket()').type
          : ip
            ? 'SOCK_STREAM'
            : ('SOCK_DGRAM' as const)
        chosen = { address, type, protocol: numeric?.protocol ?? 0 }
      }
      const family = familyOfAddress(chosen)
      const socket = await sys(env, 'socket()', () => env.backend.socket(family, chosen.type, chosen.protocol))
      try {
        if (reuse) sysSync(env, 'setsockopt()', () => socket.setOption('SOL_SOCKET', 'SO_REUSEADDR', true))
        await sys(env, 'bind()', () => socket.bind(chosen.address))
        try {
          await socket.listen(b < 0 ? 4096 : b)
        } catch (error) {
          // A datagram socket cannot listen; ucode hands it back bound instead.
          if (!(error instanceof SocketError && error.code === 'EOPNOTSUPP'))
            throw toFailure(error, 'listen()', env.backend.name)
        }
      } catch (error) {
        await socket.close().catch(() => {})
        throw error
      }
      return factory.wrap(socket)
    })
}
