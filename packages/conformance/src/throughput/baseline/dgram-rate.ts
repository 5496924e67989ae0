import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { BenchContext, Measurement } from '../scenario.js'
import { DATAGRAM_BYTES, DRAIN_MS, FLOW_WINDOW, paced, SEND_WINDOW } from '../scenarios/udp-rate.js'
import { UdpWindow } from '../scenarios/udp-window.js'

/** Most quiet periods the drain waits through, whatever keeps arriving. */
const MAX_DRAIN_PERIODS = 50

/**
 * The UDP rate workload on node:dgram: a connected sender issuing up to SEND_WINDOW sends
 * before waiting for their callbacks, under the same flow window as the contract side; the
 * receiver counts 'message' events, and the run ends after DRAIN_MS without one.
 */
export async function dgramRate(ctx: Omit<BenchContext, 'backend'>): Promise<Measurement> {
  const receiver = createSocket('udp4')
  ctx.onCleanup(() => receiver.close())
  receiver.bind(0, '127.0.0.1')
  await once(receiver, 'listening')
  const window = new UdpWindow(FLOW_WINDOW)
  receiver.on('message', () => window.onReceived(1))
  const sender = createSocket('udp4')
  ctx.onCleanup(() => sender.close())
  sender.on('error', () => {})
  sender.connect(receiver.address().port, '127.0.0.1')
  await once(sender, 'connect')
  const payload = Buffer.alloc(DATAGRAM_BYTES, 0x75)
  const burst = (n: number) =>
    new Promise<number>((resolve) => {
      let pending = n
      let sent = 0
      const done = (error: Error | null) => {
        if (!error) sent++
        if (--pending === 0) resolve(sent)
      }
      for (let i = 0; i < n; i++) sender.send(payload, done)
    })
  const sendAll = async (n: number) => {
    let sent = 0
    for (let i = 0; i < n; i += SEND_WINDOW) sent += await burst(Math.min(SEND_WINDOW, n - i))
    return sent
  }
  // The same end rule as SO_RCVTIMEO on the contract side: DRAIN_MS without a datagram.
  const drained = async () => {
    let last = -1
    for (let i = 0; i < MAX_DRAIN_PERIODS && last !== window.received; i++) {
      last = window.received
      await sleep(DRAIN_MS)
    }
  }
  return paced(ctx, window, sendAll, drained)
}
