import { POLL_EVENTS, type PollEvent, type Wait } from '@polysocket/core'
import type { Waitable } from './notifier.js'

/** Turns of the event loop a look that may not wait takes before it answers `[]`. */
const GRACE_TURNS = 2

/** Reported whether asked for or not, as poll(2) reports them. */
const ALWAYS: readonly PollEvent[] = ['POLLERR', 'POLLHUP']

/**
 * Waits until one of `events` (or POLLERR / POLLHUP) holds, as {@link Wait} allows, and
 * resolves with every asked-for event that holds then, in poll(2)'s order. `now` is the
 * socket's view of itself (its receive queue, its write side, its listener's queue); the
 * socket's notifier wakes the wait at every change of that view. With `nonBlocking` (a
 * `timeoutMs` of 0) it answers `[]` only after two turns of the event loop, so that what the
 * kernel already holds (bytes sent over loopback a moment ago) reaches Node first; at `timeoutMs` it resolves `[]`.
 *
 * @throws SocketError `EBADF` when the socket is (or gets) closed; the signal's reason on abort.
 */
export async function waitForReady(
  socket: Waitable,
  events: readonly PollEvent[],
  wait: Wait,
  now: () => ReadonlySet<PollEvent>,
): Promise<PollEvent[]> {
  const wanted = (holding: ReadonlySet<PollEvent>): PollEvent[] =>
    POLL_EVENTS.filter((e) => holding.has(e) && (events.includes(e) || ALWAYS.includes(e)))
  const deadline = wait.nonBlocking ? 0 : wait.timeoutMs === undefined ? undefined : performance.now() + wait.timeoutMs
  let turns = 0
  for (;;) {
    socket.checkOpen('poll')
    if (wait.signal?.aborted) throw wait.signal.reason
    const ready = wanted(now())
    if (ready.length > 0) return ready
    let remaining: number | undefined
    if (deadline !== undefined) {
      remaining = deadline - performance.now()
      if (remaining <= 0) {
        if (turns >= GRACE_TURNS) return []
        // What the kernel already holds reaches Node only in a poll phase, which may have run
        // already in this turn of the loop: look again after the next one.
        turns++
        await new Promise<void>((resolve) => setImmediate(resolve))
        continue
      }
    }
    await socket.notifier.next(remaining, wait.signal)
  }
}
