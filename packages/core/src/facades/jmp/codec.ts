/**
 * JSL's binary-in-a-string convention (JMP Socket reference, send's note): a byte that is
 * not printable ASCII travels as `~` and two hexadecimal digits, so `"~0d~0a"` is CR LF.
 *
 * What the document leaves open, decided here:
 * - Printable means 0x20 (space) to 0x7e. `~` itself (0x7e) is escaped as `~7e`, so that every
 *   byte string has exactly one encoding and decoding it gives the same bytes back.
 * - Bytes 0x80–0xff are escaped too: received data is bytes, and guessing a text encoding
 *   would lose or reorder some of them. `"é"` received as UTF-8 reads `"~c3~a9"`.
 * - Encoding writes lowercase hex, as the document's example does; decoding takes either case.
 * - Decoding a character above 0x7e (`"é"` typed into a script) sends its UTF-8 bytes.
 * - A `~` not followed by two hex digits is sent as a plain `~`, not refused.
 */

import { isAscii } from 'node:buffer'
import { KeptBuffer } from './kept-buffer.js'
import { firstEscape } from './scan.js'

const HEX = '0123456789abcdef'

/** The text of each byte value. */
const TEXT_OF_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b >= 0x20 && b < 0x7e ? String.fromCharCode(b) : `~${HEX[b >> 4]}${HEX[b & 15]}`,
)

/**
 * Bytes to a JSL string.
 * @param bytes - any bytes.
 * @returns printable ASCII as itself, every other byte (and `~`) as `~xx` in lowercase hex.
 */
export function encode(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // Text-like data is one scan of the bytes (scan.ts) and one native latin1 copy (byte = char code).
  const first = firstEscape(buffer)
  if (first === -1) return buffer.toString('latin1')
  // Otherwise a table lookup per byte from the first escape on; chunks keep the parts short.
  let out = buffer.toString('latin1', 0, first)
  for (let start = first; start < buffer.length; start += 8192) {
    const parts: string[] = []
    const end = Math.min(buffer.length, start + 8192)
    for (let i = start; i < end; i++) parts.push(TEXT_OF_BYTE[buffer[i] as number] as string)
    out += parts.join('')
  }
  return out
}

/** The buffer Sends decode plain text into, up to 1 MiB; longer text gets its own. */
const sendMemory = new KeptBuffer(1 << 20)

/**
 * A UTF-16 unit above 0xff, which a latin1 copy would cut to its low byte. V8 answers this
 * without a scan for a string it stores one byte per unit (text without such units, as a rule):
 * 65 ns per 64 KiB here. The UTF-8 length used before (`Buffer.byteLength`) took 0.8 µs on a
 * flat string but about 9 µs on a concatenated one, on every call, flattened or not. Other
 * strings are scanned, with the same answer.
 */
const ABOVE_LATIN1 = /[\u0100-\uffff]/

/**
 * Whether `text` may be plain ASCII without a `~`: no `~` (a native search) and no character
 * above 0xff. The latin1 copy of such text is what {@link decode} makes of it when every byte
 * is ASCII (`isAscii`, native too); 0x80–0xff go out as UTF-8 instead.
 */
function maybePlain(text: string): boolean {
  return text.indexOf('~') === -1 && !ABOVE_LATIN1.test(text)
}

/**
 * {@link decode} for a Send: plain ASCII without a `~` (JSL's usual text) is copied into one
 * buffer kept for the purpose, not into a fresh one per call, which cost an allocation, the
 * first touch of its pages and garbage collection per 64 KiB, a fifth of a bulk Send's time.
 * The buffer is lent to one Send at a time (another Send meanwhile gets its own bytes) and
 * comes back through {@link settleSendBytes}.
 */
export function decodeForSend(text: string): Buffer {
  const n = text.length
  const kept = maybePlain(text) ? sendMemory.lend(n) : undefined
  if (kept === undefined) return decode(text)
  kept.write(text, 0, n, 'latin1')
  const bytes = kept.subarray(0, n)
  if (isAscii(bytes)) return bytes
  sendMemory.giveBack(bytes)
  return decode(text)
}

/**
 * Ends the loan of {@link decodeForSend}'s buffer, if `bytes` are in it. After a send that
 * succeeded the buffer is reused: the contract's send resolves once the backend is done with
 * the bytes (the kernel copied them, or Node finished the write). After a failure it is given
 * up instead, since a closed socket's backend may still flush what it holds.
 */
export function settleSendBytes(bytes: Uint8Array, sent: boolean): void {
  sendMemory.giveBack(bytes, sent)
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  const lower = code | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

/** The byte of a `~xx` escape at `at`, or -1 when no two hex digits follow the `~`. */
function escapedByte(text: string, at: number): number {
  if (at + 2 >= text.length) return -1
  const hi = hexValue(text.charCodeAt(at + 1))
  const lo = hexValue(text.charCodeAt(at + 2))
  return hi >= 0 && lo >= 0 ? (hi << 4) | lo : -1
}

/**
 * A JSL string to bytes: `~xx` (either case) becomes the byte 0xXX, ASCII stays itself, other
 * characters become their UTF-8 bytes. Never throws.
 */
export function decode(text: string): Buffer {
  // Plain ASCII without a ~, the usual case: native searches and one native copy.
  if (maybePlain(text)) {
    const ascii = Buffer.from(text, 'latin1')
    if (isAscii(ascii)) return ascii
  }
  // At most 3 bytes per UTF-16 unit (a surrogate pair is 2 units for 4 bytes).
  const out = Buffer.allocUnsafe(text.length * 3)
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x7e) {
      const byte = escapedByte(text, i)
      // A ~ not followed by two hex digits is sent as a plain ~.
      out[n++] = byte >= 0 ? byte : c
      if (byte >= 0) i += 2
    } else if (c < 0x80) {
      out[n++] = c
    } else {
      // One character (a whole surrogate pair where there is one) as UTF-8; a lone surrogate
      // is written as U+FFFD, as Buffer's UTF-8 encoder does.
      const cp = text.codePointAt(i) as number
      n += out.write(String.fromCodePoint(cp), n, 'utf8')
      if (cp > 0xffff) i++
    }
  }
  return Buffer.from(out.subarray(0, n))
}
