import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { openSocket } from '../../peers/sockets.js'
import { pair } from './helpers.js'

/** sendBatch / recvBatch as single sendmmsg / recvmmsg calls. */
export const batchCases: readonly Case[] = [
  {
    id: 'posix.batch.udp',
    title: 'sendBatch sends 40 UDP datagrams in one call; recvBatch returns them in order, with senders',
    needs: ['udp', 'batchIo'],
    ip: true,
    async run(ctx) {
      const receiver = await openSocket(ctx, 'SOCK_DGRAM')
      await receiver.bind(ctx.addr(0))
      const to = receiver.localAddress()
      const sender = await openSocket(ctx, 'SOCK_DGRAM')
      await sender.bind(ctx.addr(0))
      const messages = Array.from({ length: 40 }, (_, i) => ({ data: Buffer.alloc(i * 7, i), to }))
      assert.equal(await sender.sendBatch(messages), 40)
      const got = []
      // Each call returns at least one datagram; 40 calls bound the loop.
      for (let i = 0; i < 40 && got.length < 40; i++)
        got.push(...(await receiver.recvBatch(64, { signal: ctx.signal })))
      assert.equal(got.length, 40)
      got.forEach((r, i) => {
        assert.deepEqual(r.data, Buffer.alloc(i * 7, i), `datagram ${i}`)
        assert.deepEqual(r.from, sender.localAddress())
        assert.equal(r.truncated, false)
      })
    },
  },
  {
    id: 'posix.batch.truncate',
    title: 'recvBatch cuts datagrams longer than maxBytes and says so',
    needs: ['socketpair', 'unixDgram', 'batchIo'],
    async run(ctx) {
      const [a, b] = await pair(ctx, 'SOCK_DGRAM')
      assert.equal(await a.sendBatch([{ data: 'short' }, { data: 'a longer datagram' }, { data: '' }]), 3)
      const got = await b.recvBatch(8, { maxBytes: 8, signal: ctx.signal })
      assert.deepEqual(
        got.map((r) => [r.data.toString(), r.truncated]),
        [
          ['short', false],
          ['a longer', true],
          ['', false],
        ],
      )
    },
  },
]
