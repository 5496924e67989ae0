import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { jmpKit } from '../jmp/helpers.js'
import { lispKit, readBytes } from '../lisp/helpers.js'
import { ucodeKit } from '../ucode/helpers.js'
import { openLink } from './link.js'
import { startPeer } from './peer.js'
import { PY_LINE_ECHO } from './peer-scripts.js'

/** Each facade, in its own calls, talks to the peer in the other namespace over TCP. */
export const linkFacadeCases: readonly Case[] = [
  {
    id: 'link.ucode.exchange',
    title: "ucode: create, connect to the peer's address across the link, send a line, recv its echo, close",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      const peer = await startPeer(ctx, link, PY_LINE_ECHO, [1])
      const port = Number(await peer.expect('PORT'))
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const family = ctx.ipFamily === 6 ? socket.AF_INET6 : socket.AF_INET
      const sock = kit.track(await socket.create(family, socket.SOCK_STREAM), 'create')
      assert.equal(await sock.connect(link.ip.peer, port), true, `connect: ${String(socket.error())}`)
      assert.deepEqual(sock.peername(), {
        family,
        address: link.ip.peer,
        port,
        ...(ctx.ipFamily === 6 ? { flowinfo: 0 } : {}),
      })
      assert.equal(await peer.expect('CLIENT'), `${link.ip.ours} ${sock.sockname()?.port}`)
      assert.equal(await sock.send('from ucode\n'), 11)
      assert.equal((await sock.recv())?.toString(), 'py:from ucode\n')
      assert.equal(await sock.close(), true)
      await peer.success()
    },
  },
  {
    id: 'link.jmp.exchange',
    title: "JMP: Socket(), connect to the peer's address across the link, send a line, recv its echo, close",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      const peer = await startPeer(ctx, link, PY_LINE_ECHO, [1])
      const port = await peer.expect('PORT')
      const kit = jmpKit(ctx)
      const skt = kit.Socket()
      assert.deepEqual(await skt.connect(link.ip.peer, port), ['connect', 'ok'])
      // getpeername answers with the name connect used; getsockname would look our address up in the DNS.
      assert.deepEqual(await skt.getpeername(), ['getpeername', 'ok', link.ip.peer, port])
      assert.equal((await peer.expect('CLIENT')).split(' ')[0], link.ip.ours, 'the peer saw our address')
      // JSL strings carry a newline as the ~0a escape, both ways.
      assert.deepEqual(await skt.send('from jmp~0a'), ['send', 'ok', ''])
      assert.deepEqual(await skt.recv(100), ['recv', 'ok', 'py:from jmp~0a'])
      assert.deepEqual(await skt.close(), ['close', 'ok'])
      assert.deepEqual(kit.callbackErrors, [])
      await peer.success()
    },
  },
  {
    id: 'link.lisp.exchange',
    title: "Lisp: make-instance, connect to the peer's address across the link, fwrite a line, fread its echo",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const link = await openLink(ctx)
      const peer = await startPeer(ctx, link, PY_LINE_ECHO, [1])
      const port = Number(await peer.expect('PORT'))
      const kit = lispKit(ctx)
      const sock = await kit.make(kit.inet, 'stream')
      assert.equal(await sock.connect(link.ip.peer, port), true, `connect: ${kit.lisp.lastsocketerror}`)
      assert.equal(sock.remoteaddress, link.ip.peer)
      assert.equal(sock.remoteport, port)
      assert.equal(await peer.expect('CLIENT'), `${link.ip.ours} ${sock.port}`)
      const line = Buffer.from('from lisp\n')
      assert.equal(await sock.fwrite(line), line.length)
      assert.deepEqual(await readBytes(sock, 13), Buffer.from('py:from lisp\n'))
      assert.equal(await sock.destroy(), true)
      await peer.success()
    },
  },
]
