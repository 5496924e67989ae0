import { netPingpong } from '../baseline/net-pingpong.js'
import type { BenchScenario } from '../scenario.js'
import { latencySummary } from '../stats.js'
import { readExactly, streamPair } from './pairs.js'

/** Bytes per request and per response. */
export const PINGPONG_BYTES = 64
/** Round trips excluded from the figures, to let both ends warm up. */
export const WARMUP_ROUNDS = 200
/** Upper bound on measured round trips, whatever the duration. */
export const MAX_ROUNDS = 200_000

/** 64-byte request and response on one TCP_NODELAY connection; round-trip time in µs. */
export const tcpPingpong: BenchScenario = {
  id: 'tcp.pingpong',
  title: 'TCP ping-pong, 64 B, TCP_NODELAY',
  needs: ['tcp'],
  unit: 'µs',
  metric: 'rtt p50',
  higherIsBetter: false,
  async run(ctx) {
    const { client, server } = await streamPair(ctx, 'tcp')
    client.setOption('IPPROTO_TCP', 'TCP_NODELAY', true)
    server.setOption('IPPROTO_TCP', 'TCP_NODELAY', true)
    const echo = (async () => {
      for (;;) {
        const { data } = await server.recv(PINGPONG_BYTES)
        if (data.length === 0) return
        await server.send(data)
      }
    })()
    const request = Buffer.alloc(PINGPONG_BYTES, 0x70)
    const samples: number[] = []
    const deadline = performance.now() + ctx.durationMs
    for (let i = 0; i < MAX_ROUNDS + WARMUP_ROUNDS && performance.now() < deadline && !ctx.signal.aborted; i++) {
      const t0 = performance.now()
      await client.send(request)
      await readExactly(client, PINGPONG_BYTES)
      if (i >= WARMUP_ROUNDS) samples.push((performance.now() - t0) * 1000)
    }
    await client.shutdown('SHUT_WR')
    await echo
    const { p50, p99, mean } = latencySummary(samples)
    return { value: p50, extra: { p99, mean, rounds: samples.length } }
  },
  baseline: netPingpong,
}
