import { setMaxListeners } from 'node:events'

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Milliseconds since `start` (a `performance.now()` value). */
export function since(start: number): number {
  return performance.now() - start
}

/**
 * `promise`, or a failure naming `what` when it has not settled within `ms` milliseconds: "no
 * hang" made an assertion with its own message, well inside the case's time limit.
 */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A signal that fires with `signal` (a case's `ctx.signal`) or after `ms` milliseconds, whichever
 * comes first: a case's own deadline below its `timeoutMs`. A load case hands it to every pending
 * wait, so Node's 10-listener warning is lifted.
 */
export function deadlineSignal(signal: AbortSignal, ms: number): AbortSignal {
  const combined = AbortSignal.any([signal, AbortSignal.timeout(ms)])
  setMaxListeners(0, combined)
  return combined
}
