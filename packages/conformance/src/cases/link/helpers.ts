import assert from 'node:assert/strict'
import { isSocketError, type Socket, type SocketAddress } from '@polysocket/core'
import type { CaseContext } from '../../case.js'

/**
 * Makes a call the case depends on. Where the backend cannot express it (`POLYSOCKET_NOT_SUPPORTED`,
 * as backend-node for options Node does not reach) the case is skipped naming the missing
 * feature; any other error stands.
 */
export async function orSkip<T>(ctx: CaseContext, what: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (isSocketError(error, 'POLYSOCKET_NOT_SUPPORTED')) {
      ctx.skip(`${what}: backend ${ctx.backend.name} lacks ${error.feature ?? error.message}`)
    }
    throw error
  }
}

/** The wildcard address of the case's family with `port`. */
export function wildcard(ctx: CaseContext, port = 0): SocketAddress {
  return ctx.ipFamily === 6
    ? { family: 'inet6', address: '::', port, flowinfo: 0, scopeId: 0 }
    : { family: 'inet', address: '0.0.0.0', port }
}

/** The port of an IP socket address. */
export function portOf(address: SocketAddress): number {
  assert.notEqual(address.family, 'unix')
  return address.family === 'unix' ? 0 : address.port
}

/** Reads a stream up to and including the first newline (at most 64 reads, 4 KiB). */
export async function readLine(socket: Socket): Promise<string> {
  let text = ''
  for (let i = 0; i < 64 && !text.includes('\n') && text.length < 4096; i++) {
    const { data } = await socket.recv(4096)
    if (data.length === 0) break
    text += data.toString()
  }
  assert.ok(text.endsWith('\n'), `expected one line, got ${JSON.stringify(text)}`)
  return text.slice(0, -1)
}
