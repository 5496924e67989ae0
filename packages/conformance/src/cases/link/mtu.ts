import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { isSocketError } from '@polysocket/core'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { sendAll, sha256 } from '../../peers/io.js'
import { openSocket } from '../../peers/sockets.js'
import { orSkip } from './helpers.js'
import { openLink } from './link.js'
import { startPeer } from './peer.js'
import { PY_DATAGRAMS, PY_HASH_SINK } from './peer-scripts.js'

/** The smallest MTU IPv6 allows (RFC 8200), which IPv4 links may have too. */
const MTU = 1280
/** IP + UDP header bytes: 20 + 8 for IPv4, 40 + 8 for IPv6. */
const UDP_OVERHEAD = { 4: 28, 6: 48 } as const
/** IP_PMTUDISC_DO / IPV6_PMTUDISC_DO: never fragment locally (ip(7), ipv6(7)). */
const PMTUDISC_DO = 2
const BULK = 16 * 1024 * 1024

/** A link whose MTU is 1,280 bytes instead of loopback's 65,536. */
export const linkMtuCases: readonly Case[] = [
  {
    id: 'link.mtu.emsgsize',
    title:
      'with IP_MTU_DISCOVER / IPV6_MTU_DISCOVER = PMTUDISC_DO, a UDP datagram one byte above the 1,280-byte link fails with EMSGSIZE; without it, it is fragmented and arrives whole',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx, { mtu: MTU })
      const strict = await openSocket(ctx, 'SOCK_DGRAM')
      await strict.bind(link.at(0))
      const [level, name] =
        ctx.ipFamily === 6 ? ['IPPROTO_IPV6', 'IPV6_MTU_DISCOVER'] : ['IPPROTO_IP', 'IP_MTU_DISCOVER']
      await orSkip(ctx, `forbid local fragmentation (${name})`, () => strict.setOption(level, name, PMTUDISC_DO))
      assert.equal(strict.getOption(level, name), PMTUDISC_DO)
      const peer = await startPeer(ctx, link, PY_DATAGRAMS, [2])
      const target = link.at(Number(await peer.expect('PORT')), link.ip.peer)
      const fits = MTU - UDP_OVERHEAD[ctx.ipFamily]
      assert.equal(await strict.send(Buffer.alloc(fits, 1), { to: target }), fits)
      assert.match(await peer.expect('GOT'), new RegExp(`^${fits} `), 'the largest unfragmented datagram arrived')
      await expectSocketError(strict.send(Buffer.alloc(fits + 1, 2), { to: target }), ['EMSGSIZE'], `${fits + 1} bytes`)

      const loose = await openSocket(ctx, 'SOCK_DGRAM')
      await loose.bind(link.at(0))
      assert.equal(await loose.send(Buffer.alloc(1400, 3), { to: target }), 1400)
      assert.match(await peer.expect('GOT'), /^1400 /, 'the fragmented datagram arrived whole')
      await peer.success()
    },
  },
  {
    id: 'link.mtu.ip_mtu',
    title: "IP_MTU / IPV6_MTU on a connected UDP socket report the link's 1,280 bytes",
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx, { mtu: MTU })
      const socket = await openSocket(ctx, 'SOCK_DGRAM')
      await socket.bind(link.at(0))
      await socket.connect(link.at(9, link.ip.peer))
      const [level, name] = ctx.ipFamily === 6 ? ['IPPROTO_IPV6', 'IPV6_MTU'] : ['IPPROTO_IP', 'IP_MTU']
      assert.equal(await orSkip(ctx, `read the path MTU (${name})`, () => socket.getOption(level, name)), MTU)
    },
  },
  {
    id: 'link.mtu.tcp',
    title: 'TCP moves 16 MiB intact over the 1,280-byte link, in segments that fit it',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 30_000,
    async run(ctx) {
      const link = await openLink(ctx, { mtu: MTU })
      const peer = await startPeer(ctx, link, PY_HASH_SINK, [BULK])
      const socket = await openSocket(ctx, 'SOCK_STREAM')
      await socket.connect(link.at(Number(await peer.expect('PORT')), link.ip.peer), { timeoutMs: 3000 })
      const payload = randomBytes(BULK)
      await sendAll(socket, payload)
      await socket.shutdown('SHUT_WR')
      assert.equal(await peer.expect('SHA', 20_000), `${sha256(payload)} ${BULK}`)
      let mss: unknown
      try {
        mss = socket.getOption('IPPROTO_TCP', 'TCP_MAXSEG')
      } catch (error) {
        // A backend that cannot read the MSS still moved the bytes; that is what this case is about.
        if (!isSocketError(error, 'POLYSOCKET_NOT_SUPPORTED')) throw error
      }
      if (mss !== undefined) {
        // tcp(7): TCP_MAXSEG reads the MSS in use: the MTU less the IP and TCP headers (and options).
        const most = MTU - (ctx.ipFamily === 6 ? 60 : 40)
        assert.ok(typeof mss === 'number' && mss > 500 && mss <= most, `TCP_MAXSEG ${String(mss)} fits ${most}`)
      }
      await peer.success()
    },
  },
]
