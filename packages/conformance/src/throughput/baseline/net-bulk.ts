import { once } from 'node:events'
import { createConnection, createServer, type Socket } from 'node:net'
import type { BenchContext, Measurement } from '../scenario.js'
import type { StreamKind } from '../scenarios/pairs.js'

/** node:net stream pair: a server and a connected client, both closed by the context's cleanup. */
export async function netPair(
  kind: StreamKind,
  ctx: Omit<BenchContext, 'backend'>,
): Promise<{ client: Socket; server: Socket }> {
  const listener = createServer()
  ctx.onCleanup(() => new Promise((resolve) => listener.close(resolve)))
  const path = `${ctx.tmpdir}/baseline.sock`
  if (kind === 'tcp') listener.listen(0, '127.0.0.1')
  else listener.listen(path)
  await once(listener, 'listening')
  const address = listener.address()
  const accepted = once(listener, 'connection') as Promise<[Socket]>
  const client =
    kind === 'tcp' && typeof address === 'object' && address
      ? createConnection({ host: '127.0.0.1', port: address.port })
      : createConnection({ path })
  ctx.onCleanup(() => client.destroy())
  await once(client, 'connect')
  const [server] = await accepted
  ctx.onCleanup(() => server.destroy())
  return { client, server }
}

/** The bulk workload written directly on node:net: write until false, wait for 'drain'; count 'data'. */
export async function netBulk(kind: StreamKind, ctx: Omit<BenchContext, 'backend'>): Promise<Measurement> {
  const { client, server } = await netPair(kind, ctx)
  const chunk = Buffer.alloc(64 * 1024, 0x5a)
  const started = performance.now()
  const deadline = started + ctx.durationMs
  let received = 0
  server.on('data', (data: Buffer) => {
    received += data.length
  })
  const ended = once(server, 'end')
  while (performance.now() < deadline && !ctx.signal.aborted) {
    if (!client.write(chunk)) await once(client, 'drain')
  }
  client.end()
  await ended
  const seconds = (performance.now() - started) / 1000
  return { value: received / 1e6 / seconds, extra: { bytes: received } }
}
