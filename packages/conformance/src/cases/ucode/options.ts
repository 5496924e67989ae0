import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { assertError, tcpPair, ucodeKit, udpSocket } from './helpers.js'

// getopt / setopt: ucode's numbers and value shapes (ucode lib/socket.c, uc_socket_inst_getopt
// and uc_socket_inst_setopt).

export const ucodeOptionCases: readonly Case[] = [
  {
    id: 'ucode.opt.bool',
    title: 'boolean options: setopt takes booleans, numbers and numeric strings; getopt gives true/false',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client } = await tcpPair(ctx, kit)
      const { SOL_SOCKET, SO_KEEPALIVE, IPPROTO_TCP, TCP_NODELAY } = socket
      assert.equal(client.setopt(SOL_SOCKET, SO_KEEPALIVE, true), true)
      assert.equal(client.getopt(SOL_SOCKET, SO_KEEPALIVE), true)
      assert.equal(client.setopt(SOL_SOCKET, SO_KEEPALIVE, 0), true)
      assert.equal(client.getopt(SOL_SOCKET, SO_KEEPALIVE), false)
      assert.equal(client.setopt(IPPROTO_TCP, TCP_NODELAY, '1'), true)
      assert.equal(client.getopt(IPPROTO_TCP, TCP_NODELAY), true)
      assert.equal(client.setopt(IPPROTO_TCP, TCP_NODELAY, 2.5), true)
      assert.equal(client.getopt(IPPROTO_TCP, TCP_NODELAY), true)
      assertError(
        kit,
        client.setopt(SOL_SOCKET, SO_KEEPALIVE, 'yes'),
        'Unable to convert value to boolean: Invalid argument',
        22,
      )
      assertError(
        kit,
        client.setopt(SOL_SOCKET, SO_KEEPALIVE, {}),
        'Unable to convert value to boolean: Invalid argument',
        22,
      )
      assertError(
        kit,
        client.setopt(SOL_SOCKET, SO_KEEPALIVE, -1),
        'Unable to convert value to boolean: Numerical result out of range',
        34,
      )
      assertError(
        kit,
        client.setopt(SOL_SOCKET, SO_KEEPALIVE, null),
        'Argument value is required: Invalid argument',
        22,
      )
    },
  },
  {
    id: 'ucode.opt.readonly',
    title: 'SO_TYPE/SO_ERROR read as integers; SO_ERROR is read only; SO_DETACH_FILTER is write only',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client } = await tcpPair(ctx, kit)
      const { sock: udp } = await udpSocket(ctx, kit)
      assert.equal(client.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_STREAM)
      assert.equal(udp.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_DGRAM)
      assert.equal(client.getopt(socket.SOL_SOCKET, socket.SO_ERROR), 0)
      assertError(
        kit,
        client.setopt(socket.SOL_SOCKET, socket.SO_ERROR, 0),
        'Socket option is read only: Operation not supported',
        95,
      )
      assertError(
        kit,
        client.getopt(socket.SOL_SOCKET, socket.SO_DETACH_FILTER),
        'Socket option is write only: Operation not supported',
        95,
      )
      assertError(kit, client.setopt(socket.SOL_SOCKET, socket.SO_TYPE, 2), 'setsockopt(): Protocol not available', 92)
    },
  },
  {
    id: 'ucode.opt.unknown',
    title: 'a level/option pair ucode does not know fails with Unknown socket level or option; mistyped numbers too',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const sock = kit.track(await socket.create())
      assertError(kit, sock.getopt(socket.SOL_SOCKET, 9999), 'Unknown socket level or option: Invalid argument', 22)
      assertError(kit, sock.setopt(12345, 1, 1), 'Unknown socket level or option: Invalid argument', 22)
      assertError(kit, sock.getopt('1', 2), 'Argument level is not an integer value: Invalid argument', 22)
      assertError(kit, sock.getopt(1), 'Argument option is required: Invalid argument', 22)
      assertError(kit, sock.setopt(1, 2.5, true), 'Argument option is not an integer value: Invalid argument', 22)
    },
  },
  {
    id: 'ucode.opt.timeval',
    title: 'SO_RCVTIMEO takes and gives {sec, usec}; a blocking recv() then fails with EAGAIN after the timeout',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock } = await udpSocket(ctx, kit)
      assert.equal(sock.setopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, { sec: 0, usec: 200000 }), true)
      assert.deepEqual(sock.getopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO), { sec: 0, usec: 200000 })
      const started = performance.now()
      assertError(kit, await sock.recv(), 'recv(): Resource temporarily unavailable', 11)
      const elapsed = performance.now() - started
      assert.ok(elapsed >= 150 && elapsed < 5000, `recv waited ${elapsed} ms`)
      assert.equal(sock.setopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, { sec: 2 }), true)
      assert.deepEqual(sock.getopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO), { sec: 2, usec: 0 })
    },
  },
  {
    id: 'ucode.opt.timeval-range',
    title: "a timeval whose usec is out of range is the kernel's EDOM; a negative sec means no timeout",
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock } = await udpSocket(ctx, kit)
      const { SOL_SOCKET, SO_RCVTIMEO } = socket
      assertError(
        kit,
        sock.setopt(SOL_SOCKET, SO_RCVTIMEO, { sec: 1, usec: 1000000 }),
        'setsockopt(): Numerical argument out of domain',
        33,
      )
      assertError(
        kit,
        sock.setopt(SOL_SOCKET, SO_RCVTIMEO, { sec: 0, usec: -1 }),
        'setsockopt(): Numerical argument out of domain',
        33,
      )
      assert.equal(sock.setopt(SOL_SOCKET, SO_RCVTIMEO, { sec: -5, usec: 0 }), true)
      assert.deepEqual(sock.getopt(SOL_SOCKET, SO_RCVTIMEO), { sec: 0, usec: 0 })
    },
  },
  {
    id: 'ucode.opt.linger',
    title: 'SO_LINGER takes and gives {onoff, linger}',
    needs: ['tcp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client } = await tcpPair(ctx, kit)
      assert.deepEqual(client.getopt(socket.SOL_SOCKET, socket.SO_LINGER), { onoff: 0, linger: 0 })
      assert.equal(client.setopt(socket.SOL_SOCKET, socket.SO_LINGER, { onoff: 1, linger: 0 }), true)
      assert.deepEqual(client.getopt(socket.SOL_SOCKET, socket.SO_LINGER), { onoff: 1, linger: 0 })
      assertError(
        kit,
        client.setopt(socket.SOL_SOCKET, socket.SO_LINGER, { onoff: 'on' }),
        'Unable to convert field onoff to integer: Invalid argument',
        22,
      )
    },
  },
  {
    id: 'ucode.opt.multicast',
    title: 'IPv4 multicast options: TTL and loop as integer and boolean, memberships as {multiaddr, address, ifindex}',
    needs: ['udp'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock } = await udpSocket(ctx, kit)
      const { IPPROTO_IP } = socket
      assert.equal(sock.setopt(IPPROTO_IP, socket.IP_MULTICAST_TTL, 5), true)
      assert.equal(sock.getopt(IPPROTO_IP, socket.IP_MULTICAST_TTL), 5)
      assert.equal(sock.setopt(IPPROTO_IP, socket.IP_MULTICAST_LOOP, false), true)
      assert.equal(sock.getopt(IPPROTO_IP, socket.IP_MULTICAST_LOOP), false)
      assert.deepEqual(sock.getopt(IPPROTO_IP, socket.IP_MULTICAST_IF), {
        multiaddr: '0.0.0.0',
        address: '0.0.0.0',
        ifindex: 0,
      })
      const group = { multiaddr: '239.255.10.20', address: '127.0.0.1' }
      assert.equal(sock.setopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, group), true, String(socket.error()))
      assert.equal(sock.setopt(IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, group), true, String(socket.error()))
      assertError(
        kit,
        sock.setopt(IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, { multiaddr: 'nope' }),
        'Unable to convert field multiaddr to IP address: Invalid argument',
        22,
      )
      assert.equal(sock.setopt(socket.SOL_SOCKET, socket.SO_BROADCAST, true), true)
      assert.equal(sock.getopt(socket.SOL_SOCKET, socket.SO_BROADCAST), true)
    },
  },
  {
    id: 'ucode.opt.raw',
    title: 'options the contract does not type (SO_RCVBUF, IP_TTL, TCP_INFO, TCP_CONGESTION) read and write',
    needs: ['tcp', 'rawOptions'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client } = await tcpPair(ctx, kit)
      assert.equal(client.setopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536), true)
      const rcvbuf = client.getopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
      assert.ok(typeof rcvbuf === 'number' && rcvbuf >= 65536, `SO_RCVBUF ${String(rcvbuf)}`)
      assert.equal(client.setopt(socket.IPPROTO_IP, socket.IP_TTL, 33), true)
      assert.equal(client.getopt(socket.IPPROTO_IP, socket.IP_TTL), 33)
      const info = client.getopt(socket.IPPROTO_TCP, socket.TCP_INFO) as Record<string, number> | null
      assert.ok(info, String(socket.error()))
      assert.equal(info.state, 1, 'TCP_ESTABLISHED')
      assert.equal(Object.keys(info).length, 32)
      const congestion = client.getopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION)
      assert.equal(typeof congestion, 'string')
      assert.match(String(congestion), /^[a-z]/)
    },
  },
]
