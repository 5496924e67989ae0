import type { Backend, Capability } from '@polysocket/core'

/** What one run of a scenario side (backend or baseline) gets. */
export interface BenchContext {
  /** A fresh backend (absent for the baseline run). */
  readonly backend: Backend
  /** How long the measured part runs, in milliseconds. */
  readonly durationMs: number
  /** A temp dir for Unix paths. */
  readonly tmpdir: string
  /** Fires when the run must stop at once (its hard time limit). */
  readonly signal: AbortSignal
  /** Registers a cleanup, run after the side finishes, last first. */
  onCleanup(fn: () => unknown): void
}

/** One measurement of one side. `value` is in the scenario's unit. */
export interface Measurement {
  readonly value: number
  /** Secondary figures (p99 and mean for latency, loss for UDP, bytes moved …). */
  readonly extra?: Readonly<Record<string, number>>
}

/**
 * A throughput or latency scenario: the same workload written on the contract (`run`) and
 * directly on node:net / node:dgram (`baseline`), measured alternately in one process run.
 */
export interface BenchScenario {
  /** `tcp.bulk`, `udp.rate`, `tcp.pingpong.ucode`, … */
  readonly id: string
  readonly title: string
  readonly needs: readonly Capability[]
  /** `MB/s`, `datagrams/s`, `µs`, `connections/s`. */
  readonly unit: string
  /** The metric's name in reports: `throughput`, `rtt p50`, … */
  readonly metric: string
  /** Throughput: higher is better (ratio backend/baseline); latency: lower is better (ratio baseline/backend). */
  readonly higherIsBetter: boolean
  run(ctx: BenchContext): Promise<Measurement>
  baseline(ctx: Omit<BenchContext, 'backend'>): Promise<Measurement>
  /**
   * For a facade scenario, the contract scenario it is written after (`tcp.bulk` for
   * `tcp.bulk.jmp`): measured on the same backend in the same rounds, alternating with the
   * facade and the baseline, so that the facade's cost over the contract is a ratio of two
   * figures taken side by side rather than of two rows measured minutes apart.
   */
  readonly contract?: BenchScenario
}
