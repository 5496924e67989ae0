import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Case } from '../../../case.js'
import { readToEnd, sendAll, sha256 } from '../../../peers/io.js'
import { expectNoSocketLeak, socketFdCount } from '../../../peers/process.js'
import { within } from '../../../peers/time.js'
import { reportSurvived } from './helpers.js'
import { acceptPython } from './peer-io.js'

/** Bytes sent each way across a half-closed connection. */
const PAYLOAD = 1 << 20

/** Reads to EOF, then sends back what it read, reversed, and closes. */
const REPLY_AFTER_EOF = `
s = socket.socket(FAMILY, socket.SOCK_STREAM)
s.connect(target())
data = recv_all(s)
say('GOT', len(data), hashlib.sha256(data).hexdigest())
s.sendall(data[::-1])
s.close()
`

/** Sends a line, shuts its write side, then reads to EOF and reports what it got. */
const HALF_CLOSE_THEN_READ = `
s = socket.socket(FAMILY, socket.SOCK_STREAM)
s.connect(target())
s.sendall(b'before the half-close')
s.shutdown(socket.SHUT_WR)
data = recv_all(s)
say('GOT', len(data), hashlib.sha256(data).hexdigest())
`

/** Reads to EOF and reports what it got. */
const READ_ALL = `
s = socket.socket(FAMILY, socket.SOCK_STREAM)
s.connect(target())
data = recv_all(s)
say('GOT', len(data), hashlib.sha256(data).hexdigest())
`

/** Parses a peer's `GOT <bytes> <sha256>` report. */
function got(rest: string): { bytes: number; digest: string } {
  const [bytes, digest] = rest.split(' ')
  return { bytes: Number(bytes), digest: digest ?? '' }
}

/** Half-close in each direction, against a python peer. */
export const halfCloseCases: readonly Case[] = [
  {
    id: 'robustness.faults.halfclose.ours',
    title: 'after our shutdown(SHUT_WR) a python peer reads EOF and still replies 1 MiB, which arrives whole',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 20_000,
    async run(ctx) {
      const before = socketFdCount()
      const { peer, server, listener } = await acceptPython(ctx, REPLY_AFTER_EOF)
      const data = randomBytes(PAYLOAD)
      await sendAll(server, data)
      await server.shutdown('SHUT_WR')
      const report = got(await peer.expect('GOT', 10_000))
      assert.deepEqual(report, { bytes: PAYLOAD, digest: sha256(data) }, 'what the peer read before our FIN')
      const reply = await within(10_000, readToEnd(server, 2 * PAYLOAD), 'reading the reply')
      assert.equal(sha256(reply), sha256(Buffer.from(data).reverse()), 'the reply is our data reversed')
      await peer.success()
      await server.close()
      await listener.close()
      await expectNoSocketLeak(before, 'after a half-close of ours')
      reportSurvived(ctx, 2 * PAYLOAD)
    },
  },
  {
    id: 'robustness.faults.halfclose.peer',
    title: 'after a python peer’s shutdown(SHUT_WR) we read EOF, and 1 MiB we send after it still arrives whole',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 20_000,
    async run(ctx) {
      const before = socketFdCount()
      const { peer, server, listener } = await acceptPython(ctx, HALF_CLOSE_THEN_READ)
      assert.equal(
        (await within(10_000, readToEnd(server), 'reading to the peer’s FIN')).toString(),
        'before the half-close',
      )
      assert.equal((await server.recv(16)).data.length, 0, 'EOF is sticky')
      const data = randomBytes(PAYLOAD)
      await within(10_000, sendAll(server, data), 'sending after the peer’s FIN')
      await server.shutdown('SHUT_WR')
      assert.deepEqual(got(await peer.expect('GOT', 10_000)), { bytes: PAYLOAD, digest: sha256(data) })
      await peer.success()
      await server.close()
      await listener.close()
      await expectNoSocketLeak(before, 'after a half-close of the peer')
      reportSurvived(ctx, PAYLOAD)
    },
  },
  {
    id: 'robustness.faults.halfclose.read',
    title: 'after our shutdown(SHUT_RD) recv is EOF at once, and 1 MiB we send still reaches a python peer whole',
    needs: ['tcp', 'halfCloseRead'],
    ip: true,
    timeoutMs: 20_000,
    async run(ctx) {
      const before = socketFdCount()
      const { peer, server, listener } = await acceptPython(ctx, READ_ALL)
      await server.shutdown('SHUT_RD')
      const eof = await within(1000, server.recv(16), 'recv after SHUT_RD')
      assert.equal(eof.data.length, 0, 'recv after SHUT_RD is EOF')
      const data = randomBytes(PAYLOAD)
      await within(10_000, sendAll(server, data), 'sending after SHUT_RD')
      await server.shutdown('SHUT_WR')
      assert.deepEqual(got(await peer.expect('GOT', 10_000)), { bytes: PAYLOAD, digest: sha256(data) })
      await peer.success()
      await server.close()
      await listener.close()
      await expectNoSocketLeak(before, 'after SHUT_RD')
      reportSurvived(ctx, PAYLOAD)
    },
  },
]
