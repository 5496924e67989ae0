import assert from 'node:assert/strict'
import type { OptionValue, Socket } from '@polysocket/core'
import type { Case, CaseContext } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { connectedPair, openSocket } from '../../peers/sockets.js'

/** Sets each value in turn and reads it back. */
function roundTrip(socket: Socket, level: string, name: string, values: readonly OptionValue[]): void {
  for (const value of values) {
    socket.setOption(level, name, value)
    assert.deepEqual(socket.getOption(level, name), value, `${name}: set ${String(value)}, read back`)
  }
}

/** A UDP socket of `family` bound to its loopback address, as Node's dgram options need. */
async function boundUdp(ctx: CaseContext, family: 'AF_INET' | 'AF_INET6' = ctx.family): Promise<Socket> {
  const socket = await openSocket(ctx, 'SOCK_DGRAM', family)
  await socket.bind(family === 'AF_INET6' ? { family: 'inet6', address: '::1', port: 0 } : ctx.addr(0))
  return socket
}

/** Socket option round trips (set, then get) for the options every backend maps. */
export const optionCases: readonly Case[] = [
  {
    id: 'options.timeout.timeval',
    title: 'SO_RCVTIMEO takes a timeval too: usec out of 0–999,999 is EDOM (socket(7)), a negative sec no timeout',
    needs: ['udp'],
    async run(ctx) {
      const s = await openSocket(ctx, 'SOCK_DGRAM', 'AF_INET')
      s.setOption('SOL_SOCKET', 'SO_RCVTIMEO', { sec: 1, usec: 500_000 })
      assert.equal(s.getOption('SOL_SOCKET', 'SO_RCVTIMEO'), 1500)
      await expectSocketError(
        async () => s.setOption('SOL_SOCKET', 'SO_RCVTIMEO', { sec: 0, usec: 1_000_000 }),
        ['EDOM'],
        'usec too large',
      )
      assert.equal(s.getOption('SOL_SOCKET', 'SO_RCVTIMEO'), 1500, 'a refused value changes nothing')
      s.setOption('SOL_SOCKET', 'SO_SNDTIMEO', { sec: -1, usec: 0 })
      assert.equal(s.getOption('SOL_SOCKET', 'SO_SNDTIMEO'), 0)
    },
  },
  {
    id: 'options.timeout.on_fd',
    title: 'the fd carries SO_RCVTIMEO: a socket adopted from a passed copy of it waits as long',
    needs: ['udp', 'fd', 'socketpair', 'ancillaryRights', 'scatterGather'],
    async run(ctx) {
      const s = await openSocket(ctx, 'SOCK_DGRAM', 'AF_INET')
      s.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 1500)
      const [a, b] = await ctx.backend.socketpair('AF_UNIX', 'SOCK_DGRAM')
      ctx.onCleanup(() => a.close())
      ctx.onCleanup(() => b.close())
      await a.sendmsg(['x'], { control: [{ type: 'SCM_RIGHTS', fds: [s.fd] }] })
      const got = await b.recvmsg({ sizes: [4], controlSize: 64, signal: ctx.signal })
      const fd = got.control.flatMap((m) => (m.type === 'SCM_RIGHTS' ? m.fds : []))[0]
      assert.ok(fd !== undefined, 'an fd arrived')
      const copy = await ctx.backend.adopt(fd)
      ctx.onCleanup(() => copy.close())
      assert.equal(copy.getOption('SOL_SOCKET', 'SO_RCVTIMEO'), 1500)
    },
  },
  {
    id: 'options.so_keepalive',
    title: 'SO_KEEPALIVE on a connected TCP socket reads back what was set',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client } = await connectedPair(ctx)
      roundTrip(client, 'SOL_SOCKET', 'SO_KEEPALIVE', [true, false, true])
    },
  },
  {
    id: 'options.tcp_nodelay',
    title: 'TCP_NODELAY on a connected TCP socket reads back what was set',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client } = await connectedPair(ctx)
      roundTrip(client, 'IPPROTO_TCP', 'TCP_NODELAY', [true, false, true])
    },
  },
  {
    id: 'options.so_broadcast',
    title: 'SO_BROADCAST on a UDP socket reads back what was set',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      roundTrip(await boundUdp(ctx), 'SOL_SOCKET', 'SO_BROADCAST', [true, false])
    },
  },
  {
    id: 'options.ip_ttl',
    title: 'IP_TTL on an IPv4 UDP socket reads back what was set',
    needs: ['udp'],
    async run(ctx) {
      roundTrip(await boundUdp(ctx, 'AF_INET'), 'IPPROTO_IP', 'IP_TTL', [1, 64, 200])
    },
  },
  {
    id: 'options.ip_multicast_ttl',
    title: 'IP_MULTICAST_TTL on an IPv4 UDP socket reads back what was set',
    needs: ['udp'],
    async run(ctx) {
      roundTrip(await boundUdp(ctx, 'AF_INET'), 'IPPROTO_IP', 'IP_MULTICAST_TTL', [8, 1])
    },
  },
  {
    id: 'options.ip_multicast_loop',
    title: 'IP_MULTICAST_LOOP on an IPv4 UDP socket reads back what was set',
    needs: ['udp'],
    async run(ctx) {
      roundTrip(await boundUdp(ctx, 'AF_INET'), 'IPPROTO_IP', 'IP_MULTICAST_LOOP', [false, true])
    },
  },
  {
    id: 'options.ipv6_hops',
    title: 'IPV6_UNICAST_HOPS, IPV6_MULTICAST_HOPS and IPV6_MULTICAST_LOOP on an IPv6 UDP socket read back',
    needs: ['udp', 'inet6'],
    async run(ctx) {
      const socket = await boundUdp(ctx, 'AF_INET6')
      roundTrip(socket, 'IPPROTO_IPV6', 'IPV6_UNICAST_HOPS', [1, 64])
      roundTrip(socket, 'IPPROTO_IPV6', 'IPV6_MULTICAST_HOPS', [5, 1])
      roundTrip(socket, 'IPPROTO_IPV6', 'IPV6_MULTICAST_LOOP', [false, true])
    },
  },
  {
    id: 'options.ipv6_v6only',
    title: 'IPV6_V6ONLY on unbound IPv6 TCP and UDP sockets reads back what was set',
    needs: ['tcp', 'udp', 'inet6'],
    async run(ctx) {
      for (const type of ['SOCK_STREAM', 'SOCK_DGRAM'] as const) {
        roundTrip(await openSocket(ctx, type, 'AF_INET6'), 'IPPROTO_IPV6', 'IPV6_V6ONLY', [true, false])
      }
    },
  },
  {
    id: 'options.so_buffers',
    title: 'SO_RCVBUF and SO_SNDBUF read back at least half of what was set, and follow it down and up',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const socket = await boundUdp(ctx)
      for (const name of ['SO_RCVBUF', 'SO_SNDBUF']) {
        // Linux doubles the value set and enforces a minimum; a small then a large value must
        // read back within those bounds, which no default (about 200 KiB) satisfies both times.
        socket.setOption('SOL_SOCKET', name, 8192)
        const small = socket.getOption('SOL_SOCKET', name)
        assert.equal(typeof small, 'number', `${name} is a number`)
        assert.ok((small as number) >= 4096 && (small as number) <= 32768, `${name}: set 8192, read ${String(small)}`)
        socket.setOption('SOL_SOCKET', name, 65536)
        const large = socket.getOption('SOL_SOCKET', name) as number
        assert.ok(large >= 32768, `${name}: set 65536, read ${String(large)}`)
      }
    },
  },
  {
    id: 'options.so_timeouts',
    title: 'SO_RCVTIMEO and SO_SNDTIMEO read back in milliseconds, fractions kept, 0 meaning none',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      assert.equal(socket.getOption('SOL_SOCKET', 'SO_RCVTIMEO'), 0, 'no receive timeout by default')
      roundTrip(socket, 'SOL_SOCKET', 'SO_RCVTIMEO', [1500, 2.5, 0])
      roundTrip(socket, 'SOL_SOCKET', 'SO_SNDTIMEO', [250, 0])
    },
  },
  {
    id: 'options.so_reuseaddr',
    title: 'SO_REUSEADDR on UDP reads back, and lets two sockets that both set it bind one port',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const [a, b] = [await openSocket(ctx, 'SOCK_DGRAM'), await openSocket(ctx, 'SOCK_DGRAM')]
      roundTrip(a, 'SOL_SOCKET', 'SO_REUSEADDR', [false, true])
      b.setOption('SOL_SOCKET', 'SO_REUSEADDR', true)
      await a.bind(ctx.addr(0))
      await b.bind(a.localAddress())
      assert.deepEqual(b.localAddress(), a.localAddress())
    },
  },
  {
    id: 'options.so_type',
    title: 'SO_TYPE reads back the socket type (Linux numbers: 1 stream, 2 datagram) and cannot be set',
    needs: ['tcp', 'udp'],
    ip: true,
    async run(ctx) {
      const stream = await openSocket(ctx, 'SOCK_STREAM')
      const dgram = await openSocket(ctx, 'SOCK_DGRAM')
      assert.equal(stream.getOption('SOL_SOCKET', 'SO_TYPE'), 1)
      assert.equal(dgram.getOption('SOL_SOCKET', 'SO_TYPE'), 2)
      await expectSocketError(() => stream.setOption('SOL_SOCKET', 'SO_TYPE', 2), ['ENOPROTOOPT'], 'set SO_TYPE')
    },
  },
]
