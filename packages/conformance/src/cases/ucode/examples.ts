import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
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

// The code examples of ucode's socket module documentation, one case each, on loopback and with `await`.

export const ucodeExampleCases: readonly Case[] = [
  {
    id: 'ucode.example.handle',
    title: 'the socket handle overview: create, setopt, getopt, connect, send, recv, shutdown, names, close, error',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      const sock = await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM)
      assert.ok(sock, String(socket.error()))
      assert.equal(sock.setopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, true), true)
      assert.equal(sock.getopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), true)
      const accepting = server.accept()
      assert.equal(await sock.connect(ctx.host, port), true)
      const peer = kit.track(await accepting, 'accept')
      assert.equal(await sock.send('ping'), 4)
      assert.equal((await recvAll(kit, peer, 4)).toString(), 'ping')
      assert.equal(await peer.send('pong'), 4)
      assert.equal((await recvAll(kit, sock, 4)).toString(), 'pong')
      assert.equal(await sock.shutdown(socket.SHUT_WR), true)
      assert.deepEqual(await peer.recv(), Buffer.alloc(0))
      assert.deepEqual(sock.peername(), server.sockname())
      assert.deepEqual(sock.sockname(), peer.peername())
      if (ctx.backend.supports.fd) assert.equal(typeof sock.fileno(), 'number')
      assert.equal(await sock.close(), true)
      assert.equal(sock.error(), null)
    },
  },
  {
    id: 'ucode.example.accept',
    title: 'accept(peerAddress, SOCK_CLOEXEC) returns a socket and fills the address dictionary',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      const client = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      const connecting = client.connect(ctx.host, port)
      const peerAddress: Record<string, unknown> = {}
      const newSocket = kit.track(await server.accept(peerAddress, socket.SOCK_CLOEXEC), 'accept')
      assert.equal(await connecting, true)
      assert.equal(peerAddress.family, ipFamily(kit, ctx))
      assert.equal(peerAddress.address, ctx.host)
      assert.deepEqual(peerAddress, client.sockname())
      assert.equal(socket.error(), null)
      assert.equal(await newSocket.send('x'), 1)
      assert.deepEqual(await client.recv(), Buffer.from('x'))
    },
  },
  {
    id: 'ucode.example.bind',
    title: 'bind("127.0.0.1:0") returns true; a non-local address fails with bind(): Cannot assign requested address',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(await socket.create(socket.AF_INET, socket.SOCK_STREAM))
      assert.equal(await sock.bind('127.0.0.1:0'), true)
      assert.equal(sock.error(), null)
      const other = kit.track(await socket.create(socket.AF_INET, socket.SOCK_STREAM))
      assertError(kit, await other.bind('192.0.2.1:80'), 'bind(): Cannot assign requested address', 99)
      assert.equal(other.error(), 'bind(): Cannot assign requested address')
    },
  },
  {
    id: 'ucode.example.close',
    title: 'close() after connect returns true',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { client } = await tcpPair(ctx, kit)
      assert.equal(await client.close(), true)
      assert.equal(kit.socket.error(), null)
    },
  },
  {
    id: 'ucode.example.error',
    title: 'error(): bind("::") on IPv4 gives the family error; a resolver failure gives -2 (EAI_NONAME)',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(await socket.create(socket.AF_INET, socket.SOCK_STREAM, 0))
      // The document passes a port as a second argument; bind() takes one and ignores the rest.
      const bind = sock.bind as (...args: unknown[]) => Promise<true | null>
      assert.equal(await bind.call(sock, '::', 8080), null)
      assert.equal(socket.error(), 'bind(): Address family not supported by protocol')
      assert.equal(socket.error(true), 97)
      // The document resolves "doesnotexist.org"; AI_NUMERICHOST keeps the query off the network.
      assert.equal(await socket.addrinfo('doesnotexist.org', null, { flags: socket.AI_NUMERICHOST }), null)
      assert.equal(socket.error(true), -2)
      assert.equal(socket.error(), 'getaddrinfo(): Name or service not known')
    },
  },
  {
    id: 'ucode.example.listen',
    title: 'bind() then listen(10) returns true',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      assert.equal(await sock.bind(hostPort(ctx, 0)), true)
      assert.equal(await sock.listen(10), true)
      assert.equal(sock.getopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), true)
    },
  },
  {
    id: 'ucode.example.peercred',
    title: 'peercred() on a connected AF_UNIX socket gives this process uid, gid and pid',
    needs: ['unixStream', 'peerCredentials'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const path = ctx.unixPath()
      const server = kit.track(await socket.listen({ path }, null, { socktype: socket.SOCK_STREAM }), 'listen')
      const sock = kit.track(await socket.create(socket.AF_UNIX, socket.SOCK_STREAM))
      const accepting = server.accept()
      assert.equal(await sock.connect(path), true)
      kit.track(await accepting, 'accept')
      const peerCredentials = sock.peercred()
      assert.deepEqual(peerCredentials, {
        uid: process.getuid?.() ?? 0,
        gid: process.getgid?.() ?? 0,
        pid: process.pid,
      })
    },
  },
  {
    id: 'ucode.example.peername',
    title: 'peername() after connect gives the listener address',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { client, server } = await tcpPair(ctx, kit)
      const peerAddress = client.peername()
      assert.deepEqual(peerAddress, server.sockname())
    },
  },
  {
    id: 'ucode.example.recvmsg-fds',
    title: 'listen({family: AF_UNIX, path}) is a datagram socket; recvmsg(1024, 1024) gets SCM_RIGHTS descriptors',
    needs: ['unixDgram', 'ancillaryRights', 'ancillaryCredentials'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const path = ctx.unixPath()
      const sk = kit.track(await socket.listen({ family: socket.AF_UNIX, path }), 'listen')
      assert.equal(sk.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_DGRAM)
      assert.equal(sk.setopt(socket.SOL_SOCKET, socket.SO_PASSCRED, true), true)
      const sender = kit.track(await socket.create(socket.AF_UNIX, socket.SOCK_DGRAM))
      const [a, b] = (await socket.pair()) ?? []
      kit.track(a ?? null, 'pair')
      kit.track(b ?? null, 'pair')
      assert.ok(a && b)
      const sent = await sender.sendmsg(
        'here are descriptors',
        [{ level: socket.SOL_SOCKET, type: socket.SCM_RIGHTS, data: [a] }],
        { family: socket.AF_UNIX, path },
      )
      assert.equal(sent, 20, `sendmsg: ${String(socket.error())}`)
      const msg = await sk.recvmsg(1024, 1024)
      assert.ok(msg, `recvmsg: ${String(socket.error())}`)
      assert.deepEqual(msg.data, Buffer.from('here are descriptors'))
      const rights = msg.ancillary?.find((c) => c.level === socket.SOL_SOCKET && c.type === socket.SCM_RIGHTS)
      assert.ok(rights, `no SCM_RIGHTS in ${JSON.stringify(msg.ancillary)}`)
      const fds = rights.data as unknown[]
      assert.equal(fds.length, 1)
      const received = kit.track(fds[0] as ReturnType<typeof kit.track>, 'received fd')
      // The received descriptor is the same socket: what b sends, it receives.
      assert.equal(await b.send('through the passed fd'), 21)
      assert.deepEqual(await received.recv(), Buffer.from('through the passed fd'))
      const creds = msg.ancillary?.find((c) => c.type === socket.SCM_CREDENTIALS)
      assert.deepEqual(creds?.data, { pid: process.pid, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 })
    },
  },
  {
    id: 'ucode.example.recvmsg-segments',
    title: 'recvmsg([10, 128, 512]) splits one message over three buffers',
    needs: ['udp', 'scatterGather'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { sock: sk, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      const text = `${'a'.repeat(10)}${'b'.repeat(128)}${'c'.repeat(20)}`
      assert.equal(await sender.send(text, 0, hostPort(ctx, port)), text.length)
      const msg = await sk.recvmsg([10, 128, 512])
      assert.ok(msg, String(kit.socket.error()))
      const data = msg.data as Buffer[]
      assert.equal(data.length, 3)
      assert.equal(data[0]?.toString(), 'a'.repeat(10))
      assert.equal(data[1]?.toString(), 'b'.repeat(128))
      assert.equal(data[2]?.toString(), 'c'.repeat(20))
      assert.equal(msg.length, text.length)
      assert.equal(msg.flags, 0)
      assert.deepEqual(msg.address, sender.sockname())
      assert.equal('ancillary' in msg, false)
    },
  },
  {
    id: 'ucode.example.recvmsg-peek',
    title: 'recvmsg(0, 0, MSG_PEEK|MSG_TRUNC) reports the pending datagram length without reading it',
    needs: ['udp', 'scatterGather', 'msgPeek'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: sk, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      assert.equal(await sender.send('twelve bytes', 0, hostPort(ctx, port)), 12)
      const msg = await sk.recvmsg(0, 0, socket.MSG_PEEK | socket.MSG_TRUNC)
      assert.ok(msg, String(socket.error()))
      assert.equal((msg.data as Buffer).length, 0)
      assert.equal(msg.length, 12)
      assert.equal(msg.flags & socket.MSG_TRUNC, socket.MSG_TRUNC)
      assert.deepEqual(await sk.recv(), Buffer.from('twelve bytes'))
    },
  },
  {
    id: 'ucode.example.send-tcp',
    title: 'send("GET / HTTP/1.0\\r\\n\\r\\n") on a connected TCP socket',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      const tcp_sock = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM))
      const accepting = server.accept()
      assert.equal(await tcp_sock.connect(ctx.host, port), true)
      const peer = kit.track(await accepting, 'accept')
      const request = 'GET / HTTP/1.0\r\n\r\n'
      assert.equal(await tcp_sock.send(request), request.length)
      assert.equal((await recvAll(kit, peer, request.length)).toString(), request)
    },
  },
  {
    id: 'ucode.example.send-udp',
    title: 'send("Hello there!", 0, "ip:port") and send(…, 0, {family, address, port}) on an unconnected UDP socket',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: receiver, port } = await udpSocket(ctx, kit)
      const udp_sock = kit.track(await socket.create(socket.AF_INET, socket.SOCK_DGRAM))
      assert.equal(await udp_sock.send('Hello there!', 0, `127.0.0.1:${port}`), 12)
      assert.equal(await udp_sock.send('Hello there!', 0, { family: socket.AF_INET, address: '127.0.0.1', port }), 12)
      assert.equal(await udp_sock.send('Hello there!', 0, { address: '127.0.0.1', port }), 12)
      for (let i = 0; i < 3; i++) {
        const from: Record<string, unknown> = {}
        assert.deepEqual(await receiver.recv(4096, 0, from), Buffer.from('Hello there!'))
        assert.equal(from.family, socket.AF_INET)
        assert.equal(from.address, '127.0.0.1')
        assert.equal(from.port, portOf(kit, udp_sock))
      }
    },
  },
  {
    id: 'ucode.example.sendmsg',
    title: 'sendmsg() with SCM_RIGHTS over a Unix stream socket, then sendmsg(["This", "is", "one", "message"])',
    needs: ['unixStream', 'ancillaryRights', 'scatterGather', 'socketpair'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const path = ctx.unixPath()
      const server = kit.track(await socket.listen({ path }, null, { socktype: socket.SOCK_STREAM }), 'listen')
      const accepting = server.accept()
      const sk = kit.track(await socket.connect({ family: socket.AF_UNIX, path }), 'connect')
      const peer = kit.track(await accepting, 'accept')
      const pair = await socket.pair()
      assert.ok(pair, String(socket.error()))
      const [f1, f2] = pair.map((s) => kit.track(s))
      const text = "Hi there, here's some descriptors!"
      const sent = await sk.sendmsg(text, [{ level: socket.SOL_SOCKET, type: socket.SCM_RIGHTS, data: [f1, f2] }])
      assert.equal(sent, text.length, `sendmsg: ${String(socket.error())}`)
      const msg = await peer.recvmsg(1024, 1024)
      assert.ok(msg, String(socket.error()))
      assert.equal(msg.data.toString(), text)
      const rights = msg.ancillary?.find((c) => c.type === socket.SCM_RIGHTS)
      assert.ok(rights, `no SCM_RIGHTS in ${JSON.stringify(msg.ancillary)}`)
      const passed = rights.data as ReturnType<typeof kit.track>[]
      assert.equal(passed.length, 2)
      for (const s of passed) kit.track(s)
      assert.equal(await sk.sendmsg(['This', 'is', 'one', 'message']), 16)
      assert.equal((await recvAll(kit, peer, 16)).toString(), 'Thisisonemessage')
    },
  },
  {
    id: 'ucode.example.shutdown',
    title: 'shutdown(SHUT_WR) returns true and the peer reads end of stream',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { client, peer } = await tcpPair(ctx, kit)
      assert.equal(await client.send('last words'), 10)
      assert.equal(await client.shutdown(kit.socket.SHUT_WR), true)
      assert.equal((await recvAll(kit, peer, 100)).toString(), 'last words')
      assert.deepEqual(await peer.recv(), Buffer.alloc(0))
      assert.equal(await peer.send('reply'), 5)
      assert.equal(String(await client.recv()), 'reply')
    },
  },
  {
    id: 'ucode.example.sockname',
    title: 'sockname() after connect gives the local address',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { client, peer } = await tcpPair(ctx, kit)
      const myAddress = client.sockname()
      assert.ok(myAddress)
      assert.equal(myAddress.family, ipFamily(kit, ctx))
      assert.equal(myAddress.address, ctx.host)
      assert.deepEqual(myAddress, peer.peername())
    },
  },
]
