import { strerror } from '../../errno.js'
import { isSocketError } from '../../errors.js'
import { BadArgument } from './args.js'

/** The status of a successful message. */
export const OK = 'ok'

/**
 * Descriptions by status name. The four marked "seed" are quoted from the JMP documents
 * (JMP Socket messages: connect, ioctl, bind, listen) and must stay verbatim; the others
 * are ours, written in the same register: one plain sentence about what happened, from the
 * script's point of view.
 */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  // seed: connect
  CONNREFUSED: 'The attempt to connect was forcefully rejected.',
  // seed: ioctl
  NOTCONN: 'The socket is not connected.',
  // seed: bind
  ADDRNOTAVAIL: 'The specified address is not available from the local machine.',
  // seed: listen (one description lists every reason the Windows socket layer gives for EINVAL)
  INVAL:
    'The socket is (or is not, depending on context) already bound to an address. or, ' +
    'Listen was not invoked prior to accept. or, Invalid host address. or, ' +
    'The socket has not been bound with Bind.',
  WOULDBLOCK: 'The socket is set for non-blocking I/O and the operation would have to wait.',
  ADDRINUSE: 'Another socket is already using the specified address and port.',
  TIMEDOUT: 'The operation did not complete within the time allowed.',
  CONNRESET: 'The other end reset the connection.',
  CONNABORTED: 'The connection was aborted on this machine.',
  ISCONN: 'The socket is already connected.',
  NETUNREACH: 'The network cannot be reached from this machine.',
  NETDOWN: 'The network is down.',
  HOSTUNREACH: 'There is no route to the remote machine.',
  ACCES: 'Permission to use the address was denied.',
  AFNOSUPPORT: 'The address family does not match this socket.',
  OPNOTSUPP: 'The operation is not supported on this kind of socket.',
  SOCKTNOSUPPORT: 'The socket type is not supported; use "STREAM" or "DGRAM".',
  PROTONOSUPPORT: 'The protocol is not supported.',
  PIPE: 'The connection is closed for sending.',
  SHUTDOWN: 'The socket has been shut down for sending.',
  MSGSIZE: 'The message is too large to send in one datagram.',
  DESTADDRREQ: 'A destination address is required; use sendto or connect first.',
  BADF: 'The socket has been closed.',
  NOTSOCK: 'The descriptor is not a socket.',
  MFILE: 'Too many sockets are open.',
  NFILE: 'Too many files are open on this machine.',
  NOBUFS: 'No buffer space is available for the socket.',
  NOMEM: 'Not enough memory is available.',
  INPROGRESS: 'A non-blocking connect is in progress.',
  ALREADY: 'Another operation is already in progress on this socket.',
  INTR: 'The operation was interrupted.',
  PERM: 'The operation is not permitted.',
  NOENT: 'The socket path does not exist.',
  HOST_NOT_FOUND: 'The host name could not be found.',
  TRY_AGAIN: 'The host name could not be looked up now; try again later.',
  NO_RECOVERY: 'The host name lookup failed and cannot succeed by retrying.',
  TYPE_NOT_FOUND: 'The port or service name is not known.',
  INTERNAL: 'The socket layer failed unexpectedly.',
}

/**
 * getaddrinfo codes, by their Windows socket names: JMP's status names are those of the
 * Windows socket layer without the `WSAE`/`WSA` prefix, and that is where resolver failures
 * appear there (`WSAHOST_NOT_FOUND`, …).
 */
const RESOLVER_NAMES: Readonly<Record<string, string>> = {
  EAI_NONAME: 'HOST_NOT_FOUND',
  EAI_NODATA: 'HOST_NOT_FOUND',
  EAI_ADDRFAMILY: 'HOST_NOT_FOUND',
  EAI_AGAIN: 'TRY_AGAIN',
  EAI_FAIL: 'NO_RECOVERY',
  EAI_SERVICE: 'TYPE_NOT_FOUND',
  EAI_FAMILY: 'AFNOSUPPORT',
  EAI_SOCKTYPE: 'SOCKTNOSUPPORT',
  EAI_MEMORY: 'NOBUFS',
  EAI_BADFLAGS: 'INVAL',
}

