import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { closedPort } from '../../peers/sockets.js'
import {
  assertError,
  hostPort,
  ipFamily,
  portOf,
  recvAll,
  tcpListener,
  tcpPair,
  ucodeKit,
  udpSocket,
} from './helpers.js'

// Socket methods, one group each: return values and errors (ucode lib/socket.c, the uc_socket_inst_* functions).

export const ucodeMethodCases: readonly Case[] = [
  {
    id: 'ucode.method.connect',
    title: 'sock.connect(): "ip:port" strings, (host, port), dicts; refused, bad port, wrong types',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      const forms: unknown[][] = [[hostPort(ctx, port)], [ctx.host, port], [{ address: ctx.host, port }]]
      for (const args of forms) {
        const sock = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
        const accepting = server.accept()
        assert.equal(await sock.connect(...args), true, `${JSON.stringify(args)}: ${String(socket.error())}`)
        kit.track(await accepting)
        assert.equal(sock.peername()?.port, port)
      }
      const sock = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      assertError(kit, await sock.connect(ctx.host, await closedPort(ctx)), 'connect(): Connection refused', 111)
      const other = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      assertError(kit, await other.connect(ctx.host, 70000), 'Invalid port number: Invalid argument', 22)
      assertError(
        kit,
        await other.connect(ctx.host, '80'),
        'Argument port is not an integer value: Invalid argument',
        22,
      )
      assertError(kit, await other.connect(), 'Argument address is required: Invalid argument', 22)
      assertError(kit, await other.connect('localhost', 80), 'Unable to parse IP address: Invalid argument', 22)
    },
  },
  {
    id: 'ucode.method.connect-states',
    title: 'connect() twice gives EISCONN; after a refused connect, send() fails with EPIPE',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { port } = await tcpListener(ctx, kit)
      const client = kit.track(await socket.connect(ctx.host, port), 'connect')
      // The module function leaves the kernel's socket connecting (ucode connects non-blocking
      // and polls): there the first connect() completes it. backend-node shows no such state.
      if (ctx.backend.supports.exactReadiness) assert.equal(await client.connect(ctx.host, port), true)
      assertError(kit, await client.connect(ctx.host, port), 'connect(): Transport endpoint is already connected', 106)
      const refused = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      assertError(kit, await refused.connect(ctx.host, await closedPort(ctx)), 'connect(): Connection refused', 111)
      assertError(kit, await refused.send('x'), 'send(): Broken pipe', 32)
    },
  },
  {
    id: 'ucode.method.udp-refused',
    title: 'a connected UDP socket whose peer is gone: send() succeeds, the next recv() fails with ECONNREFUSED',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: gone, port } = await udpSocket(ctx, kit)
      assert.equal(await gone.close(), true)
      const sock = kit.track(await socket.create(socket.AF_INET, socket.SOCK_DGRAM))
      assert.equal(await sock.connect(ctx.host, port), true)
      assert.equal(await sock.send('anyone?'), 7)
      let result: Buffer | null = null
      for (let i = 0; i < 200; i++) {
        result = await sock.recv(10, socket.MSG_DONTWAIT)
        if (socket.error(true) !== 11) break
        await new Promise((r) => setTimeout(r, 5))
      }
      assertError(kit, result, 'recv(): Connection refused', 111)
    },
  },
  {
    id: 'ucode.method.connect-unix-port',
    title: 'sock.connect(path, port) refuses a port on a Unix address',
    needs: ['unixStream'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(await socket.create(socket.AF_UNIX, socket.SOCK_STREAM))
      assertError(
        kit,
        await sock.connect(ctx.unixPath(), 80),
        'Port argument is only valid for IPv4 and IPv6 addresses: Invalid argument',
        22,
      )
      assertError(kit, await sock.connect(ctx.unixPath('none.sock')), 'connect(): No such file or directory', 2)
    },
  },
  {
    id: 'ucode.method.bind',
    title: 'sock.bind(): ephemeral port on loopback, address in use, wrong forms',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { port } = await tcpListener(ctx, kit)
      const sock = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      const bound = await sock.bind(hostPort(ctx, port))
      if (bound === null) {
        assert.equal(socket.error(), 'bind(): Address already in use')
        assert.equal(socket.error(true), 98)
      } else {
        assert.ok(!ctx.backend.supports.exactBind, 'an exact bind must fail at bind()')
        assertError(kit, await sock.listen(), 'listen(): Address already in use', 98)
      }
      const other = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      assertError(kit, await other.bind(5), 'Invalid address value: Invalid argument', 22)
      assertError(kit, await other.bind('localhost'), 'Unable to parse IP address: Invalid argument', 22)
      assert.equal(await other.bind({ address: ctx.host, port: 0 }), true)
      assert.equal(other.sockname()?.address, ctx.host)
    },
  },
  {
    id: 'ucode.method.bind-twice',
    title: 'a second bind() fails with bind(): Invalid argument',
    needs: ['tcp', 'exactBind'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(await socket.create(socket.AF_INET, socket.SOCK_STREAM))
      assert.equal(await sock.bind('127.0.0.1:0'), true)
      assertError(kit, await sock.bind('127.0.0.1:0'), 'bind(): Invalid argument', 22)
    },
  },
  {
    id: 'ucode.method.bind-unix-default',
    title: 'bind() without an address on a Unix socket: Unsupported socket address family',
    needs: ['unixStream'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(await socket.create(socket.AF_UNIX, socket.SOCK_STREAM))
      assertError(
        kit,
        await sock.bind(),
        'Unsupported socket address family: Address family not supported by protocol',
        97,
      )
      const path = ctx.unixPath()
      assert.equal(await sock.bind(path), true)
      assert.deepEqual(sock.sockname(), { family: socket.AF_UNIX, path })
    },
  },
  {
    id: 'ucode.method.listen',
    title: 'sock.listen(): default backlog, mistyped backlog, a UDP socket cannot listen',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(await socket.create(socket.AF_INET, socket.SOCK_STREAM))
      assert.equal(await sock.bind('127.0.0.1:0'), true)
      assertError(kit, await sock.listen('5'), 'Argument backlog is not an integer value: Invalid argument', 22)
      assert.equal(await sock.listen(), true)
      assert.equal(socket.error(), null)
      const { sock: udp } = await udpSocket(ctx, kit)
      assertError(kit, await udp.listen(), 'listen(): Operation not supported', 95)
    },
  },
  {
    id: 'ucode.method.accept',
    title: 'sock.accept(): the address dict is filled in place; SOCK_NONBLOCK; not listening; wrong types',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      const client = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      const connecting = client.connect(ctx.host, port)
      const peerAddress: Record<string, unknown> = { keep: 'me', port: -1 }
      const peer = kit.track(await server.accept(peerAddress, socket.SOCK_NONBLOCK), 'accept')
      assert.equal(await connecting, true)
      assert.equal(peerAddress.keep, 'me')
      assert.equal(peerAddress.port, client.sockname()?.port)
      assert.equal(peerAddress.address, ctx.host)
      assertError(kit, await peer.recv(), 'recv(): Resource temporarily unavailable', 11)
      assertError(kit, await server.accept('x'), 'Argument address is not an object: Invalid argument', 22)
      assertError(kit, await server.accept({}, '1'), 'Argument flags is not an integer value: Invalid argument', 22)
      assertError(kit, await server.accept(null, 1), 'accept4(): Invalid argument', 22)
      const idle = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      assert.equal(await idle.bind(hostPort(ctx, 0)), true)
      assertError(kit, await idle.accept(), 'accept4(): Invalid argument', 22)
    },
  },
  {
    id: 'ucode.method.accept-nonblocking',
    title: 'accept() on a SOCK_NONBLOCK listener with nothing pending fails with EAGAIN',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const server = kit.track(await socket.create(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK))
      assert.equal(await server.bind('127.0.0.1:0'), true)
      assert.equal(await server.listen(), true)
      assertError(kit, await server.accept(), 'accept4(): Resource temporarily unavailable', 11)
    },
  },
  {
    id: 'ucode.method.send',
    title: 'sock.send(): strings as UTF-8, bytes as they are, other values printed as ucode prints them',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      const values: [unknown, string][] = [
        ['héllo', 'héllo'],
        [new Uint8Array([0x41, 0x00, 0x42]), 'A\u0000B'],
        [12345, '12345'],
        [false, 'false'],
        [[1, 'a'], '[ 1, "a" ]'],
        [{ k: true }, '{ "k": true }'],
      ]
      for (const [value, text] of values) {
        const expected = Buffer.from(text, 'utf8')
        assert.equal(await client.send(value), expected.length)
        assert.deepEqual(await recvAll(kit, peer, expected.length), expected)
      }
      assertError(kit, await client.send(), 'Argument data is required: Invalid argument', 22)
      assertError(kit, await client.send(null), 'Argument data is required: Invalid argument', 22)
      assertError(kit, await client.send('x', '0'), 'Argument flags is not an integer value: Invalid argument', 22)
      assert.equal(await client.send('nosig', socket.MSG_NOSIGNAL | socket.MSG_DONTWAIT), 5)
      assert.equal((await recvAll(kit, peer, 5)).toString(), 'nosig')
    },
  },
  {
    id: 'ucode.method.send-udp',
    title: 'send() on an unconnected UDP socket needs a destination; sendto with a dict or an iptoarr array',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { sock: receiver, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      assertError(kit, await sender.send('lost'), 'send(): Destination address required', 89)
      assert.equal(await sender.send('to dict', 0, { address: '127.0.0.1', port }), 7)
      assert.deepEqual(await receiver.recv(), Buffer.from('to dict'))
      assert.equal(await sender.connect('127.0.0.1', port), true)
      assert.equal(await sender.send('connected'), 9)
      assert.deepEqual(await receiver.recv(), Buffer.from('connected'))
      assertError(kit, await sender.send('x', 0, [127, 0, 0]), 'Invalid IP address array: Invalid argument', 22)
    },
  },
  {
    id: 'ucode.method.recv',
    title: 'sock.recv(): default length 4096, recv(0) is null without an error, end of stream is an empty Buffer',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: receiver, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      const big = Buffer.alloc(5000, 0x61)
      assert.equal(await sender.send(big, 0, `127.0.0.1:${port}`), 5000)
      const from: Record<string, unknown> = {}
      const data = await receiver.recv(undefined, undefined, from)
      assert.ok(data)
      assert.equal(data.length, 4096)
      assert.deepEqual(from, sender.sockname())
      assert.equal(await receiver.recv(0), null)
      assert.equal(socket.error(), null)
      assert.equal(await receiver.recv(-1), null)
      assert.equal(socket.error(), null)
      assertError(kit, await receiver.recv('10'), 'Argument length is not an integer value: Invalid argument', 22)
      assertError(kit, await receiver.recv(10, 0, 'x'), 'Argument address is not an object: Invalid argument', 22)
      assertError(kit, await receiver.recv(10, socket.MSG_DONTWAIT), 'recv(): Resource temporarily unavailable', 11)
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(await client.send('abc'), 3)
      const tcpFrom: Record<string, unknown> = { family: 99 }
      assert.deepEqual(await peer.recv(10, 0, tcpFrom), Buffer.from('abc'))
      assert.equal(tcpFrom.family, 0)
      assert.equal(await client.close(), true)
      assert.deepEqual(await peer.recv(), Buffer.alloc(0))
      assert.deepEqual(await peer.recv(), Buffer.alloc(0))
    },
  },
  {
    id: 'ucode.method.address-forms',
    title: 'bind, connect and send take every address form: iptoarr arrays, dicts, "ip:port" and "[v6]:port" strings',
    needs: ['udp', 'inet6'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const v4 = kit.track(await socket.create(socket.AF_INET, socket.SOCK_DGRAM))
      assert.equal(await v4.bind([127, 0, 0, 1]), true)
      const p4 = portOf(kit, v4)
      const v6 = kit.track(await socket.create(socket.AF_INET6, socket.SOCK_DGRAM))
      assert.equal(await v6.bind([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), true)
      const p6 = portOf(kit, v6)
      assert.deepEqual(v6.sockname(), { family: 10, address: '::1', port: p6, flowinfo: 0 })
      const s4 = kit.track(await socket.create(socket.AF_INET, socket.SOCK_DGRAM))
      const s6 = kit.track(await socket.create(socket.AF_INET6, socket.SOCK_DGRAM))
      assert.equal(await s4.send('a', 0, `127.0.0.1:${p4}`), 1)
      assert.equal(await s4.send('b', 0, { family: socket.AF_INET, address: '127.0.0.1', port: String(p4) }), 1)
      assert.equal(await s6.send('c', 0, `[::1]:${p6}`), 1)
      assert.equal(await s6.send('d', 0, { address: '::1', port: p6 }), 1)
      assert.equal(await s6.send('e', 0, `[0:0::1]:${p6}`), 1)
      assert.equal(String(await v4.recv()), 'a')
      assert.equal(String(await v4.recv()), 'b')
      for (const expected of ['c', 'd', 'e']) assert.equal(String(await v6.recv()), expected)
      assert.equal(await s6.connect({ family: socket.AF_INET6, address: '::1', port: p6 }), true)
      assert.deepEqual(s6.peername(), v6.sockname())
      assertError(kit, await s4.send('x', 0, `[::1]:${p6}`), 'send(): Address family not supported by protocol', 97)
    },
  },
  {
    id: 'ucode.method.recv-trunc',
    title: 'recv(4, MSG_TRUNC) on a datagram gives at most 4 bytes and discards the rest',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: receiver, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      assert.equal(await sender.send('0123456789', 0, hostPort(ctx, port)), 10)
      assert.equal(await sender.send('next', 0, hostPort(ctx, port)), 4)
      assert.deepEqual(await receiver.recv(4, socket.MSG_TRUNC), Buffer.from('0123'))
      assert.deepEqual(await receiver.recv(), Buffer.from('next'))
    },
  },
  {
    id: 'ucode.method.recv-trunc-stream',
    title: 'recv(n, MSG_TRUNC) on a TCP socket gives n NUL bytes: the kernel discards the data and returns its count',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(await client.send('secret'), 6)
      let discarded = Buffer.alloc(0)
      for (let i = 0; i < 100 && discarded.length < 6; i++) {
        const got = await peer.recv(6 - discarded.length, socket.MSG_TRUNC)
        assert.ok(got && got.length > 0, `recv: ${String(socket.error())}`)
        discarded = Buffer.concat([discarded, got])
      }
      assert.deepEqual(discarded, Buffer.alloc(6))
      assert.equal(socket.error(), null)
      // The discarded bytes are gone; what follows reads as usual.
      assert.equal(await client.send('next'), 4)
      assert.deepEqual(await recvAll(kit, peer, 4), Buffer.from('next'))
    },
  },
  {
    id: 'ucode.method.recv-unbound-unix-sender',
    title:
      'a datagram from a Unix socket that never bound: the address dict holds only family 0, recvmsg has no address',
    needs: ['unixDgram'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const path = ctx.unixPath()
      const receiver = kit.track(await socket.create(socket.AF_UNIX, socket.SOCK_DGRAM))
      assert.equal(await receiver.bind(path), true, `bind: ${String(socket.error())}`)
      const sender = kit.track(await socket.create(socket.AF_UNIX, socket.SOCK_DGRAM))
      assert.equal(await sender.send('first', 0, path), 5)
      assert.equal(await sender.send('second', 0, path), 6)
      const from: Record<string, unknown> = { stale: true }
      assert.deepEqual(await receiver.recv(64, 0, from), Buffer.from('first'))
      // Keys of the dict that the kernel's answer does not name stay; family is 0.
      assert.deepEqual(from, { stale: true, family: 0 })
      const message = await receiver.recvmsg(64)
      assert.ok(message, `recvmsg: ${String(socket.error())}`)
      assert.deepEqual(message.data, Buffer.from('second'))
      assert.equal('address' in message, false)
      // A sender that bound has its path reported.
      const named = kit.track(await socket.create(socket.AF_UNIX, socket.SOCK_DGRAM))
      const namedPath = ctx.unixPath()
      assert.equal(await named.bind(namedPath), true)
      assert.equal(await named.send('third', 0, path), 5)
      const again: Record<string, unknown> = {}
      assert.deepEqual(await receiver.recv(64, 0, again), Buffer.from('third'))
      assert.deepEqual(again, { family: socket.AF_UNIX, path: namedPath })
    },
  },
  {
    id: 'ucode.method.recv-peek',
    title: 'recv(n, MSG_PEEK) leaves the data queued',
    needs: ['tcp', 'msgPeek'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(await client.send('peekaboo'), 8)
      assert.deepEqual(await peer.recv(4, kit.socket.MSG_PEEK | kit.socket.MSG_WAITALL), Buffer.from('peek'))
      assert.equal((await recvAll(kit, peer, 8)).toString(), 'peekaboo')
    },
  },
  {
    id: 'ucode.method.shutdown',
    title: 'sock.shutdown(): SHUT_WR and SHUT_RDWR, an unconnected socket, an invalid direction, a mistyped one',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(await client.shutdown(socket.SHUT_WR), true)
      assert.deepEqual(await peer.recv(), Buffer.alloc(0))
      assert.equal(await peer.shutdown(socket.SHUT_RDWR), true)
      assertError(kit, await client.shutdown(7), 'shutdown(): Invalid argument', 22)
      assertError(kit, await client.shutdown('1'), 'Argument how is not an integer value: Invalid argument', 22)
      const lone = kit.track(await socket.create())
      assertError(kit, await lone.shutdown(socket.SHUT_WR), 'shutdown(): Transport endpoint is not connected', 107)
    },
  },
  {
    id: 'ucode.method.shutdown-default',
    title: 'shutdown() without an argument is SHUT_RD (0)',
    needs: ['tcp', 'halfCloseRead'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(await client.shutdown(), true)
      assert.deepEqual(await client.recv(), Buffer.alloc(0))
      // Only reading was shut: the socket still sends.
      assert.equal(await client.send('still'), 5)
      assert.equal((await recvAll(kit, peer, 5)).toString(), 'still')
    },
  },
  {
    id: 'ucode.method.names',
    title: 'sockname()/peername(): address dicts; peername of an unconnected socket fails with ENOTCONN',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer, server, port } = await tcpPair(ctx, kit)
      const expected =
        ctx.ipFamily === 6
          ? { family: 10, address: '::1', port, flowinfo: 0 }
          : { family: 2, address: '127.0.0.1', port }
      assert.deepEqual(server.sockname(), expected)
      assert.deepEqual(client.peername(), expected)
      assert.deepEqual(peer.peername(), client.sockname())
      assertError(kit, server.peername(), 'getpeername(): Transport endpoint is not connected', 107)
      assert.ok(socket.sockaddr('::'))
    },
  },
  {
    id: 'ucode.method.closed',
    title: 'after close() every method returns null with Invalid socket context (EBADF); close() again too',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = await socket.create()
      assert.ok(sock)
      assert.equal(await sock.close(), true)
      assert.equal(String(sock), '<socket 0xffffffff>')
      const calls: [string, () => unknown][] = [
        ['close', () => sock.close()],
        ['connect', () => sock.connect('127.0.0.1', 1)],
        ['bind', () => sock.bind('127.0.0.1:0')],
        ['listen', () => sock.listen()],
        ['accept', () => sock.accept()],
        ['send', () => sock.send('x')],
        ['sendmsg', () => sock.sendmsg('x')],
        ['recv', () => sock.recv()],
        ['recvmsg', () => sock.recvmsg(10)],
        ['setopt', () => sock.setopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, true)],
        ['getopt', () => sock.getopt(socket.SOL_SOCKET, socket.SO_TYPE)],
        ['fileno', () => sock.fileno()],
        ['shutdown', () => sock.shutdown()],
        ['peercred', () => sock.peercred()],
        ['peername', () => sock.peername()],
        ['sockname', () => sock.sockname()],
        // The socket is checked before the arguments.
        ['recv (bad args)', () => sock.recv('bad')],
      ]
      for (const [name, call] of calls) {
        assert.strictEqual(socket.strerror(0), 'Success')
        assert.equal(await call(), null, name)
        assert.equal(socket.error(), 'Invalid socket context: Bad file descriptor', name)
        assert.equal(socket.error(true), 9, name)
      }
      // error() still answers: it is the module's function.
      assert.equal(sock.error(), 'Invalid socket context: Bad file descriptor')
    },
  },
  {
    id: 'ucode.method.fileno',
    title: 'fileno() gives the descriptor number; distinct sockets have distinct numbers',
    needs: ['tcp', 'fd'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const a = kit.track(await kit.socket.create())
      const b = kit.track(await kit.socket.create())
      const fa = a.fileno()
      const fb = b.fileno()
      assert.ok(typeof fa === 'number' && fa >= 0)
      assert.ok(typeof fb === 'number' && fb >= 0)
      assert.notEqual(fa, fb)
      assert.equal(String(a), `<socket 0x${fa.toString(16)}>`)
    },
  },
  {
    id: 'ucode.method.peercred',
    title: 'peercred() on both ends of a socket pair gives this process credentials, uid/gid unsigned',
    needs: ['socketpair', 'peerCredentials'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const pair = await kit.socket.pair()
      assert.ok(pair)
      const [a, b] = pair.map((s) => kit.track(s))
      const expected = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, pid: process.pid }
      assert.deepEqual(a?.peercred(), expected)
      assert.deepEqual(b?.peercred(), expected)
      assert.deepEqual(a?.getopt(kit.socket.SOL_SOCKET, kit.socket.SO_PEERCRED), {
        pid: process.pid,
        uid: expected.uid | 0,
        gid: expected.gid | 0,
      })
    },
  },
  {
    id: 'ucode.method.port-reuse',
    title: 'a connection keeps working while another socket fails on the same port (nothing leaks between them)',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { client, peer, port } = await tcpPair(ctx, kit)
      const rival = kit.track(await kit.socket.create())
      const bound = await rival.bind(`127.0.0.1:${port}`)
      if (bound) assert.equal(await rival.listen(), null)
      assert.equal(kit.socket.error(true), 98)
      assert.equal(await client.send('ok'), 2)
      assert.equal((await recvAll(kit, peer, 2)).toString(), 'ok')
      assert.equal(portOf(kit, peer), port)
    },
  },
]
