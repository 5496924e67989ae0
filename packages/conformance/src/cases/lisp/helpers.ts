import assert from 'node:assert/strict'
import type { Backend } from '@polysocket/core'
import { createLisp, type Lisp, LispSocket } from '@polysocket/core/lisp'
import type { CaseContext } from '../../case.js'

/** What the lisp cases work with: the facade, and make-instance whose sockets close after the case. */
export interface LispKit {
  readonly lisp: Lisp
  /** The family symbol of the case's IP run: `'inet'` or `'inet6'`. */
  readonly inet: 'inet' | 'inet6'
  /** make-instance, asserting success, the socket destroyed at cleanup. */
  make(family: string, type: string, protocol?: unknown, ...keywords: unknown[]): Promise<LispSocket>
  /** Registers a socket made elsewhere (an accepted one) for destruction after the case. */
  track(socket: LispSocket | null): LispSocket
  /** What showbin printed. */
  readonly printed: string[]
}

/** The facade over the case's backend; every socket is destroyed at cleanup. */
export function lispKit(ctx: CaseContext): LispKit {
  const printed: string[] = []
  const lisp = createLisp(ctx.backend, { print: (text) => printed.push(text) })
  const track = (socket: LispSocket | null): LispSocket => {
    assert.ok(socket instanceof LispSocket, `expected a socket object, got nil: ${lisp.lastsocketerror}`)
    ctx.onCleanup(() => socket.destroy())
    return socket
  }
  return {
    lisp,
    inet: ctx.ipFamily === 6 ? 'inet6' : 'inet',
    printed,
    track,
    make: async (family, type, protocol = 0, ...keywords) =>
      track(await lisp.makeInstance('socket', family, type, protocol, ...keywords)),
  }
}

/** A stream socket listening on the case's loopback host; its port is `server.port`. */
export async function listening(ctx: CaseContext, kit: LispKit, backlog = 5): Promise<LispSocket> {
  const server = await kit.make(kit.inet, 'stream', 0, 'address', ctx.host, 'port', 0)
  assert.equal(await server.listen(backlog), true, `listen: ${kit.lisp.lastsocketerror}`)
  assert.equal(server.address, ctx.host)
  assert.ok(typeof server.port === 'number' && server.port > 0)
  return server
}

/** A connected pair over loopback TCP: the client, the accepted peer and the listener. */
export async function connectedPair(
  ctx: CaseContext,
  kit: LispKit,
): Promise<{ client: LispSocket; peer: LispSocket; server: LispSocket }> {
  const server = await listening(ctx, kit)
  const client = await kit.make(kit.inet, 'stream')
  const [connected, accepted] = await Promise.all([client.connect(ctx.host, server.port), server.accept()])
  assert.equal(connected, true, `connect: ${kit.lisp.lastsocketerror}`)
  return { client, peer: kit.track(accepted), server }
}

/** Reads with fread until `count` bytes arrived (or the end), at most 1,000 reads. */
export async function readBytes(socket: LispSocket, count: number): Promise<Buffer> {
  const parts: Buffer[] = []
  let total = 0
  for (let i = 0; i < 1_000 && total < count; i++) {
    const buffer = new Uint8Array(count - total)
    const n = await socket.fread(buffer)
    assert.ok(typeof n === 'number', 'fread failed')
    // fread counts 0 at the end of the stream.
    if (n === 0) break
    parts.push(Buffer.from(buffer.subarray(0, n)))
    total += n
  }
  return Buffer.concat(parts)
}

/** Whether `promise` is still pending after `ms` milliseconds. */
export async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const marker = Symbol('pending')
  const winner = await Promise.race([promise, new Promise((r) => setTimeout(() => r(marker), ms))])
  return winner === marker
}

/**
 * The case's backend as one without MSG_PEEK: select must answer from readiness there too,
 * never by reading ahead. The backend itself is untouched; only its manifest is seen
 * differently.
 */
export function withoutPeek(ctx: CaseContext): CaseContext {
  const backend = ctx.backend
  const supports = Object.freeze({ ...backend.supports, msgPeek: false })
  const view = new Proxy(backend, {
    get(target, key) {
      if (key === 'supports') return supports
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  }) as Backend
  return Object.assign(Object.create(ctx) as CaseContext, { backend: view })
}
