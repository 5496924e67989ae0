import assert from 'node:assert/strict'
import { isSocketError, type OptionValue, type Socket } from '@polysocket/core'
import type { Case } from '../../case.js'
import { connectedPair, listen, openSocket } from '../../peers/sockets.js'

/**
 * Sets an option and reads it back from the kernel. Options that need a privilege
 * (CAP_NET_ADMIN, CAP_NET_RAW) may instead fail with EPERM, which is the kernel's answer too.
 */
function roundTrip(socket: Socket, level: string, name: string, value: OptionValue, expected = value): void {
  try {
    socket.setOption(level, name, value)
  } catch (error) {
    if (isSocketError(error, 'EPERM')) return
    throw error
  }
  assert.deepEqual(socket.getOption(level, name), expected, `${level}/${name}`)
}

/** The option list, through the typed table, against the kernel. */
export const optionTableCases: readonly Case[] = [
  {
    id: 'posix.options.socket',
    title: 'SOL_SOCKET options round-trip through the kernel with their typed values',
    needs: ['tcp', 'rawOptions'],
    async run(ctx) {
      const { client } = await connectedPair(ctx)
      roundTrip(client, 'SOL_SOCKET', 'SO_PRIORITY', 3)
      roundTrip(client, 'SOL_SOCKET', 'SO_MARK', 42)
      roundTrip(client, 'SOL_SOCKET', 'SO_RCVLOWAT', 16)
      roundTrip(client, 'SOL_SOCKET', 'SO_KEEPALIVE', true)
      roundTrip(client, 'SOL_SOCKET', 'SO_LINGER', { onoff: true, linger: 7 })
      roundTrip(client, 'SOL_SOCKET', 'SO_BINDTODEVICE', 'lo')
      assert.equal(client.getOption('SOL_SOCKET', 'SO_DOMAIN'), ctx.ipFamily === 6 ? 10 : 2)
      assert.equal(client.getOption('SOL_SOCKET', 'SO_PROTOCOL'), 6)
      assert.equal(client.getOption('SOL_SOCKET', 'SO_ACCEPTCONN'), false)
      const { socket: listener } = await listen(ctx)
      assert.equal(listener.getOption('SOL_SOCKET', 'SO_ACCEPTCONN'), true)
    },
  },
  {
    id: 'posix.options.tcp',
    title: 'IPPROTO_TCP options round-trip through the kernel',
    needs: ['tcp', 'rawOptions'],
    async run(ctx) {
      const { client } = await connectedPair(ctx)
      roundTrip(client, 'IPPROTO_TCP', 'TCP_KEEPIDLE', 30)
      roundTrip(client, 'IPPROTO_TCP', 'TCP_KEEPINTVL', 5)
      roundTrip(client, 'IPPROTO_TCP', 'TCP_KEEPCNT', 4)
      roundTrip(client, 'IPPROTO_TCP', 'TCP_USER_TIMEOUT', 1234)
      roundTrip(client, 'IPPROTO_TCP', 'TCP_CORK', true)
      roundTrip(client, 'IPPROTO_TCP', 'TCP_CORK', false)
      roundTrip(client, 'IPPROTO_TCP', 'TCP_CONGESTION', 'reno')
      const mss = client.getOption('IPPROTO_TCP', 'TCP_MAXSEG')
      assert.ok(typeof mss === 'number' && mss > 0, `TCP_MAXSEG ${String(mss)}`)
      client.setOption('IPPROTO_TCP', 'TCP_QUICKACK', true)
      assert.equal(typeof client.getOption('IPPROTO_TCP', 'TCP_QUICKACK'), 'boolean')
      const { socket: listener } = await listen(ctx)
      roundTrip(listener, 'IPPROTO_TCP', 'TCP_FASTOPEN', 5)
    },
  },
  {
    id: 'posix.options.ip',
    title: 'IPPROTO_IP and IPPROTO_IPV6 options, multicast membership included, round-trip',
    needs: ['udp', 'inet6', 'rawOptions'],
    async run(ctx) {
      const v4 = await openSocket(ctx, 'SOCK_DGRAM', 'AF_INET')
      roundTrip(v4, 'IPPROTO_IP', 'IP_TTL', 17)
      roundTrip(v4, 'IPPROTO_IP', 'IP_TOS', 0x10)
      roundTrip(v4, 'IPPROTO_IP', 'IP_MULTICAST_TTL', 3)
      roundTrip(v4, 'IPPROTO_IP', 'IP_MULTICAST_LOOP', false)
      roundTrip(v4, 'IPPROTO_IP', 'IP_MULTICAST_IF', '127.0.0.1')
      // Membership is write-only: joining twice is EADDRINUSE, leaving twice EADDRNOTAVAIL.
      const group = { multiaddr: '239.255.42.99', address: '127.0.0.1' }
      v4.setOption('IPPROTO_IP', 'IP_ADD_MEMBERSHIP', group)
      assert.throws(() => v4.setOption('IPPROTO_IP', 'IP_ADD_MEMBERSHIP', group), { code: 'EADDRINUSE' })
      v4.setOption('IPPROTO_IP', 'IP_DROP_MEMBERSHIP', group)
      assert.throws(() => v4.setOption('IPPROTO_IP', 'IP_DROP_MEMBERSHIP', group), { code: 'EADDRNOTAVAIL' })
      const v6 = await openSocket(ctx, 'SOCK_DGRAM', 'AF_INET6')
      roundTrip(v6, 'IPPROTO_IPV6', 'IPV6_UNICAST_HOPS', 9)
      roundTrip(v6, 'IPPROTO_IPV6', 'IPV6_MULTICAST_HOPS', 2)
      roundTrip(v6, 'IPPROTO_IPV6', 'IPV6_MULTICAST_LOOP', false)
      roundTrip(v6, 'IPPROTO_IPV6', 'IPV6_MULTICAST_IF', 1)
      roundTrip(v6, 'IPPROTO_IPV6', 'IPV6_V6ONLY', true)
    },
  },
]
