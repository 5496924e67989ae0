import { once } from 'node:events'
import { createConnection, createServer, type Socket as NetSocket } from 'node:net'
import type { BenchScenario } from '../scenario.js'

/** Upper bound on connections in one run, whatever the duration. */
const MAX_CONNECTIONS = 100_000

/** Sequential connect + accept + close on 127.0.0.1; connections per second. */
export const tcpConnrate: BenchScenario = {
  id: 'tcp.connrate',
  title: 'TCP connection rate: connect, accept, close, one at a time',
  needs: ['tcp'],
  unit: 'connections/s',
  metric: 'rate',
  higherIsBetter: true,
  async run(ctx) {
    const listener = await ctx.backend.socket('AF_INET', 'SOCK_STREAM')
    ctx.onCleanup(() => listener.close())
    await listener.bind({ family: 'inet', address: '127.0.0.1', port: 0 })
    await listener.listen(128)
    const target = listener.localAddress()
    const started = performance.now()
    const deadline = started + ctx.durationMs
    let count = 0
    while (count < MAX_CONNECTIONS && performance.now() < deadline && !ctx.signal.aborted) {
      const client = await ctx.backend.socket('AF_INET', 'SOCK_STREAM')
      try {
        const [{ socket }] = await Promise.all([listener.accept(), client.connect(target)])
        await socket.close()
      } finally {
        await client.close()
      }
      count++
    }
    return { value: count / ((performance.now() - started) / 1000), extra: { connections: count } }
  },
  async baseline(ctx) {
    const server = createServer((socket) => socket.destroy())
    ctx.onCleanup(() => new Promise((resolve) => server.close(resolve)))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const started = performance.now()
    const deadline = started + ctx.durationMs
    let count = 0
    while (count < MAX_CONNECTIONS && performance.now() < deadline && !ctx.signal.aborted) {
      const accepted = once(server, 'connection') as Promise<[NetSocket]>
      const client = createConnection({ host: '127.0.0.1', port })
      client.on('error', () => {})
      await Promise.all([once(client, 'connect'), accepted])
      client.destroy()
      count++
    }
    return { value: count / ((performance.now() - started) / 1000), extra: { connections: count } }
  },
}
