import assert from 'node:assert/strict'
import { EOF } from '@polysocket/core/lisp'
import type { Case } from '../../case.js'
import { delay } from '../../peers/time.js'
import { connectedPair, lispKit, readBytes, stillPending } from './helpers.js'

const euro = Buffer.from([0xe2, 0x82, 0xac])

/** The input buffer, the UTF-8 automaton and the timeouts, on real loopback connections. */
export const lispInputCases: readonly Case[] = [
  {
    id: 'lisp.read-char.split',
    title: 'read-char waits for the rest of a UTF-8 character split across two packets',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      peer.setsockopt('tcp', 'TCP_NODELAY', true)
      const reading = client.readChar()
      assert.equal(await peer.fwrite(euro, 2), 2)
      // Two of three bytes are in: the automaton holds the sequence and waits.
      assert.equal(await stillPending(reading, 100), true)
      assert.equal(await peer.fwrite(euro.subarray(2)), 1)
      assert.equal(await reading, 8364)
    },
  },
  {
    id: 'lisp.read-char.timeout-mid-sequence',
    title: 'a receive timeout in the middle of a UTF-8 sequence loses the sequence and returns nil',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.equal(client.setsockopt(null, 'SO_RCVTIMEO', 200), true)
      await peer.fwrite(euro, 2)
      kit.lisp.lastsocketerror = null
      const started = performance.now()
      assert.equal(await client.readChar(), null)
      const elapsed = performance.now() - started
      assert.ok(elapsed >= 150 && elapsed < 5_000, `returned after ${elapsed} ms`)
      assert.equal(kit.lisp.lastsocketerror, 'Resource temporarily unavailable')
      assert.equal(client.eof(), null)
      // The third byte alone is ill-formed (U+FFFD); what follows is read normally.
      await peer.fwrite(Buffer.concat([euro.subarray(2), Buffer.from('A')]))
      assert.equal(await client.readChar(), 0xfffd)
      assert.equal(await client.readChar(), 0x41)
    },
  },
  {
    id: 'lisp.unread-char.then-read-char',
    title: 'unread-char then read-char returns the same character, then the stream goes on',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('😀ok')
      assert.equal(await client.readChar(), 0x1f600)
      client.unreadChar()
      assert.equal(client.charInBuffer(), true)
      assert.equal(await client.readChar(), 0x1f600)
      // Unread, then read-string: the character comes first.
      client.unreadChar()
      assert.equal(await client.readString(), '😀ok')
    },
  },
  {
    id: 'lisp.fread.after-partial-read-string',
    title: 'fread after a read-string that stopped before a split character returns the buffered bytes first',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.fwrite(Buffer.concat([Buffer.from('ab'), euro.subarray(0, 2)]))
      let text = ''
      for (let i = 0; i < 10 && text.length < 2; i++) text += (await client.readString()) ?? ''
      assert.equal(text, 'ab')
      // Nothing more will come for a while: the two bytes can only come from the input buffer.
      assert.equal(client.setsockopt(null, 'SO_RCVTIMEO', 2_000), true)
      const buffer = new Uint8Array(16)
      assert.equal(await client.fread(buffer), 2)
      assert.deepEqual(Buffer.from(buffer.subarray(0, 2)), euro.subarray(0, 2))
      await peer.writeString('tail')
      assert.equal((await readBytes(client, 4)).toString(), 'tail')
    },
  },
  {
    id: 'lisp.read-string.completes-split',
    title: 'read-string completes a character split across packets before returning it',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.fwrite(euro, 1)
      const reading = client.readString()
      await delay(50)
      await peer.fwrite(euro.subarray(1))
      assert.equal(await reading, '€')
    },
  },
  {
    id: 'lisp.recv.invalidates-buffer',
    title: 'recv forgets the unread input buffer and reads the socket',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('hello')
      assert.equal(await client.readChar(), 0x68)
      await peer.writeString('world')
      const buffer = new Uint8Array(16)
      let got = ''
      for (let i = 0; i < 10 && got.length < 5; i++) {
        const n = await client.recv(buffer)
        assert.equal(typeof n, 'number')
        got += Buffer.from(buffer.subarray(0, n as number)).toString()
      }
      // "ello" was in the input buffer and is gone.
      assert.equal(got, 'world')
      await peer.writeString('!')
      assert.equal(await client.readChar(), 0x21)
    },
  },
  {
    id: 'lisp.read-string.closed',
    title: 'read-string on a socket whose peer closed returns nil and sets EOF',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.destroy()
      kit.lisp.lastsocketerror = null
      assert.equal(await client.readString(), null)
      assert.equal(client.eof(), true)
      assert.equal(kit.lisp.lastsocketerror, null)
      // fread's section promises an integer or nil: the end of the stream is a count of 0.
      assert.equal(await client.fread(new Uint8Array(4)), 0)
      // Destroyed locally: the same answers for the reads; a write is an error.
      await client.destroy()
      assert.equal(await client.readString(), null)
      assert.equal(await client.readChar(), EOF)
      assert.equal(await client.recv(new Uint8Array(4)), EOF)
      assert.equal(await client.fread(new Uint8Array(4)), 0)
      assert.equal(await client.writeLine('late'), null)
      assert.equal(kit.lisp.lastsocketerror, 'Bad file descriptor')
    },
  },
  {
    id: 'lisp.write-line.lf',
    title: 'write-line appends exactly one LF (0x0a), never CR-LF, to UTF-8 text',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.equal(await client.writeLine('größe'), 'größe')
      assert.equal(await client.writeLine(''), '')
      const expected = Buffer.from('größe\n\n', 'utf8')
      assert.deepEqual(await readBytes(peer, expected.length), expected)
    },
  },
  {
    id: 'lisp.timeout.rcvtimeo',
    title: 'SO_RCVTIMEO (a float, in ms) makes every read return nil within a bounded time; 0 disables it',
    needs: ['tcp'],
    timeoutMs: 20_000,
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.equal(client.setsockopt(null, 'SO_RCVTIMEO', 150.5), true)
      const reads: [string, () => Promise<unknown>][] = [
        ['read-char', () => client.readChar()],
        ['read-string', () => client.readString()],
        ['fread', () => client.fread(new Uint8Array(8))],
        ['recv', () => client.recv(new Uint8Array(8))],
        ['recv-from', () => client.recvFrom(new Uint8Array(8))],
      ]
      for (const [name, read] of reads) {
        kit.lisp.lastsocketerror = null
        const started = performance.now()
        assert.equal(await read(), null, name)
        const elapsed = performance.now() - started
        assert.ok(elapsed >= 100 && elapsed < 5_000, `${name} returned after ${elapsed} ms`)
        assert.equal(kit.lisp.lastsocketerror, 'Resource temporarily unavailable', name)
      }
      assert.equal(client.eof(), null)
      // The socket still works, and with 0 the read waits for data as long as it takes.
      assert.equal(client.setsockopt(null, 'SO_RCVTIMEO', 0), true)
      const reading = client.readString()
      assert.equal(await stillPending(reading, 300), true)
      await peer.writeString('late')
      assert.equal(await reading, 'late')
    },
  },
  {
    id: 'lisp.timeout.sndtimeo',
    title: 'SO_SNDTIMEO bounds writes to a peer that never reads: a short count, then nil',
    needs: ['tcp'],
    timeoutMs: 30_000,
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client } = await connectedPair(ctx, kit)
      assert.equal(client.setsockopt(null, 'SO_SNDTIMEO', 300), true)
      const chunk = Buffer.alloc(4 * 1024 * 1024, 0x5a)
      // Write until the kernel buffers of both ends are full: a write then waits for the
      // timeout and reports what it could write ("the actual length written, which might be
      // smaller"), or nil when it could write nothing.
      let result: unknown = chunk.length
      for (let i = 0; i < 16 && result === chunk.length; i++) result = await client.fwrite(chunk)
      if (result === chunk.length) {
        ctx.skip(
          `backend ${ctx.backend.name} took 64 MiB for a peer that reads nothing: it queues writes in user space, so SO_SNDTIMEO never elapses`,
        )
      }
      assert.ok(
        result === null || (typeof result === 'number' && result < chunk.length),
        `fwrite gave ${String(result)}`,
      )
      kit.lisp.lastsocketerror = null
      const started = performance.now()
      assert.equal(await client.fwrite(chunk), null)
      const elapsed = performance.now() - started
      assert.ok(elapsed >= 200 && elapsed < 10_000, `fwrite returned after ${elapsed} ms`)
      assert.equal(kit.lisp.lastsocketerror, 'Resource temporarily unavailable')
      assert.equal(client.eof(), null)
    },
  },
  {
    id: 'lisp.timeout.accept',
    title: 'SO_RCVTIMEO bounds accept too, and an accepted socket inherits the timeouts',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const server = await kit.make('inet', 'stream', 0, 'address', '127.0.0.1')
      assert.equal(await server.listen(5), true)
      assert.equal(server.setsockopt(null, 'SO_RCVTIMEO', 150), true)
      assert.equal(server.setsockopt(null, 'SO_SNDTIMEO', 250), true)
      kit.lisp.lastsocketerror = null
      const started = performance.now()
      assert.equal(await server.accept(), null)
      const elapsed = performance.now() - started
      assert.ok(elapsed >= 100 && elapsed < 5_000, `accept returned after ${elapsed} ms`)
      assert.equal(kit.lisp.lastsocketerror, 'Resource temporarily unavailable')
      const client = await kit.make('inet', 'stream')
      const [connected, accepted] = await Promise.all([client.connect('127.0.0.1', server.port), server.accept()])
      assert.equal(connected, true)
      const peer = kit.track(accepted)
      assert.equal(peer.getsockopt(null, 'SO_RCVTIMEO'), 150)
      assert.equal(peer.getsockopt(null, 'SO_SNDTIMEO'), 250)
    },
  },
  {
    id: 'lisp.maxstring',
    title: "'maxstring sets the input buffer size: one real read takes at most that many bytes",
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const server = await kit.make('inet', 'stream', 0, 'address', '127.0.0.1')
      assert.equal(await server.listen(5), true)
      const client = await kit.make('inet', 'stream', 0, { maxstring: 4 })
      assert.equal(client.maxstring, 4)
      const [connected, accepted] = await Promise.all([client.connect('127.0.0.1', server.port), server.accept()])
      assert.equal(connected, true)
      const peer = kit.track(accepted)
      await peer.writeString('0123456789')
      await delay(50)
      assert.equal(await client.readString(), '0123')
      assert.equal(await client.readString(), '4567')
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.makeInstance('socket', 'inet', 'stream', 0, 'maxstring', 0), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Invalid argument: maxstring/)
    },
  },
]
