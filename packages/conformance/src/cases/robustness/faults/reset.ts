import assert from 'node:assert/strict'
import { type Socket, SocketError } from '@polysocket/core'
import type { Case, CaseContext } from '../../../case.js'
import { describeError } from '../../../peers/errors.js'
import { type PythonPeer, startPython } from '../../../peers/python.js'
import { listen, own, portOf } from '../../../peers/sockets.js'
import { expectNoSocketLeak, socketFdCount } from './fds.js'
import { recordSurvived } from './figures.js'
import { closesCleanly, PY_PATTERN, patternMismatch, SEND_FAULT_CODES, stillWorks, within } from './helpers.js'

/** Bytes the python peer reads from us before it resets (while we keep sending). */
const READ_BEFORE_RESET = 1 << 20
/** Blocks of the pattern (64,256 bytes each) the python peer sends before it resets: about 4 MiB. */
const BLOCKS_BEFORE_RESET = 64
/** Most bytes we try to send to a peer that resets: far beyond what the kernel buffers. */
const SEND_LIMIT = 256 << 20

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

/**
 * Starts `script` as a python peer that connects to a fresh listener (its port is `argv[2]`,
 * then come `args`); returns the accepted socket.
 */
export async function acceptPython(
  ctx: CaseContext,
  script: string,
  args: readonly string[] = [],
): Promise<{ peer: PythonPeer; server: Socket; listener: Socket }> {
  const listener = await listen(ctx)
  const accepting = listener.socket.accept({ signal: ctx.signal })
  const port = String(portOf(listener.address))
  const peer = await startPython(ctx, script, ctx.ipFamily === 6 ? '6' : '4', [port, ...args])
  const { socket } = await within(8000, accepting, 'accepting the python peer')
  return { peer, server: own(ctx, socket), listener: listener.socket }
}

/**
 * Sends 256 KiB pieces until a send fails (bounded by {@link SEND_LIMIT}); returns the error
 * and the bytes accepted before it.
 */
export async function sendUntilFailure(ctx: CaseContext, socket: Socket): Promise<{ error: unknown; sent: number }> {
  const piece = Buffer.alloc(256 << 10, 0x5a)
  let sent = 0
  while (sent < SEND_LIMIT) {
    try {
      sent += await socket.send(piece, { signal: ctx.signal })
    } catch (error) {
      return { error, sent }
    }
  }
  assert.fail(`${sent} bytes were accepted by a peer that reset or vanished`)
}

/**
 * Receives until EOF or an error, checking the pattern on the way (bounded: every read that is
 * not EOF returns a byte, and more than `limit` bytes fails). `progress` hears the running
 * count of bytes after each read.
 */
export async function recvUntilEnd(
  socket: Socket,
  limit: number,
  progress?: (got: number) => void,
): Promise<{ error: unknown; got: number }> {
  let got = 0
  for (;;) {
    let data: Buffer
    try {
      ;({ data } = await socket.recv(65536))
    } catch (error) {
      return { error, got }
    }
    if (data.length === 0) return { error: undefined, got }
    const bad = patternMismatch(data, got)
    assert.equal(bad, -1, `byte ${got + bad} of the stream is not the peer's`)
    got += data.length
    assert.ok(got <= limit, `${got} bytes arrived, more than the peer sent (${limit})`)
    progress?.(got)
  }
}

/** Asserts an error is a SocketError with one of `codes`. */
export function assertCode(error: unknown, codes: readonly string[], what: string): void {
  assert.ok(
    error instanceof SocketError && codes.includes(error.code),
    `${what}: expected ${codes.join(' or ')}, got ${error === undefined ? 'no error' : describeError(error)}`,
  )
}

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
      recordSurvived()
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
      recordSurvived(got)
    },
  },
]
