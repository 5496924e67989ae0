import { SocketError, type SocketErrorCode } from '@polysocket/core'

/** Node's own error codes that stand for an errno, and the errno they mean here. */
const NODE_CODES: Record<string, SocketErrorCode> = {
  ERR_SOCKET_CLOSED: 'EBADF',
  ERR_SOCKET_DGRAM_NOT_RUNNING: 'EBADF',
  ERR_STREAM_DESTROYED: 'EPIPE',
  ERR_STREAM_WRITE_AFTER_END: 'EPIPE',
  ERR_SOCKET_CLOSED_BEFORE_CONNECTION: 'ECONNRESET',
  ERR_SOCKET_DGRAM_IS_CONNECTED: 'EISCONN',
  ERR_SOCKET_DGRAM_NOT_CONNECTED: 'ENOTCONN',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'ETIMEDOUT',
  ERR_SOCKET_BAD_PORT: 'EINVAL',
  ERR_OUT_OF_RANGE: 'EINVAL',
  ERR_INVALID_ARG_VALUE: 'EINVAL',
  ERR_SOCKET_ALREADY_BOUND: 'EINVAL',
  ERR_SOCKET_BUFFER_SIZE: 'EINVAL',
  ERR_SERVER_ALREADY_LISTEN: 'EINVAL',
  ERR_SERVER_NOT_RUNNING: 'ENOTCONN',
}

/** Where an error happened, for its message and fields. */
export interface ErrorSite {
  readonly syscall: string
  /** Report `syscall` even when Node names another (its `listen` stands for our `bind`). */
  readonly forceSyscall?: boolean
  readonly address?: string | undefined
  readonly port?: number | undefined
}

/**
 * Turns an error thrown or emitted by node:net / node:dgram into a {@link SocketError}:
 * the code is the errno name Node already gives (`ECONNREFUSED`), Node's own `ERR_*` codes
 * become the errno they stand for, anything else `EIO`; `cause` keeps the Node error.
 */
export function fromNodeError(error: unknown, site: ErrorSite): SocketError {
  if (error instanceof SocketError) return error
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown
    syscall?: unknown
    address?: unknown
    port?: unknown
  }
  const raw = typeof e.code === 'string' ? e.code : ''
  const code: SocketErrorCode = /^E[A-Z0-9]+$/.test(raw) ? (raw as SocketErrorCode) : (NODE_CODES[raw] ?? 'EIO')
  const address = typeof e.address === 'string' ? e.address : site.address
  const port = typeof e.port === 'number' ? e.port : site.port
  return new SocketError(code, {
    syscall: typeof e.syscall === 'string' && !site.forceSyscall ? e.syscall : site.syscall,
    ...(address === undefined ? {} : { address: printable(address) }),
    ...(port === undefined ? {} : { port }),
    cause: error,
  })
}

/** A plain errno error with Node-like message. */
export function errnoError(code: SocketErrorCode, syscall: string, detail?: string): SocketError {
  return new SocketError(
    code,
    detail === undefined ? { syscall } : { syscall, message: `${syscall} ${code}: ${detail}` },
  )
}

/** Abstract Unix names start with NUL; show them as `@name` in messages. */
function printable(address: string): string {
  return address.startsWith('\0') ? `@${address.slice(1)}` : address
}

/** Marks a promise as handled, for promises that may reject before anyone awaits them. */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}
