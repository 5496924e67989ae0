import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { connectedPair, lispKit, listening, readBytes } from './helpers.js'

/** `select` over socket objects (the document's "see also"). */
export const lispSelectCases: readonly Case[] = [
  {
    id: 'lisp.select.readable',
    title: 'select waits for data, times out with two empty lists, and loses nothing it looked at',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      const started = performance.now()
      assert.deepEqual(await kit.lisp.select([client], null, 100), [[], []])
      const elapsed = performance.now() - started
      assert.ok(elapsed >= 80 && elapsed < 5_000, `select returned after ${elapsed} ms`)
      const waiting = kit.lisp.select([client], [], 5_000)
      await peer.writeString('data')
      assert.deepEqual(await waiting, [[client], []])
      // recv after select gets the bytes select saw.
      const buffer = new Uint8Array(16)
      assert.equal(await client.recv(buffer), 4)
      assert.equal(Buffer.from(buffer.subarray(0, 4)).toString(), 'data')
      await peer.writeString('more')
      assert.deepEqual(await kit.lisp.select([client], null, 5_000), [[client], []])
      assert.equal(await client.readString(), 'more')
    },
  },
  {
    id: 'lisp.select.buffered',
    title: 'buffered input makes a socket readable at once, even with a zero timeout',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      const other = await connectedPair(ctx, kit)
      await peer.writeString('abc')
      assert.equal(await client.readChar(), 0x61)
      assert.deepEqual(await kit.lisp.select([other.client, client], null, 0), [[client], []])
      assert.equal((await readBytes(client, 2)).toString(), 'bc')
      // An unread character counts too.
      client.unreadChar()
      assert.deepEqual(await kit.lisp.select([client], null, 0), [[client], []])
    },
  },
  {
    id: 'lisp.select.accept',
    title: 'a listening socket is readable once a client connects; accept then returns that connection',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const server = await listening(ctx, kit)
      const waiting = kit.lisp.select([server], null, 5_000)
      const client = await kit.make(kit.inet, 'stream')
      assert.equal(await client.connect(ctx.host, server.port), true)
      assert.deepEqual(await waiting, [[server], []])
      const peer = kit.track(await server.accept())
      assert.equal(peer.remoteport, client.port)
      // Listening sockets are not writable.
      assert.deepEqual(await kit.lisp.select(null, [server], 50), [[], []])
    },
  },
  {
    id: 'lisp.select.writable-and-eof',
    title: 'a connected socket is writable; one whose peer closed is readable and then reads EOF',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.deepEqual(await kit.lisp.select([client], [client], 1_000), [[], [client]])
      await peer.destroy()
      assert.deepEqual(await kit.lisp.select([client], null, 5_000), [[client], []])
      assert.equal(await client.readString(), null)
      assert.equal(client.eof(), true)
    },
  },
  {
    id: 'lisp.select.arguments',
    title: 'select with a non-socket or a bad timeout returns nil and "Invalid argument"',
    needs: [],
    async run(ctx) {
      const kit = lispKit(ctx)
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.select(['socket'], null, 0), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Invalid argument/)
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.select(null, null, -1), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Invalid argument/)
      assert.deepEqual(await kit.lisp.select(null, null, 10), [[], []])
    },
  },
]
