import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { readExactly, sendAll } from '../../peers/io.js'
import { connectedPair, openSocket } from '../../peers/sockets.js'

/** A byte that no test message holds, so untouched memory can be told from received bytes. */
const UNTOUCHED = 0xee

/** recv's `into` option: recv(2) filling the caller's memory. */
export const recvIntoCases: readonly Case[] = [
  {
    id: 'tcp.recv.into',
    title: "recv with `into` fills the caller's memory from its start and returns a view of it; the rest is untouched",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const message = Buffer.from('polysocket')
      await sendAll(client, message)
      // A plain Uint8Array, seen through a window that starts 3 bytes in.
      const memory = new Uint8Array(32).fill(UNTOUCHED)
      const into = memory.subarray(3, 3 + 16)
      let got = 0
      for (let i = 0; i < 20 && got < message.length; i++) {
        const r = await server.recv(into.length - got, { into: into.subarray(got) })
        assert.equal(r.data.buffer, memory.buffer, 'data is a view of the memory passed in')
        assert.equal(r.data.byteOffset, 3 + got, 'data starts where `into` starts')
        got += r.data.length
      }
      assert.deepEqual(Buffer.from(memory.subarray(3, 3 + message.length)), message)
      assert.ok(
        memory.subarray(0, 3).every((b) => b === UNTOUCHED) &&
          memory.subarray(3 + message.length).every((b) => b === UNTOUCHED),
        'bytes outside what was received keep their content',
      )
      await client.shutdown('SHUT_WR')
      assert.equal((await server.recv(8, { into: new Uint8Array(8) })).data.length, 0, 'EOF gives an empty view')
    },
  },
  {
    id: 'udp.recv.into.truncate',
    title:
      'recv with `into` cuts a long datagram to maxBytes, reports it truncated, and MSG_TRUNC gives its full length',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const a = await openSocket(ctx, 'SOCK_DGRAM')
      const b = await openSocket(ctx, 'SOCK_DGRAM')
      await b.bind(ctx.addr(0))
      await a.send('0123456789', { to: b.localAddress() })
      await a.send('abcdefghij', { to: b.localAddress() })
      const into = Buffer.alloc(8, UNTOUCHED)
      const cut = await b.recv(4, { into })
      assert.equal(cut.data.toString(), '0123')
      assert.equal(cut.truncated, true)
      assert.ok(cut.from, 'from is set on a datagram socket')
      assert.ok(
        into.subarray(4).every((x) => x === UNTOUCHED),
        'nothing is written past maxBytes',
      )
      const full = await b.recv(4, { into, flags: ['MSG_TRUNC'] })
      assert.equal(full.data.toString(), 'abcd')
      assert.equal(full.fullLength, 10, 'MSG_TRUNC reports the whole datagram')
    },
  },
  {
    id: 'tcp.recv.into.args',
    title:
      'recv refuses an `into` that is not a Uint8Array (TypeError) or shorter than maxBytes (RangeError), taking nothing',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      await sendAll(client, Buffer.from('kept'))
      await assert.rejects(server.recv(4, { into: [0, 0, 0, 0] as unknown as Uint8Array }), TypeError)
      await assert.rejects(server.recv(4, { into: new Uint8Array(3) }), RangeError)
      assert.deepEqual(await readExactly(server, 4, 3), Buffer.from('kept'), 'the refused calls took no bytes')
    },
  },
]
