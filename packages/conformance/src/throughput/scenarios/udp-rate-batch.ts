import { dgramRate } from '../baseline/dgram-rate.js'
import type { BenchScenario } from '../scenario.js'
import { DATAGRAM_BYTES, FLOW_WINDOW, paced, receiveAll, udpPair } from './udp-rate.js'
import { UdpWindow } from './udp-window.js'

/** Datagrams per sendBatch / recvBatch call. */
export const BATCH = 32

/**
 * The `udp.rate` workload through `sendBatch` / `recvBatch` (sendmmsg / recvmmsg where the
 * backend has `batchIo`), under the same flow window and against the same node:dgram
 * baseline as `udp.rate`.
 */
export const udpRateBatch: BenchScenario = {
  id: 'udp.rate.batch',
  title: `UDP datagram rate, 64 B, batches of ${BATCH}, ${FLOW_WINDOW} in flight at most`,
  needs: ['udp'],
  unit: 'datagrams/s',
  metric: 'delivered',
  higherIsBetter: true,
  async run(ctx) {
    const { receiver, sender } = await udpPair(ctx)
    const window = new UdpWindow(FLOW_WINDOW)
    const reading = receiveAll(
      window,
      () => receiver.recvBatch(BATCH, { maxBytes: DATAGRAM_BYTES }),
      (results) => results.length,
    )
    const batch = Array.from({ length: BATCH }, () => ({ data: Buffer.alloc(DATAGRAM_BYTES, 0x75) }))
    const batches = Array.from({ length: BATCH + 1 }, (_, n) => batch.slice(0, n))
    return paced(
      ctx,
      window,
      async (n) => {
        let sent = 0
        for (let i = 0; i < n; i += BATCH) {
          const k = Math.min(BATCH, n - i)
          const done = await sender.sendBatch(batches[k] ?? batch)
          sent += done
          if (done < k) break
        }
        return sent
      },
      () => reading,
    )
  },
  baseline: dgramRate,
}
