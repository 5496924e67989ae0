import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import type { Case } from '../../case.js'
import { readExactly, readToEnd, sendAll, sha256 } from '../../peers/io.js'
import { connectedPair } from '../../peers/sockets.js'

/** Size of the bulk transfer, in bytes (the 64 MiB). */
const BULK_BYTES = 64 * 1024 * 1024

/** TCP as a byte stream: partial reads, bulk order, EOF and half-close. */
export const tcpStreamCases: readonly Case[] = [
  {
    id: 'tcp.recv.partial',
    title: 'recv(n) returns at most n bytes and the following reads return the rest, in order',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const message = Buffer.from('0123456789abcdefghij')
      await sendAll(client, message)
      const first = await server.recv(4)
      assert.ok(first.data.length >= 1 && first.data.length <= 4, `recv(4) gave ${first.data.length} bytes`)
      assert.equal(first.truncated, false, 'a stream read is never truncated')
      const rest = await readExactly(server, message.length - first.data.length, 3)
      assert.deepEqual(Buffer.concat([first.data, rest]), message)
      await client.close()
      assert.equal((await server.recv(64)).data.length, 0, 'nothing beyond the message should arrive')
    },
  },
  {
    id: 'tcp.recv.trunc',
    title: 'recv with MSG_TRUNC on a TCP socket discards the bytes and gives their count as fullLength (tcp(7))',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      await sendAll(client, Buffer.from('discarded'))
      let discarded = 0
      for (let i = 0; i < 100 && discarded < 9; i++) {
        const r = await server.recv(9 - discarded, { flags: ['MSG_TRUNC'] })
        assert.equal(r.data.length, 0, 'MSG_TRUNC on a stream hands back no bytes')
        assert.ok(r.fullLength !== undefined && r.fullLength > 0, `fullLength ${String(r.fullLength)}`)
        discarded += r.fullLength
      }
      assert.equal(discarded, 9)
      // Those bytes are gone: the next read starts after them.
      await sendAll(client, Buffer.from('kept'))
      assert.deepEqual(await readExactly(server, 4, 3), Buffer.from('kept'))
    },
  },
  {
    id: 'tcp.bulk.64mib',
    title: 'a 64 MiB transfer arrives whole and in order (SHA-256 compared)',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 60_000,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      const data = randomBytes(BULK_BYTES)
      const writer = (async () => {
        const chunk = 1024 * 1024
        for (let off = 0; off < data.length; off += chunk) await sendAll(client, data.subarray(off, off + chunk))
        await client.shutdown('SHUT_WR')
      })()
      const reader = (async () => {
        const hash = createHash('sha256')
        let got = 0
        // Every non-EOF read returns at least one byte, and more than BULK_BYTES fails: bounded.
        for (;;) {
          const { data: part } = await server.recv(256 * 1024)
          if (part.length === 0) break
          got += part.length
          if (got > BULK_BYTES) throw new Error(`received ${got} bytes, more than sent`)
          hash.update(part)
        }
        return { got, digest: hash.digest('hex') }
      })()
      const [, received] = await Promise.all([writer, reader])
      assert.equal(received.got, BULK_BYTES, 'byte count')
      assert.equal(received.digest, sha256(data), 'SHA-256 of the received stream')
    },
  },
  {
    id: 'tcp.eof',
    title: 'after the peer sends and closes, recv returns its data, then zero bytes (EOF), and again',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      await sendAll(client, Buffer.from('last words'))
      await client.close()
      assert.equal((await readToEnd(server)).toString(), 'last words')
      const again = await server.recv(10)
      assert.equal(again.data.length, 0, 'EOF is sticky: a second read is EOF too')
    },
  },
  {
    id: 'tcp.halfclose',
    title: 'after shutdown(SHUT_WR) the peer reads EOF and can still reply',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      await sendAll(client, Buffer.from('ping'))
      await client.shutdown('SHUT_WR')
      assert.equal((await readToEnd(server)).toString(), 'ping', 'the server sees the data, then EOF')
      await sendAll(server, Buffer.from('pong'))
      await server.shutdown('SHUT_WR')
      assert.equal((await readToEnd(client)).toString(), 'pong', 'the half-closed client still receives')
    },
  },
]
