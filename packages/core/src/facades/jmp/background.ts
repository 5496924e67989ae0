import { isSocketError } from '../../errors.js'

/** How a background operation ended (cancelled operations end without an outcome). */
export type Outcome<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' }

/** A running background operation. */
export interface BackgroundHandle {
  /** Stops it for good (the socket is closing): timers cleared, the wait aborted, no outcome. */
  cancel(): void
}

/** What {@link startBackground} runs. */
export interface BackgroundSpec<T> {
  /**
   * One attempt at the contract operation (`recv`, `accept`), waiting for readiness first.
   * It must reject promptly when `signal` aborts.
   */
  readonly attempt: (signal: AbortSignal) => Promise<T>
  /** True when the socket is non-blocking: an attempt then fails at once with EAGAIN. */
  readonly nonBlocking: () => boolean
  /** Milliseconds, or `undefined` for no limit. */
  readonly timeoutMs: number | undefined
  /** Receives the outcome, exactly once, unless the operation is cancelled first. */
  readonly settle: (outcome: Outcome<T>) => void
  /**
   * Receives a value that arrived after the end (cancel, or a timeout delivered after its
   * grace period), so that it can be released: an accepted socket must not leak.
   */
  readonly discard?: (value: T) => void
}

/** First and longest pause between attempts on a non-blocking socket, in milliseconds. */
const POLL_FIRST_MS = 5
const POLL_MAX_MS = 100
/**
 * After a timeout aborts a waiting attempt, how long the attempt may take to settle before
 * the timeout is delivered anyway (a backend that ignored the signal must not hang us).
 */
const ABORT_GRACE_MS = 1_000

const cancelled = Symbol('jmp background cancelled')
const timedOut = Symbol('jmp background timed out')

/**
 * Runs a JMP background operation (recv, recvfrom or accept with a callback): it retries the
 * contract call until it gives a result, fails, times out or is cancelled.
 *
 * Each attempt waits for readiness (`whenReadable`: the contract's waitReady), then makes the
 * call without waiting, so nothing is taken from the socket before it is there; should an
 * attempt still answer EAGAIN on a non-blocking socket, it is retried after a pause, as JMP
 * polls its background sockets when idle (JMP Socket messages, ioctl).
 *
 * When the timeout fires during a wait, the wait is aborted and its own settling decides:
 * data that won the race is delivered rather than lost, an abort becomes the timeout. Every
 * promise started here is observed, so none can become an unhandled rejection, and nothing is
 * left scheduled after the end or a cancel, so a closed socket keeps no process alive.
 */
export function startBackground<T>(spec: BackgroundSpec<T>): BackgroundHandle {
  const controller = new AbortController()
  let finished = false
  let deadline: NodeJS.Timeout | undefined
  let pause: NodeJS.Timeout | undefined
  let grace: NodeJS.Timeout | undefined
  let waiting = false

  const stop = (): void => {
    finished = true
    clearTimeout(deadline)
    clearTimeout(pause)
    clearTimeout(grace)
  }
  const finish = (outcome: Outcome<T>): void => {
    if (finished) return
    stop()
    // No abort here: the attempt has settled (or was aborted by the timeout already), and
    // a signal firing after its operation ended is of no use to the backend.
    try {
      spec.settle(outcome)
    } catch {
      // settle reports its own failures; nothing may escape into a floating promise.
    }
  }

  const run = async (delay: number): Promise<void> => {
    pause = undefined
    if (finished) return
    waiting = true
    try {
      const value = await spec.attempt(controller.signal)
      waiting = false
      if (finished) spec.discard?.(value)
      else finish({ kind: 'value', value })
    } catch (error) {
      waiting = false
      if (finished) return
      if (controller.signal.aborted && controller.signal.reason === timedOut) {
        finish({ kind: 'timeout' })
      } else if (isSocketError(error, 'EAGAIN', 'EWOULDBLOCK') && spec.nonBlocking()) {
        pause = setTimeout(() => void run(Math.min(delay * 2, POLL_MAX_MS)), delay)
      } else {
        finish({ kind: 'error', error })
      }
    }
  }

  if (spec.timeoutMs !== undefined) {
    deadline = setTimeout(() => {
      deadline = undefined
      if (finished) return
      if (!waiting) {
        finish({ kind: 'timeout' })
        return
      }
      controller.abort(timedOut)
      grace = setTimeout(() => finish({ kind: 'timeout' }), ABORT_GRACE_MS)
    }, spec.timeoutMs)
  }
  void run(POLL_FIRST_MS)

  return {
    cancel() {
      if (finished) return
      stop()
      controller.abort(cancelled)
    },
  }
}
