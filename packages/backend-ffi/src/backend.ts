import { isMainThread } from 'node:worker_threads'
import {
  AbstractBackend,
  type Backend,
  type Capabilities,
  type CheckedCreateOptions,
  checkOptions,
  defineCapabilities,
  detachReceivedFd,
  type Family,
  findOption,
  type LookupHints,
  type LookupResult,
  type NiFlag,
  notSupported,
  type Socket,
  type SocketAddress,
  SocketError,
  type SocketType,
} from '@polysocket/core'
import { REGION } from './arena.js'
import { ENGINE_NAMES, type Engine, type EngineName } from './engine/engine.js'
import { loadEngine } from './engine/load.js'
import { errnoError } from './errors.js'
import { FfiSocket } from './ffi-socket.js'
import { lookup, nameinfo } from './lookup.js'
import { getOption } from './options.js'
import { isOwned } from './owned-fds.js'
import { AF, SOCK, LINUX_EXTRA as X } from './platform-linux.js'
import { type Runtime, runtimeOf } from './runtime.js'

/** Options of {@link createBackend}. */
export interface FfiBackendOptions {
  /**
   * The FFI library that calls libc: `koffi` (tens of nanoseconds per call) or `ffi-rs`
   * (microseconds per call). Default: koffi, or ffi-rs where koffi's binary cannot load.
   */
  readonly engine?: EngineName
}

/** What this backend proves by conformance cases (see the package README's manifest). */
export const FFI_CAPABILITIES: Capabilities = defineCapabilities({
  tcp: true,
  udp: true,
  inet6: true,
  unixStream: true,
  unixDgram: true,
  unixSeqpacket: true,
  abstractNamespace: true,
  socketpair: true,
  msgPeek: true,
  oob: true,
  scatterGather: true,
  ancillaryRights: true,
  ancillaryCredentials: true,
  peerCredentials: true,
  rawOptions: true,
  reusePort: true,
  fd: true,
  halfCloseRead: true,
  raw: true,
  nonBlockingConnect: true,
  exactBind: true,
  batchIo: true,
  exactReadiness: true,
})

const NONBLOCK_CLOEXEC = SOCK.SOCK_NONBLOCK | SOCK.SOCK_CLOEXEC
const FAMILY_BY_NUMBER: Record<number, Family> = {
  [AF.AF_INET]: 'AF_INET',
  [AF.AF_INET6]: 'AF_INET6',
  [AF.AF_UNIX]: 'AF_UNIX',
}
const TYPE_BY_NUMBER: Record<number, SocketType> = {
  [SOCK.SOCK_STREAM]: 'SOCK_STREAM',
  [SOCK.SOCK_DGRAM]: 'SOCK_DGRAM',
  [SOCK.SOCK_RAW]: 'SOCK_RAW',
  [SOCK.SOCK_SEQPACKET]: 'SOCK_SEQPACKET',
}

class FfiBackendImpl extends AbstractBackend implements FfiBackend {
  readonly name = 'ffi'
  readonly supports = FFI_CAPABILITIES
  readonly engine: EngineName
  /** Why the default engine was not used, when createBackend() fell back to another. */
  readonly fallback: string | undefined
  readonly #rt: Runtime

  constructor(engine: Engine, fallback: string | undefined) {
    super()
    this.engine = engine.name
    this.fallback = fallback
    this.#rt = runtimeOf(engine)
  }

