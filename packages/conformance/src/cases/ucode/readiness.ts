import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { assertError, hostPort, ipFamily, portOf, tcpListener, tcpPair, ucodeKit } from './helpers.js'

// poll() reports what poll(2) reports, from the contract's waitReady, and reads or accepts
// nothing to find out (ucode lib/socket.c, uc_socket_poll; poll(2)). The module function
// connect() connects as ucode does: non-blocking, poll, SO_ERROR (uc_socket_connect).

/** The revents poll() wrote into the first result tuple. */
function revents(result: unknown[] | null): number {
  assert.ok(result, 'poll() returned null')
  return (result[0] as unknown[])[1] as number
}

export const ucodeReadinessCases: readonly Case[] = [
  {
    id: 'ucode.poll.rdhup-hup',
    title: "the peer's SHUT_WR polls POLLIN | POLLRDHUP; both directions shut polls POLLHUP unasked",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(revents(await socket.poll(0, [peer, socket.POLLIN | socket.POLLRDHUP])), 0)
      assert.equal(await client.shutdown(socket.SHUT_WR), true)
      assert.equal(
        revents(await socket.poll(2000, [peer, socket.POLLIN | socket.POLLRDHUP])),
        socket.POLLIN | socket.POLLRDHUP,
      )
      assert.equal(await peer.shutdown(socket.SHUT_WR), true)
      const both = revents(await socket.poll(2000, [peer, socket.POLLPRI]))
      assert.equal(both & socket.POLLHUP, socket.POLLHUP, `POLLHUP expected in ${both}`)
      assert.deepEqual(await peer.recv(), Buffer.alloc(0), 'recv() still reads the end')
    },
  },
  {
    id: 'ucode.poll.connect-error',
    title: 'a refused non-blocking connect polls POLLERR | POLLHUP (not plain POLLOUT), and SO_ERROR tells why',
    needs: ['tcp', 'nonBlockingConnect'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      assert.equal(await server.close(), true)
      const sock = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM | socket.SOCK_NONBLOCK))
      assertError(kit, await sock.connect(ctx.host, port), 'connect(): Operation now in progress', 115)
      const events = revents(await socket.poll(5000, [sock, socket.POLLOUT]))
      assert.equal(events & (socket.POLLERR | socket.POLLHUP), socket.POLLERR | socket.POLLHUP, `got ${events}`)
      assert.equal(sock.getopt(socket.SOL_SOCKET, socket.SO_ERROR), 111, 'ECONNREFUSED')
    },
  },
  {
    id: 'ucode.poll.closed-descriptor',
    title: 'the number of a closed socket polls POLLNVAL, whatever was asked for',
    needs: ['tcp', 'fd'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = await socket.create(socket.AF_INET, socket.SOCK_STREAM)
      assert.ok(sock)
      const fd = sock.fileno()
      assert.equal(typeof fd, 'number')
      assert.equal(await sock.close(), true)
      assert.deepEqual(await socket.poll(0, [fd, socket.POLLIN]), [[fd, socket.POLLNVAL]])
    },
  },
  {
    id: 'ucode.poll.closed-while-waiting',
    title: 'a socket closed while poll() waits on it comes back with POLLNVAL, and poll() returns at once',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = await socket.create(socket.AF_INET, socket.SOCK_DGRAM)
      assert.ok(sock)
      assert.equal(await sock.bind('127.0.0.1:0'), true)
      const started = performance.now()
      const polling = socket.poll(10_000, sock)
      await new Promise((resolve) => setTimeout(resolve, 20))
      assert.equal(await sock.close(), true)
      assert.deepEqual(await polling, [[sock, socket.POLLNVAL]])
      assert.ok(performance.now() - started < 5_000, 'poll() did not wait for its timeout')
    },
  },
  {
    id: 'ucode.poll.accepts-nothing',
    title:
      'poll() on a listener accepts nothing: polled twice, the one connection is accepted once and the queue is empty',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      kit.track(await socket.connect(ctx.host, port), 'connect')
      assert.equal(revents(await socket.poll(2000, server)), socket.POLLIN)
      assert.equal(revents(await socket.poll(0, server)), socket.POLLIN)
      // Non-blocking from here: accept() answers from what the kernel (or Node) holds, nothing else.
      const nonblocking = kit.track(await server.accept(null, socket.SOCK_NONBLOCK), 'accept')
      assert.ok(nonblocking)
      assert.equal(revents(await socket.poll(0, server)), 0, 'the queue is empty again')
    },
  },
  {
    id: 'ucode.poll.urgent',
    title: 'urgent data (MSG_OOB) polls POLLPRI, and the ordinary bytes stay for recv()',
    needs: ['tcp', 'oob', 'exactReadiness'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(await client.send('ab'), 2)
      assert.equal(await client.send('!', socket.MSG_OOB), 1)
      const events = revents(await socket.poll(2000, [peer, socket.POLLPRI]))
      assert.equal(events, socket.POLLPRI)
      assert.deepEqual(await peer.recv(2), Buffer.from('ab'))
    },
  },
  {
    id: 'ucode.poll.full-send-buffer',
    title: 'a socket whose send buffer is full does not poll POLLOUT; it does once the peer reads',
    needs: ['tcp', 'exactReadiness'],
    timeoutMs: 20_000,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(client.setopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096), true)
      assert.equal(peer.setopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096), true)
      assert.equal(revents(await socket.poll(0, [client, socket.POLLOUT])), socket.POLLOUT)
      const chunk = Buffer.alloc(65536, 0x78)
      let full = false
      for (let i = 0; i < 10_000 && !full; i++) {
        if ((await client.send(chunk, socket.MSG_DONTWAIT)) === null) {
          assert.equal(socket.error(true), 11, String(socket.error()))
          full = true
        }
      }
      assert.ok(full, 'the send buffer filled up')
      assert.equal(revents(await socket.poll(0, [client, socket.POLLOUT])), 0, 'no room: no POLLOUT')
      let room = 0
      for (let i = 0; i < 10_000 && room === 0; i++) {
        // The sender's buffer is not empty (no POLLOUT), so more bytes are on their way.
        assert.ok(await peer.recv(65536), 'the peer reads')
        room = revents(await socket.poll(20, [client, socket.POLLOUT]))
      }
      assert.equal(room, socket.POLLOUT)
    },
  },
  {
    id: 'ucode.connect.completes-later',
    title:
      'a socket from the module function connect() is still connecting to the kernel: the next connect() succeeds, the one after is EISCONN',
    needs: ['tcp', 'exactReadiness'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      const sock = kit.track(await socket.connect(ctx.host, port), 'connect')
      // ucode connected it non-blocking and polled; connect(2) then finishes the state change
      // (Linux's __inet_stream_connect: SS_CONNECTING becomes SS_CONNECTED).
      assert.equal(await sock.connect(hostPort(ctx, port)), true, String(socket.error()))
      assertError(
        kit,
        await sock.connect(hostPort(ctx, port)),
        'connect(): Transport endpoint is already connected',
        106,
      )
      // Blocking again, as ucode restores the flags: a recv with nothing to read waits.
      const peer = kit.track(await server.accept(), 'accept')
      const reading = sock.recv(5)
      assert.equal(await peer.send('later'), 5)
      assert.deepEqual(await reading, Buffer.from('later'))
      assert.equal(portOf(kit, peer), port)
    },
  },
]
