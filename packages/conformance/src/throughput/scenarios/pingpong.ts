import { netPingpong } from '../baseline/net-pingpong.js'
import type { BenchScenario } from '../scenario.js'
import { PINGPONG_BYTES, timeRoundTrips } from './measure.js'
import { readExactly, streamPair } from './pairs.js'

export { MAX_ROUNDS, PINGPONG_BYTES, WARMUP_ROUNDS } from './measure.js'

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
    try {
      return await timeRoundTrips(ctx, async () => {
        await client.send(request)
        await readExactly(client, PINGPONG_BYTES)
      })
    } finally {
      await client.shutdown('SHUT_WR').catch(() => {})
      await echo.catch(() => {})
    }
  },
  baseline: netPingpong,
}
