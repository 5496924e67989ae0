import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { decodeJsl, type JmpSocket } from '@polysocket/core/jmp'
import type { Case } from '../../case.js'
import { closedPort } from '../../peers/sockets.js'
import { connectedPair, jmpKit, listenOn, systemName } from './helpers.js'

// Status strings quoted in JMP's Socket messages; the cases hold the facade to them verbatim.
export const CONNREFUSED = 'CONNREFUSED: The attempt to connect was forcefully rejected. '
export const NOTCONN = 'NOTCONN: The socket is not connected. '
export const ADDRNOTAVAIL = 'ADDRNOTAVAIL: The specified address is not available from the local machine. '
export const INVAL =
  'INVAL: The socket is (or is not, depending on context) already bound to an address. or, ' +
  'Listen was not invoked prior to accept. or, Invalid host address. or, The socket has not been bound with Bind. '

/** The documents' examples, message by message (JMP's Socket messages and its Socket reference). */
export const jmpExampleCases: readonly Case[] = [
  {
    id: 'jmp.connect.ok',
    title: 'connect to a listening socket gives {"connect", "ok"}',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      const port = await listenOn(ctx, server)
      const client = kit.Socket()
      assert.deepEqual(await client.connect(ctx.host, Number(port)), ['connect', 'ok'])
      assert.deepEqual(await client.Connect(ctx.host, port), ['Connect', 'ISCONN: The socket is already connected. '])
    },
  },
  {
    id: 'jmp.connect.localhost',
    title: 'names resolve: bind("localhost") and connect("localhost") meet on loopback',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      assert.deepEqual(await server.bind('localhost', 0), ['bind', 'ok'])
      assert.deepEqual(await server.listen(), ['listen', 'ok'])
      const [, st, address, port] = await server.getsockname()
      assert.equal(st, 'ok')
      // The name bind used, as in the documents' getsockname example.
      assert.equal(address, 'localhost')
      const client = kit.Socket()
      const [connected, accepted] = await Promise.all([client.connect('localhost', port), server.accept()])
      assert.deepEqual(connected, ['connect', 'ok'])
      assert.equal(accepted[1], 'ok')
    },
  },
  {
    id: 'jmp.connect.refused',
    title: 'connect to a port nobody listens on gives the CONNREFUSED example verbatim',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const client = kit.Socket()
      assert.deepEqual(await client.connect(ctx.host, await closedPort(ctx)), ['connect', CONNREFUSED])
      // The socket stays usable for another attempt, as a script would retry.
      const server = kit.Socket()
      const port = await listenOn(ctx, server)
      assert.deepEqual(await client.connect(ctx.host, port), ['connect', 'ok'])
    },
  },
  {
    id: 'jmp.close.example',
    title: 'Close() gives {"Close", "ok"}; later messages report the closed socket',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client } = await connectedPair(ctx, kit)
      assert.deepEqual(await client.Close(), ['Close', 'ok'])
      assert.equal(client.closed, true)
      assert.deepEqual(await client.close(), ['close', 'ok'])
      const [cmd, st, data] = await client.recv(10)
      assert.deepEqual([cmd, st, data], ['recv', 'BADF: The socket has been closed. ', ''])
      const never = kit.Socket()
      assert.deepEqual(await never.close(), ['close', 'ok'])
    },
  },
  {
    id: 'jmp.ioctl.example',
    title: 'ioctl("FIONBIO", 1) on a connected socket gives {"ioctl", "ok"}',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, server } = await connectedPair(ctx, kit)
      assert.deepEqual(await client.ioctl('FIONBIO', 1), ['ioctl', 'ok'])
      assert.deepEqual(await client.ioctl('FIONBIO', 0), ['ioctl', 'ok'])
      // A bound (listening) socket counts too.
      assert.deepEqual(await server.Ioctl('FIONBIO', 1), ['Ioctl', 'ok'])
    },
  },
  {
    id: 'jmp.ioctl.notconn',
    title: 'ioctl on a socket neither bound nor connected gives the NOTCONN example verbatim',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      assert.deepEqual(await kit.Socket().ioctl('FIONBIO', 1), ['ioctl', NOTCONN])
      assert.deepEqual(await kit.Socket('DGRAM').ioctl('FIONBIO', 1), ['ioctl', NOTCONN])
    },
  },
  {
    id: 'jmp.bind.example',
    title: 'bind to the local machine gives {"bind", "ok"}',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      assert.deepEqual(await server.Bind(ctx.host, '0'), ['Bind', 'ok'])
      const [, st, address, port] = await server.getsockname()
      assert.deepEqual([st, address], ['ok', ctx.host])
      assert.notEqual(port, '0')
      // Bound once is bound for good.
      assert.deepEqual(await server.bind(ctx.host, 0), ['bind', INVAL])
    },
  },
  {
    id: 'jmp.bind.addrnotavail',
    title: 'bind to an address not on this machine gives the ADDRNOTAVAIL example verbatim',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      // 192.0.2.1 (TEST-NET-1) is on no interface; only bound, never sent to.
      const bound = await server.bind('192.0.2.1', 0)
      if (ctx.backend.supports.exactBind || bound[1] !== 'ok') {
        assert.deepEqual(bound, ['bind', ADDRNOTAVAIL])
      } else {
        // A backend that defers a stream bind to listen reports it there, verbatim still.
        assert.deepEqual(await server.listen(), ['listen', ADDRNOTAVAIL])
      }
    },
  },
  {
    id: 'jmp.bind.addrnotavail.dgram',
    title: 'DGRAM bind to an address not on this machine gives ADDRNOTAVAIL',
    needs: ['udp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      assert.deepEqual(await kit.Socket('DGRAM').bind('192.0.2.1', 0), ['bind', ADDRNOTAVAIL])
    },
  },
  {
    id: 'jmp.listen.example',
    title: 'listen after bind gives {"listen", "ok"}; before bind, the INVAL example verbatim',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      assert.deepEqual(await server.listen(), ['listen', INVAL])
      assert.deepEqual(await server.bind(ctx.host, 0), ['bind', 'ok'])
      assert.deepEqual(await server.Listen(5), ['Listen', 'ok'])
    },
  },
  {
    id: 'jmp.accept.example',
    title: 'accept gives {"Accept", "ok", "localhost", socket()} with a usable socket',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      const port = await listenOn(ctx, server)
      const client = kit.Socket()
      const [connected, accepted] = await Promise.all([client.connect(ctx.host, port), server.Accept()])
      assert.deepEqual(connected, ['connect', 'ok'])
      assert.equal(accepted.length, 4)
      const [cmd, st, host, socket] = accepted as [string, string, string, JmpSocket]
      assert.deepEqual([cmd, st], ['Accept', 'ok'])
      kit.track(socket)
      // A reverse lookup of the peer: "localhost" for 127.0.0.1 on an ordinary machine.
      assert.equal(host, await systemName(ctx.host))
      assert.deepEqual(await socket.send('pong'), ['send', 'ok', ''])
      assert.deepEqual(await client.recv(4), ['recv', 'ok', 'pong'])
      assert.deepEqual(await client.send('ping'), ['send', 'ok', ''])
      assert.deepEqual(await socket.recv(4), ['recv', 'ok', 'ping'])
    },
  },
  {
    id: 'jmp.getpeername.example',
    title: 'getpeername gives {"getpeername", "ok", "127.0.0.1", "4087"}: the address connect used, port as a string',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer, port } = await connectedPair(ctx, kit)
      // The client connected to the numeric address, so that is the name it re-discovers.
      assert.deepEqual(await client.getpeername(), ['getpeername', 'ok', ctx.host, port])
      const [, , , clientPort] = await client.getsockname()
      // The server side names the client as accept did.
      const name = await systemName(ctx.host)
      assert.deepEqual(await peer.GetPeerName(), ['GetPeerName', 'ok', name, clientPort])
    },
  },
  {
    id: 'jmp.getsockname.example',
    title: "getsockname gives this end's machine name and the port the system chose",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer, port } = await connectedPair(ctx, kit)
      // Never bound by the script: the reverse lookup of its address names it.
      const name = await systemName(ctx.host)
      const [cmd, st, address, clientPort] = await client.GetSockName()
      assert.deepEqual([cmd, st, address], ['GetSockName', 'ok', name])
      assert.match(clientPort, /^[1-9]\d*$/)
      assert.notEqual(clientPort, port)
      assert.deepEqual(await peer.getsockname(), ['getsockname', 'ok', name, port])
    },
  },
  {
    id: 'jmp.names.machine',
    title:
      'getpeername and getsockname give the machine name used in connect or bind ("localhost"), else the reverse lookup, with the port as a string',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      // JMP resolves names IPv4 first: "localhost" is 127.0.0.1 here.
      assert.deepEqual(await server.bind('localhost', 0), ['bind', 'ok'])
      assert.deepEqual(await server.listen(), ['listen', 'ok'])
      const [, st, serverName, port] = await server.getsockname()
      assert.deepEqual([st, serverName], ['ok', 'localhost'])
      assert.match(port, /^[1-9]\d*$/)
      const client = kit.Socket()
      const [connected, accepted] = await Promise.all([client.connect('localhost', port), server.accept()])
      assert.deepEqual(connected, ['connect', 'ok'])
      assert.equal(accepted.length, 4)
      const peer = kit.track(accepted[3] as JmpSocket)
      assert.deepEqual(await client.getpeername(), ['getpeername', 'ok', 'localhost', port])
      const name = await systemName('127.0.0.1')
      const [, , clientName, clientPort] = await client.getsockname()
      assert.equal(clientName, name)
      assert.match(clientPort, /^[1-9]\d*$/)
      assert.deepEqual(await peer.getpeername(), ['getpeername', 'ok', accepted[2], clientPort])
      assert.deepEqual(await peer.getsockname(), ['getsockname', 'ok', name, port])
    },
  },
  {
    id: 'jmp.recv.example',
    title: 'send gives {"send", "ok", ""}; recv(n) gives {"recv", "ok", data} of at most n bytes',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.deepEqual(await client.Send('hello world'), ['Send', 'ok', ''])
      assert.deepEqual(await peer.recv(5), ['recv', 'ok', 'hello'])
      assert.deepEqual(await peer.Recv(100), ['Recv', 'ok', ' world'])
      // End of stream: "ok" with no data.
      assert.deepEqual(await client.close(), ['close', 'ok'])
      assert.deepEqual(await peer.recv(100), ['recv', 'ok', ''])
    },
  },
  {
    id: 'jmp.send.http-get',
    title: 'send("GET / HTTP/1.0~0d~0a~0d~0a") to a local HTTP server brings back its whole response',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const body = `polysocket jmp\n${'0123456789abcdef'.repeat(1024)}\n`
      const requests: string[] = []
      const http = createServer((req: IncomingMessage, res: ServerResponse) => {
        requests.push(`${req.method} ${req.url} HTTP/${req.httpVersion}`)
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) })
        res.end(body)
      })
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject)
        http.listen(0, ctx.host, () => resolve())
      })
      ctx.onCleanup(
        () =>
          new Promise<void>((resolve) => {
            http.closeAllConnections()
            http.close(() => resolve())
          }),
      )
      const address = http.address()
      assert.ok(address !== null && typeof address === 'object')
      const kit = jmpKit(ctx)
      const skt = kit.Socket()
      // A name, as the reference prefers, where the name is the case's loopback address.
      const host = ctx.ipFamily === 4 ? 'localhost' : ctx.host
      assert.deepEqual(await skt.connect(host, address.port), ['connect', 'ok'])
      assert.deepEqual(await skt.send('GET / HTTP/1.0~0d~0a~0d~0a'), ['send', 'ok', ''])
      let text = ''
      for (let i = 0; i < 1_000; i++) {
        const [cmd, st, data] = await skt.recv(4096)
        assert.deepEqual([cmd, st], ['recv', 'ok'])
        if (data === '') break
        text += data
      }
      assert.deepEqual(requests, ['GET / HTTP/1.0'])
      const response = decodeJsl(text).toString('latin1')
      const split = response.indexOf('\r\n\r\n')
      assert.ok(split > 0, 'no end of headers in the response')
      const head = response.slice(0, split)
      assert.match(head, /^HTTP\/1\.[01] 200 OK\r\n/)
      assert.match(head, new RegExp(`\r\ncontent-length: ${Buffer.byteLength(body)}(\r\n|$)`, 'i'))
      assert.equal(response.slice(split + 4), body)
      // Line ends arrive escaped, the way a JSL script sees them.
      assert.ok(text.includes('~0d~0a~0d~0a'))
    },
  },
]
