import assert from 'node:assert/strict'
import type { Socket } from '@polysocket/core'
import type { CaseContext } from '../../../case.js'
import { caught, describeError } from '../../../peers/errors.js'
import { readExactly, sendAll } from '../../../peers/io.js'
import { connectedPair } from '../../../peers/sockets.js'
import { within } from '../../../peers/time.js'

/**
 * Reports that this run survived its fault: the figure `faults survived` (1 a run, so a report
 * sums them) and the bytes whose content was checked after crossing the fault.
 */
export function reportSurvived(ctx: CaseContext, bytesVerified = 0): void {
  ctx.report('faults survived', 1, 'faults')
  ctx.report('bytes verified', bytesVerified, 'bytes')
}

/**
 * After a fault: a fresh connected pair on the same backend still carries a message both ways,
 * so the fault left the process and the backend working.
 */
export async function stillWorks(ctx: CaseContext): Promise<void> {
  const { client, server } = await connectedPair(ctx)
  const message = Buffer.from('still alive after the fault')
  await sendAll(client, message)
  assert.deepEqual(await within(5000, readExactly(server, message.length), 'echo after the fault'), message)
  await sendAll(server, message)
  assert.deepEqual(await within(5000, readExactly(client, message.length), 'reply after the fault'), message)
  await client.close()
  await server.close()
}

/**
 * After a fault on `socket`: `close()` resolves, and every later call fails with `EBADF`
 * (a closed handle never touches its old fd number).
 */
export async function closesCleanly(socket: Socket, what: string): Promise<void> {
  await within(5000, socket.close(), `${what}: close()`)
  assert.equal(socket.closed, true, `${what}: closed after close()`)
  const error = await caught(() => socket.recv(1), `${what}: recv after close`)
  assert.equal((error as { code?: unknown }).code, 'EBADF', `${what}: recv after close: ${describeError(error)}`)
  await within(1000, socket.close(), `${what}: a second close()`)
}

/** Byte `i` of the stream the python peers send: `i mod 251` (a prime, so chunk edges show). */
export const PATTERN_MODULUS = 251

/**
 * A python expression for one block of the pattern: 251 × 256 bytes, a multiple of the modulus,
 * so that sending it again and again continues the pattern.
 */
export const PY_PATTERN = `bytes(i % ${PATTERN_MODULUS} for i in range(${PATTERN_MODULUS} * 256))`

/**
 * Checks that `data`, found at stream offset `offset`, follows the pattern; returns the index
 * of the first wrong byte, or -1.
 */
export function patternMismatch(data: Uint8Array, offset: number): number {
  for (let i = 0; i < data.length; i++) if (data[i] !== (offset + i) % PATTERN_MODULUS) return i
  return -1
}

/** The codes a send may fail with once the peer reset or vanished. */
export const SEND_FAULT_CODES: readonly string[] = ['ECONNRESET', 'EPIPE']

/** Kills a python peer that printed `PID n` (its own pid), with SIGKILL, unless it already exited. */
export function killPid(pid: number): void {
  // Never 0 or a negative number, which would signal a whole process group (ours).
  assert.ok(Number.isInteger(pid) && pid > 1, `not a python peer's pid: ${pid}`)
  try {
    process.kill(pid, 'SIGKILL')
  } catch (error) {
    // ESRCH: it is gone already, which is what the kill wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}
