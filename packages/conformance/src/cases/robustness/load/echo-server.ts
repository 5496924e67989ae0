import assert from 'node:assert/strict'
import type { Backend, Socket, SocketAddress } from '@polysocket/core'
import type { CaseContext } from '../../../case.js'
import { readExactly, sendAll } from '../../../peers/io.js'
import { delay } from '../../../peers/time.js'

/** A listener of the backend under test that echoes every accepted connection until EOF. */
export interface EchoServer {
  /** Where it listens (the run's loopback address, ephemeral port). */
  readonly address: SocketAddress
  /** Connections accepted so far. */
  readonly accepted: number
  /** Echo loops still running. */
  readonly active: number
  /** Errors of the accept loop and of echo loops, in order (none is expected). */
  readonly errors: readonly unknown[]
  /** Settles once `maxConnections` were accepted and every echo loop ended. */
  readonly finished: Promise<void>
}

/** Options of {@link startEchoServer}. */
export interface EchoServerOptions {
  /** listen(2) backlog. */
  readonly backlog: number
  /** The accept loop stops after this many connections (bounds the loop). */
  readonly maxConnections: number
  /** Bytes per recv of an echo loop. */
  readonly chunk?: number
  /** Stops the accept and echo loops (pass the case's signal, or a sooner one). */
  readonly signal: AbortSignal
}

/**
 * Starts an echo server on the backend under test: one accept loop, and per accepted socket a
 * loop of recv then send-all until EOF, then close. Sockets are tracked in a set rather than
 * one cleanup each, so that thousands of short connections hold no memory once closed; one
 * cleanup closes whatever is still open when the case ends.
 */
export async function startEchoServer(ctx: CaseContext, options: EchoServerOptions): Promise<EchoServer> {
  const live = new Set<Socket>()
  ctx.onCleanup(() => Promise.all([...live].map((s) => s.close())))
  const listener = await ctx.backend.socket(ctx.family, 'SOCK_STREAM')
  live.add(listener)
  await listener.bind(ctx.addr(0))
  await listener.listen(options.backlog)
  const { signal } = options
  const chunk = options.chunk ?? 65536
  const errors: unknown[] = []
  const loops = new Set<Promise<void>>()
  let accepted = 0

  const echo = async (socket: Socket): Promise<void> => {
    try {
      // Bounded by the peer: every turn but the last consumes at least one byte it sent.
      for (;;) {
        const { data } = await socket.recv(chunk, { signal })
        if (data.length === 0) break
        await sendAll(socket, data)
      }
    } catch (error) {
      if (!signal.aborted) errors.push(error)
    } finally {
      live.delete(socket)
      await socket.close()
    }
  }

  const acceptLoop = async (): Promise<void> => {
    try {
      while (accepted < options.maxConnections) {
        const { socket } = await listener.accept({ signal })
        accepted++
        live.add(socket)
        const loop = echo(socket)
        loops.add(loop)
        void loop.then(() => loops.delete(loop))
      }
    } catch (error) {
      if (!signal.aborted) errors.push(error)
    } finally {
      live.delete(listener)
      await listener.close()
    }
    // Every loop ends (EOF, error or abort) and removes itself; this waits for those still running.
    while (loops.size > 0) await Promise.all([...loops])
  }

  const address = listener.localAddress()
  const finished = acceptLoop()
  return {
    address,
    get accepted() {
      return accepted
    },
    get active() {
      return loops.size
    },
    errors,
    finished,
  }
}

/**
 * Waits (up to 5 s) until every echo loop of `server` has ended: the server's side of a
 * connection closes when it reads the EOF, shortly after the client's close.
 * @throws AssertionError when some are still running.
 */
export async function serverIdle(server: EchoServer): Promise<void> {
  for (let i = 0; i < 500 && server.active > 0; i++) await delay(10)
  assert.equal(server.active, 0, 'every server-side connection closed')
}

/**
 * One cycle on the backend under test: socket, connect to `address`, send 64 bytes naming
 * `label`, read the echo back and compare, close (also on failure).
 */
export async function echoOnce(
  backend: Backend,
  family: 'AF_INET' | 'AF_INET6',
  address: SocketAddress,
  signal: AbortSignal,
  label = 'warm-up',
): Promise<void> {
  const socket = await backend.socket(family, 'SOCK_STREAM')
  try {
    await socket.connect(address, { signal })
    const payload = Buffer.from(`cycle ${label} `.padEnd(64, '.'))
    await sendAll(socket, payload)
    const echoed = await readExactly(socket, payload.length)
    if (!echoed.equals(payload)) assert.fail(`cycle ${label}: the echo differs: ${JSON.stringify(echoed.toString())}`)
  } finally {
    await socket.close()
  }
}
