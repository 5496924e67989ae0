import { setMaxListeners } from 'node:events'
import { readdirSync, readFileSync } from 'node:fs'
import { delay } from '../../../peers/io.js'

/** Open file descriptors of this process (entries of `/proc/self/fd`; the listing's own fd included). */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length
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

/**
 * Waits until the fd count is at most `target`, polling every 10 ms for up to `ms`
 * milliseconds, and returns the last count. Closing is asynchronous in some backends (Node's
 * `net` closes the fd in a later libuv callback), so the count is read after it settles; the
 * margin on the count itself stays 0.
 */
export async function settledFds(target: number, ms = 2000): Promise<number> {
  const deadline = performance.now() + ms
  let count = openFds()
  while (count > target && performance.now() < deadline) {
    await delay(10)
    count = openFds()
  }
  return count
}

/**
 * `ctx.signal`, or sooner after `ms` milliseconds: a case's own limit below its `timeoutMs`.
 * Every pending wait of a load case listens on it, so Node's 10-listener warning is lifted.
 */
export function within(signal: AbortSignal, ms: number): AbortSignal {
  const combined = AbortSignal.any([signal, AbortSignal.timeout(ms)])
  setMaxListeners(0, combined)
  return combined
}

/** Bytes as MiB with one decimal, for messages. */
export function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`
}
