import type { Backend } from '../../contract/backend.js'
import { moduleConnect, moduleListen } from './connect-listen.js'
import { UCODE_CONSTANTS, type UcodeConstants } from './constants.js'
import type { UcodeEnv } from './env.js'
import { ErrorSlot } from './error-slot.js'
import { moduleFunctions } from './module.js'
import { createSocketFactory } from './socket.js'

export type { UcodeAddress } from './address.js'
export type { UcodeControlMessage } from './cmsg.js'
export { UCODE_CONSTANTS, type UcodeConstants } from './constants.js'
export { ucodeStrerror } from './error-slot.js'
export type { UcodeAddrinfo } from './module.js'
export type { UcodeMessage, UcodePeerCredentials, UcodeSocket } from './socket-types.js'

/** The functions of ucode's `socket` module (the constants are beside them). */
export type UcodeFunctions = ReturnType<typeof moduleFunctions> & {
  connect: ReturnType<typeof moduleConnect>
  listen: ReturnType<typeof moduleListen>
}

/** What `createUcode()` returns: ucode's `socket` module object. */
export type UcodeModule = UcodeConstants & UcodeFunctions

/**
 * Creates an object that behaves like OpenWrt ucode's `socket` module (as `import * as socket
 * from 'socket'` gives it) over a polysocket backend: the same functions, methods, constants,
 * address forms, return values and error texts, with `await` where ucode blocks.
 *
 * Each call of `createUcode` is one module instance with its own error slot: `error()` reports
 * the last failure of any function or socket method of that instance.
 *
 * @example
 * ```ts
 * const socket = createUcode(createBackend())
 * const sock = await socket.create(socket.AF_INET, socket.SOCK_STREAM)
 * if (!(await sock.connect('127.0.0.1', 8080))) console.log(socket.error()) // "connect(): Connection refused"
 * ```
 * Sources: ucode's socket module documentation; ucode lib/socket.c. Deviations: this facade's README.
 */
export function createUcode(backend: Backend): UcodeModule {
  const env: UcodeEnv = { backend, slot: new ErrorSlot() }
  const factory = createSocketFactory(env)
  return Object.freeze({
    ...UCODE_CONSTANTS,
    ...moduleFunctions(env, factory),
    connect: moduleConnect(env, factory),
    listen: moduleListen(env, factory),
  })
}
