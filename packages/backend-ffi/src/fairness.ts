/**
 * Operations that complete at once (no EAGAIN) settle their promises in microtasks, so a
 * loop of them would never let timers, the readiness callback or other sockets run. After
 * {@link STREAK} such completions in one macrotask turn, the next one waits for a
 * `setImmediate` turn first. Node's own sockets settle in macrotasks; this keeps the same
 * fairness at the cost of one turn per {@link STREAK} operations.
 */
export const STREAK = 64

let streak = 0
let resetting = false

const reset = (): void => {
  streak = 0
  resetting = false
}

/** `undefined` most of the time; a promise to await when the turn has run long enough. */
export function turn(): Promise<void> | undefined {
  if (!resetting) {
    resetting = true
    setImmediate(reset)
  }
  if (++streak <= STREAK) return undefined
  return new Promise((resolve) => setImmediate(resolve))
}
