import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { closedPort } from '../../peers/sockets.js'
import { assertError, hostPort, ipFamily, portOf, tcpListener, ucodeKit, udpSocket } from './helpers.js'

// The module-level functions: create, pair, open, sockaddr, nameinfo, addrinfo, connect,
// listen, error, strerror (ucode lib/socket.c, the module's uc_socket_* functions).

export const ucodeModuleCases: readonly Case[] = [
  {
    id: 'ucode.create.defaults',
    title: 'create() is an IPv4 TCP socket; create(AF_INET6, SOCK_DGRAM) a UDP one',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const tcp = kit.track(await socket.create())
      assert.equal(tcp.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_STREAM)
      assert.equal(tcp.getopt(socket.SOL_SOCKET, socket.SO_DOMAIN), socket.AF_INET)
      assert.equal(socket.error(), null)
      const udp = kit.track(await socket.create(socket.AF_INET, socket.SOCK_DGRAM, 0))
      assert.equal(udp.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_DGRAM)
    },
  },
  {
    id: 'ucode.create.errors',
    title: 'create() with an unknown family, type or a mistyped argument returns null with the error',
    needs: [],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      assertError(kit, await socket.create(99), 'socket(): Address family not supported by protocol', 97)
      assertError(kit, await socket.create(socket.AF_INET, 99), 'socket(): Invalid argument', 22)
      assertError(kit, await socket.create('2'), 'Argument domain is not an integer value: Invalid argument', 22)
      assertError(
        kit,
        await socket.create(2, 1, 0.5),
        'Argument protocol is not an integer value: Invalid argument',
        22,
      )
      assert.equal(await socket.create(17, socket.SOCK_RAW), null)
      assert.equal(socket.error(true), 97)
      assert.match(String(socket.error()), /AF_PACKET/)
    },
  },
  {
    id: 'ucode.create.nonblock',
    title: 'create(…, SOCK_DGRAM|SOCK_NONBLOCK): recv() with nothing queued fails at once with EAGAIN',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(
        await socket.create(ipFamily(kit, ctx), socket.SOCK_DGRAM | socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC),
      )
      assert.equal(await sock.bind(hostPort(ctx, 0)), true)
      assertError(kit, await sock.recv(), 'recv(): Resource temporarily unavailable', 11)
      assert.equal(await sock.send('self', 0, hostPort(ctx, portOf(kit, sock))), 4)
      let data: Buffer | null = null
      for (let i = 0; i < 200 && !data; i++) {
        data = await sock.recv()
        if (!data) await new Promise((r) => setTimeout(r, 5))
      }
      assert.deepEqual(data, Buffer.from('self'))
    },
  },
  {
    id: 'ucode.create.nonblock-connect',
    title: 'a SOCK_NONBLOCK TCP socket: connect() returns null with EINPROGRESS, the connection then completes',
    needs: ['tcp', 'nonBlockingConnect'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      const sock = kit.track(await socket.create(socket.AF_INET, socket.SOCK_STREAM | socket.SOCK_NONBLOCK))
      const result = await sock.connect(ctx.host, port)
      if (result === null) {
        assert.equal(socket.error(), 'connect(): Operation now in progress')
        assert.equal(socket.error(true), 115)
      }
      const peer = kit.track(await server.accept(), 'accept')
      let sent: number | null = null
      for (let i = 0; i < 200 && sent === null; i++) {
        sent = await sock.send('hi')
        if (sent === null) await new Promise((r) => setTimeout(r, 5))
      }
      assert.equal(sent, 2, String(socket.error()))
      assert.deepEqual(await peer.recv(), Buffer.from('hi'))
    },
  },
  {
    id: 'ucode.pair',
    title: 'pair() gives two connected AF_UNIX stream sockets; pair(SOCK_DGRAM) keeps datagram boundaries',
    needs: ['socketpair', 'unixDgram'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const pair = await socket.pair()
      assert.ok(pair, String(socket.error()))
      const [a, b] = pair.map((s) => kit.track(s))
      assert.ok(a && b)
      assert.equal(await a.send('ping'), 4)
      assert.deepEqual(await b.recv(), Buffer.from('ping'))
      assert.equal(await b.send('pong'), 4)
      assert.deepEqual(await a.recv(), Buffer.from('pong'))
      assert.deepEqual(a.sockname(), { family: socket.AF_UNIX, path: '' })
      assert.equal(a.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_STREAM)
      const dgram = await socket.pair(socket.SOCK_DGRAM)
      assert.ok(dgram)
      const [c, d] = dgram.map((s) => kit.track(s))
      assert.ok(c && d)
      assert.equal(await c.send('one'), 3)
      assert.equal(await c.send('two'), 3)
      assert.deepEqual(await d.recv(), Buffer.from('one'))
      assert.deepEqual(await d.recv(), Buffer.from('two'))
      assertError(kit, await socket.pair('x'), 'Argument type is not an integer value: Invalid argument', 22)
    },
  },
  {
    id: 'ucode.unsupported.pair',
    title: 'without socketpair support, pair() returns null and the error names the missing feature',
    needs: [],
    without: ['socketpair'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      assert.equal(await kit.socket.pair(), null)
      assert.equal(kit.socket.error(true), 95)
      assert.equal(
        kit.socket.error(),
        `socketpair(): socketpair is not supported by the ${ctx.backend.name} backend: Operation not supported`,
      )
    },
  },
  {
    id: 'ucode.unsupported.unix-dgram',
    title: 'without Unix datagram support, create(AF_UNIX, SOCK_DGRAM) returns null naming unixDgram',
    needs: [],
    without: ['unixDgram'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      assert.equal(await kit.socket.create(kit.socket.AF_UNIX, kit.socket.SOCK_DGRAM), null)
      assert.equal(kit.socket.error(true), 95)
      assert.match(
        String(kit.socket.error()),
        /^socket\(\): .*unixDgram.* not supported by the .* backend: Operation not supported$/,
      )
    },
  },
  {
    id: 'ucode.open',
    title: 'open(-1) gives a handle whose calls fail with Invalid socket context; open(987654).recv() fails with EBADF',
    needs: ['fd'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const dead = await socket.open(-1)
      assert.ok(dead)
      assertError(kit, await dead.recv(), 'Invalid socket context: Bad file descriptor', 9)
      assert.equal(String(dead), '<socket 0xffffffff>')
      const bogus = await socket.open(987654)
      assert.ok(bogus, String(socket.error()))
      assert.equal(socket.error(), null)
      assert.equal(bogus.fileno(), 987654)
      assertError(kit, await bogus.recv(), 'recv(): Bad file descriptor', 9)
      assertError(kit, await socket.open('3'), 'Argument fd is not an integer value: Invalid argument', 22)
      assertError(kit, await socket.open(), 'Argument fd is required: Invalid argument', 22)
    },
  },
  {
    id: 'ucode.unsupported.open',
    title: 'without descriptors, open(fd) and fileno() return null naming the fd feature',
    needs: ['tcp'],
    without: ['fd'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const sock = kit.track(await kit.socket.create())
      assert.equal(sock.fileno(), null)
      assert.equal(kit.socket.error(true), 95)
      assert.match(String(kit.socket.error()), /^fileno\(\): fd is not supported by the .* backend/)
      assert.equal(await kit.socket.open(5), null)
      assert.equal(kit.socket.error(true), 95)
    },
  },
  {
    id: 'ucode.sockaddr',
    title: 'sockaddr() parses every address form and reports invalid ones; it clears the error slot',
    needs: [],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      assert.deepEqual(socket.sockaddr('127.0.0.1:80'), { family: 2, address: '127.0.0.1', port: 80 })
      assert.deepEqual(socket.sockaddr('[::1]:443'), { family: 10, address: '::1', port: 443, flowinfo: 0 })
      assert.deepEqual(socket.sockaddr('/tmp/x.sock'), { family: 1, path: '/tmp/x.sock' })
      assert.deepEqual(socket.sockaddr([198, 51, 100, 1]), { family: 2, address: '198.51.100.1', port: 0 })
      assert.deepEqual(socket.sockaddr({ port: 5 }), { family: 2, address: '0.0.0.0', port: 5 })
      assertError(kit, socket.sockaddr('localhost'), 'Unable to parse IP address: Invalid argument', 22)
      assertError(kit, socket.sockaddr('1.2.3.4:99999'), 'Invalid port number: Invalid argument', 22)
      assertError(kit, socket.sockaddr([1, 2, 3]), 'Invalid IP address array: Invalid argument', 22)
      assertError(kit, socket.sockaddr(true), 'Invalid address value: Invalid argument', 22)
      assertError(kit, socket.sockaddr(), 'Argument address is required: Invalid argument', 22)
      assert.ok(socket.sockaddr('::'))
      assert.equal(socket.error(), null)
    },
  },
  {
    id: 'ucode.nameinfo',
    title: 'nameinfo() with NI_NUMERICHOST|NI_NUMERICSERV gives {hostname, service} for string and dict addresses',
    needs: [],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const numeric = socket.NI_NUMERICHOST | socket.NI_NUMERICSERV
      assert.deepEqual(await socket.nameinfo('127.0.0.1:80', numeric), { hostname: '127.0.0.1', service: '80' })
      assert.deepEqual(await socket.nameinfo({ address: '::1', port: 443 }, numeric), {
        hostname: '::1',
        service: '443',
      })
      assertError(kit, await socket.nameinfo('bogus', numeric), 'Unable to parse IP address: Invalid argument', 22)
      assertError(
        kit,
        await socket.nameinfo('127.0.0.1', '1'),
        'Argument flags is not an integer value: Invalid argument',
        22,
      )
    },
  },
  {
    id: 'ucode.addrinfo',
    title: 'addrinfo() returns {flags, family, socktype, protocol, addr, canonname}; "[::1]" loses its brackets',
    needs: [],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const v4 = await socket.addrinfo('127.0.0.1', '80', {
        socktype: socket.SOCK_STREAM,
        flags: socket.AI_NUMERICHOST,
      })
      assert.ok(v4 && v4.length >= 1, String(socket.error()))
      const [first] = v4
      assert.equal(first?.family, socket.AF_INET)
      assert.equal(first?.socktype, socket.SOCK_STREAM)
      assert.equal(first?.flags, socket.AI_NUMERICHOST)
      assert.equal(typeof first?.protocol, 'number')
      assert.deepEqual(first?.addr, { family: 2, address: '127.0.0.1', port: 80 })
      assert.equal(first?.canonname, null)
      const v6 = await socket.addrinfo('[::1]', 443, { socktype: socket.SOCK_DGRAM, flags: socket.AI_NUMERICHOST })
      assert.ok(v6 && v6.length >= 1, String(socket.error()))
      assert.deepEqual(v6[0]?.addr, { family: 10, address: '::1', port: 443, flowinfo: 0 })
      assert.equal(v6[0]?.socktype, socket.SOCK_DGRAM)
      const any = await socket.addrinfo('127.0.0.1', null, { flags: socket.AI_NUMERICHOST })
      assert.ok(any && any.length >= 1)
      for (const r of any) assert.equal(r.addr.address, '127.0.0.1')
      const local = await socket.addrinfo('localhost', null, { family: socket.AF_INET, socktype: socket.SOCK_STREAM })
      assert.ok(local && local.length >= 1, String(socket.error()))
      assert.equal(local[0]?.addr.address, '127.0.0.1')
      assert.equal(await socket.addrinfo('not an address', null, { flags: socket.AI_NUMERICHOST }), null)
      assert.equal(socket.error(true), -2)
      assert.equal(socket.error(), 'getaddrinfo(): Name or service not known')
      assertError(
        kit,
        await socket.addrinfo('x', null, { family: 'v4' }),
        'Unable to convert field family to integer: Invalid argument',
        22,
      )
      assertError(kit, await socket.addrinfo(), 'Argument hostname is required: Invalid argument', 22)
    },
  },
  {
    id: 'ucode.connect.module',
    title: 'socket.connect(host, port) and connect({address}, port) return connected sockets; a closed port is refused',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { server, port } = await tcpListener(ctx, kit)
      const accepting = server.accept()
      const a = kit.track(await socket.connect(ctx.host, port), 'connect')
      kit.track(await accepting)
      assert.deepEqual(a.peername(), server.sockname())
      assert.equal(a.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_STREAM)
      const accepting2 = server.accept()
      const b = kit.track(await socket.connect({ address: ctx.host }, String(port), null, 5000), 'connect dict')
      kit.track(await accepting2)
      assert.equal(b.peername()?.port, port)
      const closed = await closedPort(ctx)
      assertError(kit, await socket.connect(ctx.host, closed), 'connect(): Connection refused', 111)
      assertError(
        kit,
        await socket.connect({ address: ctx.host }, 70000),
        'Invalid port number: Numerical result out of range',
        34,
      )
      assertError(
        kit,
        await socket.connect(ctx.host, port, null, 'x'),
        'Argument timeout is not an integer value: Invalid argument',
        22,
      )
    },
  },
  {
    id: 'ucode.connect.module-localhost',
    title: 'socket.connect("localhost", port) reaches a listener on 127.0.0.1 whatever order the resolver gives',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const server = kit.track(await socket.listen('127.0.0.1', 0), 'listen')
      const port = portOf(kit, server)
      const accepting = server.accept()
      const client = kit.track(await socket.connect('localhost', port), 'connect localhost')
      kit.track(await accepting, 'accept')
      assert.deepEqual(client.peername(), { family: socket.AF_INET, address: '127.0.0.1', port })
    },
  },
  {
    id: 'ucode.connect.module-unix',
    title: 'socket.connect({path}) connects to a Unix listener; a missing path cannot connect to any host address',
    needs: ['unixStream'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const path = ctx.unixPath()
      const server = kit.track(await socket.listen(path, null, { socktype: socket.SOCK_STREAM }), 'listen')
      const accepting = server.accept()
      const client = kit.track(await socket.connect({ path }), 'connect')
      kit.track(await accepting)
      assert.deepEqual(client.peername(), { family: socket.AF_UNIX, path })
      assertError(
        kit,
        await socket.connect({ path: ctx.unixPath('missing.sock') }),
        'Could not connect to any host address: Name or service not known',
        -2,
      )
    },
  },
  {
    id: 'ucode.listen.module',
    title: 'socket.listen(host, 0) listens on an ephemeral port; the same port again is in use',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const server = kit.track(await socket.listen(ctx.host, 0), 'listen')
      const name = server.sockname()
      assert.equal(name?.address, ctx.host)
      assert.equal(server.getopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN), true)
      const port = portOf(kit, server)
      const accepting = server.accept()
      kit.track(await socket.connect(ctx.host, port), 'connect')
      kit.track(await accepting, 'accept')
      assert.equal(await socket.listen(ctx.host, port), null)
      assert.equal(socket.error(true), 98)
      assert.match(String(socket.error()), /^(bind|listen)\(\): Address already in use$/)
      if (ctx.backend.supports.exactBind) assert.equal(socket.error(), 'bind(): Address already in use')
      const reused = kit.track(await socket.listen(ctx.host, 0, null, 5, true), 'listen reuseaddr')
      assert.equal(reused.getopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), true)
      assertError(
        kit,
        await socket.listen(ctx.host, 0, null, 5, 1),
        'Argument reuseaddr is not a boolean value: Invalid argument',
        22,
      )
      assertError(kit, await socket.listen('192.0.2.1', 0), 'bind(): Cannot assign requested address', 99)
    },
  },
  {
    id: 'ucode.listen.module-hints',
    title: 'socket.listen(null, 0, {family: AF_INET}) replaces the passive default hints and binds 127.0.0.1',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const server = kit.track(await socket.listen(null, 0, { family: socket.AF_INET }), 'listen')
      assert.equal(server.sockname()?.address, '127.0.0.1')
    },
  },
  {
    id: 'ucode.listen.module-unix-dgram',
    title: 'socket.listen({path}) without hints gives a bound datagram socket, as ucode does',
    needs: ['unixDgram'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const path = ctx.unixPath()
      const sock = kit.track(await socket.listen({ path }), 'listen')
      assert.equal(sock.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_DGRAM)
      assert.deepEqual(sock.sockname(), { family: socket.AF_UNIX, path })
      const sender = kit.track(await socket.create(socket.AF_UNIX, socket.SOCK_DGRAM))
      assert.equal(await sender.send('datagram', 0, path), 8)
      assert.deepEqual(await sock.recv(), Buffer.from('datagram'))
    },
  },
  {
    id: 'ucode.error.strerror',
    title: 'strerror() gives glibc texts (negative codes: resolver texts) and clears the error slot',
    needs: [],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      assert.equal(socket.error(), null)
      assert.equal(socket.error(true), null)
      assert.equal(await socket.create(99), null)
      assert.equal(socket.error(), 'socket(): Address family not supported by protocol')
      assert.equal(socket.error(), 'socket(): Address family not supported by protocol')
      assert.equal(socket.strerror(111), 'Connection refused')
      assert.equal(socket.error(), null)
      assert.equal(socket.strerror(0), 'Success')
      assert.equal(socket.strerror(-2), 'Name or service not known')
      assert.equal(socket.strerror(999), 'Unknown error 999')
      assertError(kit, socket.strerror('1'), 'Argument code is not an integer value: Invalid argument', 22)
    },
  },
  {
    id: 'ucode.error.shared',
    title: 'the error slot is module-wide: sock.error() on any socket reads the last failure of any call',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: a } = await udpSocket(ctx, kit)
      const { sock: b } = await udpSocket(ctx, kit)
      assert.equal(await a.recv(10, socket.MSG_DONTWAIT), null)
      assert.equal(b.error(), 'recv(): Resource temporarily unavailable')
      assert.equal(socket.error(true), 11)
      assert.equal(a.error(1), 11)
      assert.ok(b.sockname())
      assert.equal(a.error(), null)
    },
  },
]
