import assert from 'node:assert/strict'
import type { Socket } from '@polysocket/core'
import type { Case, CaseContext } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { openSocket } from '../../peers/sockets.js'
import { orSkip, portOf, readLine } from './helpers.js'
import { openLink } from './link.js'
import { startPeer } from './peer.js'
import { PY_ACCEPT_LOG, PY_DATAGRAMS, PY_LINE_ECHO } from './peer-scripts.js'

/** A socket bound to interface `ifname` with SO_BINDTODEVICE (socket(7)), skipping where the backend cannot. */
async function boundToDevice(ctx: CaseContext, type: 'SOCK_STREAM' | 'SOCK_DGRAM', ifname: string): Promise<Socket> {
  const socket = await openSocket(ctx, type)
  await orSkip(ctx, 'bind a socket to an interface (SO_BINDTODEVICE)', () =>
    socket.setOption('SOL_SOCKET', 'SO_BINDTODEVICE', ifname),
  )
  assert.equal(socket.getOption('SOL_SOCKET', 'SO_BINDTODEVICE'), ifname)
  return socket
}

/** SO_BINDTODEVICE decides the interface a socket's traffic leaves by. */
export const linkBindToDeviceCases: readonly Case[] = [
  {
    id: 'link.bindtodevice.veth',
    title:
      'SO_BINDTODEVICE to the veth: a send to an address without a route (IPv4), or a connect to a link-local address without scope id (IPv6), leaves by the veth and reaches the peer',
    needs: ['udp', 'tcp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      if (ctx.ipFamily === 4) {
        const bound = await boundToDevice(ctx, 'SOCK_DGRAM', link.ifname)
        const peer = await startPeer(ctx, link, PY_DATAGRAMS, [1])
        const target = link.at(Number(await peer.expect('PORT')), link.v4.offLink)
        const plain = await openSocket(ctx, 'SOCK_DGRAM')
        await expectSocketError(plain.send('no route', { to: target }), ['ENETUNREACH'], 'the same send, unbound')
        // ip(7) routing: with no route and a bound device, the kernel takes the destination as on-link there.
        assert.equal(await bound.send('via veth', { to: target }), 8)
        assert.equal(await peer.expect('GOT'), `8 ${link.v4.ours} ${link.v4.offLink} via_veth`)
        await peer.success()
        return
      }
      const bound = await boundToDevice(ctx, 'SOCK_STREAM', link.ifname)
      const peer = await startPeer(ctx, link, PY_LINE_ECHO, [1])
      // ipv6(7): a link-local address needs an interface, from sin6_scope_id or the bound device.
      const target = { ...link.at(Number(await peer.expect('PORT')), link.linkLocal.peer), scopeId: 0 }
      const plain = await openSocket(ctx, 'SOCK_STREAM')
      await expectSocketError(plain.connect(target, { timeoutMs: 3000 }), ['EINVAL'], 'the same connect, unbound')
      await bound.connect(target, { timeoutMs: 3000 })
      assert.equal(await peer.expect('CLIENT'), `${link.linkLocal.ours} ${portOf(bound.localAddress())}`)
      await bound.send('hello\n')
      assert.equal(await readLine(bound), 'py:hello')
    },
  },
  {
    id: 'link.bindtodevice.lo',
    title: 'SO_BINDTODEVICE to lo: the peer, reachable otherwise, is not reached',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      const bound = await boundToDevice(ctx, 'SOCK_STREAM', 'lo')
      const peer = await startPeer(ctx, link, PY_ACCEPT_LOG, [1])
      const target = link.at(Number(await peer.expect('PORT')), link.ip.peer)
      // IPv4 takes the peer as on-link on lo and its SYNs die there (ETIMEDOUT); IPv6 has no route (ENETUNREACH).
      await expectSocketError(
        bound.connect(target, { timeoutMs: 500 }),
        ['ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH'],
        'connect bound to lo',
      )
      const plain = await openSocket(ctx, 'SOCK_STREAM')
      await plain.connect(target, { timeoutMs: 3000 })
      assert.equal(
        await peer.expect('ACCEPTED'),
        String(portOf(plain.localAddress())),
        'the first connection the peer accepted is the unbound one',
      )
    },
  },
]
