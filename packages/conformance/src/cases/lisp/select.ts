import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { delay } from '../../peers/time.js'
import { connectedPair, lispKit, listening, readBytes, withoutPeek } from './helpers.js'

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
    id: 'lisp.select.read-ahead',
    title: 'without MSG_PEEK, select reads ahead and the next read methods get every byte, in order',
    needs: ['tcp', 'udp'],
    async run(base) {
      const ctx = withoutPeek(base)
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.deepEqual(await kit.lisp.select([client], null, 50), [[], []])
      await peer.writeString('héllo wörld')
      assert.deepEqual(await kit.lisp.select([client], null, 5_000), [[client], []])
      // fread smaller than what select read: the rest stays, in order.
      const buffer = new Uint8Array(3)
      assert.equal(await client.fread(buffer), 3)
      assert.equal(Buffer.from(buffer).toString('latin1'), 'h\xc3\xa9')
      assert.equal(await client.readChar(), 0x6c)
      assert.equal(await client.readString(), 'lo wörld')
      await peer.writeString('next')
      assert.deepEqual(await kit.lisp.select([client], null, 5_000), [[client], []])
      const big = new Uint8Array(16)
      assert.equal(await client.recv(big), 4)
      assert.equal(Buffer.from(big.subarray(0, 4)).toString(), 'next')
      // The end of the stream, seen by select, reaches the next read.
      await peer.destroy()
      assert.deepEqual(await kit.lisp.select([client], null, 5_000), [[client], []])
      assert.equal(await client.readString(), null)
      assert.equal(client.eof(), true)
      // Datagrams: recv-from after select gets the datagram and its sender.
      const receiver = await kit.make('inet', 'dgram', 0, 'address', '127.0.0.1')
      const sender = await kit.make('inet', 'dgram', 0, 'address', '127.0.0.1')
      await sender.sendTo(Buffer.from('dg'), '127.0.0.1', receiver.port)
      assert.deepEqual(await kit.lisp.select([receiver], null, 5_000), [[receiver], []])
      assert.equal(await receiver.recvFrom(big), 2)
      assert.equal(receiver.remoteport, sender.port)
    },
  },
  {
    id: 'lisp.select.rcvtimeo',
    title: "a socket's SO_RCVTIMEO shorter than select's timeout neither ends select early nor hides data",
    needs: ['tcp'],
    async run(ctx) {
      for (const c of [ctx, withoutPeek(ctx)]) {
        const kit = lispKit(c)
        const { client, peer } = await connectedPair(c, kit)
        assert.equal(client.setsockopt(null, 'SO_RCVTIMEO', 40), true)
        const started = performance.now()
        assert.deepEqual(await kit.lisp.select([client], null, 250), [[], []])
        const elapsed = performance.now() - started
        assert.ok(elapsed >= 200 && elapsed < 5_000, `select returned after ${elapsed} ms`)
        const waiting = kit.lisp.select([client], null, 5_000)
        await delay(150)
        await peer.writeString('late')
        assert.deepEqual(await waiting, [[client], []])
        assert.equal(await client.readString(), 'late')
      }
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
