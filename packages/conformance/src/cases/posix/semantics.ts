import assert from 'node:assert/strict'
import { errnoByName } from '@polysocket/core'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { closedPort, connectedPair, listen, openSocket, own, portOf } from '../../peers/sockets.js'
import { delay } from '../../peers/time.js'
import { pair } from './helpers.js'

/** Kernel semantics the contract exposes: flags, options and modes with observable effects. */
export const semanticsCases: readonly Case[] = [
  {
    id: 'posix.msg_peek',
    title: 'MSG_PEEK leaves the data in place on stream and datagram socketpairs',
    needs: ['socketpair', 'unixDgram', 'msgPeek'],
    async run(ctx) {
      for (const type of ['SOCK_STREAM', 'SOCK_DGRAM'] as const) {
        const [a, b] = await pair(ctx, type)
        await a.send('peekaboo')
        const peeked = await b.recv(100, { flags: ['MSG_PEEK'], signal: ctx.signal })
        assert.equal(peeked.data.toString(), 'peekaboo', `${type}: the peek sees the data`)
        const again = await b.recv(100, { flags: ['MSG_PEEK'], signal: ctx.signal })
        assert.equal(again.data.toString(), 'peekaboo', `${type}: a second peek sees it again`)
        assert.equal(
          (await b.recv(100, { signal: ctx.signal })).data.toString(),
          'peekaboo',
          `${type}: then it is read`,
        )
        await expectSocketError(b.recv(100, { flags: ['MSG_DONTWAIT'] }), ['EAGAIN', 'EWOULDBLOCK'], `${type}: gone`)
      }
    },
  },
  {
    id: 'posix.msg_trunc',
    title: "MSG_TRUNC on a datagram reports the datagram's full length; the rest is discarded",
    needs: ['socketpair', 'unixDgram'],
    async run(ctx) {
      const [a, b] = await pair(ctx, 'SOCK_DGRAM')
      await a.send(Buffer.alloc(500, 1))
      await a.send('next')
      const r = await b.recv(10, { flags: ['MSG_TRUNC'], signal: ctx.signal })
      assert.equal(r.data.length, 10)
      assert.equal(r.truncated, true)
      assert.equal(r.fullLength, 500)
      const m = await b.recvmsg({ sizes: [2], signal: ctx.signal })
      assert.equal(m.buffers[0]?.toString(), 'ne')
      assert.equal(m.truncated, true, 'recvmsg reports MSG_TRUNC in msg_flags')
    },
  },
  {
    id: 'posix.so_linger.reset',
    title: 'SO_LINGER {onoff: true, linger: 0} then close: the peer sees ECONNRESET',
    needs: ['tcp', 'rawOptions'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      server.setOption('SOL_SOCKET', 'SO_LINGER', { onoff: true, linger: 0 })
      assert.deepEqual(server.getOption('SOL_SOCKET', 'SO_LINGER'), { onoff: true, linger: 0 })
      // An untyped option by numbers comes back as raw bytes: TCP_INFO (IPPROTO_TCP 6, 11)
      // starts with tcpi_state, 1 for TCP_ESTABLISHED.
      const info = server.getOption(6, 11, 8)
      assert.ok(Buffer.isBuffer(info) && info.length === 8, 'TCP_INFO as 8 raw bytes')
      assert.equal(info[0], 1, 'tcpi_state is TCP_ESTABLISHED')
      await server.close()
      await expectSocketError(client.recv(10, { signal: ctx.signal }), ['ECONNRESET'], 'recv after an abortive close')
    },
  },
  {
    id: 'posix.so_reuseport',
    title: 'SO_REUSEPORT lets two sockets bind and listen on one port; without it the second gets EADDRINUSE',
    needs: ['tcp', 'udp', 'reusePort'],
    ip: true,
    async run(ctx) {
      for (const type of ['SOCK_STREAM', 'SOCK_DGRAM'] as const) {
        const first = await openSocket(ctx, type)
        first.setOption('SOL_SOCKET', 'SO_REUSEPORT', true)
        await first.bind(ctx.addr(0))
        const port = portOf(first.localAddress())
        const second = await openSocket(ctx, type)
        second.setOption('SOL_SOCKET', 'SO_REUSEPORT', true)
        assert.equal(second.getOption('SOL_SOCKET', 'SO_REUSEPORT'), true)
        await second.bind(ctx.addr(port))
        assert.equal(portOf(second.localAddress()), port, `${type}: both hold the port`)
        if (type === 'SOCK_STREAM') {
          await first.listen(4)
          await second.listen(4)
        }
        const third = await openSocket(ctx, type)
        await expectSocketError(third.bind(ctx.addr(port)), ['EADDRINUSE'], `${type}: a third without the option`)
      }
    },
  },
  {
    id: 'posix.ipv6_v6only.off',
    title: 'an IPv6 listener with IPV6_V6ONLY off accepts an IPv4 client (as ::ffff:127.0.0.1)',
    needs: ['tcp', 'inet6', 'rawOptions'],
    async run(ctx) {
      const listener = await openSocket(ctx, 'SOCK_STREAM', 'AF_INET6')
      listener.setOption('IPPROTO_IPV6', 'IPV6_V6ONLY', false)
      // The same option by numbers (IPPROTO_IPV6 41, IPV6_V6ONLY 26).
      assert.equal(listener.getOption(41, 26), false)
      await listener.bind({ family: 'inet6', address: '::', port: 0 })
      await listener.listen(4)
      const port = portOf(listener.localAddress())
      const client = await openSocket(ctx, 'SOCK_STREAM', 'AF_INET')
      const accepting = listener.accept({ signal: ctx.signal })
      await client.connect({ family: 'inet', address: '127.0.0.1', port })
      const { socket, address } = await accepting
      own(ctx, socket)
      assert.equal(address.family, 'inet6')
      assert.equal(address.family === 'inet6' ? address.address : '', '::ffff:127.0.0.1')
      await client.send('v4 to v6')
      assert.equal((await socket.recv(100, { signal: ctx.signal })).data.toString(), 'v4 to v6')
    },
  },
  {
    id: 'posix.connect.nonblocking',
    title: 'a non-blocking connect settles with EINPROGRESS; SO_ERROR then holds the result',
    needs: ['tcp', 'nonBlockingConnect', 'fd'],
    ip: true,
    async run(ctx) {
      const refused = await closedPort(ctx)
      const econnrefused = errnoByName('ECONNREFUSED')?.errno
      const listener = await listen(ctx)
      const good = await openSocket(ctx, 'SOCK_STREAM')
      good.setNonBlocking(true)
      await expectSocketError(good.connect(listener.address), ['EINPROGRESS'], 'non-blocking connect')
      const accepted = await listener.socket.accept({ signal: ctx.signal })
      own(ctx, accepted.socket)
      assert.equal(good.getOption('SOL_SOCKET', 'SO_ERROR'), 0, 'SO_ERROR 0 once connected')
      const bad = await openSocket(ctx, 'SOCK_STREAM')
      bad.setNonBlocking(true)
      await expectSocketError(bad.connect(ctx.addr(refused)), ['EINPROGRESS', 'ECONNREFUSED'], 'to a closed port')
      let error = 0
      // The RST comes back over loopback at once; 200 × 10 ms bounds the wait.
      for (let i = 0; i < 200 && error === 0; i++) {
        error = bad.getOption('SOL_SOCKET', 'SO_ERROR') as number
        if (error === 0) await delay(10)
      }
      assert.equal(error, econnrefused, 'SO_ERROR holds ECONNREFUSED')
      assert.equal(bad.getOption('SOL_SOCKET', 'SO_ERROR'), 0, 'reading SO_ERROR clears it')
    },
  },
  {
    id: 'posix.accept.blocking',
    title: "an accepted socket is blocking whatever the listener's mode",
    needs: ['tcp', 'fd'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      listener.socket.setNonBlocking(true)
      await expectSocketError(listener.socket.accept(), ['EAGAIN', 'EWOULDBLOCK'], 'accept with none pending')
      const client = await openSocket(ctx, 'SOCK_STREAM')
      await client.connect(listener.address)
      let accepted: Awaited<ReturnType<typeof listener.socket.accept>> | undefined
      // The connection is queued once connect() resolved; a few tries cover a slow scheduler.
      for (let i = 0; i < 100 && accepted === undefined; i++) {
        accepted = await listener.socket.accept().catch(() => delay(10).then(() => undefined))
      }
      assert.ok(accepted, 'accepted')
      const socket = own(ctx, accepted.socket)
      assert.equal(listener.socket.nonBlocking, true, 'the listener stays non-blocking')
      assert.equal(socket.nonBlocking, false, 'the accepted socket is blocking')
      const reading = socket.recv(100, { signal: ctx.signal })
      await delay(30)
      await client.send('late')
      assert.equal((await reading).data.toString(), 'late', 'its recv waited instead of failing with EAGAIN')
    },
  },
  {
    id: 'posix.msg_oob',
    title: 'MSG_OOB sends one urgent byte that recv(MSG_OOB) reads apart from the stream',
    needs: ['tcp', 'oob'],
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      await client.send('normal')
      await client.send('!', { flags: ['MSG_OOB'] })
      let urgent: Buffer | undefined
      for (let i = 0; i < 100 && urgent === undefined; i++) {
        urgent = await server
          .recv(1, { flags: ['MSG_OOB'] })
          .then((r) => r.data)
          .catch(() => delay(10).then(() => undefined))
      }
      assert.equal(urgent?.toString(), '!')
      assert.equal((await server.recv(100, { signal: ctx.signal })).data.toString(), 'normal')
    },
  },
  {
    id: 'posix.shutdown.read',
    title: 'shutdown(SHUT_RD): later reads return EOF at once',
    needs: ['socketpair', 'halfCloseRead'],
    async run(ctx) {
      const [a] = await pair(ctx, 'SOCK_STREAM')
      await a.shutdown('SHUT_RD')
      assert.equal((await a.recv(10, { signal: ctx.signal })).data.length, 0)
    },
  },
]
