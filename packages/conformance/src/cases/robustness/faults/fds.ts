import assert from 'node:assert/strict'
import { readdirSync, readlinkSync } from 'node:fs'
import { delay } from '../../../peers/io.js'

/**
 * How many of this process's file descriptors are sockets (`/proc/self/fd` links named
 * `socket:[…]`), or `undefined` where `/proc` is missing (not Linux). Other files are left
 * out (a backend's epoll or event fd is no leak). Node gives a child's stdio socketpairs, not
 * pipes, so a count must be compared with one taken while the same children were alive.
 */
export function socketFdCount(): number | undefined {
  let names: string[]
  try {
    names = readdirSync('/proc/self/fd')
  } catch {
    return undefined
  }
  let count = 0
  for (const name of names) {
    try {
      if (readlinkSync(`/proc/self/fd/${name}`).startsWith('socket:')) count++
    } catch {
      // The descriptor used to list the directory is gone by now; it was no socket.
    }
  }
  return count
}

/**
 * Asserts that the process holds no more sockets than `before` (a {@link socketFdCount}).
 * Node closes a handle's fd on a later turn of its loop, so the count is polled for up to
 * `graceMs` milliseconds (default 2,000) before failing. Fewer is fine: a previous case's
 * sockets may finish closing meanwhile.
 */
export async function expectNoSocketLeak(before: number | undefined, what: string, graceMs = 2000): Promise<void> {
  if (before === undefined) return
  const deadline = performance.now() + graceMs
  let now = socketFdCount() ?? 0
  while (now > before && performance.now() < deadline) {
    await delay(20)
    now = socketFdCount() ?? 0
  }
  assert.ok(now <= before, `${what}: ${now - before} socket fd(s) leaked (${before} before, ${now} after)`)
}
