import assert from 'node:assert/strict'
import type { OptionValue } from '@polysocket/core'
import type { Case, CaseContext } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { openSocket } from '../../peers/sockets.js'
import { orSkip, portOf, wildcard } from './helpers.js'
import { type Link, openLink } from './link.js'
import { startPeer } from './peer.js'
import { PY_GROUP_MEMBER, PY_GROUP_SENDER } from './peer-scripts.js'

/** IP_ADD_MEMBERSHIP's value for the case's family, on our end of the link (ip(7), ipv6(7)). */
function membership(ctx: CaseContext, link: Link): readonly [string, string, OptionValue] {
  return ctx.ipFamily === 6
    ? ['IPPROTO_IPV6', 'IPV6_ADD_MEMBERSHIP', { multiaddr: link.v6.group, ifindex: link.ifindex }]
    : ['IPPROTO_IP', 'IP_ADD_MEMBERSHIP', { multiaddr: link.v4.group, address: link.v4.ours }]
}

/** Multicast across the link, both ways. */
export const linkMulticastCases: readonly Case[] = [
  {
    id: 'link.multicast.membership',
    title: "a UDP socket that joined a group on the veth receives the peer's group datagrams, and none once it left",
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      const socket = await openSocket(ctx, 'SOCK_DGRAM')
      await socket.bind(wildcard(ctx))
      const port = portOf(socket.localAddress())
      socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 3000)
      const [level, join, request] = membership(ctx, link)
      const leave = join.replace('ADD', 'DROP')
      await orSkip(ctx, `join a group (${join})`, () => socket.setOption(level, join, request))
      const peer = await startPeer(ctx, link, PY_GROUP_SENDER, [link.ip.group, port, link.ip.ours])
      await peer.expect('READY')

      peer.tell('group first')
      assert.equal(await peer.expect('SENT'), 'first')
      const first = await socket.recv(100)
      assert.equal(first.data.toString(), 'first')
      assert.ok(first.from && first.from.family !== 'unix', 'the datagram has a source')
      const sources = ctx.ipFamily === 6 ? [link.linkLocal.peer, link.v6.peer] : [link.v4.peer]
      assert.ok(sources.includes(first.from.address), `from the peer, not ${first.from.address}`)

      await orSkip(ctx, `leave a group (${leave})`, () => socket.setOption(level, leave, request))
      // The link keeps order: had the group datagram been delivered, it would come before the unicast one.
      peer.tell('group second')
      peer.tell('unicast third')
      assert.equal(await peer.expect('SENT'), 'second')
      assert.equal(await peer.expect('SENT'), 'third')
      const next = await socket.recv(100)
      assert.equal(next.data.toString(), 'third', 'after leaving, the group datagram is not delivered')
      socket.setNonBlocking(true)
      await expectSocketError(socket.recv(100), ['EAGAIN', 'EWOULDBLOCK'], 'nothing else is queued')
    },
  },
  {
    id: 'link.multicast.send',
    title:
      'group datagrams leave by the interface IP_MULTICAST_IF / IPV6_MULTICAST_IF names, with the IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS set',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      const v6 = ctx.ipFamily === 6
      const level = v6 ? 'IPPROTO_IPV6' : 'IPPROTO_IP'
      const ifOption = v6 ? 'IPV6_MULTICAST_IF' : 'IP_MULTICAST_IF'
      const hopsOption = v6 ? 'IPV6_MULTICAST_HOPS' : 'IP_MULTICAST_TTL'
      const socket = await openSocket(ctx, 'SOCK_DGRAM')
      await socket.bind(link.at(0))
      const iface = v6 ? link.ifindex : link.v4.ours
      await orSkip(ctx, `choose the multicast interface (${ifOption})`, () => socket.setOption(level, ifOption, iface))
      assert.equal(socket.getOption(level, ifOption), iface)
      const peer = await startPeer(ctx, link, PY_GROUP_MEMBER, [link.ip.group, 2])
      const group = link.at(Number(await peer.expect('PORT')), link.ip.group)
      for (const hops of [3, 9]) {
        socket.setOption(level, hopsOption, hops)
        assert.equal(socket.getOption(level, hopsOption), hops)
        await socket.send(`hops${hops}`, { to: group })
        const source = v6 ? link.v6.ours : link.v4.ours
        assert.equal(await peer.expect('GOT'), `hops${hops} ${hops} ${source}`, 'text, TTL and source the peer saw')
      }
      await peer.success()

      // This namespace has no route for the group: without the option, nothing could have left.
      // (Unbound: a source address of the veth would choose it too, ip(7) IP_MULTICAST_IF.)
      const unset = await openSocket(ctx, 'SOCK_DGRAM')
      await expectSocketError(unset.send('lost', { to: group }), ['ENETUNREACH'], 'a group send without an interface')
    },
  },
]
