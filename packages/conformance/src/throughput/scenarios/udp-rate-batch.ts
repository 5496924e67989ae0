import { isSocketError } from '@polysocket/core'
import { dgramRate } from '../baseline/dgram-rate.js'
import type { BenchScenario } from '../scenario.js'
import { DATAGRAM_BYTES, DRAIN_MS } from './udp-rate.js'

/** Datagrams per sendBatch / recvBatch call. */
export const BATCH = 32

/**
 * The `udp.rate` workload through `sendBatch` / `recvBatch` (sendmmsg / recvmmsg where the
 * backend has `batchIo`), against the same node:dgram baseline as `udp.rate`.
 */
export const udpRateBatch: BenchScenario = {
  id: 'udp.rate.batch',
  title: `UDP datagram rate, 64 B, batches of ${BATCH}`,
  needs: ['udp'],
  unit: 'datagrams/s',
  metric: 'delivered',
  higherIsBetter: true,
  async run(ctx) {
    const receiver = await ctx.backend.socket('AF_INET', 'SOCK_DGRAM')
    ctx.onCleanup(() => receiver.close())
    await receiver.bind({ family: 'inet', address: '127.0.0.1', port: 0 })
    receiver.setOption('SOL_SOCKET', 'SO_RCVTIMEO', DRAIN_MS)
    const sender = await ctx.backend.socket('AF_INET', 'SOCK_DGRAM')
    ctx.onCleanup(() => sender.close())
    await sender.connect(receiver.localAddress())
    let received = 0
    const reading = (async () => {
      for (;;) {
        try {
          received += (await receiver.recvBatch(BATCH, { maxBytes: DATAGRAM_BYTES })).length
        } catch (error) {
          if (isSocketError(error, 'EAGAIN')) return
          throw error
        }
      }
    })()
    const batch = Array.from({ length: BATCH }, () => ({ data: Buffer.alloc(DATAGRAM_BYTES, 0x75) }))
    const started = performance.now()
    const deadline = started + ctx.durationMs
    let sent = 0
    while (performance.now() < deadline && !ctx.signal.aborted) sent += await sender.sendBatch(batch)
    const seconds = (performance.now() - started) / 1000
    await reading
    return { value: received / seconds, extra: { sent, received, loss: sent === 0 ? 0 : 1 - received / sent } }
  },
  baseline: dgramRate,
}
