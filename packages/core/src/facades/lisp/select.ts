import { describe } from '../../contract/address.js'
import { invalid } from './faults.js'
import { LispSocket, readiness } from './socket.js'
import { sleep } from './wait.js'

/**
 * `select` (the document's "see also"), on a contract that has no poll primitive:
 *
 * - a socket is readable when a read method would not wait: the input buffer, an unread
 *   character, data or an error read ahead, the end of the stream or a destroyed socket count
 *   at once; otherwise select waits with a one-byte MSG_PEEK recv where the backend has
 *   `msgPeek` (nothing is consumed), else with a real recv of up to maxstring bytes whose
 *   result the next read method returns first (read-char and friends through the input
 *   buffer, recv and recv-from as their own result). A listening socket is readable once a
 *   connection was accepted; the next `accept` returns it.
 * - a socket is writable unless its connect is still running or it is listening: the
 *   contract cannot tell whether the send buffer has room, so a write may still wait (up to
 *   SO_SNDTIMEO).
 *
 * select returns soon after the first socket is ready (one event-loop turn later), with every
 * socket found ready by then, or when `timeoutMs` elapses.
 *
 * @param readSockets - socket objects to watch for reading (a list, one socket, or nil).
 * @param writeSockets - socket objects to watch for writing (a list, one socket, or nil).
 * @param timeoutMs - milliseconds (a float allowed); nil waits without limit; 0 polls.
 * @returns `[readable, writable]`, each a list in the order given (both empty on timeout).
 * @throws LispFault EINVAL for a non-socket or a bad timeout (the facade turns it into nil).
 */
export async function select(
  readSockets: unknown,
  writeSockets: unknown,
  timeoutMs: unknown,
): Promise<[LispSocket[], LispSocket[]]> {
  const reads = socketList(readSockets, 'the read sockets')
  const writes = socketList(writeSockets, 'the write sockets')
  const timeout = milliseconds(timeoutMs)
  if (reads.length + writes.length === 0) {
    // Nothing to watch: a timed select is a sleep; an untimed one would never return.
    if (timeout !== undefined) await sleep(timeout)
    return [[], []]
  }
  const controller = new AbortController()
  const { signal } = controller
  let ending: NodeJS.Immediate | undefined
  const ready = new Set<LispSocket>()
  const readyWrite = new Set<LispSocket>()
  const found = (socket: LispSocket, set: Set<LispSocket>) => (ok: boolean) => {
    if (!ok) return
    set.add(socket)
    // Give the other probes one turn to report what is already there, then stop them.
    ending ??= setImmediate(() => controller.abort())
  }
  const probes = [
    ...reads.map((s) =>
      s[readiness]
        .waitReadable(signal)
        .catch(() => true)
        .then(found(s, ready)),
    ),
    ...writes.map((s) =>
      s[readiness]
        .waitWritable(signal)
        .catch(() => true)
        .then(found(s, readyWrite)),
    ),
  ]
  const timer = timeout === undefined ? undefined : setTimeout(() => controller.abort(), timeout)
  try {
    // Every probe settles promptly on abort; waiting for all of them means no read is left
    // running that could take data from the program.
    await Promise.all(probes)
  } finally {
    clearTimeout(timer)
    if (ending) clearImmediate(ending)
    if (!signal.aborted) controller.abort()
  }
  return [reads.filter((s) => ready.has(s)), writes.filter((s) => readyWrite.has(s))]
}

function socketList(value: unknown, what: string): LispSocket[] {
  if (value === null || value === undefined) return []
  if (value instanceof LispSocket) return [value]
  if (!Array.isArray(value)) throw invalid(`${what} must be a list of socket objects, got ${describe(value)}`)
  for (const s of value) {
    if (!(s instanceof LispSocket)) throw invalid(`${what} must hold socket objects only, got ${describe(s)}`)
  }
  return value as LispSocket[]
}

function milliseconds(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 2 ** 31 - 1) {
    throw invalid(`the timeout must be nil or milliseconds from 0 to 2147483647, got ${describe(value)}`)
  }
  return value
}
