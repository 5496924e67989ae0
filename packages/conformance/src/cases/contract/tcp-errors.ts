import assert from 'node:assert/strict'
import { SocketError } from '@polysocket/core'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { closedPort, connectedPair, listen, openSocket } from '../../peers/sockets.js'
import { delay } from '../../peers/time.js'

/** Documentation addresses (RFC 5737, RFC 3849): never local, so binding them must fail. */
const NOT_LOCAL = { 4: '192.0.2.1', 6: '2001:db8::1' } as const

/** TCP network conditions that must come back as SocketErrors with the kernel's errno names. */
export const tcpErrorCases: readonly Case[] = [
  {
    id: 'tcp.connect.refused',
    title: 'connecting to a port nobody listens on fails with ECONNREFUSED',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const port = await closedPort(ctx)
      const client = await openSocket(ctx, 'SOCK_STREAM')
      const error = await expectSocketError(client.connect(ctx.addr(port)), ['ECONNREFUSED'], 'connect')
      assert.equal(error.errno, 111, 'errno of ECONNREFUSED on Linux')
      assert.equal(error.syscall, 'connect')
      assert.equal(client.closed, false, 'a failed connect must not close the socket')
    },
  },
  {
    id: 'tcp.bind.addrinuse',
    title: 'binding (and listening on) a port a listener holds fails with EADDRINUSE',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const holder = await listen(ctx)
      const second = await openSocket(ctx, 'SOCK_STREAM')
      // Where the backend cannot bind without listening (no exactBind), the error comes at listen().
      await expectSocketError(
        async () => {
          await second.bind(holder.address)
          await second.listen(1)
        },
        ['EADDRINUSE'],
        'bind + listen on a held port',
      )
      // The holder is unharmed: it still accepts.
      const client = await openSocket(ctx, 'SOCK_STREAM')
      const accepting = holder.socket.accept({ signal: ctx.signal })
      await client.connect(holder.address, { signal: ctx.signal })
      await (await accepting).socket.close()
    },
  },
  {
    id: 'tcp.bind.addrnotavail',
    title: 'binding an address that is not local fails with EADDRNOTAVAIL (bind only, nothing sent)',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      const address = NOT_LOCAL[ctx.ipFamily]
      const target =
        ctx.ipFamily === 6
          ? { family: 'inet6' as const, address, port: 0 }
          : { family: 'inet' as const, address, port: 0 }
      await expectSocketError(
        async () => {
          await socket.bind(target)
          await socket.listen(1)
        },
        ['EADDRNOTAVAIL'],
        `bind ${address}`,
      )
    },
  },
  {
    id: 'tcp.send.closedpeer',
    title: 'sending to a peer that closed fails with EPIPE or ECONNRESET, and the process lives on',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      await server.close()
      assert.equal((await client.recv(16)).data.length, 0, 'the peer closed: EOF expected first')
      // The first send is usually accepted (the peer answers it with RST); a later one must fail.
      let failure: unknown
      for (let i = 0; i < 200 && failure === undefined; i++) {
        try {
          await client.send(Buffer.alloc(1024, i))
          await delay(5)
        } catch (error) {
          failure = error
        }
      }
      await expectSocketError(
        Promise.reject(failure ?? new Error('200 sends all succeeded')),
        ['EPIPE', 'ECONNRESET'],
        'send',
      )
      await expectSocketError(client.send('again'), ['EPIPE', 'ECONNRESET'], 'a second send after the failure')
      assert.equal(client.closed, false)
      await client.close()
    },
  },
  {
    id: 'tcp.unconnected',
    title: 'recv, remoteAddress and shutdown on a TCP socket that never connected fail with ENOTCONN',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      await expectSocketError(socket.recv(1), ['ENOTCONN'], 'recv')
      await expectSocketError(() => socket.remoteAddress(), ['ENOTCONN'], 'remoteAddress')
      await expectSocketError(socket.shutdown('SHUT_WR'), ['ENOTCONN'], 'shutdown')
      // Linux answers send(2) on a never-connected TCP socket with EPIPE.
      await expectSocketError(socket.send('x'), ['EPIPE', 'ENOTCONN'], 'send')
    },
  },
  {
    id: 'tcp.connect.isconn',
    title: 'connecting a connected TCP socket again fails with EISCONN',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, listener } = await connectedPair(ctx)
      const error = await expectSocketError(client.connect(listener.address), ['EISCONN'], 'second connect')
      assert.ok(error instanceof SocketError)
      // The first connection is unharmed.
      assert.equal(client.closed, false)
      assert.equal(client.remoteAddress().family, listener.address.family)
    },
  },
]
