import assert from 'node:assert/strict'
import type { Socket } from '@polysocket/core'
import type { Case } from '../../case.js'
import { readExactly, sendAll } from '../../peers/io.js'
import { closedPort, connectedPair, endpoint, listen, openSocket, own, portOf } from '../../peers/sockets.js'

/** TCP basics: echo, ephemeral ports, and both ends agreeing on their addresses. */
export const tcpBasicCases: readonly Case[] = [
  {
    id: 'tcp.echo',
    title: 'a message sent by a TCP client comes back from the server unchanged',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const message = Buffer.from('hello, polysocket \u{1f50c}\n')
      await sendAll(client, message)
      const got = await readExactly(server, message.length)
      assert.deepEqual(got, message)
      await sendAll(server, got)
      assert.deepEqual(await readExactly(client, message.length), message)
    },
  },
  {
    id: 'tcp.bind.ephemeral',
    title: 'binding port 0 gives an ephemeral port, seen by localAddress()',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const a = await listen(ctx)
      const b = await listen(ctx)
      const inet = ctx.ipFamily === 6 ? 'inet6' : 'inet'
      for (const l of [a, b]) {
        assert.equal(l.address.family, inet)
        assert.equal(endpoint(l.address).address, ctx.host)
        assert.ok(portOf(l.address) > 0 && portOf(l.address) <= 65535, `port ${portOf(l.address)}`)
      }
      assert.notEqual(portOf(a.address), portOf(b.address), 'two listeners got the same ephemeral port')
      assert.deepEqual(a.socket.localAddress(), a.address, 'localAddress() changed between calls')
    },
  },
  {
    id: 'tcp.address.peer',
    title: "the accepted socket's peer address equals the client's local address and accept()'s address",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server, listener, acceptedFrom } = await connectedPair(ctx)
      const clientLocal = endpoint(client.localAddress())
      assert.ok((clientLocal.port ?? 0) > 0, 'the client got no local port')
      assert.deepEqual(endpoint(server.remoteAddress()), clientLocal)
      assert.deepEqual(endpoint(acceptedFrom), clientLocal)
      assert.deepEqual(endpoint(client.remoteAddress()), endpoint(listener.address))
      assert.deepEqual(endpoint(server.localAddress()), endpoint(listener.address))
    },
  },
  {
    id: 'tcp.connect.bound',
    title: 'a client bound to a chosen port before connect() connects from that port',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      const port = await closedPort(ctx)
      const client = await openSocket(ctx, 'SOCK_STREAM')
      await client.bind(ctx.addr(port))
      const accepting = listener.socket.accept({ signal: ctx.signal })
      await client.connect(listener.address, { signal: ctx.signal })
      const accepted = own(ctx, (await accepting).socket)
      assert.equal(portOf(client.localAddress()), port)
      assert.equal(portOf(accepted.remoteAddress()), port)
    },
  },
  {
    id: 'tcp.accept.queue',
    title: 'connections made before accept() wait in the queue and are accepted one by one',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      const clients: Socket[] = []
      for (let i = 0; i < 3; i++) {
        const client = await openSocket(ctx, 'SOCK_STREAM')
        await client.connect(listener.address, { signal: ctx.signal })
        await client.send(`client ${i}`)
        clients.push(client)
      }
      const ports = new Set(clients.map((c) => portOf(c.localAddress())))
      for (let i = 0; i < 3; i++) {
        const accepted = await listener.socket.accept({ signal: ctx.signal })
        own(ctx, accepted.socket)
        const port = portOf(accepted.address)
        assert.ok(ports.delete(port), `accepted an unknown or repeated peer port ${port}`)
        const index = clients.findIndex((c) => portOf(c.localAddress()) === port)
        assert.equal((await readExactly(accepted.socket, 8)).toString(), `client ${index}`)
      }
      assert.equal(ports.size, 0)
    },
  },
]
