import type { Wait } from '@polysocket/core'
import { SocketError } from '@polysocket/core'

/** One party waiting on a {@link Notifier}. */
interface Waiter {
  /** performance.now() milliseconds after which {@link expire} runs; `Infinity` for never. */
  readonly deadline: number
  /** The socket's state changed: look again. `true` when the waiter is done and leaves the list. */
  poke(): boolean
  /** The deadline passed; the waiter settles (now or after a grace turn) and leaves by itself. */
  expire(): void
}

/**
 * What a socket's waiters wait on: every change of its state (data, EOF, error, drain, a new
 * connection, close) pokes each waiter, which looks again at once, inside the event that made
 * the change. A recv that waited therefore settles in the 'data' or 'message' handler itself,
 * with no promise or loop turn in between, and a spurious poke costs one look.
 *
 * Deadlines share one timer per socket, armed for the earliest and left running when a waiter
 * settles early (it is unreferenced while nobody waits): a datagram stream with SO_RCVTIMEO
 * set would otherwise create and cancel a timer per datagram.
 */
export class Notifier {
  #waiters: Waiter[] = []
  #notifying = false
  #again = false
  #timer: NodeJS.Timeout | undefined
  #timerAt = Number.POSITIVE_INFINITY
  #onClose: Set<() => void> | undefined

  /** Runs `fn` when the socket closes (see {@link closed}). */
  onClose(fn: () => void): void {
    this.#onClose ??= new Set()
    this.#onClose.add(fn)
  }

  offClose(fn: () => void): void {
    this.#onClose?.delete(fn)
  }

  /** The socket closed: runs the close callbacks, pokes every waiter, stops the timer. */
  closed(): void {
    const callbacks = this.#onClose
    this.#onClose = undefined
    if (callbacks !== undefined) for (const fn of callbacks) fn()
    this.notify()
    if (this.#waiters.length === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
      this.#timerAt = Number.POSITIVE_INFINITY
    }
  }

