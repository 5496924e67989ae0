/**
 * A FIFO of received bytes, filled by a stream's `'data'` events and drained by `recv`.
 * Chunks are kept as Node gave them; a read copies only when it spans several chunks.
 */
export class ByteQueue {
  #chunks: Buffer[] = []
  /** Bytes already consumed from the first chunk. */
  #offset = 0
  #length = 0

  /** Bytes queued. */
  get length(): number {
    return this.#length
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return
    this.#chunks.push(chunk)
    this.#length += chunk.length
  }

  /**
   * Up to `max` bytes from the front.
   * @param consume - false leaves them queued (MSG_PEEK).
   */
  read(max: number, consume = true): Buffer {
    const want = Math.min(max, this.#length)
    if (want === 0) return Buffer.alloc(0)
    const first = this.#chunks[0] as Buffer
    let out: Buffer
    if (this.#offset === 0 && want === first.length) {
      // The whole first chunk: hand it over as it is (no view to allocate, nothing to pin).
      if (consume) this.#advance(want)
      return first
    }
    if (first.length - this.#offset >= want) {
      out = first.subarray(this.#offset, this.#offset + want)
      if (consume) this.#advance(want)
      // A view would pin Node's whole chunk; copy when it is a small part of a large one.
      return out.length * 4 < first.length ? Buffer.from(out) : out
    }
    out = Buffer.allocUnsafe(want)
    let filled = 0
    let index = 0
    let offset = this.#offset
    while (filled < want) {
      const chunk = this.#chunks[index] as Buffer
      const n = Math.min(chunk.length - offset, want - filled)
      chunk.copy(out, filled, offset, offset + n)
      filled += n
      index++
      offset = 0
    }
    if (consume) this.#advance(want)
    return out
  }

  /** Drops everything queued. */
  clear(): void {
    // Every close clears: an empty queue keeps its array.
    if (this.#chunks.length > 0) this.#chunks = []
    this.#offset = 0
    this.#length = 0
  }

  #advance(n: number): void {
    this.#length -= n
    let left = n
    while (left > 0) {
      const first = this.#chunks[0] as Buffer
      const rest = first.length - this.#offset
      if (rest > left) {
        this.#offset += left
        return
      }
      left -= rest
      this.#chunks.shift()
      this.#offset = 0
    }
  }
}
