import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { stalledListener } from '../../peers/stalled-listener.js'
import { delay } from '../../peers/time.js'
import { connectedPair, lispKit } from './helpers.js'

/**
 * What the Lisp socket class's sections state where the facade used to answer otherwise: the
 * constructor binds, fread and the write methods whose sections name no EOF, and a connect
 * bounded by SO_SNDTIMEO.
 */
export const lispReturnCases: readonly Case[] = [
  {
    id: 'lisp.constructor.binds',
    title:
      'make-instance calls bind(): without keywords to the wildcard address and a port the kernel picks; unix sockets autobind',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const kit = lispKit(ctx)
      const wildcard = kit.inet === 'inet' ? '0.0.0.0' : '::'
      const dgram = await kit.make(kit.inet, 'dgram')
      assert.equal(dgram.address, wildcard)
      assert.ok(typeof dgram.port === 'number' && dgram.port > 0, `dgram port ${dgram.port}`)
      // Bound to the wildcard only to show it: nothing is sent to it, and it goes at once.
      await dgram.destroy()
      // 'address alone: port 0, so the kernel picks one.
      const named = await kit.make(kit.inet, 'dgram', 0, 'address', ctx.host)
      assert.equal(named.address, ctx.host)
      assert.ok(typeof named.port === 'number' && named.port > 0, `port ${named.port}`)
      if (ctx.backend.supports.tcp && ctx.backend.supports.exactBind) {
        // A stream socket bound but neither listening nor connected accepts nothing.
        const stream = await kit.make(kit.inet, 'stream')
        assert.equal(stream.address, wildcard)
        assert.ok(typeof stream.port === 'number' && stream.port > 0, `stream port ${stream.port}`)
        await stream.destroy()
      }
      if (ctx.backend.supports.unixStream && ctx.backend.supports.abstractNamespace) {
        // Linux autobind: an abstract name of five hex digits.
        const unix = await kit.make('unix', 'stream')
        assert.match(unix.address ?? '', /^\0[0-9a-f]{5}$/)
        assert.equal(unix.port, null)
        assert.equal(unix.filename, null)
      }
    },
  },
  {
    id: 'lisp.fread.end-of-stream',
    title: 'fread at the end of the stream returns 0 and eof turns t; read-char and recv still give EOF',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('ab')
      await peer.destroy()
      const buffer = new Uint8Array(8)
      let got = ''
      let n: number | null = null
      for (let i = 0; i < 10; i++) {
        n = await client.fread(buffer)
        if (n === 0 || n === null) break
        got += Buffer.from(buffer.subarray(0, n)).toString()
      }
      assert.equal(got, 'ab')
      assert.equal(n, 0)
      assert.equal(client.eof(), true)
      assert.equal(await client.fread(buffer), 0)
      assert.equal(await client.readChar(), kit.lisp.EOF)
      assert.equal(await client.recv(buffer), kit.lisp.EOF)
    },
  },
  {
    id: 'lisp.fwrite.peer-gone',
    title:
      'fwrite and write-char to a connection the peer has left return nil with lastsocketerror set; on a destroyed object too',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.destroy()
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      let last: unknown = 0
      // The first writes may still be accepted; the peer's reset arrives within a few.
      for (let i = 0; i < 200 && typeof last === 'number'; i++) {
        last = await client.fwrite(chunk)
        if (typeof last === 'number') await delay(5)
      }
      assert.equal(last, null, `fwrite kept returning ${String(last)}`)
      assert.match(kit.lisp.lastsocketerror ?? '', /^(Broken pipe|Connection reset by peer)$/)
      assert.equal(client.eof(), true)
      // The connection is gone for good: every later write is nil as well.
      for (const [name, write] of [
        ['fwrite', () => client.fwrite(chunk)],
        ['write-char', () => client.writeChar(8364)],
      ] as const) {
        kit.lisp.lastsocketerror = null
        assert.equal(await write(), null, name)
        assert.match(kit.lisp.lastsocketerror ?? '', /^(Broken pipe|Connection reset by peer)$/, name)
      }
      await client.destroy()
      for (const [name, write] of [
        ['fwrite', () => client.fwrite(chunk)],
        ['write-char', () => client.writeChar(65)],
      ] as const) {
        kit.lisp.lastsocketerror = null
        assert.equal(await write(), null, `${name} after destroy-instance`)
        assert.equal(kit.lisp.lastsocketerror, 'Bad file descriptor', name)
      }
    },
  },
  {
    id: 'lisp.connect.sndtimeo',
    title: 'a connect bounded by SO_SNDTIMEO returns nil with "Operation now in progress" when it expires',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const target = await stalledListener(ctx)
      assert.ok(target.family !== 'unix')
      const kit = lispKit(ctx)
      const client = await kit.make(kit.inet, 'stream', 0, 'address', ctx.host)
      assert.equal(client.setsockopt(null, 'SO_SNDTIMEO', 300), true)
      kit.lisp.lastsocketerror = null
      const started = performance.now()
      assert.equal(await client.connect(target.address, target.port), null)
      const elapsed = performance.now() - started
      assert.ok(elapsed >= 250 && elapsed < 5_000, `connect returned after ${elapsed.toFixed(0)} ms`)
      assert.equal(kit.lisp.lastsocketerror, 'Operation now in progress')
      assert.equal(client.eof(), null)
    },
  },
]
