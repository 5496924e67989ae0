const EMPTY = Buffer.alloc(0)

/**
 * The input buffer of a socket object: the bytes of the last real read that the program has
 * not consumed yet. read-char, read-string and fread take from it first; clear-input, recv and
 * recv-from throw it away. Source: Lisp socket class, socket-fread and socket-clear-input.
 */
export class InputBuffer {
  #bytes: Buffer = EMPTY
  #position = 0

  /** Unconsumed bytes. */
  get length(): number {
    return this.#bytes.length - this.#position
  }

  get isEmpty(): boolean {
    return this.length === 0
  }

  /** Replaces the content with `bytes` (a fresh read into an exhausted buffer). */
  fill(bytes: Buffer): void {
    this.#bytes = bytes
    this.#position = 0
  }

  /** Adds `bytes` after the unconsumed ones (read-string completing a split UTF-8 sequence). */
  append(bytes: Buffer): void {
    this.#bytes = this.isEmpty ? bytes : Buffer.concat([this.#bytes.subarray(this.#position), bytes])
    this.#position = 0
  }

  /** Puts `bytes` back in front (an unread character consumed by fread or read-string). */
  prepend(bytes: Buffer): void {
    this.#bytes = Buffer.concat([bytes, this.#bytes.subarray(this.#position)])
    this.#position = 0
  }

  /** The next byte without consuming it, or `undefined` when empty. */
  peek(): number | undefined {
    return this.#bytes[this.#position]
  }

  /** Consumes one byte. */
  skip(): void {
    if (this.#position < this.#bytes.length) this.#position++
  }

  /** Consumes up to `n` bytes and returns them (a view, valid until the next fill). */
  take(n: number): Buffer {
    const end = Math.min(this.#bytes.length, this.#position + Math.max(0, n))
    const out = this.#bytes.subarray(this.#position, end)
    this.#position = end
    return out
  }

  /** The unconsumed bytes, without consuming them. */
  view(): Buffer {
    return this.#bytes.subarray(this.#position)
  }

  /** Forgets every unconsumed byte. */
  clear(): void {
    this.#bytes = EMPTY
    this.#position = 0
  }
}
