import { POLL } from '../../constants-linux.js'
import type { PollEvent, Socket } from '../../contract/socket.js'
import { isSocketError } from '../../errors.js'
import { toInteger } from './args.js'
import type { UcodeEnv } from './env.js'
import type { SocketFactory } from './socket.js'
import { peekState, type SocketState } from './state.js'

// poll() over the contract's waitReady: each entry asks its socket which of its events hold,
// as poll(2) asks the kernel; nothing is read or accepted to find out. Source: ucode
// lib/socket.c, uc_socket_poll; poll(2).

/** One accepted entry of poll(): the tuple returned and what to wait for. */
export interface PollEntry {
  /** The tuple in the result: `[handle, revents, …extra]`. */
  readonly tuple: unknown[]
  readonly events: number
  /** The socket behind the entry; `undefined` for a number no handle of this module holds. */
  readonly state: SocketState | undefined
}

/** Reported whether asked for or not, as poll(2) reports them. */
const ALWAYS = POLL.POLLERR | POLL.POLLHUP | POLL.POLLNVAL

/** The contract's events and the poll(2) bits each one sets (the *NORM bits go with IN and OUT). */
const BITS: readonly [PollEvent, number][] = [
  ['POLLIN', POLL.POLLIN | POLL.POLLRDNORM],
  ['POLLPRI', POLL.POLLPRI],
  ['POLLOUT', POLL.POLLOUT | POLL.POLLWRNORM],
  ['POLLRDHUP', POLL.POLLRDHUP],
  ['POLLERR', POLL.POLLERR],
  ['POLLHUP', POLL.POLLHUP],
]

/**
 * Turns poll()'s handle arguments into entries; arguments ucode cannot use (closed sockets,
 * strings, flags outside −32768…32767, a `fileno()` that throws) are left out silently.
 */
export function pollEntries(factory: SocketFactory, handles: readonly unknown[]): PollEntry[] {
  const entries: PollEntry[] = []
  for (const handle of handles) {
    try {
      if (Array.isArray(handle)) {
        const state = stateFor(factory, handle[0])
        const flags = toInteger(handle[1])
        if (!flags.ok || flags.value < -32768 || flags.value > 32767) continue
        entries.push({ tuple: handle, events: flags.value & 0xffff, state })
      } else {
        const events = POLL.POLLIN | POLL.POLLERR | POLL.POLLHUP
        entries.push({ tuple: [handle, events], events, state: stateFor(factory, handle) })
      }
    } catch {
      // ucode skips what it cannot turn into a pollfd.
    }
  }
  return entries
}

/**
 * The socket behind a poll() handle. A handle of this module is used as it is (backends
 * without descriptors have no number to look it up by); anything else goes through its
 * descriptor number. Closed sockets and unusable values throw, and the entry is skipped.
 */
function stateFor(factory: SocketFactory, value: unknown): SocketState | undefined {
  const own = peekState(value)
  if (own) {
    if (own.closed) throw new Error('Socket is closed')
    return own
  }
  return peekState(factory.byFd(factory.fdOf(value)))
}

/**
 * poll(2) over the entries: waits until one of them has an event it asked for (POLLERR, POLLHUP
 * and POLLNVAL always count) or `timeoutMs` passes (negative: no limit; 0: look once), then
 * writes every entry's events into element 1 of its tuple and returns every tuple, ready or
 * not. A number no socket of this module holds, and a socket closed while poll waits, are
 * POLLNVAL. When one entry becomes ready, every entry is asked once more without waiting, so
 * the result holds all that are ready at that moment, as one poll(2) reports them.
 */
export async function pollWait(_env: UcodeEnv, entries: readonly PollEntry[], timeoutMs: number): Promise<unknown[]> {
  let revents = await Promise.all(entries.map((e) => ask(e, { timeoutMs: 0 })))
  if (timeoutMs !== 0 && revents.every((r) => r === 0) && entries.length > 0) {
    const controller = new AbortController()
    const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(), timeoutMs) : undefined
    try {
      const waits = entries.map((e) =>
        ask(e, { signal: controller.signal }).then((r) => {
          if (r !== 0) controller.abort()
          return r
        }),
      )
      const woken = await Promise.all(waits)
      if (woken.some((r) => r !== 0)) revents = await Promise.all(entries.map((e) => ask(e, { timeoutMs: 0 })))
    } finally {
      clearTimeout(timer)
      controller.abort()
    }
  } else if (timeoutMs > 0 && entries.length === 0) {
    // poll(2) with no descriptors is a sleep.
    await new Promise((resolve) => setTimeout(resolve, timeoutMs))
  }
  return entries.map((entry, i) => {
    entry.tuple[1] = revents[i] ?? 0
    return entry.tuple
  })
}

/**
 * The revents of one entry: its socket's waitReady answer as poll(2) bits, masked by what the
 * entry asked for; 0 when the wait ends without an event (timeout or abort).
 */
async function ask(entry: PollEntry, options: { timeoutMs?: number; signal?: AbortSignal }): Promise<number> {
  const mask = entry.events | ALWAYS
  const state = entry.state
  const inner: Socket | undefined = state?.inner
  if (!state || state.closed || !inner || inner.closed) return POLL.POLLNVAL & mask
  const wanted = BITS.filter(([, bits]) => (entry.events & bits) !== 0).map(([name]) => name)
  try {
    const held = await inner.waitReady(wanted, options)
    let bits = 0
    for (const [name, b] of BITS) if (held.includes(name)) bits |= b
    return bits & mask
  } catch (error) {
    if (options.signal?.aborted && !isSocketError(error, 'EBADF')) return 0
    // Closed while poll waited: the descriptor is gone, as poll(2) reports it.
    if (isSocketError(error, 'EBADF') || state.closed) return POLL.POLLNVAL & mask
    return POLL.POLLERR & mask
  }
}
