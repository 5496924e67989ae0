import { errnoByName, errnoByNumber } from '../../errno.js'
import { SocketError } from '../../errors.js'

/** Linux errno numbers the facade sets itself. */
export const ERRNO = {
  EBADF: 9,
  EIO: 5,
  EINVAL: 22,
  ERANGE: 34,
  ENODEV: 19,
  EFAULT: 14,
  EOPNOTSUPP: 95,
  EAFNOSUPPORT: 97,
  ETIMEDOUT: 110,
  EAI_NONAME: -2,
} as const

/**
 * A failure in ucode's terms: the number that `error(true)` reports (errno, or a negative
 * `EAI_*` value) and the context text that `error()` puts before the system message. Thrown
 * inside the facade and caught at each public function, which turns it into `null`.
 */
export class UcodeFailure extends Error {
  readonly code: number
  readonly context: string

  constructor(code: number, context: string) {
    super(`${context}: ${ucodeStrerror(code)}`)
    this.name = 'UcodeFailure'
    this.code = code
    this.context = context
  }
}

/** Shorthand for `new UcodeFailure(code, context)`, to `throw fail(…)`. */
export function fail(code: number, context: string): UcodeFailure {
  return new UcodeFailure(code, context)
}

/**
 * glibc's text for an error number: `strerror()` for 0 and positive numbers, `gai_strerror()`
 * for negative `EAI_*` ones. Unknown numbers give `"Unknown error N"` (positive) or
 * `"Unknown error"` (negative), as glibc does. Source: ucode lib/socket.c, set_error.
 */
export function ucodeStrerror(code: number): string {
  if (code === 0) return 'Success'
  const entry = errnoByNumber(code)
  if (entry) return entry.message
  return code > 0 ? `Unknown error ${code}` : 'Unknown error'
}

/**
 * The one error record of a ucode module object: every function except `error()` clears it
 * once its arguments are accepted and sets it when it fails. Source: ucode-socket-api.md §2.
 */
export class ErrorSlot {
  #code = 0
  #context = ''

  /** Forgets the last error (ucode's `ok_return`). */
  clear(): void {
    this.#code = 0
    this.#context = ''
  }

  /** Records a failure (ucode's `err_return`). */
  set(code: number, context: string): void {
    this.#code = code
    this.#context = context
  }

  /**
   * `error()` / `error(numeric)`: `null` when no error is recorded; the number when `numeric`
   * is truthy; otherwise `"<context>: <system message>"`.
   */
  read(numeric?: unknown): string | number | null {
    if (this.#code === 0) return null
    if (numeric) return this.#code
    return `${this.#context}: ${ucodeStrerror(this.#code)}`
  }
}

/**
 * Turns anything thrown below the facade into a {@link UcodeFailure} for `context`
 * (`"recv()"`, `"bind()"`, …):
 * - a `SocketError` keeps its errno (negative for `EAI_*`);
 * - `POLYSOCKET_NOT_SUPPORTED` becomes EOPNOTSUPP with a context naming the missing feature;
 * - `TypeError` / `RangeError` from the contract become EINVAL;
 * - a Node system error keeps its errno name; anything else becomes EIO.
 */
export function toFailure(error: unknown, context: string, backendName: string): UcodeFailure {
  if (error instanceof UcodeFailure) return error
  if (error instanceof SocketError) {
    if (error.code === 'POLYSOCKET_NOT_SUPPORTED') {
      return fail(
        ERRNO.EOPNOTSUPP,
        `${context}: ${error.feature ?? 'this feature'} is not supported by the ${backendName} backend`,
      )
    }
    if (error.code === 'POLYSOCKET_BACKEND_FAILURE') return fail(ERRNO.EIO, `${context}: backend failure`)
    const errno = errnoByName(error.code)?.errno ?? error.errno ?? ERRNO.EIO
    return fail(errno, context)
  }
  if (error instanceof TypeError || error instanceof RangeError) return fail(ERRNO.EINVAL, context)
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') {
    const entry = errnoByName(code)
    if (entry) return fail(entry.errno, context)
  }
  return fail(ERRNO.EIO, context)
}
