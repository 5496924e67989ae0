import { netBulk } from '../baseline/net-bulk.js'
import type { BenchScenario } from '../scenario.js'
import { type StreamKind, streamPair } from './pairs.js'

const CHUNK = 64 * 1024

/** One connection, 64 KiB writes for the duration; MB/s (10^6 bytes) measured at the receiver. */
export function bulkScenario(kind: StreamKind): BenchScenario {
  return {
    id: `${kind}.bulk`,
    title: `${kind === 'tcp' ? 'TCP' : 'Unix stream'} bulk transfer, 64 KiB writes`,
    needs: kind === 'tcp' ? ['tcp'] : ['unixStream'],
    unit: 'MB/s',
    metric: 'throughput',
    higherIsBetter: true,
    async run(ctx) {
      const { client, server } = await streamPair(ctx, kind)
      const chunk = Buffer.alloc(CHUNK, 0x5a)
      const started = performance.now()
      const deadline = started + ctx.durationMs
      const writer = (async () => {
        while (performance.now() < deadline && !ctx.signal.aborted) await client.send(chunk)
        await client.shutdown('SHUT_WR')
      })()
      let received = 0
      for (;;) {
        const { data } = await server.recv(CHUNK)
        if (data.length === 0) break
        received += data.length
      }
      const seconds = (performance.now() - started) / 1000
      await writer
      return { value: received / 1e6 / seconds, extra: { bytes: received } }
    },
    baseline: (ctx) => netBulk(kind, ctx),
  }
}
