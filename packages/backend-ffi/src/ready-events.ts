import type { PollEvent } from '@polysocket/core'
import { REGION } from './arena.js'
import { errnoError } from './errors.js'
import { LINUX_EXTRA as X } from './platform-linux.js'
import { type Pollable, READ, WRITE } from './readiness.js'
import type { Runtime } from './runtime.js'

/**
 * Readiness as poll(2) reports it, exactly: the answer always comes from poll(2) on the fd
 * (level-triggered, so it is the state now), and between two looks the socket waits for an
 * edge of its epoll registration in the direction asked for, so no change goes unseen.
 * Source: poll(2), epoll(7).
 */

const BITS: readonly [PollEvent, number][] = [
  ['POLLIN', X.POLLIN],
  ['POLLPRI', X.POLLPRI],
  ['POLLOUT', X.POLLOUT],
  ['POLLRDHUP', X.POLLRDHUP],
  ['POLLERR', X.POLLERR],
  ['POLLHUP', X.POLLHUP],
]
/** Reported whether asked for or not, as poll(2) does (POLLNVAL cannot hold: the fd is open). */
const ALWAYS = X.POLLERR | X.POLLHUP

/** The bits of `names`. */
export function pollBits(names: readonly PollEvent[]): number {
  let bits = 0
  for (const [name, bit] of BITS) if (names.includes(name)) bits |= bit
  return bits
}

/** The names of `bits`. */
export function pollNames(bits: number): PollEvent[] {
  return BITS.filter(([, bit]) => (bits & bit) !== 0).map(([name]) => name)
}

/** One poll(2) of `fd` for `events` with timeout 0: the revents bits. */
export function pollNow(rt: Runtime, fd: number, events: number): number {
  const { libc, arena, engine } = rt
  const { view, address } = arena
  for (;;) {
    view.writeInt32LE(fd, REGION.pollfd)
    view.writeInt16LE(events, REGION.pollfd + 4)
    view.writeInt16LE(0, REGION.pollfd + 6)
    const n = libc.poll(address + REGION.pollfd, 1, 0)
    if (n >= 0) return n === 0 ? 0 : view.readUInt16LE(REGION.pollfd + 6)
    const e = engine.errno()
    if (e !== 4) throw errnoError('poll', e)
  }
}

/**
 * Waits until one of `events` holds on `fd` (POLLERR and POLLHUP always count), or until
 * `deadline` (`performance.now()` value; `undefined` waits without limit).
 * @returns the events that hold, `[]` when the deadline passed first.
 * @throws the signal's reason on abort; SocketError `EBADF` when the socket is closed meanwhile.
 */
export async function waitForEvents(
  rt: Runtime,
  poll: Pollable,
  fd: () => number,
  events: number,
  deadline: number | undefined,
  signal: AbortSignal | undefined,
): Promise<PollEvent[]> {
  const wanted = events | ALWAYS
  // Edges of input end a wait for input, urgent data or a read hang-up; edges of room for output.
  let dir = (events & (X.POLLIN | X.POLLPRI | X.POLLRDHUP) ? READ : 0) | (events & X.POLLOUT ? WRITE : 0)
  if (dir === 0) dir = READ | WRITE
  for (;;) {
    const revents = pollNow(rt, fd(), events) & wanted
    if (revents !== 0) return pollNames(revents)
    if (deadline !== undefined && performance.now() >= deadline) return []
    if (!(await rt.reactor.wait(poll, dir, deadline, signal))) return pollNames(pollNow(rt, fd(), events) & wanted)
  }
}
