import assert from 'node:assert/strict'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import type { CaseContext } from '../case.js'
import { delay } from './time.js'

/**
 * How many descriptors this process holds (entries of `/proc/self/fd`; the listing's own fd,
 * the same each time, included), or `undefined` where there is no /proc (not Linux).
 */
export function openFdCount(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return undefined
  }
}

/** {@link openFdCount} for a case that needs it: the case is skipped where there is no /proc. */
export function requireFdCount(ctx: Pick<CaseContext, 'skip'>): number {
  return openFdCount() ?? ctx.skip('counting descriptors needs /proc/self/fd (Linux)')
}

/**
 * How many of this process's descriptors are sockets (`/proc/self/fd` links named `socket:[…]`),
 * or `undefined` where there is no /proc. Other files are left out (a backend's epoll or event
 * fd is no leak). Node gives a child's stdio socketpairs, not pipes, so a count must be compared
 * with one taken while the same children were alive.
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
 * The descriptor count once it is at most `target`, or the last count after `ms` milliseconds
 * (polled every 10 ms). Closing is asynchronous in some backends (Node's `net` closes the fd in a
 * later libuv callback), so a count is read after it settles; the margin on the count stays 0.
 * Where there is no /proc, `target` itself.
 */
export async function settledFdCount(target: number, ms = 2_000): Promise<number> {
  const deadline = performance.now() + ms
  let count = openFdCount() ?? target
  while (count > target && performance.now() < deadline) {
    await delay(10)
    count = openFdCount() ?? target
  }
  return count
}

/**
 * Asserts that the process holds no more sockets than `before` (a {@link socketFdCount}), polling
 * for up to `graceMs` milliseconds (default 2,000) as Node closes a handle's fd on a later turn of
 * its loop. Fewer is fine: a previous case's sockets may finish closing meanwhile.
 */
export async function expectNoSocketLeak(before: number | undefined, what: string, graceMs = 2_000): Promise<void> {
  if (before === undefined) return
  const deadline = performance.now() + graceMs
  let now = socketFdCount() ?? 0
  while (now > before && performance.now() < deadline) {
    await delay(20)
    now = socketFdCount() ?? 0
  }
  assert.ok(now <= before, `${what}: ${now - before} socket fd(s) leaked (${before} before, ${now} after)`)
}

/** Resident set size of this process, in bytes (`process.memoryUsage.rss()`). */
export function rssBytes(): number {
  return process.memoryUsage.rss()
}

/**
 * The soft RLIMIT_NOFILE of this process, from `/proc/self/limits` (Node cannot read or raise
 * it through its own API). `Infinity` for "unlimited", `undefined` where the file is missing.
 */
export function softFdLimit(): number | undefined {
  let text: string
  try {
    text = readFileSync('/proc/self/limits', 'utf8')
  } catch {
    return undefined
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'))
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0]
  if (soft === undefined) return undefined
  return soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft)
}

/** Bytes as MiB with one decimal, for messages. */
export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`
}
