import type { Backend, Capability, SocketAddress } from '@polysocket/core'

/** What a case gets to run with. */
export interface CaseContext {
  /** A fresh backend from the factory, for this case alone. */
  readonly backend: Backend
  /** The IP family of this run: 4 or 6 (cases without `ip` always see 4). */
  readonly ipFamily: 4 | 6
  /** `'AF_INET'` or `'AF_INET6'`, as `ipFamily` says. */
  readonly family: 'AF_INET' | 'AF_INET6'
  /** The loopback address of `ipFamily`: `127.0.0.1` or `::1`. */
  readonly host: string
  /** Fires when the case's time is up; pass it to waits so nothing outlives the case. */
  readonly signal: AbortSignal
  /** A fresh temporary directory (for Unix socket paths), removed after the case. */
  readonly tmpdir: string
  /** True for the full sizes (`--full`); reduced sizes otherwise, to fit CI. */
  readonly full: boolean
  /** The loopback socket address of `ipFamily` with `port` (default 0: ephemeral). */
  addr(port?: number): SocketAddress
  /** A Unix path inside `tmpdir` (`name` defaults to a fresh unique name). */
  unixPath(name?: string): string
  /** A fresh Linux abstract name (`"\0polysocket-…"`). */
  abstractName(): string
  /** Registers a cleanup; cleanups run after the case, last registered first, even on failure. */
  onCleanup(fn: () => unknown): void
  /** Ends the case as skipped, with a reason (for conditions only known at run time). */
  skip(reason: string): never
  /**
   * Records a figure the case measured (`ctx.report('bytes verified', 2 ** 30, 'bytes')`); the
   * runner puts it on the case's result, failed runs included. Reporting a name again replaces
   * its value.
   *
   * @throws TypeError when `name` or `unit` is not a non-empty string or `value` not a number;
   *   RangeError when `value` is not finite.
   */
  report(name: string, value: number, unit: string): void
}

/** A figure a case measured: fuzz calls made, bytes verified, fds before and after, RSS growth. */
export interface Figure {
  /** What was measured, in words: `calls`, `bytes verified`, `fds leaked`. */
  readonly name: string
  readonly value: number
  /** `calls`, `bytes`, `fds`, `connections`, `ms`, … */
  readonly unit: string
}

/**
 * One conformance case: data, so that vitest and the CLI run the same objects. It asserts
 * with `node:assert/strict` and throws on failure.
 */
export interface Case {
  /** Dotted id, group first: `tcp.connect.refused`, `ucode.error.connect`. */
  readonly id: string
  readonly title: string
  /** Capabilities the backend must have; the case is skipped (naming them) otherwise. */
  readonly needs: readonly Capability[]
  /**
   * Capabilities the backend must lack: the case checks what a backend without them does (a
   * not-supported error, a facade's null), and is skipped, naming them, where the backend has one.
   */
  readonly without?: readonly Capability[]
  /** Run once for IPv4 and again for IPv6 (the IPv6 run also needs `inet6`). */
  readonly ip?: boolean
  /** Time limit in milliseconds (default 10,000). */
  readonly timeoutMs?: number
  run(ctx: CaseContext): Promise<void>
}

/** Thrown by `ctx.skip()`; the runners report it as a skip with its reason. */
export class SkipCase extends Error {
  constructor(reason: string) {
    super(reason)
    this.name = 'SkipCase'
  }
}

/** The outcome of one case run. */
export interface CaseResult {
  /** The case id, with ` [v6]` appended for the IPv6 run of an `ip` case. */
  readonly id: string
  readonly title: string
  readonly backend: string
  readonly status: 'pass' | 'fail' | 'skip'
  /** Why it was skipped, or the failure message. */
  readonly reason?: string
  readonly error?: unknown
  readonly durationMs: number
  /** The figures the case reported with `ctx.report`, in the order first reported (absent when none). */
  readonly figures?: readonly Figure[]
}
