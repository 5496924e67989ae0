import { isTimeout } from './faults.js'

/**
 * Repeats a waiting operation until it completes or `signal` aborts, for `select`: the
 * socket's own SO_RCVTIMEO may end one wait (EAGAIN) long before select's timeout does.
 *
 * @param attempt - one wait; it must honour `signal`.
 * @param keep - receives an error other than a timeout; the socket is then ready (the next
 * call will report the error at once, as select(2) reports an erroring socket as readable).
 * @returns true when `attempt` completed or failed for good, false when `signal` aborted.
 */
export async function waitUntilReady(
  signal: AbortSignal,
  attempt: () => Promise<void>,
  keep: (error: unknown) => void,
): Promise<boolean> {
  for (let round = 0; !signal.aborted; round++) {
    const started = performance.now()
    try {
      await attempt()
      return true
    } catch (error) {
      if (signal.aborted) return false
      if (!isTimeout(error)) {
        keep(error)
        return true
      }
      // A non-blocking socket answers EAGAIN at once: back off instead of spinning.
      if (performance.now() - started < 1) await sleep(Math.min(50, 1 + round))
    }
  }
  return false
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Resolves `false` as soon as `signal` aborts, unless `started()` says the work has begun
 * (then the work's own promise is awaited: it settles promptly on abort and may carry data).
 */
export function abortable(work: Promise<boolean>, signal: AbortSignal, started: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      if (!started()) resolve(false)
    }
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    void work.then(resolve, () => resolve(true)).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
