import type { PollEvent, Socket } from '../../contract/socket.js'
import type { Reader } from './reader.js'

/** select(2)'s readable set (POLLIN_SET in Linux's fs/select.c): input, hang-up or an error. */
const READABLE: readonly PollEvent[] = ['POLLIN', 'POLLHUP', 'POLLERR']
/** select(2)'s writable set (POLLOUT_SET): room for output, or an error. */
const WRITABLE: readonly PollEvent[] = ['POLLOUT', 'POLLERR']

/** How long one look may wait: `timeoutMs` 0 looks without waiting; `signal` ends a wait. */
export interface Look {
  readonly timeoutMs?: number
  readonly signal?: AbortSignal
}

/**
 * What `select` asks of one socket object: would a read (or accept) return at once, would a
 * write? It answers from the input side first (buffered bytes, an unread character, the end
 * of the stream, a destroyed object) and otherwise from the contract's waitReady, as select(2)
 * answers from poll(2)'s events. Nothing is read or accepted to find out.
 */
export class Readiness {
  /** Set by listen; shown by showbin. */
  listening = false
  readonly #socket: Socket
  readonly #reader: Reader

  constructor(socket: Socket, reader: Reader) {
    this.#socket = socket
    this.#reader = reader
  }

  /**
   * Resolves true once a read method or accept would not wait (input, the end, a pending
   * error, a waiting connection), false when `look` ends first.
   */
  readable(look: Look): Promise<boolean> {
    if (this.#reader.readyNow) return Promise.resolve(true)
    return this.#look(['POLLIN'], READABLE, look)
  }

  /** Resolves true once a write would not wait for room (or would fail at once), false when `look` ends first. */
  writable(look: Look): Promise<boolean> {
    return this.#look(['POLLOUT'], WRITABLE, look)
  }

  async #look(ask: readonly PollEvent[], counted: readonly PollEvent[], look: Look): Promise<boolean> {
    try {
      const held = await this.#socket.waitReady(ask, look)
      if (held.some((e) => counted.includes(e))) return true
      // Only a hang-up, for a write: no room will come; wait out the look.
      if (held.length > 0 && look.signal !== undefined && look.timeoutMs !== 0) {
        const signal = look.signal
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve()
          else signal.addEventListener('abort', () => resolve(), { once: true })
        })
      }
      return false
    } catch (error) {
      if (look.signal?.aborted && !this.#socket.closed) return false
      // Destroyed meanwhile, or a failure the next call reports at once: it would not wait.
      void error
      return true
    }
  }
}
