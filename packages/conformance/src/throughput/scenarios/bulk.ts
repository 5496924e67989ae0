import { netBulk } from '../baseline/net-bulk.js'
import type { BenchScenario } from '../scenario.js'
import { BULK_CHUNK, measureBulk } from './measure.js'
import { type StreamKind, streamPair } from './pairs.js'

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
      const chunk = Buffer.alloc(BULK_CHUNK, 0x5a)
      return measureBulk(ctx, {
        write: async () => {
          await client.send(chunk)
        },
        finish: () => client.shutdown('SHUT_WR'),
        read: async () => (await server.recv(BULK_CHUNK)).data.length,
      })
    },
    baseline: (ctx) => netBulk(kind, ctx),
  }
}

/** `tcp.bulk`, the contract scenario the facades' bulk scenarios are written after. */
export const tcpBulk: BenchScenario = bulkScenario('tcp')
