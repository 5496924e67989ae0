import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { openSocket } from '../../peers/sockets.js'
import { openLink } from './link.js'

/** The discard port: nothing listens on it in a fresh namespace, where no process runs at all. */
const NOBODY = 9

/** Errors that come from the other side of a link, or from its absence. */
export const linkErrorCases: readonly Case[] = [
  {
    id: 'link.errors.refused',
    title: "a connected UDP socket gets ECONNREFUSED from the peer namespace's ICMP port unreachable",
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      const socket = await openSocket(ctx, 'SOCK_DGRAM')
      await socket.bind(link.at(0))
      await socket.connect(link.at(NOBODY, link.ip.peer))
      socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 3000)
      assert.equal(await socket.send('anyone there?'), 13)
      // ip(7): with IP_RECVERR off, a connected socket still reports ICMP errors, once, to its next call.
      await expectSocketError(socket.recv(100), ['ECONNREFUSED'], 'recv after the port unreachable')
    },
  },
  {
    id: 'link.errors.hostunreach',
    title:
      'connecting to an unused address on the link fails with EHOSTUNREACH once neighbour discovery gives up (3 probes, 100 ms apart)',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 15_000,
    async run(ctx) {
      const link = await openLink(ctx)
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      const started = performance.now()
      await expectSocketError(
        socket.connect(link.at(NOBODY, link.ip.unused), { timeoutMs: 8000, signal: ctx.signal }),
        ['EHOSTUNREACH'],
        `connect to ${link.ip.unused}`,
      )
      const elapsed = performance.now() - started
      // Neighbour discovery probes 3 times 100 ms apart here; the kernel's default would be 3 s.
      assert.ok(elapsed >= 200, `EHOSTUNREACH came before the probes could run out (${elapsed.toFixed(0)} ms)`)
      assert.ok(elapsed < 5000, `EHOSTUNREACH took ${elapsed.toFixed(0)} ms`)
    },
  },
  {
    id: 'link.errors.netunreach',
    title: 'connecting or sending to an address with no route fails with ENETUNREACH at once',
    needs: ['tcp', 'udp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      const target = link.at(NOBODY, link.ip.offLink)
      const stream = await openSocket(ctx, 'SOCK_STREAM')
      let started = performance.now()
      await expectSocketError(stream.connect(target, { timeoutMs: 5000 }), ['ENETUNREACH'], 'TCP connect')
      assert.ok(
        performance.now() - started < 100,
        `TCP: ENETUNREACH took ${(performance.now() - started).toFixed(0)} ms`,
      )
      const datagram = await openSocket(ctx, 'SOCK_DGRAM')
      started = performance.now()
      await expectSocketError(datagram.send('x', { to: target }), ['ENETUNREACH'], 'UDP sendto')
      assert.ok(
        performance.now() - started < 100,
        `UDP: ENETUNREACH took ${(performance.now() - started).toFixed(0)} ms`,
      )
    },
  },
]
