import type { Socket } from '../../contract/socket.js'
import type { UcodeEnv } from './env.js'
import { ERRNO, fail } from './error-slot.js'

/** The state behind one ucode socket handle. */
export interface SocketState {
  readonly env: UcodeEnv
  /** The contract socket; `undefined` for `open(fd)` of a number the backend could not adopt. */
  readonly inner: Socket | undefined
  /** For such a socket: the errno every call reports (EBADF, ENOTSOCK, …). */
  readonly deadErrno: number
  /** What `fileno()` reports when the contract has no fd to give (for `open(n)`: `n`). */
  readonly fdNumber: number | undefined
  closed: boolean
}

const states = new WeakMap<object, SocketState>()

/** Binds a state to its handle object. */
export function attachState(handle: object, state: SocketState): void {
  states.set(handle, state)
}

/** The state of a handle, or `undefined` when `value` is no socket handle. */
export function peekState(value: unknown): SocketState | undefined {
  return typeof value === 'object' && value !== null ? states.get(value) : undefined
}

/**
 * The state of a method's `this`: an object that is no socket handle, or a closed one, fails
 * with `Invalid socket context` (EBADF) before any argument is looked at, as ucode does.
 */
export function stateOf(value: unknown): SocketState {
  const state = peekState(value)
  if (!state || state.closed) throw fail(ERRNO.EBADF, 'Invalid socket context')
  return state
}

/** The contract socket of a state, or the failure its dead fd gives under `context`. */
export function innerOf(state: SocketState, context: string): Socket {
  if (!state.inner) throw fail(state.deadErrno, context)
  return state.inner
}
