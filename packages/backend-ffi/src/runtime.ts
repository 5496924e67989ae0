import { createArena } from './arena.js'
import type { Engine, NativeBlock } from './engine/engine.js'
import { bindLibc } from './libc/bind.js'
import type { Libc } from './libc/declarations.js'
import { Reactor } from './readiness.js'

/**
 * What the sockets of one engine share: the bound libc, the arena every synchronous call
 * marshals through, the reactor (one epoll set and one uv_poll) and the batch block of
 * sendmmsg/recvmmsg. One per engine and process, made on first use and kept: its native
 * memory is handed to the kernel call after call, so it is never freed.
 */
export interface Runtime {
  readonly engine: Engine
  readonly libc: Libc
  readonly arena: NativeBlock
  readonly reactor: Reactor
  /** The largest batch block sendmmsg/recvmmsg needed so far (mmsg.ts). */
  batch: { block: NativeBlock; messages: number; data: number } | undefined
}

const runtimes = new Map<Engine, Runtime>()

/** The runtime of `engine`, made on first use. */
export function runtimeOf(engine: Engine): Runtime {
  let rt = runtimes.get(engine)
  if (rt === undefined) {
    const libc = bindLibc(engine)
    const arena = createArena(engine)
    const partial = { engine, libc, arena, batch: undefined } as Omit<Runtime, 'reactor'> & { reactor?: Reactor }
    partial.reactor = new Reactor(partial as Runtime)
    rt = partial as Runtime
    runtimes.set(engine, rt)
  }
  return rt
}

/** `-errno` after a call that returned -1, else the call's result. */
export function orErrno(rt: Runtime, n: number): number {
  return n === -1 ? -rt.engine.errno() : n
}
