import { closeSync, openSync } from 'node:fs'
import { join } from 'node:path'
import type { Backend, Socket, SocketAddress } from '@polysocket/core'
import { detachReceivedFd } from '@polysocket/core'
import type { CaseContext } from '../../../case.js'
import { closedPort, portOf } from '../../../peers/sockets.js'

/** Receive and send timeout put on every fixture socket after each call, in milliseconds. */
export const SHORT_TIMEOUT_MS = 20

/**
 * Values every fuzz case shares for one case run: a port nobody listens on, a second backend
 * instance (for "a socket made by another backend"), and the ref keys for Unix paths.
 */
export interface CaseShared {
  readonly ctx: CaseContext
  readonly closedPort: number
  /** Another instance of the same backend, or undefined when it cannot be made. */
  readonly other: Backend | undefined
}

/** Builds the {@link CaseShared} values of a case run. */
export async function caseShared(ctx: CaseContext): Promise<CaseShared> {
  const other = otherBackend(ctx.backend)
  await warmUp(ctx, ctx.backend)
  if (other) await warmUp(ctx, other)
  return { ctx, closedPort: await closedPort(ctx), other }
}

/**
 * Makes a backend open what it keeps for its lifetime (backend-ffi's readiness set opens on the
 * first wait) before the descriptor count is taken, so that it is not counted as a leak.
 */
async function warmUp(ctx: CaseContext, backend: Backend): Promise<void> {
  const socket = await backend.socket(ctx.family, 'SOCK_DGRAM')
  try {
    await socket.bind(ctx.addr(0))
    socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 5)
    await socket.recv(1).catch(() => {})
  } finally {
    await socket.close()
  }
}

/**
 * A second instance of the case's backend. The case gets no factory, but each backend's
 * `createBackend()` returns an instance of a class taking no arguments, so its constructor makes
 * another. `undefined` when that does not work.
 */
function otherBackend(backend: Backend): Backend | undefined {
  try {
    const Ctor = backend.constructor as new () => Backend
    const other = new Ctor()
    return typeof other.socket === 'function' && other.name === backend.name ? other : undefined
  } catch {
    return undefined
  }
}

/**
 * What one property run opened, closed by `dispose()`: sockets (contract sockets, facade handles,
 * anything with `close()`), and plain descriptors.
 */
export class Opened {
  readonly #closers: (() => unknown)[] = []
  readonly #ctx: CaseContext

  constructor(ctx: CaseContext) {
    this.#ctx = ctx
  }

  /** Registers `close` for the end of the run and, in case the run dies, of the case. */
  add(close: () => unknown): void {
    this.#closers.push(close)
    this.#ctx.onCleanup(close)
  }

  /** Registers a contract socket and returns it. */
  socket<T extends Socket>(socket: T): T {
    this.add(() => socket.close())
    return socket
  }

  /** A descriptor on a temporary file: a real fd that is not a socket. */
  fileFd(): number {
    const fd = openSync(join(this.#ctx.tmpdir, 'not-a-socket'), 'a')
    let closed = false
    this.add(() => {
      if (!closed) closeSync(fd)
      closed = true
    })
    return fd
  }

  /** Closes everything, last opened first; errors are ignored (the fd count judges the result). */
  async dispose(): Promise<void> {
    for (const close of this.#closers.splice(0).reverse()) {
      try {
        await close()
      } catch {
        // A close that fails still leaves the descriptor count to tell whether it leaked.
      }
    }
  }
}

/**
 * Closes whatever sockets a call handed back (a Socket, `[Socket, Socket]` from socketpair,
 * `{socket}` from accept, facade handles) and received descriptors (SCM_RIGHTS), so that a
 * call that succeeds leaks nothing either.
 */
export function adoptResult(opened: Opened, value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 3) return
  const v = value as Record<string, unknown>
  if (typeof v.close === 'function' && (typeof v.recv === 'function' || typeof v.Recv === 'function')) {
    opened.add(() => (v.close as () => unknown).call(v))
    return
  }
  if (typeof v.destroy === 'function' && typeof v.readChar === 'function') {
    opened.add(() => (v.destroy as () => unknown).call(v))
    return
  }
  if (Array.isArray(value)) {
    for (const item of value) adoptResult(opened, item, depth + 1)
    return
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return
  if (v.type === 'SCM_RIGHTS' && Array.isArray(v.fds)) {
    // Take each fd from the socket that received it first, so that exactly one party closes it.
    for (const fd of v.fds) if (typeof fd === 'number' && detachReceivedFd(fd)) opened.add(() => closeSync(fd))
    return
  }
  for (const item of Object.values(v)) adoptResult(opened, item, depth + 1)
}

/** Unix path refs shared by every fuzz case: fresh, too long, with NUL, in a missing directory, abstract. */
export function pathRef(ctx: CaseContext, key: string, listenerPath: string | undefined): string | undefined {
  switch (key) {
    case 'path.fresh':
      return ctx.unixPath()
    case 'path.listener':
      return listenerPath ?? ctx.unixPath()
    case 'path.missingDir':
      return join(ctx.tmpdir, 'no-such-dir', 'x.sock')
    case 'path.abstract':
      return ctx.abstractName()
    case 'path.tooLong':
      return join(ctx.tmpdir, 'p'.repeat(200))
    case 'path.nul':
      return join(ctx.tmpdir, 'a\0b')
    default:
      return undefined
  }
}

/** The port of an address, or 0 (for refs to a socket that has none). */
export function portOrZero(address: SocketAddress | undefined): number {
  try {
    return address === undefined ? 0 : portOf(address)
  } catch {
    return 0
  }
}

/**
 * Endpoints a facade fuzz connects and sends to: a contract listener the fuzzer never touches
 * (backlog 511, so a run's connects never fill it and a connect without a time limit cannot
 * wait), a bound UDP socket, and a port nobody listens on.
 */
export interface Anchors {
  readonly listenerPort: number
  readonly udpPort: number
  readonly closedPort: number
  /** A Unix stream listener's path, where the backend has `unixStream`. */
  readonly unixPath: string | undefined
}

/** Opens the {@link Anchors} of one property run. */
export async function openAnchors(shared: CaseShared, opened: Opened): Promise<Anchors> {
  const { ctx } = shared
  const listener = opened.socket(await ctx.backend.socket(ctx.family, 'SOCK_STREAM'))
  await listener.bind(ctx.addr(0))
  await listener.listen(511)
  const udp = opened.socket(await ctx.backend.socket(ctx.family, 'SOCK_DGRAM'))
  await udp.bind(ctx.addr(0))
  let unixPath: string | undefined
  if (ctx.backend.supports.unixStream) {
    unixPath = ctx.unixPath()
    const unix = opened.socket(await ctx.backend.socket('AF_UNIX', 'SOCK_STREAM'))
    await unix.bind({ family: 'unix', path: unixPath })
    await unix.listen(511)
  }
  return {
    listenerPort: portOrZero(listener.localAddress()),
    udpPort: portOrZero(udp.localAddress()),
    closedPort: shared.closedPort,
    unixPath,
  }
}

/** The port refs of {@link portArb}, from the anchors. */
export function portRef(anchors: Anchors, key: string): number | undefined {
  if (key === 'port.listener') return anchors.listenerPort
  if (key === 'port.udp') return anchors.udpPort
  if (key === 'port.closed') return anchors.closedPort
  return undefined
}
