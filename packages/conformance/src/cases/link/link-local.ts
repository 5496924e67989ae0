import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { openSocket } from '../../peers/sockets.js'
import { ucodeKit } from '../ucode/helpers.js'
import { portOf, readLine } from './helpers.js'
import { openLink } from './link.js'
import { startPeer } from './peer.js'
import { PY_LINE_ECHO } from './peer-scripts.js'

/** IPv6 link-local addresses, which mean something only with an interface as their scope. */
export const linkLocalCases: readonly Case[] = [
  {
    id: 'link.linklocal.contract',
    title: "a TCP connect to the peer's fe80:: address with the veth's index as scopeId exchanges a line",
    needs: ['tcp', 'inet6'],
    async run(ctx) {
      const link = await openLink(ctx)
      const peer = await startPeer(ctx, link, PY_LINE_ECHO, [1], 6)
      const port = Number(await peer.expect('PORT'))
      const socket = await openSocket(ctx, 'SOCK_STREAM', 'AF_INET6')
      const target = {
        family: 'inet6',
        address: link.linkLocal.peer,
        port,
        flowinfo: 0,
        scopeId: link.ifindex,
      } as const
      await socket.connect(target, { timeoutMs: 3000 })
      const local = socket.localAddress()
      assert.equal(local.family, 'inet6')
      assert.equal(
        local.family === 'inet6' && local.address,
        link.linkLocal.ours,
        'the source is our link-local address',
      )
      assert.equal(local.family === 'inet6' && local.scopeId, link.ifindex, 'with the veth as its scope')
      assert.deepEqual(socket.remoteAddress(), target)
      assert.equal(await peer.expect('CLIENT'), `${link.linkLocal.ours} ${portOf(local)}`)
      await socket.send('scoped\n')
      assert.equal(await readLine(socket), 'py:scoped')
    },
  },
  {
    id: 'link.linklocal.ucode',
    title:
      'ucode connects to the peer\'s fe80:: address in its three scoped forms ("fe80::2%<ifname>", "[fe80::2%<index>]:port", {address, port, interface}) and exchanges a line on each',
    needs: ['tcp', 'inet6'],
    async run(ctx) {
      const link = await openLink(ctx)
      const peer = await startPeer(ctx, link, PY_LINE_ECHO, [3], 6)
      const port = Number(await peer.expect('PORT'))
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const forms: readonly [unknown, number | undefined][] = [
        [`${link.linkLocal.peer}%${link.ifname}`, port],
        [`[${link.linkLocal.peer}%${link.ifindex}]:${port}`, undefined],
        [{ address: link.linkLocal.peer, port, interface: link.ifname }, undefined],
      ]
      for (const [address, withPort] of forms) {
        const what = JSON.stringify(address)
        const sock = kit.track(await socket.create(socket.AF_INET6, socket.SOCK_STREAM), 'create')
        assert.equal(await sock.connect(address, withPort), true, `connect(${what}): ${String(socket.error())}`)
        const name = sock.sockname()
        assert.ok(name, `sockname: ${String(socket.error())}`)
        assert.equal(name.address, link.linkLocal.ours, `${what}: source address`)
        assert.equal(name.interface, link.ifname, `${what}: the source's scope, as ucode names it`)
        assert.deepEqual(
          sock.peername(),
          { family: socket.AF_INET6, address: link.linkLocal.peer, port, flowinfo: 0, interface: link.ifname },
          `${what}: peername`,
        )
        assert.equal(await peer.expect('CLIENT'), `${link.linkLocal.ours} ${name.port}`)
        assert.equal(await sock.send('ucode\n'), 6)
        const answer = await sock.recv(100)
        assert.equal(answer?.toString(), 'py:ucode\n', `${what}: the echo`)
        assert.equal(await sock.close(), true)
      }
      await peer.success()
    },
  },
]
