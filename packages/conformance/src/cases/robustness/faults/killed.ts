import assert from 'node:assert/strict'
import type { Case } from '../../../case.js'
import { expectNoSocketLeak, socketFdCount } from '../../../peers/process.js'
import { within } from '../../../peers/time.js'
import { closesCleanly, killPid, PY_PATTERN, reportSurvived, SEND_FAULT_CODES, stillWorks } from './helpers.js'
import { acceptPython, assertCode, recvUntilEnd, sendUntilFailure } from './peer-io.js'

/** Bytes moved before the peer is killed: enough that the transfer is well under way. */
const BEFORE_KILL = 2 << 20
/** Blocks of the pattern (64,256 bytes each) the sending peer would send if never killed: about 1 GiB. */
const MAX_BLOCKS = 16_384

/** A python peer that connects to us, says its pid, and reads until EOF. */
const READER = `
s = socket.socket(FAMILY, socket.SOCK_STREAM)
s.connect(target())
say('PID', os.getpid())
while s.recv(65536):
    pass
`

/** A python peer that connects to us, says its pid, and sends the pattern (about 1 GiB at most). */
const WRITER = `
s = socket.socket(FAMILY, socket.SOCK_STREAM)
s.connect(target())
say('PID', os.getpid())
block = ${PY_PATTERN}
for i in range(${MAX_BLOCKS}):
    s.sendall(block)
`

/** The peer process is killed (SIGKILL) in the middle of a transfer, each way. */
export const killedCases: readonly Case[] = [
  {
    id: 'robustness.faults.killed.send',
    title:
      'a python peer killed (SIGKILL) while we send: a later send fails with ECONNRESET or EPIPE, no hang, nothing leaks',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 30_000,
    async run(ctx) {
      const before = socketFdCount()
      const { peer, server, listener } = await acceptPython(ctx, READER)
      const pid = Number(await peer.expect('PID'))
      const piece = Buffer.alloc(64 << 10, 0x33)
      let sent = 0
      // Bounded: each send accepts at least one byte or throws.
      while (sent < BEFORE_KILL) sent += await within(10_000, server.send(piece), 'sending to the live peer')
      killPid(pid)
      const exit = await within(5000, peer.exited, 'the killed peer exiting')
      assert.equal(exit.signal, 'SIGKILL', 'the peer died of SIGKILL')
      const { error, sent: more } = await within(20_000, sendUntilFailure(ctx, server), 'sending to a killed peer')
      assertCode(error, SEND_FAULT_CODES, `send ${more} bytes after the kill`)
      await listener.close()
      await closesCleanly(server, 'the socket of the killed peer')
      await expectNoSocketLeak(before, 'after the peer was killed while we sent')
      await stillWorks(ctx)
      reportSurvived(ctx)
    },
  },
  {
    id: 'robustness.faults.killed.recv',
    title:
      'a python peer killed (SIGKILL) while we receive: its bytes in order, then EOF or ECONNRESET, no hang, nothing leaks',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 30_000,
    async run(ctx) {
      const before = socketFdCount()
      const { peer, server, listener } = await acceptPython(ctx, WRITER)
      const pid = Number(await peer.expect('PID'))
      const limit = MAX_BLOCKS * 251 * 256
      let killed = false
      const kill = (got: number): void => {
        if (killed || got < BEFORE_KILL) return
        killed = true
        killPid(pid)
      }
      const { error, got } = await within(20_000, recvUntilEnd(server, limit, kill), 'receiving from a killed peer')
      assert.ok(killed, `the peer's stream ended after ${got} bytes, before it was killed`)
      if (error !== undefined) assertCode(error, ['ECONNRESET'], `recv after ${got} bytes`)
      const exit = await within(5000, peer.exited, 'the killed peer exiting')
      assert.equal(exit.signal, 'SIGKILL', 'the peer died of SIGKILL')
      await listener.close()
      await closesCleanly(server, 'the socket of the killed peer')
      await expectNoSocketLeak(before, 'after the peer was killed while we received')
      await stillWorks(ctx)
      reportSurvived(ctx, got)
    },
  },
]
