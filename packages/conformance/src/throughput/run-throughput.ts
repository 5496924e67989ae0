import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Backend } from '@polysocket/core'
import type { BenchContext, BenchScenario, Measurement } from './scenario.js'
import { allScenarios } from './scenarios/index.js'
import { median } from './stats.js'

/** Options of {@link runThroughput}. */
export interface RunThroughputOptions {
  readonly factory: () => Backend | Promise<Backend>
  readonly scenarios?: readonly BenchScenario[]
  /** Only scenario ids matching this pattern. */
  readonly grep?: RegExp
  /** Measured time of one side of one round, in milliseconds (default 2,000). */
  readonly durationMs?: number
  /** Rounds; each runs the backend and the baseline once, in alternating order (default 5). */
  readonly rounds?: number
  /** Called after each measured side, for progress. */
  readonly onProgress?: (event: {
    scenario: string
    round: number
    /** The scenario on the backend, its contract scenario (facade scenarios), or the baseline. */
    side: 'backend' | 'contract' | 'baseline'
    done: number
    total: number
  }) => void
  /** Called once per scenario when its figures (or why it did not run) are known. */
  readonly onResult?: (result: ThroughputResult) => void
}

/** One scenario's figures on one backend. Field names are those of the `--json` report. */
export interface ThroughputResult {
  readonly scenario: string
  readonly backend: string
  readonly metric: string
  readonly unit: string
  readonly median: number
  readonly min: number
  readonly max: number
  readonly baselineMedian: number
  /** Above 1 always means faster than the baseline (backend/baseline for throughput, baseline/backend for latency). */
  readonly ratio: number
  /**
   * A facade scenario's contract scenario (`tcp.bulk` for `tcp.bulk.jmp`), measured on the
   * same backend in the same rounds: its median, and the facade's figure against it, oriented
   * as `ratio` (above 1: the facade is faster than the contract).
   */
  readonly contractMedian?: number
  readonly contractRatio?: number
  /** Medians of the secondary figures, e.g. `p99`, `mean`, `loss`. */
  readonly extra: Readonly<Record<string, number>>
  readonly baselineExtra: Readonly<Record<string, number>>
  /** Why the scenario did not run (a missing capability, or the error it failed with). */
  readonly skipped?: string
}

/** What one measurement of a round runs: the scenario on the backend, its contract scenario, or the baseline. */
type Side = 'backend' | 'contract' | 'baseline'

/** Hard limit on one side of one round, beyond its measured duration. */
const SLACK_MS = 20_000

async function measure(
  side: (ctx: BenchContext) => Promise<Measurement>,
  backend: Backend,
  durationMs: number,
): Promise<Measurement> {
  const cleanups: (() => unknown)[] = []
  const dir = mkdtempSync(join(tmpdir(), 'polysocket-bench-'))
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`bench side exceeded ${durationMs + SLACK_MS} ms`)
      controller.abort(error)
      reject(error)
    }, durationMs + SLACK_MS)
  })
  try {
    const ctx: BenchContext = {
      backend,
      durationMs,
      tmpdir: dir,
      signal: controller.signal,
      onCleanup: (fn) => cleanups.push(fn),
    }
    return await Promise.race([side(ctx), limit])
  } finally {
    clearTimeout(timer)
    controller.abort(new Error('bench side finished'))
    for (const fn of cleanups.reverse()) {
      try {
        await fn()
      } catch {
        // Cleanup failures must not hide the measurement or stop other cleanups.
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
}

function summarise(values: readonly Measurement[]): {
  median: number
  min: number
  max: number
  extra: Record<string, number>
} {
  const nums = values.map((m) => m.value)
  const keys = new Set(values.flatMap((m) => Object.keys(m.extra ?? {})))
  const extra: Record<string, number> = {}
  for (const k of keys) extra[k] = median(values.map((m) => m.extra?.[k] ?? Number.NaN).filter((v) => !Number.isNaN(v)))
  return { median: median(nums), min: Math.min(...nums), max: Math.max(...nums), extra }
}

/** The order of a round's sides: each goes first in turn. */
function sidesOf(scenario: BenchScenario, round: number): readonly Side[] {
  const sides: readonly Side[] = scenario.contract ? ['backend', 'contract', 'baseline'] : ['backend', 'baseline']
  const shift = round % sides.length
  return [...sides.slice(shift), ...sides.slice(0, shift)]
}

/**
 * Runs the bench scenarios on one backend: for each scenario, `rounds` rounds alternating the
 * backend and the node:net/node:dgram baseline (and, for a facade scenario, its contract
 * scenario on the same backend; which goes first rotates), then the median, min, max and the
 * ratios to the baseline's median and the contract scenario's.
 */
export async function runThroughput(options: RunThroughputOptions): Promise<ThroughputResult[]> {
  const durationMs = options.durationMs ?? 2_000
  const rounds = options.rounds ?? 5
  const scenarios = (options.scenarios ?? allScenarios).filter((s) => !options.grep || options.grep.test(s.id))
  const probe = await options.factory()
  const sidesPerRound = (s: BenchScenario) => (s.contract ? 3 : 2)
  const total = scenarios.reduce((sum, s) => sum + rounds * sidesPerRound(s), 0)
  let done = 0
  const results: ThroughputResult[] = []
  const report = (result: ThroughputResult) => {
    results.push(result)
    options.onResult?.(result)
  }
  for (const scenario of scenarios) {
    const base = { scenario: scenario.id, backend: probe.name, metric: scenario.metric, unit: scenario.unit }
    const empty = {
      median: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
      baselineMedian: Number.NaN,
      ratio: Number.NaN,
      extra: {},
      baselineExtra: {},
    }
    const missing = scenario.needs.filter((n) => !probe.supports[n])
    if (missing.length > 0) {
      done += rounds * sidesPerRound(scenario)
      report({ ...base, ...empty, skipped: `backend ${probe.name} lacks ${missing.join(', ')}` })
      continue
    }
    const figures: Record<Side, Measurement[]> = { backend: [], contract: [], baseline: [] }
    const started = done
    try {
      for (let round = 0; round < rounds; round++) {
        for (const side of sidesOf(scenario, round)) {
          const run =
            side === 'backend'
              ? measure(scenario.run, await options.factory(), durationMs)
              : side === 'contract'
                ? measure((scenario.contract as BenchScenario).run, await options.factory(), durationMs)
                : measure(scenario.baseline, probe, durationMs)
          figures[side].push(await run)
          options.onProgress?.({ scenario: scenario.id, round, side, done: ++done, total })
        }
      }
    } catch (error) {
      done = started + rounds * sidesPerRound(scenario)
      report({ ...base, ...empty, skipped: `failed: ${error instanceof Error ? error.message : String(error)}` })
      continue
    }
    const a = summarise(figures.backend)
    const b = summarise(figures.baseline)
    const against = (other: number) => (scenario.higherIsBetter ? a.median / other : other / a.median)
    const contract = scenario.contract ? summarise(figures.contract).median : undefined
    report({
      ...base,
      median: a.median,
      min: a.min,
      max: a.max,
      baselineMedian: b.median,
      ratio: against(b.median),
      ...(contract === undefined ? {} : { contractMedian: contract, contractRatio: against(contract) }),
      extra: a.extra,
      baselineExtra: b.extra,
    })
  }
  return results
}
