import { createServer, type ListenOptions, type Socket as NetSocket, type Server } from 'node:net'
import type { Accepted, SocketError } from '@polysocket/core'
import { fromNodeError } from './errors.js'

/**
 * Most connections held for accept(2), like Linux's default `net.core.somaxconn`; Node accepts
 * every connection itself, so past this a new one is reset rather than left in the kernel.
 */
export const ACCEPT_QUEUE_MAX = 4096

/**
 * A node:net server that holds a bound address and queues the connections it accepts until
 * the contract's accept() takes them. Node accepts as soon as it listens, so the queue
 * stands in for the kernel's backlog.
 */
export class Listener {
  readonly server: Server
  readonly #queue: Accepted[] = []
  readonly #notify: () => void
  readonly #wrap: (socket: NetSocket) => Accepted
  #closed = false
  /** The backlog Node listened with. */
  backlog: number
  /** An error the server reported after listening (rare: EMFILE on accept). */
  error: SocketError | undefined

  private constructor(server: Server, backlog: number, notify: () => void, wrap: (socket: NetSocket) => Accepted) {
    this.server = server
    this.backlog = backlog
    this.#notify = notify
    this.#wrap = wrap
    server.on('connection', (socket: NetSocket) => this.#arrive(socket))
  }

  /**
   * Listens on `options` (host/port or path) and resolves once Node listens.
   * @throws SocketError `EADDRINUSE`, `EADDRNOTAVAIL`, `EACCES`, … from listen; nothing leaks.
   */
  static open(
    options: ListenOptions,
    notify: () => void,
    wrap: (socket: NetSocket) => Accepted,
    site: { address?: string; port?: number; syscall?: 'bind' | 'listen' },
  ): Promise<Listener> {
    // Connections nobody accepted yet are not read: their bytes wait in the kernel, as they
    // would before accept(2), and closing one unaccepted resets it, as the kernel does.
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true })
    const backlog = options.backlog ?? 511
    return new Promise<Listener>((resolve, reject) => {
      const onError = (err: Error): void => {
        // A second 'error' from a server being torn down must not go unheard.
        server.on('error', () => {})
        server.close()
        reject(fromNodeError(err, { syscall: 'bind', ...site, forceSyscall: true }))
      }
      server.once('error', onError)
      server.listen({ ...options, backlog, exclusive: true }, () => {
        server.off('error', onError)
        const listener = new Listener(server, backlog, notify, wrap)
        server.on('error', (err: Error) => {
          listener.error ??= fromNodeError(err, { syscall: 'accept' })
          notify()
        })
        resolve(listener)
      })
    })
  }

  /** Connections waiting for accept(). */
  get pending(): number {
    return this.#queue.length
  }

  /** The oldest waiting connection, or `undefined`. */
  take(): Accepted | undefined {
    return this.#queue.shift()
  }

  /** Stops listening and closes every connection nobody accepted. Idempotent. */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.server.close()
    for (const accepted of this.#queue.splice(0)) void accepted.socket.close()
    this.#notify()
  }

  #arrive(socket: NetSocket): void {
    if (this.#closed || this.#queue.length >= ACCEPT_QUEUE_MAX) {
      socket.on('error', () => {})
      socket.resetAndDestroy()
      return
    }
    this.#queue.push(this.#wrap(socket))
    this.#notify()
  }
}
