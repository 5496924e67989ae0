import type { Backend } from '../../contract/backend.js'
import type { Accepted, Socket } from '../../contract/socket.js'
import type { Reader } from './reader.js'
import { abortable, waitUntilReady } from './wait.js'

/** A connection select accepted ahead of the program, or the error that accept met. */
type Pending = Accepted | { readonly error: unknown }

/**
 * The connection state `select` needs beside the input side: whether the socket listens,
 * whether a connect is running, and connections accepted ahead. It answers "would a read
 * (or accept) return at once?" and waits until one would, with the contract's own calls:
 * see select.ts for the whole rule.
 */
export class Readiness {
  listening = false
  readonly #socket: Socket
  readonly #backend: Backend
  readonly #reader: Reader
  #connecting: Promise<void> | undefined
  readonly #accepted: Pending[] = []

  constructor(socket: Socket, backend: Backend, reader: Reader) {
    this.#socket = socket
    this.#backend = backend
    this.#reader = reader
  }

  get readableNow(): boolean {
    return this.#reader.readyNow || this.#accepted.length > 0
  }

  get writableNow(): boolean {
    return this.#connecting === undefined && !this.listening
  }

  /** Runs a connect, so that select sees the socket as not writable meanwhile. */
  async connecting(connect: Promise<void>): Promise<void> {
    this.#connecting = connect.then(
      () => undefined,
      () => undefined,
    )
    try {
      await connect
    } finally {
      this.#connecting = undefined
    }
  }

  /** The connection select accepted ahead (or its error), else `undefined`. */
  takeAccepted(): Pending | undefined {
    return this.#accepted.shift()
  }

  /** Closes the connections accepted ahead that nobody took (on destroy). */
  async closeAccepted(): Promise<void> {
    const pending = this.#accepted.splice(0)
    await Promise.all(pending.map((p) => ('socket' in p ? p.socket.close() : undefined)))
  }

  /** Resolves true once a read or accept would not wait, false when `signal` aborts first. */
  waitReadable(signal: AbortSignal): Promise<boolean> {
    if (this.readableNow) return Promise.resolve(true)
    if (this.listening) {
      // accept(2) cannot peek: the connection taken here is the next accept's result.
      return waitUntilReady(
        signal,
        async () => {
          this.#accepted.push(await this.#socket.accept({ signal }))
        },
        (error) => this.#accepted.push({ error }),
      )
    }
    if (this.#backend.supports.msgPeek) {
      return waitUntilReady(
        signal,
        async () => {
          await this.#socket.recv(1, { flags: ['MSG_PEEK'], signal })
        },
        (error) => this.#reader.keepError(error),
      )
    }
    return this.#reader.readAhead(signal)
  }

  /** Resolves true once a write would not wait for a connect, false when `signal` aborts first. */
  waitWritable(signal: AbortSignal): Promise<boolean> {
    // A listening socket never becomes writable.
    if (this.listening) return abortable(new Promise<boolean>(() => {}), signal, () => false)
    const connecting = this.#connecting
    if (connecting === undefined) return Promise.resolve(true)
    return abortable(
      connecting.then(() => true),
      signal,
      () => false,
    )
  }
}
