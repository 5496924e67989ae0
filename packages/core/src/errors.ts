import type { Capability } from './contract/capabilities.js'
import { errnoByName } from './errno.js'

/**
 * Codes of polysocket's own errors, beside errno names:
 * - `POLYSOCKET_NOT_SUPPORTED`: the backend lacks a feature (`feature` names it);
 * - `POLYSOCKET_BACKEND_FAILURE`: the backend broke its contract (a bug to report).
 */
export type PolysocketCode = 'POLYSOCKET_NOT_SUPPORTED' | 'POLYSOCKET_BACKEND_FAILURE'

/**
 * A `SocketError` code: an errno name (`ECONNREFUSED`, `EADDRINUSE`, `EAGAIN`, `ETIMEDOUT`, …),
 * a getaddrinfo code (`EAI_NONAME`, …) or a {@link PolysocketCode}.
 */
export type SocketErrorCode = PolysocketCode | `E${string}`

/** Fields of a {@link SocketError} besides its code. */
export interface SocketErrorInit {
  /** The libc function or operation that failed: `connect`, `bind`, `recv`, `getaddrinfo`, … */
  readonly syscall?: string
  /** The address involved (IP text or Unix path), when there is one. */
  readonly address?: string
  readonly port?: number
  /** The missing feature, for `POLYSOCKET_NOT_SUPPORTED`. */
  readonly feature?: Capability | string
  /** The platform number; defaults to the Linux number of `code`. */
  readonly errno?: number
  /** Replaces the generated message. */
  readonly message?: string
  /** The underlying error (a Node system error, say). */
  readonly cause?: unknown
}

const brand = Symbol.for('polysocket.SocketError')

/**
 * The one error class for network conditions. Match on `code`, which is stable; messages may
 * change. Messages look like Node's own: `connect ECONNREFUSED 127.0.0.1:9`.
 *
 * `instanceof` works across duplicate copies of `@polysocket/core` (a global brand is checked).
 */
export class SocketError extends Error {
  /** errno name, `EAI_*` code or `POLYSOCKET_*` code. */
  readonly code: SocketErrorCode
  /** Platform number of `code` (Linux numbers; negative for `EAI_*`), when it has one. */
  readonly errno: number | undefined
  readonly syscall: string | undefined
  readonly address: string | undefined
  readonly port: number | undefined
  /** The missing capability, for `POLYSOCKET_NOT_SUPPORTED`. */
  readonly feature: string | undefined

  constructor(code: SocketErrorCode, init: SocketErrorInit = {}) {
    const where = init.address === undefined ? '' : ` ${init.address}${init.port === undefined ? '' : `:${init.port}`}`
    const generated =
      code === 'POLYSOCKET_NOT_SUPPORTED'
        ? `${init.syscall ?? 'operation'} not supported by this backend: ${init.feature ?? 'unknown feature'}`
        : `${init.syscall ? `${init.syscall} ` : ''}${code}${where}`
    super(init.message ?? generated, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'SocketError'
    this.code = code
    this.errno = init.errno ?? errnoByName(code === 'POLYSOCKET_NOT_SUPPORTED' ? 'EOPNOTSUPP' : code)?.errno
    this.syscall = init.syscall
    this.address = init.address
    this.port = init.port
    this.feature = init.feature
  }

  /** The system message of `code` (`"Connection refused"`), as `strerror(3)` gives it. */
  get systemMessage(): string {
    if (this.code === 'POLYSOCKET_NOT_SUPPORTED') return 'Operation not supported'
    return errnoByName(this.code)?.message ?? this.message
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  }
}
Object.defineProperty(SocketError.prototype, brand, { value: true })

/**
 * Tells whether `error` is a {@link SocketError}, optionally with one of the given codes.
 *
 * @example `if (isSocketError(err, 'EAGAIN', 'EWOULDBLOCK')) …`
 */
export function isSocketError(error: unknown, ...codes: SocketErrorCode[]): error is SocketError {
  return error instanceof SocketError && (codes.length === 0 || codes.includes(error.code))
}

/**
 * The error a backend throws for a feature it lacks: code `POLYSOCKET_NOT_SUPPORTED`, errno
 * `EOPNOTSUPP`, `feature` naming the capability.
 *
 * @param feature - the capability name (`unixDgram`, `ancillaryRights`, …) or a feature text.
 * @param syscall - the operation attempted.
 */
export function notSupported(feature: Capability | string, syscall?: string): SocketError {
  return new SocketError('POLYSOCKET_NOT_SUPPORTED', syscall === undefined ? { feature } : { feature, syscall })
}
