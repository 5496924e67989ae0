import type { Socket, SocketAddress } from '@polysocket/core'
import type { BenchContext } from '../scenario.js'

/** Where a stream pair lives: TCP on 127.0.0.1, or a Unix path in the run's temp dir. */
export type StreamKind = 'tcp' | 'unix'

/** The listening address for a kind. */
export function listenAddress(kind: StreamKind, tmpdir: string): SocketAddress {
  return kind === 'tcp'
    ? { family: 'inet', address: '127.0.0.1', port: 0 }
    : { family: 'unix', path: `${tmpdir}/bench.sock` }
}

/** A connected client/server pair on the contract, closed by the context's cleanup. */
export async function streamPair(ctx: BenchContext, kind: StreamKind): Promise<{ client: Socket; server: Socket }> {
  const family = kind === 'tcp' ? 'AF_INET' : 'AF_UNIX'
  const listener = await ctx.backend.socket(family, 'SOCK_STREAM')
  ctx.onCleanup(() => listener.close())
  await listener.bind(listenAddress(kind, ctx.tmpdir))
  await listener.listen(16)
  const client = await ctx.backend.socket(family, 'SOCK_STREAM')
  ctx.onCleanup(() => client.close())
  const [{ socket: server }] = await Promise.all([listener.accept(), client.connect(listener.localAddress())])
  ctx.onCleanup(() => server.close())
  return { client, server }
}

/** Reads exactly `n` bytes from a stream socket (fewer only at EOF). */
export async function readExactly(socket: Socket, n: number): Promise<number> {
  let got = 0
  while (got < n) {
    const { data } = await socket.recv(n - got)
    if (data.length === 0) break
    got += data.length
  }
  return got
}
