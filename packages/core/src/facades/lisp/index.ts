/**
 * `@polysocket/core/lisp`: the Lisp `socket` class (its "socket Class Reference") over any backend.
 *
 * ```ts
 * const lisp = createLisp(createBackend())
 * const s = await lisp.makeInstance('socket', 'inet', 'stream', 0)
 * if ((await s?.connect('127.0.0.1', 8080)) === null) console.log(lisp.lastsocketerror)
 * ```
 *
 * See README.md in this folder for the map from each documented method to its call.
 */
import type { Backend } from '../../contract/backend.js'
import { makeSocket } from './create.js'
import { recordError } from './faults.js'
import { getLastSocketError, setLastSocketError, withOwnLastSocketError } from './last-error.js'
import { select } from './select.js'
import { LispSocket } from './socket.js'
import { EOF, type Eof, type Nil, type T } from './values.js'

export { getLastSocketError, setLastSocketError, withOwnLastSocketError } from './last-error.js'
export type { LispOptionValue } from './options.js'
export {
  DEFAULT_MAXSTRING,
  type LispFamily,
  LispSocket,
  type LispSocketOptions,
  type LispType,
  MAX_MAXSTRING,
} from './socket.js'
export { REPLACEMENT, Utf8Decoder } from './utf8.js'
export { type Binary, EOF, type Eof, type Nil, type T } from './values.js'

/** Options of {@link createLisp}. */
export interface LispOptions {
  /** Where `showbin` prints; default `process.stdout`. */
  readonly print?: (text: string) => void
}

/** What {@link createLisp} returns: the class, its constructor and destructor, select and the error slot. */
export interface Lisp {
  readonly backend: Backend
  /** The end-of-file sentinel. */
  readonly EOF: Eof
  /** The class of socket objects, for `instanceof` and for wrapping a contract socket. */
  readonly LispSocket: typeof LispSocket
  /**
   * `(make-instance socket family type protocol 'maxstring n 'filename "…" 'address "…" 'port n)`:
   * a new socket object, or nil (then `lastsocketerror` says why).
   * @param cls - `'socket'`.
   * @param family - `'unix'`, `'local'`, `'inet'` or `'inet6'` (the document's other families
   * give nil and "Address family not supported by protocol").
   * @param type - `'stream'`, `'dgram'`, `'seqpacket'` or `'raw'` (`'rdm'`: nil and "Socket
   * type not supported").
   * @param protocol - an integer or a name (`'tcp'`); 0 or nil for the default.
   * @param keywords - pairs (`'port', 9999`) or one object (`{ port: 9999 }`).
   */
  makeInstance(
    cls: unknown,
    family: unknown,
    type: unknown,
    protocol?: unknown,
    ...keywords: unknown[]
  ): Promise<LispSocket | Nil>
  /** `(destroy-instance sock)`: closes the socket; t (nil only for an object that is not a socket). */
  destroyInstance(object: unknown): Promise<T | Nil>
  /**
   * `(select read-sockets write-sockets timeout)`: `[readable, writable]` once a socket is
   * ready or after `timeoutMs` milliseconds (nil: no limit); nil on a bad argument. See
   * select.ts for what "ready" means on the contract.
   */
  select(readSockets: unknown, writeSockets: unknown, timeoutMs?: unknown): Promise<[LispSocket[], LispSocket[]] | Nil>
  /** `(file-fileno sock)`: the descriptor, or nil. */
  fileno(object: unknown): number | Nil
  /**
   * `*lastsocketerror*` of the current task: the system message of the last failure
   * (`"Connection refused"`), or nil; assign `null` to reset it after use.
   */
  lastsocketerror: string | null
  /** The same slot as `lastsocketerror`, as functions. */
  getLastSocketError(): string | null
  setLastSocketError(value: string | null): void
  /** Runs `fn` with its own `*lastsocketerror*` (a Lisp thread's thread-local variable). */
  withOwnLastSocketError<R>(fn: () => R): R
}

/**
 * Creates the Lisp `socket` facade over a backend.
 * @param backend - any contract backend (`createBackend()` of backend-node or backend-ffi).
 */
export function createLisp(backend: Backend, options: LispOptions = {}): Lisp {
  const fail = (error: unknown): null => {
    recordError(error)
    return null
  }
  return {
    backend,
    EOF,
    LispSocket,
    async makeInstance(cls, family, type, protocol, ...keywords) {
      try {
        return await makeSocket(backend, options.print, cls, family, type, protocol, keywords)
      } catch (error) {
        return fail(error)
      }
    },
    async destroyInstance(object) {
      if (!(object instanceof LispSocket)) return fail(new TypeError('destroy-instance takes a socket object'))
      return object.destroy()
    },
    async select(readSockets, writeSockets, timeoutMs) {
      try {
        return await select(readSockets, writeSockets, timeoutMs)
      } catch (error) {
        return fail(error)
      }
    },
    fileno(object) {
      if (!(object instanceof LispSocket)) return fail(new TypeError('file-fileno takes a socket object'))
      return object.fileno()
    },
    get lastsocketerror() {
      return getLastSocketError()
    },
    set lastsocketerror(value) {
      setLastSocketError(value)
    },
    getLastSocketError,
    setLastSocketError,
    withOwnLastSocketError,
  }
}
