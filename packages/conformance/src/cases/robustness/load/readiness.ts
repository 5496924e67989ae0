import assert from 'node:assert/strict'
import type { PollEvent, Socket } from '@polysocket/core'
import type { Case } from '../../../case.js'
import { requireFdCount, settledFdCount, softFdLimit } from '../../../peers/process.js'
import { deadlineSignal, delay } from '../../../peers/time.js'

/** Sockets waiting at once with `--full`, and in a reduced run that fits CI. */
const FULL = 1000
const REDUCED = 100
/** Connects in flight at once while the pairs are being opened. */
const WAVE = 100
/** Fds beyond the pairs' own: the listener, the backend's poller, the runner's files. */
const FD_HEADROOM = 64

/** A waitReady that records when it settled and how. */
interface Watch {
  readonly done: Promise<void>
  settled: 'pending' | PollEvent[] | Error
}

function watch(socket: Socket, events: readonly PollEvent[], signal: AbortSignal): Watch {
  const w: Watch = { settled: 'pending', done: Promise.resolve() }
  return Object.assign(w, {
    done: socket.waitReady(events, { signal }).then(
      (got) => {
        w.settled = got
      },
      (error: unknown) => {
        w.settled = error instanceof Error ? error : new Error(String(error))
      },
    ),
  })
}

/** `robustness.load.readiness`: many sockets waiting on readiness at once. */
export const readinessLoadCase: Case = {
  id: 'robustness.load.readiness',
  title:
    'N sockets (1,000 with --full, 100 otherwise) wait for POLLIN at once: each wakes when its own data comes and not before, reads nothing, and a close settles every pending wait with EBADF, no fd left over',
  needs: ['tcp'],
  timeoutMs: 300_000,
  async run(ctx) {
    const n = ctx.full ? FULL : REDUCED
    const limit = softFdLimit()
    const fdsAtStart = requireFdCount(ctx)
    if (limit !== undefined && limit - fdsAtStart < 2 * n + FD_HEADROOM) {
      ctx.skip(`RLIMIT_NOFILE soft limit ${limit} with ${fdsAtStart} fds open leaves too few for ${n} pairs`)
    }
    const signal = deadlineSignal(ctx.signal, ctx.full ? 290_000 : 60_000)
    const started = performance.now()
    const listener = await ctx.backend.socket(ctx.family, 'SOCK_STREAM')
    ctx.onCleanup(() => listener.close())
    await listener.bind(ctx.addr(0))
    await listener.listen(n)
    const address = listener.localAddress()
    const clients: Socket[] = []
    const servers: Socket[] = []
    ctx.onCleanup(() => Promise.all([...clients, ...servers].map((s) => s.close())))
    // A warm-up pair makes what a backend creates once (a poller's fd) before counting.
    const warm = await ctx.backend.socket(ctx.family, 'SOCK_STREAM')
    const warmAccept = listener.accept({ signal })
    await warm.connect(address, { signal })
    await (await warmAccept).socket.waitReady(['POLLOUT'], { signal })
    await (await warmAccept).socket.close()
    await warm.close()
    const fdsBefore = await settledFdCount(requireFdCount(ctx))

    for (let first = 0; first < n; first += WAVE) {
      const count = Math.min(WAVE, n - first)
      const wave = Array.from({ length: count }, async () => {
        const s = await ctx.backend.socket(ctx.family, 'SOCK_STREAM')
        clients.push(s)
        await s.connect(address, { signal })
      })
      const accepting = Array.from({ length: count }, async () => {
        servers.push((await listener.accept({ signal })).socket)
      })
      await Promise.all([...wave, ...accepting])
    }
    assert.equal(servers.length, n)
    // Which server socket belongs to which client: by the client's local port.
    const byPort = new Map(servers.map((s) => [(s.remoteAddress() as { port: number }).port, s]))
    const pairs = clients.map((c) => {
      const server = byPort.get((c.localAddress() as { port: number }).port)
      assert.ok(server, 'every client has its accepted socket')
      return { client: c, server }
    })

    const waits = pairs.map((p) => watch(p.server, ['POLLIN'], signal))
    await delay(50)
    assert.equal(waits.filter((w) => w.settled !== 'pending').length, 0, 'no wait ends before its data')
    // Data for the even pairs only: exactly those wake.
    await Promise.all(pairs.map((p, i) => (i % 2 === 0 ? p.client.send(Buffer.from([i & 0xff])) : undefined)))
    await Promise.all(waits.filter((_, i) => i % 2 === 0).map((w) => w.done))
    await delay(20)
    const early = waits.filter((w, i) => i % 2 === 1 && w.settled !== 'pending').length
    assert.equal(early, 0, `${early} sockets without data woke`)
    await Promise.all(pairs.map((p, i) => (i % 2 === 1 ? p.client.send(Buffer.from([i & 0xff])) : undefined)))
    await Promise.all(waits.map((w) => w.done))
    const wrong = waits.filter((w) => !Array.isArray(w.settled) || !w.settled.includes('POLLIN')).length
    assert.equal(wrong, 0, `${wrong} waits ended without POLLIN`)
    // Nothing was read: each socket still holds its one byte.
    for (const [i, p] of pairs.entries()) {
      const { data } = await p.server.recv(16, { flags: ['MSG_DONTWAIT'] })
      assert.deepEqual([...data], [i & 0xff], `pair ${i} kept its byte`)
    }
    // Room to write on every client at once.
    const room = await Promise.all(pairs.map((p) => p.client.waitReady(['POLLOUT'], { timeoutMs: 5_000, signal })))
    assert.equal(room.filter((r) => !r.includes('POLLOUT')).length, 0, 'every client can write')

    const fdsOpen = requireFdCount(ctx)
    // Waits that nothing will satisfy, then close: every one settles with EBADF.
    const stuck = pairs.map((p) => watch(p.server, ['POLLIN'], signal))
    await delay(20)
    await Promise.all(pairs.map((p) => p.server.close()))
    await Promise.all(stuck.map((w) => w.done))
    const notBadf = stuck.filter(
      (w) => !(w.settled instanceof Error && (w.settled as { code?: string }).code === 'EBADF'),
    )
    assert.equal(notBadf.length, 0, `${notBadf.length} waits did not end with EBADF on close`)
    await Promise.all(clients.map((c) => c.close()))
    const fdsAfter = await settledFdCount(fdsBefore)
    assert.ok(fdsAfter <= fdsBefore, `fds: ${fdsBefore} before, ${fdsAfter} after every socket was closed`)
    ctx.report('sockets waiting at once', n, 'sockets')
    ctx.report('fds leaked', fdsAfter - fdsBefore, 'fds')
    ctx.report('fds at peak', fdsOpen - fdsBefore, 'fds')
    ctx.report('duration', Math.round(performance.now() - started), 'ms')
  },
}