/** Errno names that JMP spells differently from "the name without its E". */
const ALIASES: Readonly<Record<string, string>> = {
  EAGAIN: 'WOULDBLOCK',
  EWOULDBLOCK: 'WOULDBLOCK',
  ENOTSUP: 'OPNOTSUPP',
  EDEADLK: 'DEADLOCK',
}

/** Ends a sentence with exactly one period. */
function sentence(text: string): string {
  const t = text.trim().replace(/[.\s]+$/, '')
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}.`
}

/**
 * Names whose text the documents print: a script may compare the whole status string, so
 * these never carry a detail of ours. INVAL's one text lists every reason it stands for, an
 * invalid host address among them.
 */
const DOCUMENTED = new Set(['CONNREFUSED', 'NOTCONN', 'ADDRNOTAVAIL', 'INVAL'])

/**
 * A JMP status string: `"NAME: description. "` (note the trailing space, as in every example
 * of the documents).
 *
 * @param name - the status name, an errno name without its leading E (`CONNREFUSED`).
 * @param detail - replaces the table's description, except for the names the documents give a
 * text of their own (CONNREFUSED, NOTCONN, ADDRNOTAVAIL, INVAL), which always have that text.
 * Source: JMP Socket messages (connect, ioctl, bind, listen).
 */
export function status(name: string, detail?: string): string {
  const text = (DOCUMENTED.has(name) ? undefined : detail) ?? DESCRIPTIONS[name] ?? 'The operation failed.'
  return `${name}: ${sentence(text)} `
}

/**
 * The status name of an errno or getaddrinfo code: `ECONNREFUSED` → `CONNREFUSED`,
 * `EAGAIN` → `WOULDBLOCK`, `EAI_NONAME` → `HOST_NOT_FOUND`.
 */
export function statusName(code: string): string {
  const resolver = RESOLVER_NAMES[code]
  if (resolver !== undefined) return resolver
  const alias = ALIASES[code]
  if (alias !== undefined) return alias
  if (code.startsWith('EAI_')) return 'HOST_NOT_FOUND'
  return code.startsWith('E') ? code.slice(1) : code
}

/** The status string of an errno or getaddrinfo code (`ECONNREFUSED` → the documented text). */
export function statusOfCode(code: string): string {
  const name = statusName(code)
  if (DESCRIPTIONS[name] !== undefined) return status(name)
  // A name outside the table still reads like the others: the C library's text as a sentence.
  return status(name, strerror(code).startsWith('Unknown error') ? undefined : strerror(code))
}

/**
 * Turns anything a contract call may throw into a status string, so that no exception leaves
 * a message: a `SocketError` by its code, `POLYSOCKET_NOT_SUPPORTED` as OPNOTSUPP naming the
 * feature, an argument mistake (`TypeError`, `RangeError`, the facade's own checks) as INVAL
 * with the documents' one INVAL text, and anything else as INTERNAL with its message.
 */
export function statusOf(error: unknown): string {
  if (error instanceof BadArgument) return status('INVAL')
  if (isSocketError(error)) {
    if (error.code === 'POLYSOCKET_NOT_SUPPORTED') {
      return status('OPNOTSUPP', `This socket backend does not support ${error.feature ?? 'the operation'}`)
    }
    if (error.code === 'POLYSOCKET_BACKEND_FAILURE') {
      return status('INTERNAL', `The socket layer failed unexpectedly: ${error.message}`)
    }
    return statusOfCode(error.code)
  }
  if (error instanceof TypeError || error instanceof RangeError) return status('INVAL')
  const message = error instanceof Error ? error.message : String(error)
  return status('INTERNAL', `The socket layer failed unexpectedly: ${message}`)
}

/**
 * {@link statusOf} that never throws: an error whose own properties throw still becomes a
 * status. What a message's catch reports.
 */
export function failureStatus(error: unknown): string {
  try {
    return statusOf(error)
  } catch {
    return 'INTERNAL: The socket layer failed unexpectedly. '
  }
}
