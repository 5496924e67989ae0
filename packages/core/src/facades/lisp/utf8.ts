/**
 * UTF-8 decoding one byte at a time, as read-char needs it: "the UTF-8 sequences are
 * interpreted by a finite state automaton until complete and returned as one Unicode integer"
 * (Lisp socket class, socket-read-char). The automaton follows the WHATWG Encoding
 * Standard's UTF-8 decoder, so it refuses overlong forms, surrogates and code points past
 * U+10FFFF exactly where `TextDecoder` does, and an ill-formed sequence yields U+FFFD.
 */

/** U+FFFD, the code point returned for an ill-formed sequence. */
export const REPLACEMENT = 0xfffd

/** {@link Utf8Decoder.push} result: the byte was taken and the sequence needs more bytes. */
export const NEED_MORE = -1

/**
 * {@link Utf8Decoder.push} result: the byte cannot continue the pending sequence. The
 * sequence is ill-formed (the caller returns U+FFFD) and the byte was not taken: the caller
 * feeds it again, as the start of the next character.
 */
export const REJECTED = -2

/** The UTF-8 automaton. Its state survives between pushes until a character completes. */
export class Utf8Decoder {
  #codePoint = 0
  #needed = 0
  #seen = 0
  #lower = 0x80
  #upper = 0xbf

  /** Whether a sequence has started and is not complete. */
  get pending(): boolean {
    return this.#needed !== 0
  }

  /** Forgets a pending sequence (what a timeout in the middle of one does). */
  reset(): void {
    this.#codePoint = 0
    this.#needed = 0
    this.#seen = 0
    this.#lower = 0x80
    this.#upper = 0xbf
  }

  /**
   * Feeds one byte (0–255).
   * @returns a code point (the byte was taken and completed a character, U+FFFD for a byte
   * that can never start one), `NEED_MORE` (-1), or `REJECTED` (-2).
   */
  push(byte: number): number {
    if (this.#needed === 0) {
      if (byte <= 0x7f) return byte
      if (byte >= 0xc2 && byte <= 0xdf) {
        this.#needed = 1
        this.#codePoint = byte & 0x1f
      } else if (byte >= 0xe0 && byte <= 0xef) {
        // E0 would start an overlong form below A0; ED would start a surrogate from A0 on.
        if (byte === 0xe0) this.#lower = 0xa0
        if (byte === 0xed) this.#upper = 0x9f
        this.#needed = 2
        this.#codePoint = byte & 0x0f
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        // F0 below 90 is overlong; F4 from 90 on passes U+10FFFF.
        if (byte === 0xf0) this.#lower = 0x90
        if (byte === 0xf4) this.#upper = 0x8f
        this.#needed = 3
        this.#codePoint = byte & 0x07
      } else {
        return REPLACEMENT
      }
      return NEED_MORE
    }
    if (byte < this.#lower || byte > this.#upper) {
      this.reset()
      return REJECTED
    }
    this.#lower = 0x80
    this.#upper = 0xbf
    this.#codePoint = (this.#codePoint << 6) | (byte & 0x3f)
    this.#seen++
    if (this.#seen < this.#needed) return NEED_MORE
    const codePoint = this.#codePoint
    this.reset()
    return codePoint
  }
}

/**
 * How many bytes at the end of `bytes` are the start of a well-formed sequence that is not
 * complete yet (0 to 3): what read-string leaves in the input buffer for the next read.
 */
export function incompleteTail(bytes: Uint8Array): number {
  const decoder = new Utf8Decoder()
  for (let k = Math.min(3, bytes.length); k >= 1; k--) {
    decoder.reset()
    let open = true
    for (let i = bytes.length - k; i < bytes.length && open; i++) {
      open = decoder.push(bytes[i] as number) === NEED_MORE
    }
    if (open) return k
  }
  return 0
}

/**
 * The UTF-8 bytes of one code point.
 * @throws RangeError for a value that is not a Unicode scalar value (0–0x10FFFF, no surrogates).
 */
export function encodeCodePoint(codePoint: number): Buffer {
  if (!Number.isInteger(codePoint) || codePoint < 0 || codePoint > 0x10ffff) {
    throw new RangeError(`a character must be a code point from 0 to 1114111, got ${codePoint}`)
  }
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
    throw new RangeError(`a character cannot be a surrogate code point, got ${codePoint}`)
  }
  return Buffer.from(String.fromCodePoint(codePoint), 'utf8')
}
