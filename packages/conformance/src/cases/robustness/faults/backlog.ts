import assert from 'node:assert/strict'
import type { Socket } from '@polysocket/core'
import type { Case } from '../../../case.js'
import { caught, describeError } from '../../../peers/errors.js'
import { expectNoSocketLeak, socketFdCount } from '../../../peers/process.js'
import { openSocket } from '../../../peers/sockets.js'
import { stalledListener } from '../../../peers/stalled-listener.js'
import { within } from '../../../peers/time.js'
import { closesCleanly, reportSurvived, stillWorks } from './helpers.js'

/** Connects tried at once against the full backlog. */
const ATTEMPTS = 4
/** Each connect's limit, in milliseconds (`timeoutMs`, or SO_SNDTIMEO for the last one). */
const CONNECT_LIMIT_MS = 1000
/** How late past its limit a connect may settle on a loaded machine, in milliseconds. */
const MARGIN_MS = 4000

/** A connect to a listener whose accept queue is full. */
export const backlogCases: readonly Case[] = [
  {
    id: 'robustness.faults.backlog.full',
    title: `${ATTEMPTS} connects to a listener with a full backlog each time out (ETIMEDOUT, or EINPROGRESS under SO_SNDTIMEO) or are refused, within their limit; nothing leaks`,
    needs: ['tcp'],
    ip: true,
    timeoutMs: 30_000,
    async run(ctx) {
      const address = await stalledListener(ctx)
      // After the python listener started: its stdio are socketpairs of this process.
      const before = socketFdCount()
      const sockets: Socket[] = []
      for (let i = 0; i < ATTEMPTS; i++) sockets.push(await openSocket(ctx, 'SOCK_STREAM'))
      // The last one has no timeoutMs: the contract falls back to SO_SNDTIMEO, as connect(2)
      // does, and reports its expiry as Linux does, EINPROGRESS.
      const last = sockets[ATTEMPTS - 1] as Socket
      last.setOption('SOL_SOCKET', 'SO_SNDTIMEO', CONNECT_LIMIT_MS)
      const start = performance.now()
      const outcomes = await within(
        CONNECT_LIMIT_MS + MARGIN_MS,
        Promise.all(
          sockets.map(async (s, i) => {
            const options = i === ATTEMPTS - 1 ? {} : { timeoutMs: CONNECT_LIMIT_MS }
            const error = await caught(s.connect(address, options), `connect ${i} to a full backlog`)
            return { error, ms: performance.now() - start }
          }),
        ),
        'connects to a full backlog',
      )
      for (const [i, { error, ms }] of outcomes.entries()) {
        const code = (error as { code?: unknown }).code
        const expiry = i === ATTEMPTS - 1 ? 'EINPROGRESS' : 'ETIMEDOUT'
        assert.ok(
          code === expiry || code === 'ECONNREFUSED',
          `connect ${i}: expected ${expiry} or ECONNREFUSED, got ${describeError(error)}`,
        )
        if (code === expiry) {
          assert.ok(ms >= CONNECT_LIMIT_MS * 0.9, `connect ${i} timed out after ${ms.toFixed(0)} ms, before its limit`)
        }
      }
      for (const [i, s] of sockets.entries()) await closesCleanly(s, `socket ${i}`)
      await expectNoSocketLeak(before, 'after connects to a full backlog')
      await stillWorks(ctx)
      reportSurvived(ctx)
    },
  },
]
