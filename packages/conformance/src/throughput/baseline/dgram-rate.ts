import { createSocket } from 'node:dgram'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { BenchContext, Measurement } from '../scenario.js'
import { DATAGRAM_BYTES, DRAIN_MS, SEND_WINDOW } from '../scenarios/udp-rate.js'

/** The UDP rate workload on node:dgram: a connected sender with a window of callbacks; count 'message'. */
export async function dgramRate(ctx: Omit<BenchContext, 'backend'>): Promise<Measurement> {
  const receiver = createSocket('udp4')
  ctx.onCleanup(() => receiver.close())
  receiver.bind(0, '127.0.0.1')
  await once(receiver, 'listening')
  let received = 0
  receiver.on('message', () => {
    received++
  })
  const sender = createSocket('udp4')
  ctx.onCleanup(() => sender.close())
  sender.on('error', () => {})
  sender.connect(receiver.address().port, '127.0.0.1')
  await once(sender, 'connect')
  const payload = Buffer.alloc(DATAGRAM_BYTES, 0x75)
  const started = performance.now()
  const deadline = started + ctx.durationMs
  let inflight = 0
  let sent = 0
  let wake: (() => void) | undefined
  while (performance.now() < deadline && !ctx.signal.aborted) {
    inflight++
    sender.send(payload, (error) => {
      inflight--
      if (!error) sent++
      wake?.()
    })
    if (inflight >= SEND_WINDOW) {
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
  }
  while (inflight > 0) {
    await new Promise<void>((resolve) => {
      wake = resolve
    })
  }
  const seconds = (performance.now() - started) / 1000
  // Same quiet period as the contract side, so both count the stragglers alike.
  let last = -1
  while (last !== received) {
    last = received
    await sleep(DRAIN_MS)
  }
  return { value: received / seconds, extra: { sent, received, loss: sent === 0 ? 0 : 1 - received / sent } }
}
