import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { openSocket } from '../../peers/sockets.js'
import { openLink } from './link.js'
import { startPeer } from './peer.js'
import { PY_DATAGRAMS } from './peer-scripts.js'

/** IPv4 broadcast on the link (IPv6 has none). */
export const linkBroadcastCases: readonly Case[] = [
  {
    id: 'link.broadcast',
    title: "a send to the link's broadcast address fails with EACCES without SO_BROADCAST and reaches the peer with it",
    needs: ['udp'],
    async run(ctx) {
      const link = await openLink(ctx)
      const peer = await startPeer(ctx, link, PY_DATAGRAMS, [1])
      const broadcast = link.at(Number(await peer.expect('PORT')), link.v4.broadcast)
      const socket = await openSocket(ctx, 'SOCK_DGRAM')
      await socket.bind(link.at(0))
      assert.equal(socket.getOption('SOL_SOCKET', 'SO_BROADCAST'), false)
      // ip(7): "Datagrams to broadcast addresses can only be sent or received when SO_BROADCAST is set."
      await expectSocketError(socket.send('refused', { to: broadcast }), ['EACCES'], 'broadcast without SO_BROADCAST')
      socket.setOption('SOL_SOCKET', 'SO_BROADCAST', true)
      assert.equal(socket.getOption('SOL_SOCKET', 'SO_BROADCAST'), true)
      assert.equal(await socket.send('to all', { to: broadcast }), 6)
      assert.equal(
        await peer.expect('GOT'),
        `6 ${link.v4.ours} ${link.v4.broadcast} to_all`,
        'length, source and destination the peer saw',
      )
      await peer.success()
    },
  },
]
