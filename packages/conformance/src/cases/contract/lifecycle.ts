import assert from 'node:assert/strict'
import type { Socket } from '@polysocket/core'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { connectedPair, listen, openSocket, own } from '../../peers/sockets.js'
import { stalledListener } from '../../peers/stalled-listener.js'
import { delay, since } from '../../peers/time.js'

/** "At once", in milliseconds: generous, since the machine may be loaded. */
const AT_ONCE_MS = 100

/** Retries a non-blocking call that fails with EAGAIN, up to `tries` times `stepMs` apart. */
async function retryAgain<T>(call: () => Promise<T>, tries = 400, stepMs = 5): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await call()
    } catch (error) {
      if (i >= tries || (error as { code?: string }).code !== 'EAGAIN') throw error
      await delay(stepMs)
    }
  }
}

/** Blocking and non-blocking modes, receive timeouts, connect timeouts and close. */
export const lifecycleCases: readonly Case[] = [
  {
    id: 'lifecycle.nonblocking.recv',
    title: 'a non-blocking recv with nothing to read fails with EAGAIN at once, and later gets the data',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      client.setNonBlocking(true)
      assert.equal(client.nonBlocking, true)
      const start = performance.now()
      await expectSocketError(client.recv(16), ['EAGAIN', 'EWOULDBLOCK'], 'non-blocking recv')
      assert.ok(since(start) < AT_ONCE_MS, `EAGAIN took ${since(start).toFixed(1)} ms`)
      await server.send('x')
      const { data } = await retryAgain(() => client.recv(16))
      assert.equal(data.toString(), 'x')
    },
  },
  {
    id: 'lifecycle.nonblocking.accept',
    title: 'a non-blocking accept with no pending connection fails with EAGAIN at once',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      listener.socket.setNonBlocking(true)
      const start = performance.now()
      await expectSocketError(listener.socket.accept(), ['EAGAIN', 'EWOULDBLOCK'], 'non-blocking accept')
      assert.ok(since(start) < AT_ONCE_MS, `EAGAIN took ${since(start).toFixed(1)} ms`)
      const client = await openSocket(ctx, 'SOCK_STREAM')
      await client.connect(listener.address, { signal: ctx.signal })
      const accepted = await retryAgain(() => listener.socket.accept())
      ctx.onCleanup(() => accepted.socket.close())
      assert.equal(accepted.socket.nonBlocking, false, 'an accepted socket starts blocking, as on Linux')
    },
  },
  {
    id: 'lifecycle.dontwait.recv',
    title: 'MSG_DONTWAIT makes one recv non-blocking (EAGAIN at once); the socket stays blocking',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const start = performance.now()
      await expectSocketError(client.recv(16, { flags: ['MSG_DONTWAIT'] }), ['EAGAIN', 'EWOULDBLOCK'], 'recv')
      assert.ok(since(start) < AT_ONCE_MS, `EAGAIN took ${since(start).toFixed(1)} ms`)
      assert.equal(client.nonBlocking, false)
      setTimeout(() => void server.send('late').catch(() => {}), 50)
      assert.equal((await client.recv(16)).data.toString(), 'late', 'a blocking recv waits for the data')
    },
  },
  {
    id: 'lifecycle.rcvtimeo.recv',
    title: 'with SO_RCVTIMEO 200 ms, a recv with nothing to read fails with EAGAIN after about 200 ms',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      client.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 200)
      const start = performance.now()
      await expectSocketError(client.recv(16), ['EAGAIN', 'EWOULDBLOCK'], 'recv under SO_RCVTIMEO')
      const took = since(start)
      assert.ok(took >= 150 && took < 2000, `the timeout fired after ${took.toFixed(0)} ms, expected about 200`)
      await server.send('after')
      assert.equal((await client.recv(16)).data.toString(), 'after', 'the socket works after a timeout')
    },
  },
  {
    id: 'lifecycle.rcvtimeo.accept',
    title: 'with SO_RCVTIMEO 200 ms, accept with no pending connection fails with EAGAIN after about 200 ms',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      listener.socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 200)
      const start = performance.now()
      await expectSocketError(listener.socket.accept(), ['EAGAIN', 'EWOULDBLOCK'], 'accept under SO_RCVTIMEO')
      const took = since(start)
      assert.ok(took >= 150 && took < 2000, `the timeout fired after ${took.toFixed(0)} ms, expected about 200`)
    },
  },
  {
    id: 'lifecycle.accept.inherits-timeouts',
    title: "an accepted socket starts with the listener's SO_RCVTIMEO and SO_SNDTIMEO, and they bound its recv",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      // Source: socket(7) and Linux's sk_clone_lock, which copies both timeouts into the new socket.
      listener.socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 150)
      listener.socket.setOption('SOL_SOCKET', 'SO_SNDTIMEO', 250)
      const client = await openSocket(ctx, 'SOCK_STREAM')
      const accepting = listener.socket.accept({ signal: ctx.signal })
      await client.connect(listener.address, { signal: ctx.signal })
      const server = own(ctx, (await accepting).socket)
      assert.equal(server.getOption('SOL_SOCKET', 'SO_RCVTIMEO'), 150)
      assert.equal(server.getOption('SOL_SOCKET', 'SO_SNDTIMEO'), 250)
      assert.equal(client.getOption('SOL_SOCKET', 'SO_RCVTIMEO'), 0, 'the connecting side keeps its own')
      const start = performance.now()
      await expectSocketError(server.recv(16), ['EAGAIN', 'EWOULDBLOCK'], 'recv under the inherited SO_RCVTIMEO')
      const took = since(start)
      assert.ok(took >= 100 && took < 2000, `the timeout fired after ${took.toFixed(0)} ms, expected about 150`)
      // A copy, not a link: the listener's later changes stay its own.
      listener.socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 0)
      assert.equal(server.getOption('SOL_SOCKET', 'SO_RCVTIMEO'), 150)
      // A listener without timeouts hands down none.
      const client2 = await openSocket(ctx, 'SOCK_STREAM')
      listener.socket.setOption('SOL_SOCKET', 'SO_SNDTIMEO', 0)
      const accepting2 = listener.socket.accept({ signal: ctx.signal })
      await client2.connect(listener.address, { signal: ctx.signal })
      const server2 = own(ctx, (await accepting2).socket)
      assert.equal(server2.getOption('SOL_SOCKET', 'SO_RCVTIMEO'), 0)
      assert.equal(server2.getOption('SOL_SOCKET', 'SO_SNDTIMEO'), 0)
    },
  },
  {
    id: 'lifecycle.connect.timeout',
    title: 'connect with timeoutMs 300 to a listener whose backlog is full fails with ETIMEDOUT',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const target = await stalledListener(ctx)
      const client = await openSocket(ctx, 'SOCK_STREAM')
      const start = performance.now()
      await expectSocketError(client.connect(target, { timeoutMs: 300 }), ['ETIMEDOUT'], 'connect')
      const took = since(start)
      assert.ok(took >= 250 && took < 3000, `the timeout fired after ${took.toFixed(0)} ms, expected about 300`)
    },
  },
  {
    id: 'lifecycle.connect.sndtimeo',
    title: 'a connect bounded by a 300 ms SO_SNDTIMEO fails with EINPROGRESS when it expires, as on Linux',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const target = await stalledListener(ctx)
      const client = await openSocket(ctx, 'SOCK_STREAM')
      client.setOption('SOL_SOCKET', 'SO_SNDTIMEO', 300)
      const start = performance.now()
      await expectSocketError(client.connect(target), ['EINPROGRESS'], 'connect under SO_SNDTIMEO')
      const took = since(start)
      assert.ok(took >= 250 && took < 3000, `the timeout fired after ${took.toFixed(0)} ms, expected about 300`)
      // An explicit limit is not the send timeout: it keeps its ETIMEDOUT.
      const explicit = await openSocket(ctx, 'SOCK_STREAM')
      explicit.setOption('SOL_SOCKET', 'SO_SNDTIMEO', 5_000)
      await expectSocketError(explicit.connect(target, { timeoutMs: 200 }), ['ETIMEDOUT'], 'connect with timeoutMs')
    },
  },
  {
    id: 'lifecycle.connect.abort',
    title: "aborting a pending connect rejects with the signal's reason; an aborted signal rejects at once",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const target = await stalledListener(ctx)
      const pending = await openSocket(ctx, 'SOCK_STREAM')
      const controller = new AbortController()
      const reason = new Error('stop connecting')
      setTimeout(() => controller.abort(reason), 200)
      await assert.rejects(pending.connect(target, { signal: controller.signal }), (e) => e === reason)

      const early = await openSocket(ctx, 'SOCK_STREAM')
      const start = performance.now()
      const gone = AbortSignal.abort(new Error('already aborted'))
      await assert.rejects(early.connect(target, { signal: gone }), (e) => e === gone.reason)
      assert.ok(since(start) < AT_ONCE_MS, `took ${since(start).toFixed(1)} ms`)
    },
  },
  {
    id: 'lifecycle.close.twice',
    title: 'closing a socket twice (also concurrently) is harmless',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, listener } = await connectedPair(ctx)
      for (const s of [client, listener.socket]) {
        assert.equal(s.closed, false)
        await Promise.all([s.close(), s.close()])
        await s.close()
        assert.equal(s.closed, true)
      }
      const fresh = await openSocket(ctx, 'SOCK_STREAM')
      await fresh.close()
      await fresh.close()
    },
  },
  {
    id: 'lifecycle.close.ebadf',
    title: 'every call after close fails with SocketError EBADF, and the peer sees EOF',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server, listener } = await connectedPair(ctx)
      await client.close()
      const calls: [string, () => unknown][] = [
        ['send', () => client.send('x')],
        ['recv', () => client.recv(1)],
        ['bind', () => client.bind(ctx.addr(0))],
        ['listen', () => client.listen(1)],
        ['accept', () => client.accept()],
        ['connect', () => client.connect(listener.address)],
        ['shutdown', () => client.shutdown('SHUT_RDWR')],
        ['getOption', () => client.getOption('SOL_SOCKET', 'SO_KEEPALIVE')],
        ['setOption', () => client.setOption('IPPROTO_TCP', 'TCP_NODELAY', true)],
        ['localAddress', () => client.localAddress()],
        ['remoteAddress', () => client.remoteAddress()],
        ['setNonBlocking', () => client.setNonBlocking(true)],
      ]
      for (const [name, call] of calls) await expectSocketError(call, ['EBADF'], `${name} after close`)
      assert.equal((await server.recv(16)).data.length, 0, 'the peer reads EOF once the socket is closed')
    },
  },
  {
    id: 'lifecycle.close.pending',
    title: 'closing a socket settles its pending recv and accept with EBADF',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, listener } = await connectedPair(ctx)
      const waits: [string, Socket, Promise<unknown>][] = [
        ['recv', client, client.recv(16)],
        ['accept', listener.socket, listener.socket.accept()],
      ]
      // Handled now, asserted below: an early rejection must not surface as an unhandled one.
      for (const [, , waiting] of waits) waiting.catch(() => {})
      for (const [name, socket, waiting] of waits) {
        // Let the operation start waiting before the close.
        await delay(20)
        await socket.close()
        await expectSocketError(waiting, ['EBADF'], `pending ${name} after close`)
      }
    },
  },
]
