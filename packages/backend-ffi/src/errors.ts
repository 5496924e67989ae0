import { errnoByNumber, formatAddress, type SocketAddress, SocketError, type SocketErrorCode } from '@polysocket/core'

/**
 * The SocketError for an errno number a libc call left behind, named by Linux's table
 * (`111` → `ECONNREFUSED`); with an address, the message names it like Node's
 * (`connect ECONNREFUSED 127.0.0.1:9`).
 */
export function errnoError(syscall: string, errno: number, address?: SocketAddress): SocketError {
  const entry = errnoByNumber(errno)
  const code = (entry?.name ?? `E${errno}`) as SocketErrorCode
  if (address === undefined) return new SocketError(code, { syscall, errno })
  if (address.family === 'unix') return new SocketError(code, { syscall, errno, address: formatAddress(address) })
  return new SocketError(code, { syscall, errno, address: address.address, port: address.port })
}

/** A SocketError by code name (EAGAIN, EBADF, ETIMEDOUT) for conditions the backend decides. */
export function codeError(syscall: string, code: SocketErrorCode): SocketError {
  return new SocketError(code, { syscall })
}
