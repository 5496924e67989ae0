import assert from 'node:assert/strict'
import type { Case } from '../../../case.js'
import { expectNoSocketLeak, socketFdCount } from '../../../peers/process.js'
import { within } from '../../../peers/time.js'
import { closesCleanly, PY_PATTERN, reportSurvived, SEND_FAULT_CODES, stillWorks } from './helpers.js'
import { acceptPython, assertCode, recvUntilEnd, sendUntilFailure } from './peer-io.js'

/** Bytes the python peer reads from us before it resets (while we keep sending). */
const READ_BEFORE_RESET = 1 << 20
/** Blocks of the pattern (64,256 bytes each) the python peer sends before it resets: about 4 MiB. */
const BLOCKS_BEFORE_RESET = 64

/** A python peer that connects to us, reads 1 MiB, then closes with SO_LINGER {1, 0} (RST). */
const READ_THEN_RESET = `
import struct
s = socket.socket(FAMILY, socket.SOCK_STREAM)
s.connect(target())
n = 0
while n < ${READ_BEFORE_RESET}:
    b = s.recv(65536)
    if not b:
        break
    n += len(b)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
s.close()
say('RESET', n)
`

/** A python peer that connects to us, sends about 4 MiB of the pattern, then resets. */
const SEND_THEN_RESET = `
import struct
s = socket.socket(FAMILY, socket.SOCK_STREAM)
s.connect(target())
block = ${PY_PATTERN}
n = 0
for i in range(${BLOCKS_BEFORE_RESET}):
    s.sendall(block)
    n += len(block)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
s.close()
say('RESET', n)
`

/** The peer resets (SO_LINGER {1, 0}) while we send, and while we receive. */
export const resetCases: readonly Case[] = [
  {
    id: 'robustness.faults.reset.send',
    title: 'a python peer that resets (SO_LINGER 0) while we send: send fails with ECONNRESET or EPIPE, nothing leaks',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 30_000,
    async run(ctx) {
      const before = socketFdCount()
      const { peer, server, listener } = await acceptPython(ctx, READ_THEN_RESET)
      const { error, sent } = await within(20_000, sendUntilFailure(ctx, server), 'sending to a peer that resets')
      assertCode(error, SEND_FAULT_CODES, `send after ${sent} bytes`)
      const read = Number(await peer.expect('RESET'))
      assert.ok(read <= sent, `the peer read ${read} bytes of ${sent} sent`)
      // The error was reported once; the read side then sees the end, or the reset again.
      const after = await within(
        2000,
        server.recv(100).then(
          (r) => r.data.length,
          (e: unknown) => e,
        ),
        'recv after the reset',
      )
      if (typeof after === 'number') assert.equal(after, 0, 'recv after the reset: EOF or ECONNRESET')
      else assertCode(after, ['ECONNRESET'], 'recv after the reset')
      await peer.success()
      await listener.close()
      await closesCleanly(server, 'the reset socket')
      await expectNoSocketLeak(before, 'after a reset while sending')
      await stillWorks(ctx)
      reportSurvived(ctx)
    },
  },
  {
    id: 'robustness.faults.reset.recv',
    title:
      'a python peer that resets (SO_LINGER 0) while we receive: its bytes in order, then ECONNRESET, nothing leaks',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 30_000,
    async run(ctx) {
      const before = socketFdCount()
      const { peer, server, listener } = await acceptPython(ctx, SEND_THEN_RESET)
      const limit = BLOCKS_BEFORE_RESET * 251 * 256
      const { error, got } = await within(20_000, recvUntilEnd(server, limit), 'receiving from a peer that resets')
      assertCode(error, ['ECONNRESET'], `recv after ${got} bytes`)
      assert.equal(Number(await peer.expect('RESET')), limit, 'the peer sent its blocks')
      await peer.success()
      await listener.close()
      await closesCleanly(server, 'the reset socket')
      await expectNoSocketLeak(before, 'after a reset while receiving')
      await stillWorks(ctx)
      reportSurvived(ctx, got)
    },
  },
]
