import type { Backend } from '../../contract/backend.js'
import { socketTypeOf } from './args.js'
import { makeSocket } from './socket.js'
import type { Shared } from './state.js'
import type { Jmp, JmpOptions, JmpSocket } from './types.js'

export { decode as decodeJsl, encode as encodeJsl } from './codec.js'
export { OK, status, statusName, statusOf, statusOfCode } from './status.js'
export type * from './types.js'

/**
 * JMP's JSL sockets over a polysocket backend: `createJmp(backend).Socket()` is JSL's
 * `Socket()`, and each JSL message `skt << recv(100)` is `await skt.recv(100)`, with the same
 * lists back (`["recv", "ok", data]`) and the same status strings
 * (`"CONNREFUSED: The attempt to connect was forcefully rejected. "`).
 *
 * Messages never reject: failures, argument mistakes included, are statuses in the list.
 * Host names go through `backend.lookup`; data is a JSL string with `~xx` escapes.
 *
 * @param backend - any polysocket backend (`createBackend()` of `@polysocket/backend-node`
 * or `@polysocket/backend-ffi`).
 * @param options - see {@link JmpOptions}.
 * Sources: JMP Socket messages ("Messages for Sockets"), JMP Socket reference (JSL Syntax Reference).
 */
export function createJmp(backend: Backend, options: JmpOptions = {}): Jmp {
  const shared: Shared = {
    backend,
    onCallbackError: options.onCallbackError ?? defaultReport,
    reverseLookupMs: options.reverseLookupMs ?? 2_000,
    adopt: (socket, peerName) => makeSocket(shared, 'SOCK_STREAM', socket, peerName),
  }
  return {
    Socket(type?: string): JmpSocket {
      return makeSocket(shared, socketTypeOf(type))
    },
  }
}

function defaultReport(error: unknown, command: string): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error)
  process.emitWarning(`JMP socket ${command} callback failed: ${text}`, { code: 'POLYSOCKET_JMP_CALLBACK' })
}
