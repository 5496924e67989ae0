import type { Wait } from '@polysocket/core'
import { SocketError } from '@polysocket/core'

/**
 * Wakes every waiter of a socket when its state changes (data, EOF, error, drain, a new
 * connection, close). Waiters re-check their condition after each wake, so a spurious wake
 * costs one check and a missed condition is impossible.
 */
export class Notifier {
  #waiters = new Set<() => void>()

  #onClose = new Set<() => void>()

  /** Runs `fn` when the socket closes (see {@link closed}). */
  onClose(fn: () => void): void {
    this.#onClose.add(fn)
  }

  offClose(fn: () => void): void {
    this.#onClose.delete(fn)
  }

  /** The socket closed: runs the close callbacks and wakes every waiter. */
  closed(): void {
    const callbacks = [...this.#onClose]
    this.#onClose.clear()
    for (const fn of callbacks) fn()
    this.notify()
  }

  /** Wakes every current waiter; waiters registered during the wake wait for the next one. */
  notify(): void {
    const size = this.#waiters.size
    if (size === 0) return
    if (size === 1) {
      // The common case (one recv or send waiting): no copy of the set.
      const [wake] = this.#waiters
      this.#waiters.clear()
      ;(wake as () => void)()
      return
    }
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const wake of waiters) wake()
  }

  /**
   * Resolves at the next {@link notify}, after `timeoutMs` milliseconds, or when `signal`
   * aborts, whichever comes first; never rejects.
   */
  next(timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined
      const wake = (): void => {
        this.#waiters.delete(wake)
        if (timer !== undefined) clearTimeout(timer)
        signal?.removeEventListener('abort', wake)
        resolve()
      }
      this.#waiters.add(wake)
      if (timeoutMs !== undefined) timer = setTimeout(wake, Math.max(0, timeoutMs))
      signal?.addEventListener('abort', wake, { once: true })
    })
  }
}

/** What {@link waitFor} needs from the socket it waits on. */
export interface Waitable {
  readonly notifier: Notifier
  /** Throws `EBADF` once the socket is closed. */
  checkOpen(syscall: string): void
}

/**
 * Tries `attempt` until it returns a value, waiting for the socket's notifications in
 * between, as the {@link Wait} allows: `EAGAIN` at once in non-blocking mode, `timeoutCode`
 * when `wait.timeoutMs` has passed, the signal's reason when it aborts, `EBADF` once closed.
 * Errors thrown by `attempt` propagate.
 *
 * @param attempt - returns the result, or `undefined` when the operation would block.
 */
export async function waitFor<T>(
  socket: Waitable,
  wait: Wait,
  syscall: string,
  attempt: () => T | undefined,
  timeoutCode: 'EAGAIN' | 'ETIMEDOUT' = 'EAGAIN',
): Promise<T> {
  const deadline = wait.timeoutMs === undefined ? undefined : performance.now() + wait.timeoutMs
  let graced = false
  for (;;) {
    socket.checkOpen(syscall)
    if (wait.signal?.aborted) throw wait.signal.reason
    const result = attempt()
    if (result !== undefined) return result
    if (wait.nonBlocking) {
      if (graced) throw wouldBlock(syscall)
      // What the kernel already holds (a connection, a datagram, bytes) reaches Node only in
      // the poll phase; one turn of the loop lets it in, and keeps a polling loop of
      // non-blocking calls from starving the event loop.
      graced = true
      await new Promise<void>((resolve) => setImmediate(resolve))
      continue
    }
    let remaining: number | undefined
    if (deadline !== undefined) {
      remaining = deadline - performance.now()
      if (remaining <= 0) {
        if (graced) throw timeoutCode === 'EAGAIN' ? wouldBlock(syscall) : new SocketError('ETIMEDOUT', { syscall })
        // Timers run before the poll phase: give I/O that is already waiting in the kernel
        // one turn to arrive, as the kernel would have delivered it before the timeout.
        graced = true
        await new Promise<void>((resolve) => setImmediate(resolve))
        continue
      }
    }
    await socket.notifier.next(remaining, wait.signal)
  }
}

/**
 * Waits for `work`, but rejects with `EBADF` as soon as the socket closes: an operation Node
 * has already started (a write, a datagram send) must not keep its caller waiting past close.
 */
export function untilClosed<T>(socket: Waitable, syscall: string, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onClose = (): void =>
      reject(new SocketError('EBADF', { syscall, message: `${syscall} EBADF: socket is closed` }))
    socket.notifier.onClose(onClose)
    work.then(
      (value) => {
        socket.notifier.offClose(onClose)
        resolve(value)
      },
      (error: unknown) => {
        socket.notifier.offClose(onClose)
        reject(error)
      },
    )
  })
}

/** The `EAGAIN` of an operation that would block. */
export function wouldBlock(syscall: string): SocketError {
  return new SocketError('EAGAIN', { syscall, message: `${syscall} EAGAIN: the operation would block` })
}
