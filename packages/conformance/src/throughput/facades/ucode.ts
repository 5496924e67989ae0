import { createUcode, type UcodeModule, type UcodeSocket } from '@polysocket/core/ucode'
import { netBulk } from '../baseline/net-bulk.js'
import { netPingpong } from '../baseline/net-pingpong.js'
import type { BenchContext, BenchScenario } from '../scenario.js'
import { tcpBulk } from '../scenarios/bulk.js'
import { BULK_CHUNK, measureBulk, PINGPONG_BYTES, timeRoundTrips } from '../scenarios/measure.js'
import { tcpPingpong } from '../scenarios/pingpong.js'

/** A ucode result, or an Error with ucode's own error text when the call returned null. */
function must<T>(socket: UcodeModule, value: T | null, what: string): T {
  if (value === null) throw new Error(`ucode ${what}: ${String(socket.error())}`)
  return value
}

/** A connected TCP pair on 127.0.0.1 made with ucode's create/bind/listen/accept/connect. */
async function ucodePair(ctx: BenchContext): Promise<{ socket: UcodeModule; client: UcodeSocket; peer: UcodeSocket }> {
  const socket = createUcode(ctx.backend)
  const server = must(socket, await socket.create(socket.AF_INET, socket.SOCK_STREAM), 'create')
  ctx.onCleanup(() => server.close())
  must(socket, await server.bind('127.0.0.1:0'), 'bind')
  must(socket, await server.listen(), 'listen')
  const port = must(socket, server.sockname(), 'sockname').port
  const client = must(socket, await socket.create(socket.AF_INET, socket.SOCK_STREAM), 'create')
  ctx.onCleanup(() => client.close())
  const [connected, accepted] = await Promise.all([client.connect('127.0.0.1', port), server.accept()])
  must(socket, connected, 'connect')
  const peer = must(socket, accepted, 'accept')
  ctx.onCleanup(() => peer.close())
  return { socket, client, peer }
}

/** `tcp.bulk` through the ucode facade: `sock.send` of 64 KiB, `sock.recv(65536)` until EOF. */
export const tcpBulkUcode: BenchScenario = {
  id: 'tcp.bulk.ucode',
  title: 'TCP bulk transfer through the ucode facade, 64 KiB writes',
  needs: ['tcp'],
  unit: 'MB/s',
  metric: 'throughput',
  higherIsBetter: true,
  async run(ctx) {
    const { socket, client, peer } = await ucodePair(ctx)
    const chunk = Buffer.alloc(BULK_CHUNK, 0x5a)
    return measureBulk(ctx, {
      write: async () => {
        must(socket, await client.send(chunk), 'send')
      },
      finish: async () => {
        must(socket, await client.shutdown(socket.SHUT_WR), 'shutdown')
      },
      read: async () => must(socket, await peer.recv(BULK_CHUNK), 'recv').length,
    })
  },
  baseline: (ctx) => netBulk('tcp', ctx),
  contract: tcpBulk,
}

/** `tcp.pingpong` through the ucode facade, TCP_NODELAY set with `sock.setopt`. */
export const tcpPingpongUcode: BenchScenario = {
  id: 'tcp.pingpong.ucode',
  title: 'TCP ping-pong through the ucode facade, 64 B, TCP_NODELAY',
  needs: ['tcp'],
  unit: 'µs',
  metric: 'rtt p50',
  higherIsBetter: false,
  async run(ctx) {
    const { socket, client, peer } = await ucodePair(ctx)
    must(socket, client.setopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, true), 'setopt')
    must(socket, peer.setopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, true), 'setopt')
    const echo = (async () => {
      for (;;) {
        const data = must(socket, await peer.recv(PINGPONG_BYTES), 'recv')
        if (data.length === 0) return
        must(socket, await peer.send(data), 'send')
      }
    })()
    const request = Buffer.alloc(PINGPONG_BYTES, 0x70)
    try {
      return await timeRoundTrips(ctx, async () => {
        must(socket, await client.send(request), 'send')
        for (let got = 0; got < PINGPONG_BYTES; ) {
          const data = must(socket, await client.recv(PINGPONG_BYTES - got), 'recv')
          if (data.length === 0) throw new Error('ucode recv: unexpected EOF')
          got += data.length
        }
      })
    } finally {
      await client.shutdown(socket.SHUT_WR)
      await echo.catch(() => {})
    }
  },
  baseline: netPingpong,
  contract: tcpPingpong,
}
