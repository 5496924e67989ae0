import assert from 'node:assert/strict'
import type { Socket } from '@polysocket/core'
import type { Case, CaseContext } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { endpoint, openSocket } from '../../peers/sockets.js'
import { since } from '../../peers/time.js'

/** A UDP socket bound to the run's loopback address and an ephemeral port. */
async function bound(ctx: CaseContext): Promise<Socket> {
  const socket = await openSocket(ctx, 'SOCK_DGRAM')
  await socket.bind(ctx.addr(0))
  return socket
}

/** UDP: senders, datagram boundaries, truncation, connected sockets and UDP errors. */
export const udpCases: readonly Case[] = [
  {
    id: 'udp.from',
    title: "recv reports the sender's address in `from`",
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const [a, b] = [await bound(ctx), await bound(ctx)]
      assert.equal(await a.send('hi', { to: b.localAddress() }), 2, 'send returns the bytes sent')
      const got = await b.recv(64)
      assert.equal(got.data.toString(), 'hi')
      assert.equal(got.truncated, false)
      assert.ok(got.from, 'from is set on a datagram socket')
      assert.deepEqual(endpoint(got.from), endpoint(a.localAddress()))
    },
  },
  {
    id: 'udp.boundaries',
    title: 'three datagrams arrive as three recvs, each whole',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const [a, b] = [await bound(ctx), await bound(ctx)]
      const messages = ['one', 'two!!', 'three-three-three']
      for (const m of messages) await a.send(m, { to: b.localAddress() })
      for (const m of messages) assert.equal((await b.recv(1024)).data.toString(), m)
    },
  },
  {
    id: 'udp.truncate',
    title: 'a datagram longer than maxBytes is cut to maxBytes and reported truncated; the next is whole',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const [a, b] = [await bound(ctx), await bound(ctx)]
      const long = Buffer.from('0123456789'.repeat(10))
      await a.send(long, { to: b.localAddress() })
      await a.send('next', { to: b.localAddress() })
      const cut = await b.recv(10)
      assert.deepEqual(cut.data, long.subarray(0, 10))
      assert.equal(cut.truncated, true)
      const next = await b.recv(64)
      assert.equal(next.data.toString(), 'next', 'the rest of the long datagram was discarded')
      assert.equal(next.truncated, false)
    },
  },
  {
    id: 'udp.connected',
    title: 'a connected UDP socket sends without `to`, knows its peer, and hears only from it',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const [a, b, stranger] = [await bound(ctx), await bound(ctx), await bound(ctx)]
      await a.connect(b.localAddress())
      assert.deepEqual(endpoint(a.remoteAddress()), endpoint(b.localAddress()))
      await a.send('to b')
      const got = await b.recv(64)
      assert.equal(got.data.toString(), 'to b')
      assert.deepEqual(endpoint(got.from ?? b.localAddress()), endpoint(a.localAddress()))
      // The kernel drops datagrams from other sources on a connected UDP socket.
      await stranger.send('from a stranger', { to: a.localAddress() })
      await b.send('reply', { to: a.localAddress() })
      const reply = await a.recv(64)
      assert.equal(reply.data.toString(), 'reply')
    },
  },
  {
    id: 'udp.bind.addrinuse',
    title: 'binding a UDP port another socket holds fails with EADDRINUSE',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const holder = await bound(ctx)
      const second = await openSocket(ctx, 'SOCK_DGRAM')
      await expectSocketError(second.bind(holder.localAddress()), ['EADDRINUSE'], 'bind')
    },
  },
  {
    id: 'udp.send.nodest',
    title: 'send without `to` on an unconnected UDP socket fails with EDESTADDRREQ; remoteAddress with ENOTCONN',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const a = await bound(ctx)
      await expectSocketError(a.send('nowhere'), ['EDESTADDRREQ'], 'send')
      await expectSocketError(() => a.remoteAddress(), ['ENOTCONN'], 'remoteAddress')
    },
  },
  {
    id: 'udp.empty',
    title: 'a zero-length datagram is delivered as an empty recv with its sender',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const [a, b] = [await bound(ctx), await bound(ctx)]
      assert.equal(await a.send(Buffer.alloc(0), { to: b.localAddress() }), 0)
      await a.send('after', { to: b.localAddress() })
      const empty = await b.recv(64)
      assert.equal(empty.data.length, 0)
      assert.deepEqual(endpoint(empty.from ?? b.localAddress()), endpoint(a.localAddress()))
      assert.equal((await b.recv(64)).data.toString(), 'after')
    },
  },
  {
    id: 'udp.nonblocking.recv',
    title: 'a non-blocking UDP recv with nothing queued fails with EAGAIN at once',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const b = await bound(ctx)
      b.setNonBlocking(true)
      const start = performance.now()
      await expectSocketError(b.recv(64), ['EAGAIN', 'EWOULDBLOCK'], 'recv')
      assert.ok(since(start) < 100, `EAGAIN took ${since(start).toFixed(1)} ms`)
    },
  },
  {
    id: 'udp.rcvtimeo',
    title: 'with SO_RCVTIMEO 200 ms, a UDP recv with nothing queued fails with EAGAIN after about 200 ms',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const b = await bound(ctx)
      b.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 200)
      const start = performance.now()
      await expectSocketError(b.recv(64), ['EAGAIN', 'EWOULDBLOCK'], 'recv')
      const took = since(start)
      assert.ok(took >= 150 && took < 2000, `the timeout fired after ${took.toFixed(0)} ms, expected about 200`)
    },
  },
]
