import { isSocketError, type Socket } from '@polysocket/core'
import { dgramRate } from '../baseline/dgram-rate.js'
import type { BenchContext, BenchScenario, Measurement } from '../scenario.js'
import { UdpWindow } from './udp-window.js'

/** Bytes per datagram. */
export const DATAGRAM_BYTES = 64
/** Sends issued at once before waiting for them, on both sides, so that neither waits a loop turn per datagram. */
export const SEND_WINDOW = 32
/** Most datagrams the sender may be ahead of the receiver's count (well under a default receive buffer). */
export const FLOW_WINDOW = 128
/** How long the receiver waits for stragglers after the sender stops, in milliseconds. */
export const DRAIN_MS = 200
/** Upper bound on datagrams in one run, whatever the duration. */
export const MAX_DATAGRAMS = 50_000_000

/** A receiver bound on 127.0.0.1 and a sender connected to it, on the contract. */
export async function udpPair(ctx: BenchContext): Promise<{ receiver: Socket; sender: Socket }> {
  const receiver = await ctx.backend.socket('AF_INET', 'SOCK_DGRAM')
  ctx.onCleanup(() => receiver.close())
  await receiver.bind({ family: 'inet', address: '127.0.0.1', port: 0 })
  // The receiver stops when nothing came for this long after the sender stopped.
  receiver.setOption('SOL_SOCKET', 'SO_RCVTIMEO', DRAIN_MS)
  const sender = await ctx.backend.socket('AF_INET', 'SOCK_DGRAM')
  ctx.onCleanup(() => sender.close())
  await sender.connect(receiver.localAddress())
  return { receiver, sender }
}

/**
 * Receives until `read` fails with EAGAIN (SO_RCVTIMEO expired), counting into the window what
 * `count` makes of each result (one per datagram).
 */
export async function receiveAll<R>(window: UdpWindow, read: () => Promise<R>, count: (r: R) => number): Promise<void> {
  for (;;) {
    let result: R
    try {
      result = await read()
    } catch (error) {
      if (isSocketError(error, 'EAGAIN')) return
      throw error
    }
    window.onReceived(count(result))
  }
}

/**
 * Issues `n` sends at once and resolves with how many succeeded when all have settled: one
 * reaction per send and a counter, the shape the baseline has with node:dgram's callbacks.
 */
export function sendTogether(n: number, send: () => Promise<number>): Promise<number> {
  return new Promise<number>((resolve) => {
    let pending = n
    let sent = 0
    const succeeded = (): void => {
      sent++
      if (--pending === 0) resolve(sent)
    }
    const failed = (): void => {
      if (--pending === 0) resolve(sent)
    }
    for (let i = 0; i < n; i++) send().then(succeeded, failed)
  })
}

/**
 * The sender of a `udp.rate` burst: `n` sends, up to SEND_WINDOW in flight at once (as the
 * baseline has callbacks in flight); resolves with how many succeeded.
 */
export function burstSender(send: () => Promise<number>): (n: number) => Promise<number> {
  return async (n) => {
    let sent = 0
    for (let i = 0; i < n; i += SEND_WINDOW) sent += await sendTogether(Math.min(SEND_WINDOW, n - i), send)
    return sent
  }
}

/**
 * Sends while the duration lasts, at most `room` datagrams at a time and only while the flow
 * window has room; delivered datagrams per second over the sender's time, with sent, received
 * and loss (1 − received/sent, after `drained`: the receiver's end) as extras.
 */
export async function paced(
  ctx: Omit<BenchContext, 'backend'>,
  window: UdpWindow,
  burst: (n: number) => Promise<number>,
  drained: () => Promise<void>,
): Promise<Measurement> {
  const started = performance.now()
  const deadline = started + ctx.durationMs
  window.start()
  let seconds: number
  try {
    while (window.sent < MAX_DATAGRAMS && performance.now() < deadline && !ctx.signal.aborted) {
      await window.whenOpen()
      const n = window.room
      if (n === 0) continue
      window.onSent(n)
      const sent = await burst(n)
      window.onSent(sent - n)
    }
    seconds = (performance.now() - started) / 1000
  } finally {
    window.stop()
  }
  await drained()
  const { sent, received } = window
  return {
    value: received / seconds,
    extra: { sent, received, loss: sent === 0 ? 0 : Math.max(0, 1 - received / sent) },
  }
}

/** 64-byte datagrams, one connected sender, one receiver, a flow window between them; delivered datagrams per second and loss. */
export const udpRate: BenchScenario = {
  id: 'udp.rate',
  title: `UDP datagram rate, 64 B, one sender, one receiver, ${FLOW_WINDOW} in flight at most`,
  needs: ['udp'],
  unit: 'datagrams/s',
  metric: 'delivered',
  higherIsBetter: true,
  async run(ctx) {
    const { receiver, sender } = await udpPair(ctx)
    const window = new UdpWindow(FLOW_WINDOW)
    const reading = receiveAll(
      window,
      () => receiver.recv(DATAGRAM_BYTES),
      () => 1,
    )
    const payload = Buffer.alloc(DATAGRAM_BYTES, 0x75)
    return paced(
      ctx,
      window,
      burstSender(() => sender.send(payload)),
      () => reading,
    )
  },
  baseline: dgramRate,
}
