import assert from 'node:assert/strict'
import type { Case } from '../../../case.js'
import { mib, requireFdCount, rssBytes, settledFdCount } from '../../../peers/process.js'
import { deadlineSignal } from '../../../peers/time.js'
import { echoOnce, serverIdle, startEchoServer } from './echo-server.js'

/** Cycles with `--full` (the figure) and in a reduced run. */
const FULL_CYCLES = 10_000
const REDUCED_CYCLES = 500
/** Cycles run before the counts are taken, so that lazily made fds (a poller) and caches exist. */
const WARMUP = 20
/** Most RSS growth allowed over the run, in bytes. */
const RSS_BOUND = 64 << 20
/** How often the fd count is sampled during the run (cycles). */
const SAMPLE_EVERY = 50
/** Most fds open above the starting count at any sample: the cycle's own two and closes in flight. */
const FD_PEAK_BOUND = 16

/** `robustness.load.cycles`: connection after connection, nothing may pile up. */
export const cyclesCase: Case = {
  id: 'robustness.load.cycles',
  title:
    'sequential cycles of socket, connect, send, recv the echo, close (10,000 with --full, 500 otherwise): the fd count returns exactly to its start and RSS grows by less than 64 MiB',
  needs: ['tcp'],
  ip: true,
  timeoutMs: 300_000,
  async run(ctx) {
    const cycles = ctx.full ? FULL_CYCLES : REDUCED_CYCLES
    const signal = deadlineSignal(ctx.signal, ctx.full ? 290_000 : 60_000)
    // One accept more than the cycles: the listener stays open to the end, so its close cannot
    // hide a leaked fd in the final count (the case's cleanup closes it).
    const server = await startEchoServer(ctx, { backlog: 64, maxConnections: WARMUP + cycles + 1, signal })
    const started = performance.now()

    const cycle = (i: number | string) => echoOnce(ctx.backend, ctx.family, server.address, signal, String(i))

    for (let i = 0; i < WARMUP; i++) await cycle(`warm-up ${i}`)
    await serverIdle(server)
    const fdsBefore = await settledFdCount(requireFdCount(ctx))
    const rssBefore = rssBytes()
    let fdsPeak = fdsBefore
    let rssPeak = rssBefore
    for (let i = 0; i < cycles; i++) {
      await cycle(i)
      if (i % SAMPLE_EVERY === 0) {
        fdsPeak = Math.max(fdsPeak, requireFdCount(ctx))
        rssPeak = Math.max(rssPeak, rssBytes())
        assert.ok(
          fdsPeak - fdsBefore <= FD_PEAK_BOUND,
          `after ${i + 1} cycles ${fdsPeak - fdsBefore} more fds are open than at the start`,
        )
      }
    }
    await serverIdle(server)
    assert.deepEqual(server.errors, [], 'the echo server saw no error')
    const fdsAfter = await settledFdCount(fdsBefore)
    const rssAfter = rssBytes()
    rssPeak = Math.max(rssPeak, rssAfter)
    assert.ok(fdsAfter <= fdsBefore, `fds grew from ${fdsBefore} to ${fdsAfter} over ${cycles} cycles`)
    assert.ok(
      rssAfter - rssBefore < RSS_BOUND,
      `RSS grew by ${mib(rssAfter - rssBefore)} over ${cycles} cycles (bound ${mib(RSS_BOUND)})`,
    )
    ctx.report('cycles', cycles, 'cycles')
    ctx.report('fds leaked', fdsAfter - fdsBefore, 'fds')
    ctx.report('fds at peak above start', fdsPeak - fdsBefore, 'fds')
    ctx.report('RSS growth', rssAfter - rssBefore, 'bytes')
    ctx.report('RSS peak growth', rssPeak - rssBefore, 'bytes')
    ctx.report('duration', Math.round(performance.now() - started), 'ms')
  },
}
