import { describe } from '../../contract/address.js'
import { invalid } from './faults.js'
import type { Look } from './readiness.js'
import { LispSocket, readiness } from './socket.js'
import { sleep } from './wait.js'

/**
 * `select` (the document's "see also"), on the contract's waitReady, as select(2) works on
 * poll(2)'s events:
 *
 * - a socket is readable when a read method would not wait: the input buffer, an unread
 *   character, the end of the stream or a destroyed object count at once; otherwise when the
 *   socket shows input, a hang-up or an error (a listening socket: a connection to accept).
 * - a socket is writable when it shows room for output or an error: not while its connect
 *   runs, never while it listens.
 *
 * Nothing is read or accepted to find out: the next read method or accept gets everything.
 * select returns as soon as one socket is ready, with every socket ready at that moment, or
 * when `timeoutMs` elapses.
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
  const lookAll = async (look: Look): Promise<[boolean[], boolean[]]> =>
    Promise.all([
      Promise.all(reads.map((s) => s[readiness].readable(look))),
      Promise.all(writes.map((s) => s[readiness].writable(look))),
    ])
  let [r, w] = await lookAll({ timeoutMs: 0 })
  if (timeout !== 0 && !r.includes(true) && !w.includes(true)) {
    const controller = new AbortController()
    const timer = timeout === undefined ? undefined : setTimeout(() => controller.abort(), timeout)
    try {
      const look = { signal: controller.signal }
      const ready = (ok: boolean): boolean => {
        if (ok) controller.abort()
        return ok
      }
      const woken = await Promise.all([
        ...reads.map((s) => s[readiness].readable(look).then(ready)),
        ...writes.map((s) => s[readiness].writable(look).then(ready)),
      ])
      // One socket is ready: report every one that is ready now, as one select(2) does.
      if (woken.includes(true)) [r, w] = await lookAll({ timeoutMs: 0 })
    } finally {
      clearTimeout(timer)
      controller.abort()
    }
  }
  return [reads.filter((_, i) => r[i]), writes.filter((_, i) => w[i])]
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
