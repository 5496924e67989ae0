import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { assertError, hostPort, portOf, recvAll, tcpListener, tcpPair, ucodeKit, udpSocket } from './helpers.js'

// poll(): every usable entry comes back with its events, in argument order
// (ucode lib/socket.c, uc_socket_poll).

export const ucodePollCases: readonly Case[] = [
  {
    id: 'ucode.poll.results',
    title: 'poll() returns every entry: readable ones with POLLIN, idle ones with 0, tuples keep extra elements',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer, server } = await tcpPair(ctx, kit)
      assert.equal(await client.send('ready'), 5)
      const tuple = [client, socket.POLLOUT, 'extra']
      const result = await socket.poll(2000, peer, tuple, server)
      assert.ok(result, String(socket.error()))
      assert.equal(result.length, 3)
      assert.deepEqual(result[0], [peer, socket.POLLIN])
      assert.equal(result[1], tuple)
      assert.deepEqual(tuple, [client, socket.POLLOUT, 'extra'])
      assert.deepEqual(result[2], [server, 0])
      assert.equal(socket.error(), null)
      assert.equal((await recvAll(kit, peer, 5)).toString(), 'ready')
    },
  },
  {
    id: 'ucode.poll.timeout',
    title: 'poll(timeout) with nothing to read waits about the timeout and reports 0 events',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock } = await udpSocket(ctx, kit)
      const started = performance.now()
      const result = await socket.poll(150, sock)
      const elapsed = performance.now() - started
      assert.deepEqual(result, [[sock, 0]])
      assert.ok(elapsed >= 100 && elapsed < 5000, `poll waited ${elapsed} ms`)
      const none = await socket.poll(0)
      assert.deepEqual(none, [])
    },
  },
  {
    id: 'ucode.poll.wakes',
    title: 'poll(-1) returns when data arrives, and the data is then read whole and in order',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: receiver, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      const polling = socket.poll(-1, receiver)
      await new Promise((r) => setTimeout(r, 30))
      assert.equal(await sender.send('first', 0, hostPort(ctx, port)), 5)
      assert.equal(await sender.send('second', 0, hostPort(ctx, port)), 6)
      assert.deepEqual(await polling, [[receiver, socket.POLLIN]])
      const from: Record<string, unknown> = {}
      assert.deepEqual(await receiver.recv(100, 0, from), Buffer.from('first'))
      assert.equal(from.port, portOf(kit, sender))
      assert.deepEqual(await receiver.recv(100), Buffer.from('second'))
    },
  },
  {
    id: 'ucode.poll.listener',
    title: 'a listening socket polls POLLIN when a connection waits, and accept() then returns it',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      assert.deepEqual(await socket.poll(50, server), [[server, 0]])
      const client = kit.track(await socket.connect(ctx.host, port), 'connect')
      assert.deepEqual(await socket.poll(2000, server), [[server, socket.POLLIN]])
      const peer = kit.track(await server.accept(), 'accept')
      assert.equal(await client.send('hello'), 5)
      assert.equal((await recvAll(kit, peer, 5)).toString(), 'hello')
    },
  },
  {
    id: 'ucode.poll.partial-read',
    title: 'after poll(), recv(1) takes one byte and recv() the rest: poll consumes nothing',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(await client.send('abc'), 3)
      assert.deepEqual(await socket.poll(2000, peer), [[peer, socket.POLLIN]])
      assert.deepEqual(await socket.poll(2000, peer), [[peer, socket.POLLIN]])
      assert.deepEqual(await peer.recv(1), Buffer.from('a'))
      assert.equal((await recvAll(kit, peer, 2)).toString(), 'bc')
      assert.equal(await client.close(), true)
      const eof = await socket.poll(2000, peer)
      assert.ok(eof)
      assert.equal(((eof[0] as unknown[])[1] as number) & socket.POLLIN, socket.POLLIN)
      assert.deepEqual(await peer.recv(), Buffer.alloc(0))
    },
  },
  {
    id: 'ucode.poll.nonblocking',
    title: 'poll() waits on SOCK_NONBLOCK sockets too (a listener and a datagram socket), which stay non-blocking',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const server = kit.track(await socket.create(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK))
      assert.equal(await server.bind('127.0.0.1:0'), true)
      assert.equal(await server.listen(), true)
      const udp = kit.track(await socket.create(socket.AF_INET, socket.SOCK_DGRAM | socket.SOCK_NONBLOCK))
      assert.equal(await udp.bind('127.0.0.1:0'), true)
      assert.deepEqual(await socket.poll(30, server, udp), [
        [server, 0],
        [udp, 0],
      ])
      const polling = socket.poll(5000, server)
      await new Promise((r) => setTimeout(r, 20))
      const client = kit.track(await socket.connect('127.0.0.1', portOf(kit, server)), 'connect')
      assert.deepEqual(await polling, [[server, socket.POLLIN]])
      kit.track(await server.accept(), 'accept')
      assert.equal(await server.accept(), null)
      assert.equal(socket.error(true), 11)
      const reading = socket.poll(5000, udp)
      await new Promise((r) => setTimeout(r, 20))
      assert.equal(await client.send('unrelated'), 9)
      const { sock: sender } = await udpSocket(ctx, kit)
      assert.equal(await sender.send('dgram', 0, `127.0.0.1:${portOf(kit, udp)}`), 5)
      assert.deepEqual(await reading, [[udp, socket.POLLIN]])
      assert.deepEqual(await udp.recv(), Buffer.from('dgram'))
      assertError(kit, await udp.recv(), 'recv(): Resource temporarily unavailable', 11)
    },
  },
  {
    id: 'ucode.poll.event-loop',
    title: 'a ucode-style event loop: one poll() over a non-blocking listener and its clients echoes three clients',
    needs: ['tcp'],
    timeoutMs: 20_000,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const server = kit.track(await socket.listen('127.0.0.1', 0), 'listen')
      const port = portOf(kit, server)
      const clients = [0, 1, 2].map(async (i) => {
        const c = kit.track(await socket.connect('127.0.0.1', port), 'client')
        const text = `message ${i} `.repeat(10 + i)
        assert.equal(await c.send(text), text.length)
        assert.equal(await c.shutdown(socket.SHUT_WR), true)
        return { echoed: (await recvAll(kit, c, text.length + 1)).toString(), text }
      })
      const peers: ReturnType<typeof kit.track>[] = []
      let finished = 0
      for (let round = 0; round < 1000 && finished < 3; round++) {
        const ready = await socket.poll(5000, server, ...peers)
        assert.ok(ready, String(socket.error()))
        for (const [handle, events] of ready as [ReturnType<typeof kit.track>, number][]) {
          if (!(events & socket.POLLIN)) continue
          if (handle === server) {
            peers.push(kit.track(await server.accept(null, socket.SOCK_NONBLOCK), 'accept'))
            continue
          }
          const data = await handle.recv(4096, socket.MSG_DONTWAIT)
          if (data === null) continue
          if (data.length === 0) {
            peers.splice(peers.indexOf(handle), 1)
            assert.equal(await handle.close(), true)
            finished++
          } else {
            assert.equal(await handle.send(data), data.length)
          }
        }
      }
      assert.equal(finished, 3)
      for (const { echoed, text } of await Promise.all(clients)) assert.equal(echoed, text)
    },
  },
  {
    id: 'ucode.poll.invalid',
    title: 'closed sockets, strings and out-of-range flags are left out silently; error() stays null',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock } = await udpSocket(ctx, kit)
      const closed = await socket.create(socket.AF_INET, socket.SOCK_DGRAM)
      assert.ok(closed)
      assert.equal(await closed.close(), true)
      const result = await socket.poll(10, closed, 'stdin', [sock, 99999], sock, [sock, socket.POLLOUT])
      assert.deepEqual(result, [
        [sock, 0],
        [sock, socket.POLLOUT],
      ])
      assert.equal(socket.error(), null)
    },
  },
  {
    id: 'ucode.poll.fd',
    title: 'poll() takes descriptor numbers and objects with fileno()',
    needs: ['udp', 'fd'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: receiver, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      assert.equal(await sender.send('x', 0, hostPort(ctx, port)), 1)
      const fd = receiver.fileno()
      assert.ok(typeof fd === 'number')
      const wrapper = { fileno: () => fd }
      const result = await socket.poll(2000, fd, wrapper)
      assert.deepEqual(result, [
        [fd, socket.POLLIN],
        [wrapper, socket.POLLIN],
      ])
      assert.deepEqual(await receiver.recv(), Buffer.from('x'))
    },
  },
]
