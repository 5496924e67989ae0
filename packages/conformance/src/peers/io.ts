import { createHash } from 'node:crypto'
import type { Socket } from '@polysocket/core'

/** Hex SHA-256 of some bytes. */
export function sha256(...parts: Uint8Array[]): string {
  const hash = createHash('sha256')
  for (const p of parts) hash.update(p)
  return hash.digest('hex')
}

/**
 * Reads exactly `n` bytes from a stream socket, in reads of at most `chunk` bytes.
 *
 * @throws Error when EOF comes first (naming how many bytes arrived); bounded by `n` itself,
 * since every non-EOF read returns at least one byte.
 */
export async function readExactly(socket: Socket, n: number, chunk = 65536): Promise<Buffer> {
  const parts: Buffer[] = []
  let got = 0
  while (got < n) {
    const { data } = await socket.recv(Math.min(chunk, n - got))
    if (data.length === 0) throw new Error(`EOF after ${got} of ${n} bytes`)
    parts.push(data)
    got += data.length
  }
  return Buffer.concat(parts, got)
}

/**
 * Reads a stream socket until EOF.
 *
 * @param limit - most bytes accepted (bytes); more is an error, so a runaway peer cannot
 * make the loop unbounded.
 */
export async function readToEnd(socket: Socket, limit = 1 << 20): Promise<Buffer> {
  const parts: Buffer[] = []
  let got = 0
  for (;;) {
    const { data } = await socket.recv(65536)
    if (data.length === 0) return Buffer.concat(parts, got)
    got += data.length
    if (got > limit) throw new Error(`more than ${limit} bytes before EOF`)
    parts.push(data)
  }
}

/** Sends all of `data` on a stream socket, looping over short sends (bounded by its length). */
export async function sendAll(socket: Socket, data: Uint8Array): Promise<void> {
  let off = 0
  while (off < data.length) {
    const n = await socket.send(data.subarray(off))
    if (n <= 0) throw new Error(`send returned ${n} with ${data.length - off} bytes left`)
    off += n
  }
}
