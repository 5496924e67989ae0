import assert from 'node:assert/strict'
import { lookupService } from 'node:dns/promises'
import { createJmp, type JmpSocket } from '@polysocket/core/jmp'
import type { CaseContext } from '../../case.js'

/** What the jmp cases work with: `Socket()` whose sockets close after the case. */
export interface JmpKit {
  Socket(type?: string): JmpSocket
  /** Registers a socket made elsewhere (an accepted one) for closing after the case. */
  track(socket: JmpSocket): JmpSocket
  /** Errors thrown by background callbacks; a case asserts it stays empty. */
  readonly callbackErrors: unknown[]
}

/** A facade over the case's backend, every socket closed at cleanup. */
export function jmpKit(ctx: CaseContext): JmpKit {
  const callbackErrors: unknown[] = []
  const jmp = createJmp(ctx.backend, { onCallbackError: (error) => callbackErrors.push(error) })
  const track = (socket: JmpSocket): JmpSocket => {
    ctx.onCleanup(() => socket.close())
    return socket
  }
  return { Socket: (type) => track(jmp.Socket(type)), track, callbackErrors }
}

/** Binds `server` on the case's loopback host with an ephemeral port and listens; returns the port. */
export async function listenOn(ctx: CaseContext, server: JmpSocket): Promise<string> {
  assert.deepEqual(await server.bind(ctx.host, 0), ['bind', 'ok'])
  assert.deepEqual(await server.listen(), ['listen', 'ok'])
  const [, st, address, port] = await server.getsockname()
  assert.equal(st, 'ok')
  assert.equal(address, ctx.host)
  assert.match(port, /^[1-9]\d*$/)
  return port
}

/** A connected pair: a client socket and the server side from a blocking accept. */
export async function connectedPair(
  ctx: CaseContext,
  kit: JmpKit,
): Promise<{ client: JmpSocket; peer: JmpSocket; server: JmpSocket; port: string }> {
  const server = kit.Socket()
  const port = await listenOn(ctx, server)
  const client = kit.Socket()
  const [connected, accepted] = await Promise.all([client.connect(ctx.host, port), server.accept()])
  assert.deepEqual(connected, ['connect', 'ok'])
  assert.equal(accepted[1], 'ok', `accept: ${accepted[1]}`)
  assert.equal(accepted.length, 4)
  const peer = kit.track(accepted[3] as JmpSocket)
  return { client, peer, server, port }
}

/** Receives on a blocking socket until `bytes` bytes arrived (decoded), or end of stream. */
export async function recvBytes(socket: JmpSocket, bytes: number, decode: (s: string) => Buffer): Promise<Buffer> {
  const parts: Buffer[] = []
  let total = 0
  for (let i = 0; i < 10_000 && total < bytes; i++) {
    const [cmd, st, data] = await socket.recv(bytes - total)
    assert.equal(cmd, 'recv')
    assert.equal(st, 'ok')
    if (data === '') break
    const chunk = decode(data)
    parts.push(chunk)
    total += chunk.length
  }
  return Buffer.concat(parts)
}

/**
 * The name the system gives `address` in a reverse lookup (an oracle independent of the
 * backend), or the address itself when it has none.
 */
export async function systemName(address: string): Promise<string> {
  try {
    const { hostname } = await lookupService(address, 0)
    return hostname || address
  } catch {
    return address
  }
}

/** Callback lists in arrival order, awaited one by one with a time limit. */
export class Inbox<T> {
  readonly #items: T[] = []
  readonly #waiters: ((item: T) => void)[] = []

  /** The callback to hand to a background message. */
  readonly push = (item: T): void => {
    const waiter = this.#waiters.shift()
    if (waiter) waiter(item)
    else this.#items.push(item)
  }

  get pending(): number {
    return this.#items.length
  }

  /** The next list; rejects when none arrives within `ms` milliseconds. */
  next(ms = 5_000): Promise<T> {
    const ready = this.#items.shift()
    if (ready !== undefined) return Promise.resolve(ready)
    return new Promise<T>((resolve, reject) => {
      const waiter = (item: T): void => {
        clearTimeout(timer)
        resolve(item)
      }
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter)
        if (i >= 0) this.#waiters.splice(i, 1)
        reject(new Error(`no callback within ${ms} ms`))
      }, ms)
      this.#waiters.push(waiter)
    })
  }
}

/** A status of a background operation that timed out: `TIMEDOUT: <text>. ` (JMP Socket messages). */
export const TIMEDOUT = /^TIMEDOUT: [A-Z][^\n]*\. $/
/** A status of a non-blocking call that would block: `WOULDBLOCK: <text>. `. */
export const WOULDBLOCK = /^WOULDBLOCK: [A-Z][^\n]*\. $/
