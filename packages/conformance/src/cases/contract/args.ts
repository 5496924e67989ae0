import assert from 'node:assert/strict'
import type { Inet6Address, InetAddress, SocketAddress } from '@polysocket/core'
import type { Case } from '../../case.js'
import { expectArgError, expectSocketError } from '../../peers/errors.js'
import { openSocket } from '../../peers/sockets.js'

/** Smuggles a wrongly typed argument past TypeScript, as a JavaScript caller would pass it. */
const bad = <T>(value: unknown): T => value as T

/**
 * Programmer mistakes at the contract: TypeError / RangeError naming the argument, thrown
 * before anything reaches the OS, and the socket still usable afterwards.
 */
export const argCases: readonly Case[] = [
  {
    id: 'lifecycle.args.maxbytes',
    title: 'recv with maxBytes -1, NaN, 1.5 or a string fails with RangeError / TypeError naming maxBytes',
    needs: ['tcp'],
    async run(ctx) {
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      await expectArgError(() => socket.recv(-1), RangeError, 'maxBytes', 'recv(-1)')
      await expectArgError(() => socket.recv(Number.NaN), RangeError, 'maxBytes', 'recv(NaN)')
      await expectArgError(() => socket.recv(1.5), RangeError, 'maxBytes', 'recv(1.5)')
      await expectArgError(() => socket.recv(bad('5')), TypeError, 'maxBytes', "recv('5')")
      assert.equal(socket.closed, false, 'a bad argument leaves the socket open')
    },
  },
  {
    id: 'lifecycle.args.address',
    title: 'port 70000, a port string or a malformed address fails with RangeError / TypeError naming it',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      const base = ctx.addr(0) as InetAddress | Inet6Address
      await expectArgError(() => socket.bind({ ...base, port: 70000 }), RangeError, 'port', 'bind port 70000')
      await expectArgError(() => socket.connect({ ...base, port: -1 }), RangeError, 'port', 'connect port -1')
      await expectArgError(() => socket.bind(bad({ ...base, port: '80' })), TypeError, 'port', "bind port '80'")
      await expectArgError(
        () => socket.connect({ ...base, address: 'not-an-ip' } as SocketAddress),
        RangeError,
        'address',
        'connect to not-an-ip',
      )
      await expectArgError(() => socket.bind(bad(null)), TypeError, 'address', 'bind(null)')
      await expectArgError(() => socket.bind(bad({ port: 1 })), TypeError, 'family', 'bind without family')
      assert.equal(socket.closed, false)
    },
  },
  {
    id: 'lifecycle.args.family',
    title:
      "an address of the other IP family gets Linux's answer: EINVAL on an IPv6 socket, EAFNOSUPPORT on an IPv4 one",
    needs: ['tcp', 'udp'],
    ip: true,
    async run(ctx) {
      // inet6_bind and tcp_v6_connect find a sockaddr_in too short (EINVAL); inet_bind and
      // tcp_v4_connect refuse a family other than AF_INET (EAFNOSUPPORT).
      const [other, code]: [SocketAddress, string] =
        ctx.ipFamily === 6
          ? [{ family: 'inet', address: '127.0.0.1', port: 9 }, 'EINVAL']
          : [{ family: 'inet6', address: '::1', port: 9 }, 'EAFNOSUPPORT']
      const stream = await openSocket(ctx, 'SOCK_STREAM')
      await expectSocketError(() => stream.bind(other), [code], 'bind')
      await expectSocketError(() => stream.connect(other), [code], 'connect')
      const dgram = await openSocket(ctx, 'SOCK_DGRAM')
      await dgram.bind(ctx.addr(0))
      if (ctx.ipFamily === 4) await expectSocketError(() => dgram.send('x', { to: other }), [code], 'sendto')
      assert.equal(stream.closed, false)
    },
  },
  {
    id: 'lifecycle.args.option',
    title: 'an unknown option name or a wrongly typed option value fails with TypeError / RangeError naming it',
    needs: ['tcp'],
    async run(ctx) {
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      await expectArgError(() => socket.setOption('SOL_SOCKET', 'SO_BOGUS', 1), TypeError, 'SO_BOGUS', 'set SO_BOGUS')
      await expectArgError(() => socket.getOption('SOL_BOGUS', 'SO_TYPE'), TypeError, 'SOL_BOGUS', 'get SOL_BOGUS')
      await expectArgError(() => socket.getOption(bad({}), 'SO_TYPE'), TypeError, 'level', 'level {}')
      await expectArgError(
        () => socket.setOption('IPPROTO_TCP', 'TCP_NODELAY', 'yes'),
        TypeError,
        'TCP_NODELAY',
        "TCP_NODELAY 'yes'",
      )
      await expectArgError(
        () => socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', -5),
        RangeError,
        'SO_RCVTIMEO',
        'SO_RCVTIMEO -5',
      )
    },
  },
  {
    id: 'lifecycle.args.socket',
    title: 'backend.socket with an unknown family or type fails with TypeError naming it',
    needs: ['tcp'],
    async run(ctx) {
      await expectArgError(() => ctx.backend.socket(bad('AF_BOGUS'), 'SOCK_STREAM'), TypeError, 'family', 'AF_BOGUS')
      await expectArgError(() => ctx.backend.socket('AF_INET', bad('SOCK_BOGUS')), TypeError, 'type', 'SOCK_BOGUS')
    },
  },
  {
    id: 'lifecycle.args.calls',
    title: 'bad shutdown how, backlog, data, flags, timeoutMs and mode fail with TypeError / RangeError naming them',
    needs: ['tcp'],
    async run(ctx) {
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      await expectArgError(() => socket.shutdown(bad('SHUT_BOGUS')), TypeError, 'how', 'shutdown')
      await expectArgError(() => socket.listen(-1), RangeError, 'backlog', 'listen(-1)')
      await expectArgError(() => socket.send(bad(42)), TypeError, 'data', 'send(42)')
      await expectArgError(() => socket.recv(1, { flags: bad(['MSG_BOGUS']) }), TypeError, 'flags', 'recv flags')
      await expectArgError(
        () => socket.connect(ctx.addr(9), { timeoutMs: -1 }),
        RangeError,
        'timeoutMs',
        'connect timeoutMs -1',
      )
      await expectArgError(() => socket.setNonBlocking(bad('yes')), TypeError, 'on', "setNonBlocking('yes')")
      assert.equal(socket.closed, false)
      assert.equal(socket.nonBlocking, false)
    },
  },
]
