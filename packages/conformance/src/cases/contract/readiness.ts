import assert from 'node:assert/strict'
import type { PollEvent } from '@polysocket/core'
import type { Case } from '../../case.js'
import { connectedPair, listen, openSocket } from '../../peers/sockets.js'

/** Sorted, for comparisons that do not depend on the order a backend lists events in. */
const sorted = (events: readonly PollEvent[]): PollEvent[] => [...events].sort()

/**
 * `waitReady`, as poll(2) answers for one socket: each event at the moment it starts to hold,
 * and nothing read or accepted by asking. Source: poll(2), socket(7), tcp(7).
 */
export const readinessCases: readonly Case[] = [
  {
    id: 'lifecycle.ready.input',
    title: 'waitReady waits for POLLIN, resolves once data is queued, and reads nothing',
    needs: ['tcp', 'exactReadiness'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      assert.deepEqual(await server.waitReady(['POLLIN'], { timeoutMs: 0 }), [], 'nothing to read yet')
      const waiting = server.waitReady(['POLLIN'], { signal: ctx.signal })
      await client.send('ready')
      assert.deepEqual(await waiting, ['POLLIN'])
      assert.deepEqual(
        await server.waitReady(['POLLIN'], { timeoutMs: 0 }),
        ['POLLIN'],
        'still there: nothing was read',
      )
      assert.equal((await server.recv(64)).data.toString(), 'ready')
    },
  },
  {
    id: 'lifecycle.ready.accept',
    title: 'a listener is POLLIN while a connection waits to be accepted, and asking accepts nothing',
    needs: ['tcp', 'exactReadiness'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      assert.deepEqual(await listener.socket.waitReady(['POLLIN'], { timeoutMs: 0 }), [])
      const client = await openSocket(ctx, 'SOCK_STREAM', ctx.family)
      await client.connect(listener.address, { signal: ctx.signal })
      assert.deepEqual(await listener.socket.waitReady(['POLLIN'], { signal: ctx.signal }), ['POLLIN'])
      assert.deepEqual(await listener.socket.waitReady(['POLLIN'], { timeoutMs: 0 }), ['POLLIN'])
      const { socket } = await listener.socket.accept({ signal: ctx.signal })
      await socket.close()
      assert.deepEqual(await listener.socket.waitReady(['POLLIN'], { timeoutMs: 0 }), [], 'the queue is empty again')
    },
  },
  {
    id: 'lifecycle.ready.rdhup',
    title: "the peer's shutdown(SHUT_WR) is POLLIN and POLLRDHUP, without POLLHUP",
    needs: ['tcp', 'exactReadiness'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const waiting = server.waitReady(['POLLRDHUP'], { signal: ctx.signal })
      await client.shutdown('SHUT_WR')
      assert.deepEqual(sorted(await waiting), ['POLLRDHUP'])
      assert.deepEqual(sorted(await server.waitReady(['POLLIN', 'POLLRDHUP', 'POLLOUT'], { timeoutMs: 0 })), [
        'POLLIN',
        'POLLOUT',
        'POLLRDHUP',
      ])
    },
  },
  {
    id: 'lifecycle.ready.hup',
    title: 'both directions shut down is POLLHUP, reported even when not asked for',
    needs: ['tcp', 'exactReadiness'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      await client.shutdown('SHUT_WR')
      await server.shutdown('SHUT_WR')
      const events = await server.waitReady(['POLLPRI'], { timeoutMs: 2000, signal: ctx.signal })
      assert.ok(events.includes('POLLHUP'), `POLLHUP expected, got ${events.join(', ') || 'nothing'}`)
    },
  },
  {
    id: 'lifecycle.ready.oob',
    title: 'urgent data (MSG_OOB) is POLLPRI',
    needs: ['tcp', 'oob', 'exactReadiness'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const waiting = server.waitReady(['POLLPRI'], { signal: ctx.signal })
      await client.send('!', { flags: ['MSG_OOB'] })
      assert.deepEqual(await waiting, ['POLLPRI'])
    },
  },
  {
    id: 'lifecycle.ready.full',
    title: 'a full send buffer is not POLLOUT; room made by the reader is',
    needs: ['tcp', 'exactReadiness'],
    ip: true,
    timeoutMs: 20_000,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      client.setOption('SOL_SOCKET', 'SO_SNDBUF', 4096)
      server.setOption('SOL_SOCKET', 'SO_RCVBUF', 4096)
      assert.deepEqual(await client.waitReady(['POLLOUT'], { timeoutMs: 0 }), ['POLLOUT'])
      client.setNonBlocking(true)
      const chunk = Buffer.alloc(65536, 0x66)
      let full = false
      for (let i = 0; i < 10_000 && !full; i++) {
        try {
          await client.send(chunk)
        } catch (error) {
          assert.equal((error as { code?: string }).code, 'EAGAIN')
          full = true
        }
      }
      assert.ok(full, 'the send buffer filled up')
      assert.deepEqual(await client.waitReady(['POLLOUT'], { timeoutMs: 0 }), [], 'no room, no POLLOUT')
      const waiting = client.waitReady(['POLLOUT'], { signal: ctx.signal })
      for (let i = 0; i < 10_000; i++) {
        const r = await Promise.race([
          waiting.then(() => 'ready' as const),
          server.recv(65536).then(() => 'read' as const),
        ])
        if (r === 'ready') break
      }
      assert.deepEqual(await waiting, ['POLLOUT'])
    },
  },
  {
    id: 'lifecycle.ready.closed',
    title: 'waitReady on a closed socket, or one closed while it waits, is EBADF',
    needs: ['tcp', 'exactReadiness'],
    async run(ctx) {
      const { server } = await connectedPair(ctx)
      const waiting = server.waitReady(['POLLIN'])
      await server.close()
      await assert.rejects(waiting, { name: 'SocketError', code: 'EBADF' })
      await assert.rejects(server.waitReady(['POLLIN']), { name: 'SocketError', code: 'EBADF' })
    },
  },
  // What every backend with waitReady shows (backend-node as closely as Node lets it): the
  // cases below are not gated on exactReadiness.
  {
    id: 'lifecycle.ready.data',
    title: 'queued bytes are POLLIN on any backend; asking twice reads nothing',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      assert.ok(!(await server.waitReady(['POLLIN'], { timeoutMs: 0 })).includes('POLLIN'), 'nothing queued yet')
      const waiting = server.waitReady(['POLLIN'], { signal: ctx.signal })
      await client.send('abc')
      assert.ok((await waiting).includes('POLLIN'))
      assert.ok((await server.waitReady(['POLLIN'], { timeoutMs: 0 })).includes('POLLIN'), 'still queued')
      assert.equal((await server.recv(64)).data.toString(), 'abc', 'every byte is still there for recv')
    },
  },
  {
    id: 'lifecycle.ready.pending-accept',
    title: 'a listener with a connection waiting is POLLIN on any backend, and the connection stays for accept',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      const waiting = listener.socket.waitReady(['POLLIN', 'POLLOUT'], { signal: ctx.signal })
      const client = await openSocket(ctx, 'SOCK_STREAM', ctx.family)
      await client.connect(listener.address, { signal: ctx.signal })
      // A listener never has room to write: POLLIN alone.
      assert.deepEqual(await waiting, ['POLLIN'])
      assert.deepEqual(await listener.socket.waitReady(['POLLIN'], { timeoutMs: 0 }), ['POLLIN'])
      listener.socket.setNonBlocking(true)
      const { socket, address } = await listener.socket.accept()
      await socket.close()
      assert.deepEqual(address.family, client.localAddress().family, 'the connection asked about is the one accepted')
      assert.deepEqual(await listener.socket.waitReady(['POLLIN'], { timeoutMs: 0 }), [], 'none left')
    },
  },
  {
    id: 'lifecycle.ready.poll-now',
    title: 'timeoutMs 0 answers [] at once when nothing holds; a timeout resolves [] after about that long',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      let start = performance.now()
      assert.deepEqual(await listener.socket.waitReady(['POLLIN', 'POLLPRI'], { timeoutMs: 0 }), [])
      assert.ok(performance.now() - start < 500, 'timeoutMs 0 does not wait')
      start = performance.now()
      assert.deepEqual(await listener.socket.waitReady(['POLLIN'], { timeoutMs: 150, signal: ctx.signal }), [])
      const took = performance.now() - start
      assert.ok(took >= 140 && took < 3000, `timed out after ${took.toFixed(0)} ms, expected about 150`)
      const { client } = await connectedPair(ctx)
      assert.ok((await client.waitReady(['POLLOUT'], { timeoutMs: 0 })).includes('POLLOUT'), 'room to write')
      assert.ok(
        !(await client.waitReady(['POLLOUT'], { timeoutMs: 0 })).includes('POLLIN'),
        'only what was asked for (and POLLERR / POLLHUP) is reported',
      )
    },
  },
  {
    id: 'lifecycle.ready.peer-shut-wr',
    title: "the peer's SHUT_WR is POLLIN (recv sees EOF) and POLLRDHUP, not POLLHUP, on any backend",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const waiting = server.waitReady(['POLLIN', 'POLLRDHUP'], { signal: ctx.signal })
      await client.shutdown('SHUT_WR')
      const events = await waiting
      assert.ok(events.includes('POLLIN'), `POLLIN expected, got ${events.join(', ')}`)
      // Both backends report it: Linux's tcp_poll from the FIN, backend-node from Node's 'end'.
      assert.deepEqual(sorted(await server.waitReady(['POLLIN', 'POLLRDHUP'], { timeoutMs: 0 })), [
        'POLLIN',
        'POLLRDHUP',
      ])
      assert.equal((await server.recv(16)).data.length, 0, 'EOF')
      assert.ok((await server.waitReady(['POLLOUT'], { timeoutMs: 0 })).includes('POLLOUT'), 'still writable')
    },
  },
  {
    id: 'lifecycle.ready.closed-while-waiting',
    title: 'close() settles a pending waitReady with EBADF on any backend; later calls are EBADF too',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const waiting = server.waitReady(['POLLIN'], { signal: ctx.signal })
      waiting.catch(() => {})
      await new Promise((resolve) => setTimeout(resolve, 20))
      await server.close()
      await assert.rejects(waiting, { name: 'SocketError', code: 'EBADF' })
      await assert.rejects(server.waitReady(['POLLOUT'], { timeoutMs: 0 }), { name: 'SocketError', code: 'EBADF' })
      await client.close()
      await assert.rejects(client.waitReady([]), { name: 'SocketError', code: 'EBADF' })
    },
  },
  {
    id: 'lifecycle.ready.abort',
    title: 'an aborted waitReady rejects with the signal’s reason and leaves the data queued',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const controller = new AbortController()
      const waiting = server.waitReady(['POLLIN'], { signal: controller.signal })
      const reason = new Error('stop waiting')
      controller.abort(reason)
      await assert.rejects(waiting, (error) => error === reason)
      await client.send('kept')
      assert.ok((await server.waitReady(['POLLIN'], { signal: ctx.signal })).includes('POLLIN'))
      assert.equal((await server.recv(16)).data.toString(), 'kept')
    },
  },
  {
    id: 'lifecycle.ready.datagram',
    title: 'a queued datagram is POLLIN on any backend, and recv still gets it whole',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const a = await openSocket(ctx, 'SOCK_DGRAM')
      const b = await openSocket(ctx, 'SOCK_DGRAM')
      await a.bind(ctx.addr(0))
      await b.bind(ctx.addr(0))
      assert.deepEqual(await a.waitReady(['POLLIN'], { timeoutMs: 0 }), [])
      assert.deepEqual(await b.waitReady(['POLLOUT'], { timeoutMs: 0 }), ['POLLOUT'], 'a datagram socket has room')
      const waiting = a.waitReady(['POLLIN'], { signal: ctx.signal })
      await b.send('one datagram', { to: a.localAddress() })
      assert.deepEqual(await waiting, ['POLLIN'])
      const r = await a.recv(64)
      assert.equal(r.data.toString(), 'one datagram')
      assert.deepEqual(await a.waitReady(['POLLIN'], { timeoutMs: 0 }), [], 'the queue is empty again')
    },
  },
  {
    id: 'lifecycle.ready.args',
    title: 'waitReady refuses unknown event names and bad timeouts with TypeError / RangeError',
    needs: ['tcp'],
    async run(ctx) {
      const s = await openSocket(ctx, 'SOCK_STREAM', 'AF_INET')
      await assert.rejects(s.waitReady(['POLLWHAT' as PollEvent]), TypeError)
      await assert.rejects(s.waitReady('POLLIN' as unknown as PollEvent[]), TypeError)
      await assert.rejects(s.waitReady(['POLLIN'], { timeoutMs: -1 }), RangeError)
    },
  },
]
