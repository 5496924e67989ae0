import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import type { Socket } from '@polysocket/core'
import type { Case } from '../../../case.js'
import { sendAll } from '../../../peers/io.js'
import { requireFdCount, rssBytes, settledFdCount, softFdLimit } from '../../../peers/process.js'
import { deadlineSignal, delay } from '../../../peers/time.js'
import { echoOnce, serverIdle, startEchoServer } from './echo-server.js'

/** The sizes with `--full`; a reduced run that fits CI otherwise. */
const FULL = { connections: 1000, bytes: 1 << 20 }
const REDUCED = { connections: 50, bytes: 64 << 10 }
/** Bytes per send: several chunks per connection, so that a reordering changes the hash. */
const CHUNK = 16 << 10
/** Connects in flight at once while the connections are being opened. */
const WAVE = 100
/** Fds beyond the connections' own: the listener, the backend's poller, the runner's files. */
const FD_HEADROOM = 64

/**
 * Chunk `index` of connection `conn`: a slice of shared random bytes at an offset that depends
 * on both, stamped with both numbers, so that no two chunks of the run are equal.
 */
function chunkOf(base: Buffer, conn: number, index: number): Buffer {
  const offset = (conn * 7919 + index * 104_729) % (base.length - CHUNK + 1)
  const chunk = Buffer.from(base.subarray(offset, offset + CHUNK))
  chunk.writeUInt32BE(conn, 0)
  chunk.writeUInt32BE(index, 4)
  return chunk
}

/** What one connection sent and got back. */
interface Transfer {
  readonly sent: string
  readonly received: string
  readonly bytes: number
}

/**
 * Sends `bytes` on `socket` then half-closes, while reading the echo to EOF; both sides are
 * hashed as they go, so no connection's data is ever held whole.
 */
async function transfer(socket: Socket, conn: number, bytes: number, base: Buffer, signal: AbortSignal) {
  const sent = createHash('sha256')
  const received = createHash('sha256')
  const writing = (async () => {
    for (let i = 0; i * CHUNK < bytes; i++) {
      const chunk = chunkOf(base, conn, i).subarray(0, Math.min(CHUNK, bytes - i * CHUNK))
      sent.update(chunk)
      await sendAll(socket, chunk)
    }
    await socket.shutdown('SHUT_WR')
  })()
  const reading = (async () => {
    let got = 0
    // Bounded: each turn but the last consumes bytes, and more than were sent is an error.
    for (;;) {
      const { data } = await socket.recv(65536, { signal })
      if (data.length === 0) return got
      got += data.length
      if (got > bytes) throw new Error(`connection ${conn}: more bytes came back (${got}) than were sent (${bytes})`)
      received.update(data)
    }
  })()
  const [, got] = await Promise.all([writing, reading])
  return { sent: sent.digest('hex'), received: received.digest('hex'), bytes: got } satisfies Transfer
}

/** `robustness.load.concurrent`: many echoing connections open at once. */
export const concurrentCase: Case = {
  id: 'robustness.load.concurrent',
  title:
    'N TCP connections open at once (1,000 with --full, 50 otherwise) each echo M bytes (1 MiB / 64 KiB) through an echo server of the same backend: sha256 per connection equal, no fd left over',
  needs: ['tcp'],
  ip: true,
  timeoutMs: 300_000,
  async run(ctx) {
    const { connections: n, bytes: m } = ctx.full ? FULL : REDUCED
    // Both ends live in this process: two fds per connection. Node cannot raise RLIMIT_NOFILE.
    const limit = softFdLimit()
    const fdsAtStart = requireFdCount(ctx)
    if (limit !== undefined && limit - fdsAtStart < 2 * n + FD_HEADROOM) {
      ctx.skip(
        `RLIMIT_NOFILE soft limit ${limit} with ${fdsAtStart} fds open leaves too few for ${n} connections ` +
          `(${2 * n + FD_HEADROOM} needed: both ends are in this process); raise it (ulimit -n) before starting node`,
      )
    }
    const signal = deadlineSignal(ctx.signal, ctx.full ? 290_000 : 60_000)
    const started = performance.now()
    // n connections, one warm-up, and one accept more that never comes: the listener stays open
    // until the cleanup, so the final fd count compares like with like.
    const server = await startEchoServer(ctx, { backlog: n, maxConnections: n + 2, signal })
    // The warm-up makes what a backend creates once, on first use (a poller's fd), before counting.
    await echoOnce(ctx.backend, ctx.family, server.address, signal)
    await serverIdle(server)
    const fdsBefore = await settledFdCount(requireFdCount(ctx))
    const rssBefore = rssBytes()

    const clients: Socket[] = []
    ctx.onCleanup(() => Promise.all(clients.map((c) => c.close())))
    for (let first = 0; first < n; first += WAVE) {
      const wave = Array.from({ length: Math.min(WAVE, n - first) }, async () => {
        const socket = await ctx.backend.socket(ctx.family, 'SOCK_STREAM')
        clients.push(socket)
        await socket.connect(server.address, { signal })
      })
      await Promise.all(wave)
    }
    // Every connection must be accepted and echoing before data moves: then all n are open at once.
    for (let i = 0; i < 1000 && server.active < n && server.errors.length === 0; i++) await delay(10)
    assert.deepEqual(server.errors, [], 'the echo server accepts without error')
    assert.equal(server.active, n, `all ${n} connections are open on the server side at once`)
    const fdsOpen = requireFdCount(ctx)
    let rssPeak = rssBytes()
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssBytes())
    }, 100)
    ctx.onCleanup(() => clearInterval(sampler))

    const base = randomBytes(4 * CHUNK)
    const results = await Promise.all(clients.map((s, i) => transfer(s, i, m, base, signal)))
    clearInterval(sampler)
    const bad = results.flatMap((r, i) =>
      r.bytes !== m ? [`#${i}: ${r.bytes} of ${m} bytes`] : r.sent !== r.received ? [`#${i}: sha256 differs`] : [],
    )
    assert.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${n} connections lost or reordered bytes`)

    await Promise.all(clients.map((c) => c.close()))
    await serverIdle(server)
    assert.deepEqual(server.errors, [], 'no echo loop failed')
    const fdsAfter = await settledFdCount(fdsBefore)
    assert.ok(fdsAfter <= fdsBefore, `fds: ${fdsBefore} before, ${fdsAfter} after every socket was closed`)
    ctx.report('connections', n, 'connections')
    ctx.report('bytes verified each way', n * m, 'bytes')
    ctx.report('fds at peak', fdsOpen - fdsBefore, 'fds')
    ctx.report('fds leaked', fdsAfter - fdsBefore, 'fds')
    ctx.report('RSS peak growth', rssPeak - rssBefore, 'bytes')
    ctx.report('duration', Math.round(performance.now() - started), 'ms')
  },
}
