import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { isSocketError, type Socket } from '@polysocket/core'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { delay, since } from '../../peers/time.js'
import { pair } from './helpers.js'

/** Open file descriptors of this process. */
function openFds(): number {
  return readdirSync('/proc/self/fd').length
}

/** Waiting operations never block the event loop; closing never leaks or reuses an fd. */
export const livenessCases: readonly Case[] = [
  {
    id: 'posix.liveness.timer',
    title: 'a 50 ms timer fires on time while 100 recv calls wait',
    needs: ['socketpair'],
    timeoutMs: 20_000,
    async run(ctx) {
      const ends: Socket[] = []
      for (let i = 0; i < 50; i++) ends.push(...(await pair(ctx, 'SOCK_STREAM')))
      // Each waits up to 2 s: a backend that blocked the loop would hold the timer that long.
      for (const s of ends) s.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 2000)
      const reads = ends.map((s) => s.recv(10, { signal: ctx.signal }))
      const started = performance.now()
      await delay(50)
      const late = since(started)
      // 100 ms is the target; 150 ms more covers a loaded 2-core CI machine and stays far below 2 s.
      assert.ok(late < 250, `the 50 ms timer fired after ${late.toFixed(1)} ms`)
      for (let i = 0; i < ends.length; i += 2) {
        await ends[i]?.send('a')
        await ends[i + 1]?.send('b')
      }
      const got = await Promise.all(reads)
      assert.deepEqual(
        got.map((r) => r.data.toString()),
        ends.map((_, i) => (i % 2 === 0 ? 'b' : 'a')),
        'every waiting recv completes with its own data',
      )
    },
  },
  {
    id: 'posix.close.pending',
    title: 'closing a socket with a pending recv rejects it with EBADF; the peer sees EOF',
    needs: ['socketpair'],
    async run(ctx) {
      const [a, b] = await pair(ctx, 'SOCK_STREAM')
      const pending = a.recv(10)
      await delay(10)
      await a.close()
      await expectSocketError(pending, ['EBADF'], 'the pending recv')
      assert.equal((await b.recv(10, { signal: ctx.signal })).data.length, 0)
      await expectSocketError(a.recv(10), ['EBADF'], 'recv after close')
    },
  },
  {
    id: 'posix.fd.leak',
    title: 'no fd leaks after 1,000 (10,000 with --full) create/close cycles, pending waits included',
    needs: ['socketpair', 'unixDgram', 'fd'],
    timeoutMs: 60_000,
    async run(ctx) {
      const cycles = ctx.full ? 10_000 : 1_000
      const before = openFds()
      for (let i = 0; i < cycles; i++) {
        if (i % 3 === 0) {
          const s = await ctx.backend.socket('AF_INET', 'SOCK_STREAM')
          assert.ok(s.fd >= 0)
          await s.close()
        } else if (i % 3 === 1) {
          const [a, b] = await ctx.backend.socketpair('AF_UNIX', 'SOCK_DGRAM')
          await a.send('x')
          await b.close()
          await a.close()
        } else {
          const [a, b] = await ctx.backend.socketpair('AF_UNIX', 'SOCK_STREAM')
          // A wait that is pending at close must end with EBADF and stop watching the fd.
          const pending = a.recv(1).catch((e: unknown) => e)
          await Promise.resolve()
          await a.close()
          await b.close()
          const e = await pending
          assert.ok(isSocketError(e, 'EBADF') || (e as { data?: Buffer }).data !== undefined)
        }
      }
      const after = openFds()
      assert.ok(after <= before + 2, `open fds went from ${before} to ${after} over ${cycles} cycles`)
    },
  },
]
