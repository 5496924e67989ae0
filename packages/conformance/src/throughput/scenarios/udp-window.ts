/**
 * Flow control for the UDP rate scenarios: the sender may be at most `size` datagrams ahead of
 * what the receiver has counted. Without it, a sender whose sends complete without waiting
 * (every send on loopback does) never lets the event loop reach the receiver, so the receive
 * buffer fills and "delivered per second" measures only what fits in it. With it, both sides
 * run at the pace of the slower one, as a real protocol with acknowledgements would.
 *
 * Loopback rarely drops a datagram when the window is well under the receive buffer (about
 * 200 datagrams of 64 bytes with Linux defaults), but a drop would stall the window for ever;
 * so a watchdog counts what is outstanding as lost when the receiver made no progress for
 * {@link STALL_MS} while the sender waited.
 */
export class UdpWindow {
  readonly #size: number
  readonly #resume: number
  #sent = 0
  #received = 0
  #lost = 0
  #wake: (() => void) | undefined
  #timer: NodeJS.Timeout | undefined
  #seenAtTick = 0

  /**
   * @param size - most datagrams in flight (sent, neither received nor written off).
   * @param resume - a waiting sender resumes when at most this many are in flight (default `size / 2`).
   */
  constructor(size: number, resume = size >> 1) {
    this.#size = size
    this.#resume = resume
  }

  get sent(): number {
    return this.#sent
  }

  get received(): number {
    return this.#received
  }

  /** Datagrams written off by the watchdog. */
  get lost(): number {
    return this.#lost
  }

  /** Datagrams in flight now. */
  get inFlight(): number {
    return this.#sent - this.#received - this.#lost
  }

  /** How many more the sender may send now (0 when the window is full). */
  get room(): number {
    return Math.max(0, this.#size - this.inFlight)
  }

  /** Starts the stall watchdog; {@link stop} ends it. */
  start(): void {
    this.#timer ??= setInterval(() => this.#tick(), STALL_MS)
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#release()
  }

  /** Records `n` datagrams handed to the system by the sender (negative: sends that failed after all). */
  onSent(n: number): void {
    this.#sent += n
  }

  /** Records `n` datagrams counted by the receiver; wakes the sender once enough room is back. */
  onReceived(n: number): void {
    this.#received += n
    if (this.#wake !== undefined && this.inFlight <= this.#resume) this.#release()
  }

  /** Resolves when the window has room again (or at once if it has). */
  whenOpen(): Promise<void> {
    if (this.room > 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.#wake = resolve
    })
  }

  #release(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  #tick(): void {
    if (this.#wake !== undefined && this.#received === this.#seenAtTick) {
      this.#lost += this.inFlight
      this.#release()
    }
    this.#seenAtTick = this.#received
  }
}

/** How long a waiting sender tolerates a receiver without progress before writing off the window, in ms. */
export const STALL_MS = 100
