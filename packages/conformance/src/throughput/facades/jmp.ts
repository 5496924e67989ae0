import { createJmp, type JmpSocket } from '@polysocket/core/jmp'
import { netBulk } from '../baseline/net-bulk.js'
import { netPingpong } from '../baseline/net-pingpong.js'
import type { BenchContext, BenchScenario } from '../scenario.js'
import { tcpBulk } from '../scenarios/bulk.js'
import { BULK_CHUNK, measureBulk, PINGPONG_BYTES, timeRoundTrips } from '../scenarios/measure.js'
import { tcpPingpong } from '../scenarios/pingpong.js'

/** The list, or an Error with JMP's status string when it is not `"ok"`. */
function ok<L extends readonly unknown[]>(list: L): L {
  if (list[1] !== 'ok') throw new Error(`jmp ${String(list[0])}: ${String(list[1])}`)
  return list
}

/** A connected STREAM pair on 127.0.0.1 made with JSL's Bind, Listen, Accept and Connect messages. */
async function jmpPair(ctx: BenchContext): Promise<{ client: JmpSocket; peer: JmpSocket }> {
  const { Socket } = createJmp(ctx.backend)
  const server = Socket()
  ctx.onCleanup(() => server.Close())
  ok(await server.Bind('127.0.0.1', 0))
  ok(await server.Listen())
  const [, , , port] = ok(await server.GetSockName())
  const client = Socket()
  ctx.onCleanup(() => client.Close())
  const [connected, accepted] = await Promise.all([client.Connect('127.0.0.1', port), server.Accept()])
  ok(connected)
  const list = ok(accepted)
  if (list.length !== 4) throw new Error('jmp Accept: no socket in the answer')
  const peer = list[3]
  ctx.onCleanup(() => peer.Close())
  return { client, peer }
}

/**
 * `tcp.bulk` through the JMP facade: `Send` of a 64 KiB JSL string, `Recv(65536)` until the
 * empty string. The payload is printable ASCII, as JSL text data is, so the `~xx` codec costs
 * what it costs on real JSL data (one string character per byte, both ways).
 */
export const tcpBulkJmp: BenchScenario = {
  id: 'tcp.bulk.jmp',
  title: 'TCP bulk transfer through the JMP facade, 64 KiB JSL strings',
  needs: ['tcp'],
  unit: 'MB/s',
  metric: 'throughput',
  higherIsBetter: true,
  async run(ctx) {
    const { client, peer } = await jmpPair(ctx)
    const chunk = 'Z'.repeat(BULK_CHUNK)
    return measureBulk(ctx, {
      write: async () => {
        const [, , unsent] = ok(await client.Send(chunk))
        if (unsent !== '') throw new Error('jmp Send: not all sent')
      },
      // JSL has no shutdown message: the writer closes, and the reader's Recv answers "ok", "".
      finish: async () => {
        ok(await client.Close())
      },
      read: async () => ok(await peer.Recv(BULK_CHUNK))[2].length,
    })
  },
  baseline: (ctx) => netBulk('tcp', ctx),
  contract: tcpBulk,
}

/**
 * `tcp.pingpong` through the JMP facade with 64-character printable strings. JSL has no
 * setsockopt, so TCP_NODELAY stays off; with one request in flight, Nagle's algorithm never
 * holds a segment back (each side's last segment is acknowledged by the other's answer).
 */
export const tcpPingpongJmp: BenchScenario = {
  id: 'tcp.pingpong.jmp',
  title: 'TCP ping-pong through the JMP facade, 64 B strings',
  needs: ['tcp'],
  unit: 'µs',
  metric: 'rtt p50',
  higherIsBetter: false,
  async run(ctx) {
    const { client, peer } = await jmpPair(ctx)
    const echo = (async () => {
      for (;;) {
        const [, , data] = ok(await peer.Recv(PINGPONG_BYTES))
        if (data === '') return
        ok(await peer.Send(data))
      }
    })()
    const request = 'p'.repeat(PINGPONG_BYTES)
    try {
      return await timeRoundTrips(ctx, async () => {
        ok(await client.Send(request))
        for (let got = 0; got < PINGPONG_BYTES; ) {
          const [, , data] = ok(await client.Recv(PINGPONG_BYTES - got))
          if (data === '') throw new Error('jmp Recv: unexpected end of stream')
          got += data.length
        }
      })
    } finally {
      await client.Close()
      await echo.catch(() => {})
    }
  },
  baseline: netPingpong,
  contract: tcpPingpong,
}
