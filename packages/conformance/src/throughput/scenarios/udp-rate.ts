import { isSocketError } from '@polysocket/core'
import { dgramRate } from '../baseline/dgram-rate.js'
import type { BenchScenario } from '../scenario.js'

/** Bytes per datagram. */
export const DATAGRAM_BYTES = 64
/** Sends in flight at once, on both sides, so that neither waits a loop turn per datagram. */
export const SEND_WINDOW = 32
/** How long the receiver waits for stragglers after the sender stops, in milliseconds. */
export const DRAIN_MS = 200

/** 64-byte datagrams, one connected sender, one receiver; delivered datagrams per second and loss. */
export const udpRate: BenchScenario = {
  id: 'udp.rate',
  title: 'UDP datagram rate, 64 B, one sender, one receiver',
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
          await receiver.recv(DATAGRAM_BYTES)
          received++
        } catch (error) {
          if (isSocketError(error, 'EAGAIN')) return
          throw error
        }
      }
    })()
    const payload = Buffer.alloc(DATAGRAM_BYTES, 0x75)
    const started = performance.now()
    const deadline = started + ctx.durationMs
    const inflight = new Set<Promise<unknown>>()
    let sent = 0
    while (performance.now() < deadline && !ctx.signal.aborted) {
      const p: Promise<unknown> = sender.send(payload).then(
        () => {
          sent++
          inflight.delete(p)
        },
        () => inflight.delete(p),
      )
      inflight.add(p)
      if (inflight.size >= SEND_WINDOW) await Promise.race(inflight)
    }
    await Promise.all(inflight)
    const seconds = (performance.now() - started) / 1000
    await reading
    return { value: received / seconds, extra: { sent, received, loss: sent === 0 ? 0 : 1 - received / sent } }
  },
  baseline: dgramRate,
}
