import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { delay } from '../../peers/time.js'
import { connectedPair, lispKit, listening, withoutPeek } from './helpers.js'

/** `select` answers from readiness and takes nothing from the socket (select(2) over poll(2)). */
export const lispReadinessCases: readonly Case[] = [
  {
    id: 'lisp.select.consumes-nothing',
    title: 'after select, the bytes are still in the socket: the contract socket reads them, then fread the rest',
    needs: ['tcp'],
    async run(base) {
      for (const ctx of [base, withoutPeek(base)]) {
        const kit = lispKit(ctx)
        const { client, peer } = await connectedPair(ctx, kit)
        assert.equal(await peer.writeString('data'), 'data')
        assert.deepEqual(await kit.lisp.select([client], null, 5_000), [[client], []])
        assert.deepEqual(await kit.lisp.select([client], null, 0), [[client], []], 'still readable')
        // Below the facade: nothing was read into the object, so the socket itself still holds it.
        const r = await client.socket.recv(2, { flags: ['MSG_DONTWAIT'] })
        assert.equal(r.data.toString(), 'da')
        const buffer = new Uint8Array(8)
        assert.equal(await client.fread(buffer), 2)
        assert.equal(Buffer.from(buffer.subarray(0, 2)).toString(), 'ta')
      }
    },
  },
  {
    id: 'lisp.select.accepts-nothing',
    title: 'select on a listening socket accepts nothing: the connection is still in the listen queue',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const server = await listening(ctx, kit)
      const client = await kit.make(kit.inet, 'stream')
      assert.equal(await client.connect(ctx.host, server.port), true)
      assert.deepEqual(await kit.lisp.select([server], null, 5_000), [[server], []])
      server.socket.setNonBlocking(true)
      const { socket } = await server.socket.accept()
      ctx.onCleanup(() => socket.close())
      assert.equal(socket.localAddress().family, client.socket.localAddress().family)
      assert.deepEqual(await kit.lisp.select([server], null, 0), [[], []], 'nothing left to accept')
    },
  },
  {
    id: 'lisp.select.full-send-buffer',
    title: 'a socket whose send buffer is full is not writable; it is again once the peer reads',
    needs: ['tcp', 'exactReadiness'],
    timeoutMs: 20_000,
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      client.socket.setOption('SOL_SOCKET', 'SO_SNDBUF', 4096)
      peer.socket.setOption('SOL_SOCKET', 'SO_RCVBUF', 4096)
      assert.deepEqual(await kit.lisp.select(null, [client], 0), [[], [client]])
      const chunk = Buffer.alloc(65536, 0x79)
      let full = false
      for (let i = 0; i < 10_000 && !full; i++) {
        try {
          await client.socket.send(chunk, { flags: ['MSG_DONTWAIT'] })
        } catch (error) {
          assert.equal((error as { code?: string }).code, 'EAGAIN')
          full = true
        }
      }
      assert.ok(full, 'the send buffer filled up')
      assert.deepEqual(await kit.lisp.select(null, [client], 0), [[], []], 'no room: not writable')
      const writable = kit.lisp.select(null, [client], 10_000)
      const buffer = new Uint8Array(65536)
      let answer: unknown
      for (let i = 0; i < 10_000 && answer === undefined; i++) {
        assert.ok(((await peer.fread(buffer)) ?? 0) > 0, 'the peer reads')
        answer = await Promise.race([writable, delay(10).then(() => undefined)])
      }
      assert.deepEqual(answer, [[], [client]])
    },
  },
]
