/**
 * One buffer kept for a data path and lent to one user at a time, so that a Send or a Recv of
 * JSL text does not allocate per call (an allocation, the first touch of its pages and, at bulk
 * rates, full garbage collections for memory outside the heap). A second user meanwhile gets
 * nothing and allocates its own.
 */
export class KeptBuffer {
  readonly #max: number
  #buffer: Buffer | undefined
  #lent = false

  /** @param max - largest loan in bytes; a longer request gets nothing. */
  constructor(max: number) {
    this.#max = max
  }

  /**
   * The kept buffer, at least `size` bytes long (grown when needed), or `undefined` while it is
   * lent or for an empty or outsize request. End the loan with {@link giveBack}.
   */
  lend(size: number): Buffer | undefined {
    if (this.#lent || size === 0 || size > this.#max) return undefined
    if (this.#buffer === undefined || this.#buffer.length < size) {
      this.#buffer = Buffer.allocUnsafeSlow(Math.max(size, 1 << 16))
    }
    this.#lent = true
    return this.#buffer
  }

  /**
   * Ends the loan, if `bytes` lie in the kept buffer. With `keep` false the buffer is given up
   * rather than reused: someone may still read or write it (a closed socket's backend flushing
   * a failed send).
   */
  giveBack(bytes: Uint8Array, keep = true): void {
    if (!this.#lent || this.#buffer === undefined || bytes.buffer !== this.#buffer.buffer) return
    this.#lent = false
    if (!keep) this.#buffer = undefined
  }
}