  protected async _socket(
    family: Family,
    type: SocketType,
    protocol: number,
    o: CheckedCreateOptions,
  ): Promise<Socket> {
    const { libc, engine } = this.#rt
    const fd = libc.socket(AF[family], SOCK[type] | NONBLOCK_CLOEXEC, protocol)
    if (fd === -1) throw errnoError('socket', engine.errno())
    return new FfiSocket(this.#rt, fd, { family, type, protocol, nonBlocking: o.nonBlocking })
  }

  protected async _socketpair(family: 'AF_UNIX', type: SocketType, o: CheckedCreateOptions): Promise<[Socket, Socket]> {
    const { libc, engine, arena } = this.#rt
    const { view, address } = arena
    view.fill(0, REGION.pair, REGION.pair + 8)
    if (libc.socketpair(AF[family], SOCK[type] | NONBLOCK_CLOEXEC, 0, address + REGION.pair) === -1) {
      throw errnoError('socketpair', engine.errno())
    }
    const a = view.readInt32LE(REGION.pair)
    const b = view.readInt32LE(REGION.pair + 4)
    const nonBlocking = o.nonBlocking
    return [
      new FfiSocket(this.#rt, a, { family, type, nonBlocking }),
      new FfiSocket(this.#rt, b, { family, type, nonBlocking }),
    ]
  }

  protected _lookup(host: string | null, service: string | number | null, hints: LookupHints): Promise<LookupResult[]> {
    return lookup(this.#rt, host, service, hints)
  }

  protected _nameinfo(address: SocketAddress, flags: readonly NiFlag[]): Promise<{ host: string; service: string }> {
    return nameinfo(this.#rt, address, flags)
  }

  /**
   * Adopts a socket fd: it becomes O_NONBLOCK and FD_CLOEXEC (note that O_NONBLOCK belongs
   * to the open file description, shared with every copy of the fd), and the Socket owns it.
   * Its contract mode is non-blocking only if the fd already was. On failure the caller keeps it.
   */
  protected async _adopt(fd: number): Promise<Socket> {
    // A second owner would close the fd under the first, or both would: refused.
    if (isOwned(fd)) {
      throw new SocketError('EBUSY', {
        syscall: 'adopt',
        message: `adopt EBUSY: fd ${fd} already belongs to an open socket of this backend`,
      })
    }
    const { libc, engine } = this.#rt
    const flags = libc.fcntl(fd, X.F_GETFL, 0)
    if (flags === -1) throw errnoError('fcntl', engine.errno())
    const int = (name: number) => getOption(this.#rt, fd, { spec: undefined, level: 1, name }, 4, 'int') as number
    const family = FAMILY_BY_NUMBER[int(X.SO_DOMAIN)]
    const type = TYPE_BY_NUMBER[int(X.SO_TYPE)]
    const protocol = int(X.SO_PROTOCOL)
    if (family === undefined) throw new SocketError('EAFNOSUPPORT', { syscall: 'adopt' })
    if (type === undefined) throw notSupported('socket type', 'adopt')
    if (libc.fcntl(fd, X.F_SETFL, flags | X.O_NONBLOCK) === -1) throw errnoError('fcntl', engine.errno())
    libc.fcntl(fd, X.F_SETFD, X.FD_CLOEXEC)
    // An fd received through SCM_RIGHTS now belongs to the new Socket, not the one it came on.
    detachReceivedFd(fd)
    const socket = new FfiSocket(this.#rt, fd, { family, type, protocol, nonBlocking: (flags & X.O_NONBLOCK) !== 0 })
    // The fd carries its timeouts (set here or by the process that passed it): the contract's
    // waits take them over.
    for (const name of ['SO_RCVTIMEO', 'SO_SNDTIMEO'] as const) {
      const spec = findOption('SOL_SOCKET', name)
      const ms = spec ? (getOption(this.#rt, fd, { spec }, 16) as number) : 0
      if (ms > 0) socket.setOption('SOL_SOCKET', name, ms)
    }
    return socket
  }
}

/** The ffi backend: a {@link Backend} that also names its engine. */
export type FfiBackend = Backend & {
  readonly engine: EngineName
  /** Why the default engine was not used, when createBackend() fell back to another. */
  readonly fallback: string | undefined
}

/** A backend on a given engine (tests instrument an engine this way). */
export function backendOn(engine: Engine, fallback?: string): FfiBackend {
  return new FfiBackendImpl(engine, fallback)
}

/**
 * Creates the ffi backend: the contract on libc (Linux x86_64 / arm64) through the engine
 * asked for, or koffi by default, falling back to ffi-rs (with `fallback` saying why) where
 * koffi cannot load. Backends of one engine share its epoll set and arena.
 * @throws TypeError for an unknown engine name; Error when the engine asked for (or, by
 * default, every engine) cannot load here, or on a worker thread (readiness uses the main
 * loop's libuv).
 */
export function createBackend(options?: FfiBackendOptions): FfiBackend {
  const o = checkOptions(options) as FfiBackendOptions
  if (o.engine !== undefined && !ENGINE_NAMES.includes(o.engine)) {
    throw new TypeError(`options.engine must be one of ${ENGINE_NAMES.join(', ')}`)
  }
  if (!isMainThread) {
    throw new Error('@polysocket/backend-ffi runs on the main thread only: its readiness watches the main libuv loop')
  }
  if (o.engine !== undefined) {
    const status = loadEngine(o.engine)
    if ('error' in status) throw status.error
    return backendOn(status.engine)
  }
  const failures: string[] = []
  for (const name of ENGINE_NAMES) {
    const status = loadEngine(name)
    if ('engine' in status) return backendOn(status.engine, failures.length ? failures.join('; ') : undefined)
    failures.push(status.error.message)
  }
  throw new Error(`@polysocket/backend-ffi has no engine that loads here: ${failures.join('; ')}`)
}
