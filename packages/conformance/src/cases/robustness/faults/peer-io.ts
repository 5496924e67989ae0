import assert from 'node:assert/strict'
import { type Socket, SocketError } from '@polysocket/core'
import type { CaseContext } from '../../../case.js'
import { describeError } from '../../../peers/errors.js'
import { type PythonPeer, startPython } from '../../../peers/python.js'
import { listen, own, portOf } from '../../../peers/sockets.js'
import { within } from '../../../peers/time.js'
import { patternMismatch } from './helpers.js'

/** Most bytes sent to a peer that reset or vanished before a send must fail (far beyond kernel buffers). */
const SEND_LIMIT = 256 << 20

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
