import { strerror } from '../../errno.js'
import { SocketError, type SocketErrorCode } from '../../errors.js'
import { setLastSocketError } from './last-error.js'

/**
 * A failure the facade detects itself (an argument a C implementation would refuse with an
 * errno): `code` is the errno name whose strerror(3) text starts `*lastsocketerror*`, and
 * `detail` says what was wrong.
 */
export class LispFault extends Error {
  readonly code: SocketErrorCode
  readonly detail: string

  constructor(code: SocketErrorCode, detail: string) {
    super(`${strerror(code)}: ${detail}`)
    this.name = 'LispFault'
    this.code = code
    this.detail = detail
  }
}

/** Shorthand for the most common fault: EINVAL, "Invalid argument: …". */
export function invalid(detail: string): LispFault {
  return new LispFault('EINVAL', detail)
}

/**
 * The text `*lastsocketerror*` receives for an error of any kind:
 * - a contract `SocketError`: its system message (`"Connection refused"`), with the missing
 *   feature appended for a not-supported error (`"Operation not supported: unixSeqpacket"`);
 * - a {@link LispFault}: its strerror text and detail;
 * - a `TypeError` / `RangeError` from the contract: `"Invalid argument: "` and its message;
 * - anything else: its message.
 */
export function messageOf(error: unknown): string {
  if (error instanceof SocketError) {
    if (error.code === 'POLYSOCKET_NOT_SUPPORTED')
      return `${error.systemMessage}: ${error.feature ?? 'unknown feature'}`
    return error.systemMessage
  }
  if (error instanceof LispFault) return error.message
  if (error instanceof TypeError || error instanceof RangeError) return `${strerror('EINVAL')}: ${error.message}`
  if (error instanceof Error) return error.message
  return String(error)
}

/** Codes after which the socket can no longer be used: `eof` then answers t. */
const FATAL = new Set<string>(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ENETRESET', 'ESHUTDOWN', 'EBADF'])

/** Whether `error` leaves the connection unusable (an "irrecuperable network error"). */
export function isFatal(error: unknown): boolean {
  return error instanceof SocketError && FATAL.has(error.code)
}

/** Whether `error` is the contract's timeout (SO_RCVTIMEO / SO_SNDTIMEO elapsed) or would-block. */
export function isTimeout(error: unknown): boolean {
  return error instanceof SocketError && (error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK')
}

/** Records `error` in the current task's `*lastsocketerror*`. */
export function recordError(error: unknown): void {
  setLastSocketError(messageOf(error))
}
