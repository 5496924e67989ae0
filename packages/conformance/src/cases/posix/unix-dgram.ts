import assert from 'node:assert/strict'
import type { SocketType } from '@polysocket/core'
import type { Case, CaseContext } from '../../case.js'
import { openSocket } from '../../peers/sockets.js'
import { pair, unix } from './helpers.js'

/** A datagram from an unnamed or bound sender to a receiver bound on `path`. */
async function dgramOn(ctx: CaseContext, path: string, bindSender: string | undefined): Promise<void> {
  const receiver = await openSocket(ctx, 'SOCK_DGRAM', 'AF_UNIX')
  await receiver.bind(unix(path))
  assert.deepEqual(receiver.localAddress(), unix(path), 'localAddress() is the bound name')
  const sender = await openSocket(ctx, 'SOCK_DGRAM', 'AF_UNIX')
  if (bindSender !== undefined) await sender.bind(unix(bindSender))
  assert.equal(await sender.send('first', { to: unix(path) }), 5)
  assert.equal(await sender.send(Buffer.alloc(300, 7), { to: unix(path) }), 300)
  const one = await receiver.recv(1000, { signal: ctx.signal })
  assert.equal(one.data.toString(), 'first', 'datagrams keep their boundaries')
  assert.deepEqual(one.from, unix(bindSender ?? ''), 'from is the sender, or unnamed (empty path)')
  const two = await receiver.recv(1000, { signal: ctx.signal })
  assert.deepEqual(two.data, Buffer.alloc(300, 7))
  assert.equal(two.truncated, false)
}

/** Every message of `sizes` goes through a socketpair of `type` whole and in order. */
async function boundaries(ctx: CaseContext, type: SocketType): Promise<void> {
  const [a, b] = await pair(ctx, type)
  const sizes = [1, 10, 100, 1000, 3000]
  for (const n of sizes) assert.equal(await a.send(Buffer.alloc(n, n & 0xff)), n)
  for (const n of sizes) {
    const { data } = await b.recv(4096, { signal: ctx.signal })
    assert.equal(data.length, n, `a ${type} message of ${n} bytes arrives whole`)
    assert.deepEqual(data, Buffer.alloc(n, n & 0xff))
  }
}

/** Unix datagram and seqpacket sockets, and socketpair of each type. */
export const unixDgramCases: readonly Case[] = [
  {
    id: 'posix.unix.dgram.path',
    title: 'Unix datagrams to a filesystem path, from a bound sender',
    needs: ['unixDgram'],
    run: (ctx) => dgramOn(ctx, ctx.unixPath(), ctx.unixPath()),
  },
  {
    id: 'posix.unix.dgram.abstract',
    title: 'Unix datagrams to a Linux abstract name, from an abstract sender',
    needs: ['unixDgram', 'abstractNamespace'],
    run: (ctx) => dgramOn(ctx, ctx.abstractName(), ctx.abstractName()),
  },
  {
    id: 'posix.unix.dgram.unnamed',
    title: 'a Unix datagram from an unnamed sender reports an empty source path',
    needs: ['unixDgram'],
    run: (ctx) => dgramOn(ctx, ctx.unixPath(), undefined),
  },
  {
    id: 'posix.unix.dgram.connected',
    title: 'a connected Unix datagram socket sends without a destination',
    needs: ['unixDgram'],
    async run(ctx) {
      const receiver = await openSocket(ctx, 'SOCK_DGRAM', 'AF_UNIX')
      const path = ctx.unixPath()
      await receiver.bind(unix(path))
      const sender = await openSocket(ctx, 'SOCK_DGRAM', 'AF_UNIX')
      await sender.connect(unix(path))
      assert.deepEqual(sender.remoteAddress(), unix(path))
      await sender.send('to the default peer')
      assert.equal((await receiver.recv(100, { signal: ctx.signal })).data.toString(), 'to the default peer')
    },
  },
  {
    id: 'posix.unix.seqpacket.boundaries',
    title: 'SOCK_SEQPACKET over a path keeps message boundaries, and reads EOF after close',
    needs: ['unixSeqpacket'],
    async run(ctx) {
      const path = ctx.unixPath()
      const listener = await openSocket(ctx, 'SOCK_SEQPACKET', 'AF_UNIX')
      await listener.bind(unix(path))
      await listener.listen(4)
      const client = await openSocket(ctx, 'SOCK_SEQPACKET', 'AF_UNIX')
      const accepting = listener.accept({ signal: ctx.signal })
      await client.connect(unix(path))
      const { socket: server } = await accepting
      ctx.onCleanup(() => server.close())
      for (const m of ['one', 'two two', 'three three three']) await client.send(m)
      for (const m of ['one', 'two two', 'three three three']) {
        assert.equal((await server.recv(100, { signal: ctx.signal })).data.toString(), m)
      }
      await client.send('cut me')
      const cut = await server.recv(3, { signal: ctx.signal })
      assert.equal(cut.data.toString(), 'cut', 'a short read takes the head of the record')
      assert.equal(cut.truncated, true, 'and says the rest was discarded')
      await client.close()
      assert.equal((await server.recv(100, { signal: ctx.signal })).data.length, 0, 'EOF after the peer closed')
    },
  },
  {
    id: 'posix.socketpair.stream',
    title: 'socketpair(SOCK_STREAM): bytes both ways, EOF after shutdown',
    needs: ['socketpair'],
    async run(ctx) {
      const [a, b] = await pair(ctx, 'SOCK_STREAM')
      await a.send('ping')
      assert.equal((await b.recv(10, { signal: ctx.signal })).data.toString(), 'ping')
      await b.send('pong')
      assert.equal((await a.recv(10, { signal: ctx.signal })).data.toString(), 'pong')
      assert.deepEqual(a.remoteAddress(), unix(''), 'socketpair ends are unnamed')
      await a.shutdown('SHUT_WR')
      assert.equal((await b.recv(10, { signal: ctx.signal })).data.length, 0)
    },
  },
  {
    id: 'posix.socketpair.dgram',
    title: 'socketpair(SOCK_DGRAM) keeps message boundaries',
    needs: ['socketpair', 'unixDgram'],
    run: (ctx) => boundaries(ctx, 'SOCK_DGRAM'),
  },
  {
    id: 'posix.socketpair.seqpacket',
    title: 'socketpair(SOCK_SEQPACKET) keeps message boundaries',
    needs: ['socketpair', 'unixSeqpacket'],
    run: (ctx) => boundaries(ctx, 'SOCK_SEQPACKET'),
  },
]
