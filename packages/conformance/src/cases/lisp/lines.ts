import assert from 'node:assert/strict'
import { EOF } from '@polysocket/core/lisp'
import type { Case } from '../../case.js'
import { connectedPair, lispKit, stillPending } from './helpers.js'

const euro = Buffer.from('€', 'utf8')

/**
 * socket-read-line, which the Lisp socket class names beside read-char and fread (clear-input,
 * fread, recv, recv-from, unread-char) without a section of its own: the contract the facade's
 * README writes for it, on real loopback connections.
 */
export const lispLineCases: readonly Case[] = [
  {
    id: 'lisp.read-line.lines',
    title: 'read-line returns each line without its LF (or CR-LF), waits for a split one, then the last line and EOF',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      peer.setsockopt('tcp', 'TCP_NODELAY', true)
      assert.equal(await peer.writeString('one\r\na\rb\n\n'), 'one\r\na\rb\n\n')
      assert.equal(await client.readLine(), 'one')
      // Only a CR just before the LF goes.
      assert.equal(await client.readLine(), 'a\rb')
      assert.equal(await client.readLine(), '')
      // A line split in the middle of a UTF-8 character: read-line waits for the rest.
      const head = Buffer.concat([Buffer.from('th'), euro.subarray(0, 2)])
      assert.equal(await peer.fwrite(head), head.length)
      const reading = client.readLine()
      assert.equal(await stillPending(reading, 100), true)
      const rest = Buffer.concat([euro.subarray(2), Buffer.from('ee\nlast')])
      assert.equal(await peer.fwrite(rest), rest.length)
      assert.equal(await reading, 'th€ee')
      // The end of the stream ends the last line; after it, EOF as read-char gives it.
      await peer.destroy()
      kit.lisp.lastsocketerror = null
      assert.equal(await client.readLine(), 'last')
      assert.equal(await client.readLine(), EOF)
      assert.equal(client.eof(), true)
      assert.equal(kit.lisp.lastsocketerror, null)
    },
  },
  {
    id: 'lisp.read-line.shared',
    title:
      'read-line shares the input buffer and unread character with read-char and read-string; a timeout keeps the partial line',
    needs: ['tcp'],
    timeoutMs: 15_000,
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      peer.setsockopt('tcp', 'TCP_NODELAY', true)
      await peer.writeString('xyz\nrest')
      assert.equal(await client.readChar(), 0x78)
      // The unread character comes first, then the rest of the line from the buffer.
      client.unreadChar()
      assert.equal(await client.readLine(), 'xyz')
      // The LF was the last character read: unread, it makes an empty line.
      client.unreadChar()
      assert.equal(client.charInBuffer(), true)
      assert.equal(await client.readLine(), '')
      // What read-line did not take is still in the input buffer.
      assert.equal(await client.readString(), 'rest')
      // A receive timeout in the middle of a line returns nil and loses nothing.
      assert.equal(client.setsockopt(null, 'SO_RCVTIMEO', 200), true)
      await peer.writeString('partial')
      kit.lisp.lastsocketerror = null
      const started = performance.now()
      assert.equal(await client.readLine(), null)
      const elapsed = performance.now() - started
      assert.ok(elapsed >= 150 && elapsed < 5_000, `read-line returned after ${elapsed} ms`)
      assert.equal(kit.lisp.lastsocketerror, 'Resource temporarily unavailable')
      assert.equal(client.eof(), null)
      await peer.writeString(' line\n')
      assert.equal(await client.readLine(), 'partial line')
    },
  },
]
