import { createLisp, EOF, type Lisp, type LispSocket } from '@polysocket/core/lisp'
import { netBulk } from '../baseline/net-bulk.js'
import { netPingpong } from '../baseline/net-pingpong.js'
import type { BenchContext, BenchScenario } from '../scenario.js'
import { tcpBulk } from '../scenarios/bulk.js'
import { BULK_CHUNK, measureBulk, PINGPONG_BYTES, timeRoundTrips } from '../scenarios/measure.js'
import { tcpPingpong } from '../scenarios/pingpong.js'

/** A Lisp result, or an Error with `*lastsocketerror*` when the call returned nil. */
function must<T>(lisp: Lisp, value: T | null, what: string): T {
  if (value === null) throw new Error(`lisp ${what}: ${String(lisp.lastsocketerror)}`)
  return value
}

/** A byte count from fread/fwrite/recv/send: 0 for EOF, an Error for nil. */
function count(lisp: Lisp, value: number | typeof EOF | null, what: string): number {
  if (value === EOF) return 0
  return must(lisp, value, what) as number
}

/** A connected TCP pair on 127.0.0.1 made with make-instance, listen, accept and connect. */
async function lispPair(ctx: BenchContext): Promise<{ lisp: Lisp; client: LispSocket; peer: LispSocket }> {
  const lisp = createLisp(ctx.backend)
  const made = async (...keywords: unknown[]): Promise<LispSocket> => {
    const s = must(lisp, await lisp.makeInstance('socket', 'inet', 'stream', 0, ...keywords), 'make-instance')
    ctx.onCleanup(() => s.destroy())
    return s
  }
  const server = await made('address', '127.0.0.1', 'port', 0)
  must(lisp, await server.listen(5), 'listen')
  const client = await made()
  const [connected, accepted] = await Promise.all([client.connect('127.0.0.1', server.port), server.accept()])
  must(lisp, connected, 'connect')
  const peer = must(lisp, accepted, 'accept')
  ctx.onCleanup(() => peer.destroy())
  return { lisp, client, peer }
}

/** `tcp.bulk` through the Lisp facade: `fwrite` of a 64 KiB binary, `fread` into one until EOF. */
export const tcpBulkLisp: BenchScenario = {
  id: 'tcp.bulk.lisp',
  title: 'TCP bulk transfer through the Lisp facade, 64 KiB fwrite / fread',
  needs: ['tcp'],
  unit: 'MB/s',
  metric: 'throughput',
  higherIsBetter: true,
  async run(ctx) {
    const { lisp, client, peer } = await lispPair(ctx)
    const chunk = new Uint8Array(BULK_CHUNK).fill(0x5a)
    const buffer = new Uint8Array(BULK_CHUNK)
    return measureBulk(ctx, {
      write: async () => {
        count(lisp, await client.fwrite(chunk), 'fwrite')
      },
      // The class has no shutdown: destroying the writing end is how a Lisp program ends a stream.
      finish: async () => {
        await client.destroy()
      },
      read: async () => count(lisp, await peer.fread(buffer), 'fread'),
    })
  },
  baseline: (ctx) => netBulk('tcp', ctx),
  contract: tcpBulk,
}

/** `tcp.pingpong` through the Lisp facade: `send` / `recv` of binaries, TCP_NODELAY by `setsockopt`. */
export const tcpPingpongLisp: BenchScenario = {
  id: 'tcp.pingpong.lisp',
  title: 'TCP ping-pong through the Lisp facade, 64 B, TCP_NODELAY',
  needs: ['tcp'],
  unit: 'µs',
  metric: 'rtt p50',
  higherIsBetter: false,
  async run(ctx) {
    const { lisp, client, peer } = await lispPair(ctx)
    must(lisp, client.setsockopt('tcp', 'TCP_NODELAY', true), 'setsockopt')
    must(lisp, peer.setsockopt('tcp', 'TCP_NODELAY', true), 'setsockopt')
    const echoBuffer = new Uint8Array(PINGPONG_BYTES)
    const echo = (async () => {
      for (;;) {
        const n = count(lisp, await peer.recv(echoBuffer), 'recv')
        if (n === 0) return
        count(lisp, await peer.send(echoBuffer, 'length', n), 'send')
      }
    })()
    const request = new Uint8Array(PINGPONG_BYTES).fill(0x70)
    const reply = new Uint8Array(PINGPONG_BYTES)
    try {
      return await timeRoundTrips(ctx, async () => {
        count(lisp, await client.send(request), 'send')
        for (let got = 0; got < PINGPONG_BYTES; ) {
          const n = count(lisp, await client.recv(reply, 'length', PINGPONG_BYTES - got), 'recv')
          if (n === 0) throw new Error('lisp recv: unexpected EOF')
          got += n
        }
      })
    } finally {
      await client.destroy()
      await echo.catch(() => {})
    }
  },
  baseline: netPingpong,
  contract: tcpPingpong,
}
