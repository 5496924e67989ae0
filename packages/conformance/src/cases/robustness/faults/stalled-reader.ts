import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import type { Case } from '../../../case.js'
import { expectNoSocketLeak, rssBytes, socketFdCount } from '../../../peers/process.js'
import { within } from '../../../peers/time.js'
import { reportSurvived } from './helpers.js'
import { acceptPython } from './peer-io.js'

const MiB = 1 << 20
/** Bytes written to the stalled reader: the 1 GiB at full size, 128 MiB in CI. */
export const STALLED_BYTES = { full: 1024 * MiB, reduced: 128 * MiB } as const
/** The bound on the writer's RSS growth while it writes, in bytes (the 64 MiB). */
export const RSS_BOUND = 64 * MiB
/** How long the python reader reads nothing, in seconds, at full and reduced size. */
const STALL_S = { full: 3, reduced: 1.5 } as const
/** Distinct 1 MiB pieces the writer cycles through, so a lost or swapped piece changes the hash. */
const PIECES = 7
/** How often RSS is sampled during the write, in milliseconds. */
const SAMPLE_MS = 20

/**
 * Connects, reads nothing for `argv[3]` seconds, says READING, then reads to EOF and reports
 * the byte count and SHA-256. Each recv still times out after 8 s (the prelude), so a writer
 * that stopped cannot keep it alive.
 */
const PAUSING_READER = `
import time
s = socket.socket(FAMILY, socket.SOCK_STREAM)
s.connect(target())
say('STALLING')
time.sleep(float(sys.argv[3]))
say('READING')
# Still not reading for a moment, so the writer hears READING before the data moves again.
time.sleep(0.25)
h = hashlib.sha256()
n = 0
while True:
    b = s.recv(1 << 20)
    if not b:
        break
    h.update(b)
    n += len(b)
say('GOT', n, h.hexdigest())
`

/** A reader that stops reading while a large amount is written to it. */
export const stalledReaderCases: readonly Case[] = [
  {
    id: 'robustness.faults.stalled.reader',
    title:
      'writing 1 GiB (128 MiB in CI) to a python reader that pauses: the writer waits, its RSS grows by less than 64 MiB, and every byte arrives (SHA-256)',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 300_000,
    async run(ctx) {
      const total = ctx.full ? STALLED_BYTES.full : STALLED_BYTES.reduced
      const stall = ctx.full ? STALL_S.full : STALL_S.reduced
      const before = socketFdCount()
      const { peer, server, listener } = await acceptPython(ctx, PAUSING_READER, [String(stall)])
      await peer.expect('STALLING')
      const pieces = Array.from({ length: PIECES }, () => randomBytes(MiB))
      const hash = createHash('sha256')
      let accepted = 0
      let acceptedAtResume = -1
      const resumed = peer.expect('READING', stall * 1000 + 10_000).then(() => {
        acceptedAtResume = accepted
      })
      const baseline = rssBytes()
      let peak = baseline
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssBytes())
      }, SAMPLE_MS)
      try {
        // Bounded: total / 1 MiB pieces, each loop accepting at least one byte per send or throwing.
        for (let i = 0; accepted < total; i++) {
          const piece = pieces[i % PIECES] as Buffer
          hash.update(piece)
          let off = 0
          while (off < piece.length) {
            const n = await server.send(piece.subarray(off), { signal: ctx.signal })
            assert.ok(n > 0, `send returned ${n}`)
            off += n
            accepted += n
            peak = Math.max(peak, rssBytes())
          }
        }
        await server.shutdown('SHUT_WR')
      } finally {
        clearInterval(sampler)
      }
      await within(stall * 1000 + 10_000, resumed, 'the reader resuming')
      const [bytes, digest] = (await peer.expect('GOT', 60_000)).split(' ')
      const growth = peak - baseline
      assert.ok(
        acceptedAtResume < total && acceptedAtResume <= RSS_BOUND,
        `the writer should wait for the stalled reader: ${acceptedAtResume} of ${total} bytes were accepted before it resumed`,
      )
      assert.ok(
        growth < RSS_BOUND,
        `the writer's RSS grew by ${(growth / MiB).toFixed(1)} MiB while writing ${total / MiB} MiB (bound ${RSS_BOUND / MiB} MiB)`,
      )
      assert.equal(Number(bytes), total, 'bytes the reader got')
      assert.equal(digest, hash.digest('hex'), 'SHA-256 of the stream')
      await peer.success()
      await server.close()
      await listener.close()
      await expectNoSocketLeak(before, 'after the stalled reader')
      ctx.report('bytes to the stalled reader', total, 'bytes')
      ctx.report('writer RSS growth', growth, 'bytes')
      reportSurvived(ctx, total)
    },
  },
]
