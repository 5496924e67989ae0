import { POLL } from '../../constants-linux.js'
import type { Socket } from '../../contract/socket.js'
import { isSocketError } from '../../errors.js'
import { toInteger } from './args.js'
import type { UcodeEnv } from './env.js'
import type { SocketFactory } from './socket.js'
import { peekState, type SocketState } from './state.js'

// poll() over the contract, which has no readiness call. Readability is found by starting the
// operation itself with an AbortSignal: accept() on a listening socket (the connection is kept
// for the next accept()), a 1-byte MSG_PEEK recv() where the backend has MSG_PEEK, else a real
// recv() whose data is kept for the next recv()/recvmsg(). Nothing is lost when the wait is
// aborted after it completed. Writability is not observable through the contract: POLLOUT is
// reported for every open socket that is not listening.

/** One accepted entry of poll(): the tuple returned and what to wait for. */
export interface PollEntry {
  /** The tuple in the result: `[handle, revents, …extra]`. */
  readonly tuple: unknown[]
  readonly events: number
  /** The socket behind the entry; `undefined` for a number no handle of this module holds. */
  readonly state: SocketState | undefined
}

const ALWAYS = POLL.POLLERR | POLL.POLLHUP | POLL.POLLNVAL
const READ = POLL.POLLIN | POLL.POLLPRI
/** Bytes one read-ahead takes on a backend without MSG_PEEK (a full datagram fits). */
const READ_AHEAD = 65_536

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
 * Waits until an entry is ready or `timeoutMs` passes (negative: no limit), then writes each
 * entry's events into element 1 of its tuple and returns every tuple, ready or not.
 */
export async function pollWait(env: UcodeEnv, entries: readonly PollEntry[], timeoutMs: number): Promise<unknown[]> {
  const revents: number[] = entries.map((e) => immediate(e))
  const controller = new AbortController()
  let wake: () => void = () => {}
  const woken = new Promise<void>((resolve) => {
    wake = resolve
  })
  entries.forEach((entry, i) => {
    void waitFor(env, entry, controller.signal).then((events) => {
      if (controller.signal.aborted || events === 0) return
      revents[i] = (revents[i] ?? 0) | events
      wake()
    })
  })
  // Something ready already: only look once more at what the others have now (timeout 0).
  const limit = revents.some((r) => r !== 0) ? 0 : timeoutMs
  let timer: NodeJS.Timeout | undefined
  if (limit >= 0) timer = setTimeout(wake, limit)
  await woken
  clearTimeout(timer)
  // Entries that became ready in the same turn are reported together, as one poll(2) would.
  await new Promise((resolve) => setImmediate(resolve))
  controller.abort()
  return entries.map((entry, i) => {
    entry.tuple[1] = revents[i] ?? 0
    return entry.tuple
  })
}

/** Events known without waiting. */
function immediate(entry: PollEntry): number {
  const state = entry.state
  if (!state || state.closed || !state.inner) return POLL.POLLNVAL & (entry.events | ALWAYS)
  let events = 0
  if (state.listening) {
    if (state.accepted.length > 0) events |= POLL.POLLIN
  } else {
    if (state.stash.length > 0) events |= POLL.POLLIN
    events |= POLL.POLLOUT
  }
  return events & (entry.events | ALWAYS)
}

/** Pause between attempts when a wait could not be made blocking (a non-blocking socket). */
const RETRY_MS = 5

/**
 * Starts waiting for readability; resolves with the events seen (0 when aborted). On a
 * SOCK_NONBLOCK socket the wait is started in blocking mode (the contract fixes the mode of an
 * operation when it starts) and the mode is put back at once; should an attempt still end in
 * EAGAIN, it is retried every few milliseconds until ready or aborted.
 */
async function waitFor(env: UcodeEnv, entry: PollEntry, signal: AbortSignal): Promise<number> {
  const state = entry.state
  const inner = state?.inner
  if (!state || !inner || (entry.events & READ) === 0) return 0
  for (;;) {
    try {
      return await blocking(inner, () => attempt(env, entry, state, inner, signal))
    } catch (error) {
      if (signal.aborted || state.closed || isSocketError(error, 'EBADF')) return 0
      if (!isSocketError(error, 'EAGAIN', 'EWOULDBLOCK')) {
        const events = (POLL.POLLERR | POLL.POLLHUP) & (entry.events | ALWAYS)
        // Without MSG_PEEK the error was read ahead: the next recv() must see it.
        if (!state.listening && !env.backend.supports.msgPeek) state.stash.push({ error })
        return events
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS))
      if (signal.aborted) return 0
    }
  }
}

/** One readiness attempt: an accept, a 1-byte peek, or a read-ahead kept for recv(). */
async function attempt(
  env: UcodeEnv,
  entry: PollEntry,
  state: SocketState,
  inner: Socket,
  signal: AbortSignal,
): Promise<number> {
  if (state.listening) {
    const accepted = await inner.accept({ signal })
    if (state.closed) {
      await accepted.socket.close().catch(() => {})
      return 0
    }
    state.accepted.push(accepted)
    return POLL.POLLIN & entry.events
  }
  if (env.backend.supports.msgPeek) {
    const r = await inner.recv(1, { flags: ['MSG_PEEK'], signal })
    const eof = inner.type === 'SOCK_STREAM' && r.data.length === 0
    return (POLL.POLLIN | (eof ? POLL.POLLRDHUP : 0)) & entry.events
  }
  const result = await inner.recv(READ_AHEAD, { signal })
  if (!state.closed) state.stash.push({ result })
  return POLL.POLLIN & entry.events
}

/** Starts `operation` with the socket in blocking mode, restoring its mode right after the start. */
function blocking<T>(inner: Socket, operation: () => Promise<T>): Promise<T> {
  if (!inner.nonBlocking) return operation()
  try {
    inner.setNonBlocking(false)
  } catch {
    return operation()
  }
  try {
    return operation()
  } finally {
    try {
      inner.setNonBlocking(true)
    } catch {
      // The socket was closed meanwhile; nothing to restore.
    }
  }
}
