import { once } from 'node:events'
import type { BenchContext, Measurement } from '../scenario.js'
import { MAX_ROUNDS, PINGPONG_BYTES, WARMUP_ROUNDS } from '../scenarios/pingpong.js'
import { latencySummary } from '../stats.js'
import { netPair } from './net-bulk.js'

/** The ping-pong workload on node:net: write, wait for 64 bytes in 'data'; the server echoes. */
export async function netPingpong(ctx: Omit<BenchContext, 'backend'>): Promise<Measurement> {
  const { client, server } = await netPair('tcp', ctx)
  client.setNoDelay(true)
  server.setNoDelay(true)
  server.on('data', (data: Buffer) => server.write(data))
  const request = Buffer.alloc(PINGPONG_BYTES, 0x70)
  const samples: number[] = []
  const deadline = performance.now() + ctx.durationMs
  let pending = 0
  let wake: (() => void) | undefined
  client.on('data', (data: Buffer) => {
    pending -= data.length
    if (pending <= 0) wake?.()
  })
  for (let i = 0; i < MAX_ROUNDS + WARMUP_ROUNDS && performance.now() < deadline && !ctx.signal.aborted; i++) {
    const t0 = performance.now()
    pending += PINGPONG_BYTES
    const answered = new Promise<void>((resolve) => {
      wake = resolve
    })
    client.write(request)
    await answered
    if (i >= WARMUP_ROUNDS) samples.push((performance.now() - t0) * 1000)
  }
  client.end()
  await once(server, 'end')
  const { p50, p99, mean } = latencySummary(samples)
  return { value: p50, extra: { p99, mean, rounds: samples.length } }
}