  /**
   * Pokes every waiter in the order they came. A change made while the waiters are being
   * poked (a look that resumes a paused stream, say) pokes them all once more afterwards.
   */
  notify(): void {
    if (this.#waiters.length === 0) return
    if (this.#notifying) {
      this.#again = true
      return
    }
    this.#notifying = true
    try {
      do {
        this.#again = false
        const waiters = this.#waiters
        for (let i = 0; i < waiters.length; ) {
          if ((waiters[i] as Waiter).poke()) waiters.splice(i, 1)
          else i++
        }
      } while (this.#again)
    } finally {
      this.#notifying = false
      if (this.#waiters.length === 0) this.#timer?.unref()
    }
  }

  /** Adds a waiter; it is poked at every {@link notify} until its `poke` returns `true`. */
  add(waiter: Waiter): void {
    this.#waiters.push(waiter)
    if (waiter.deadline < this.#timerAt) this.#arm(waiter.deadline)
    else if (waiter.deadline !== Number.POSITIVE_INFINITY) this.#timer?.ref()
  }

  /** Takes a waiter out (it settled by abort or expiry). */
  remove(waiter: Waiter): void {
    const i = this.#waiters.indexOf(waiter)
    if (i === -1) return
    this.#waiters.splice(i, 1)
    // The notify loop's index may have moved past a waiter: let it look once more.
    if (this.#notifying) this.#again = true
    else if (this.#waiters.length === 0) this.#timer?.unref()
  }

  /**
   * Resolves at the next {@link notify}, after `timeoutMs` milliseconds, or when `signal`
   * aborts, whichever comes first; never rejects.
   */
  next(timeoutMs: number | undefined, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : performance.now() + Math.max(0, timeoutMs)
      const done = (): void => {
        signal?.removeEventListener('abort', aborted)
        resolve()
      }
      const waiter: Waiter = {
        deadline,
        poke: () => {
          done()
          return true
        },
        expire: () => {
          this.remove(waiter)
          done()
        },
      }
      const aborted = (): void => {
        this.remove(waiter)
        resolve()
      }
      this.add(waiter)
      signal?.addEventListener('abort', aborted, { once: true })
    })
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, at - performance.now()))
  }

  #fire(): void {
    this.#timer = undefined
    this.#timerAt = Number.POSITIVE_INFINITY
    // Timers count whole milliseconds from the loop's clock, so one may fire a little before
    // a deadline measured with performance.now(): those waiters get the timer again.
    const now = performance.now()
    let next = Number.POSITIVE_INFINITY
    for (const waiter of [...this.#waiters]) {
      if (waiter.deadline <= now) waiter.expire()
      else if (waiter.deadline < next) next = waiter.deadline
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next)
  }
}

/** What {@link waitFor} needs from the socket it waits on. */
export interface Waitable {
  readonly notifier: Notifier
  /** Throws `EBADF` once the socket is closed. */
  checkOpen(syscall: string): void
}

/**
 * Tries `attempt` until it returns a value, looking again at each of the socket's
 * notifications, as the {@link Wait} allows: `EAGAIN` at once in non-blocking mode,
 * `timeoutCode` when `wait.timeoutMs` has passed, the signal's reason when it aborts, `EBADF`
 * once closed. Errors thrown by `attempt` reject the promise.
 *
 * Before giving up (non-blocking, or at the deadline) it looks once more after a turn of the
 * event loop: what the kernel already holds (a connection, a datagram, bytes) reaches Node only
 * in the poll phase, as the kernel would have delivered it before answering; and a polling
 * loop of non-blocking calls cannot starve the event loop.
 *
 * @param attempt - returns the result, or `undefined` when the operation would block.
 */
export function waitFor<T>(
  socket: Waitable,
  wait: Wait,
  syscall: string,
  attempt: () => T | undefined,
  timeoutCode: 'EAGAIN' | 'ETIMEDOUT' = 'EAGAIN',
): Promise<T> {
  try {
    socket.checkOpen(syscall)
    if (wait.signal?.aborted) throw wait.signal.reason
    const result = attempt()
    if (result !== undefined) return Promise.resolve(result)
  } catch (error) {
    return Promise.reject(error)
  }
  return new Promise<T>((resolve, reject) => {
    new Attempt(socket, wait, syscall, attempt, timeoutCode, resolve, reject).start()
  })
}

/** A {@link waitFor} that has to wait. */
class Attempt<T> implements Waiter {
  readonly deadline: number
  #settled = false
  /** The abort listener, made only for a wait with a signal. */
  #aborted: (() => void) | undefined

  readonly socket: Waitable
  readonly wait: Wait
  readonly syscall: string
  readonly attempt: () => T | undefined
  readonly timeoutCode: 'EAGAIN' | 'ETIMEDOUT'
  readonly resolve: (value: T) => void
  readonly reject: (error: unknown) => void

  constructor(
    socket: Waitable,
    wait: Wait,
    syscall: string,
    attempt: () => T | undefined,
    timeoutCode: 'EAGAIN' | 'ETIMEDOUT',
    resolve: (value: T) => void,
    reject: (error: unknown) => void,
  ) {
    this.socket = socket
    this.wait = wait
    this.syscall = syscall
    this.attempt = attempt
    this.timeoutCode = timeoutCode
    this.resolve = resolve
    this.reject = reject
    this.deadline =
      wait.nonBlocking || wait.timeoutMs === undefined
        ? Number.POSITIVE_INFINITY
        : performance.now() + Math.max(0, wait.timeoutMs)
  }

  start(): void {
    if (this.wait.nonBlocking) {
      this.#lastLook()
      return
    }
    this.socket.notifier.add(this)
    const signal = this.wait.signal
    if (signal !== undefined) {
      this.#aborted = () => {
        this.#leave()
        this.#fail(signal.reason)
      }
      signal.addEventListener('abort', this.#aborted, { once: true })
    }
  }

  poke(): boolean {
    if (this.#settled) return true
    try {
      this.socket.checkOpen(this.syscall)
      if (this.wait.signal?.aborted) throw this.wait.signal.reason
      const result = this.attempt()
      if (result === undefined) return false
      this.#settle()
      this.resolve(result)
    } catch (error) {
      this.#fail(error)
    }
    return true
  }

  expire(): void {
    this.#lastLook()
  }

  /** One more look after a turn of the loop, then the would-block or timeout error. */
  #lastLook(): void {
    setImmediate(() => {
      if (this.#settled || this.poke()) {
        this.#leave()
        return
      }
      this.#leave()
      this.#fail(
        this.timeoutCode === 'EAGAIN' || this.wait.nonBlocking
          ? wouldBlock(this.syscall)
          : new SocketError('ETIMEDOUT', { syscall: this.syscall }),
      )
    })
  }

  #leave(): void {
    if (!this.wait.nonBlocking) this.socket.notifier.remove(this)
  }

  #fail(error: unknown): void {
    if (this.#settled) return
    this.#settle()
    this.reject(error)
  }

  #settle(): void {
    this.#settled = true
    if (this.#aborted !== undefined) this.wait.signal?.removeEventListener('abort', this.#aborted)
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
