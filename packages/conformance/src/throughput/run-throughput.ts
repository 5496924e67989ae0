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
    side: 'backend' | 'baseline'
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
  /** Medians of the secondary figures, e.g. `p99`, `mean`, `loss`. */
  readonly extra: Readonly<Record<string, number>>
  readonly baselineExtra: Readonly<Record<string, number>>
  /** Why the scenario did not run (a missing capability, or the error it failed with). */
  readonly skipped?: string
}

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

/**
 * Runs the bench scenarios on one backend: for each scenario, `rounds` rounds alternating the
 * backend and the node:net/node:dgram baseline (which goes first alternates too), then the
 * median, min, max and the ratio to the baseline's median.
 */
export async function runThroughput(options: RunThroughputOptions): Promise<ThroughputResult[]> {
  const durationMs = options.durationMs ?? 2_000
  const rounds = options.rounds ?? 5
  const scenarios = (options.scenarios ?? allScenarios).filter((s) => !options.grep || options.grep.test(s.id))
  const probe = await options.factory()
  const total = scenarios.length * rounds * 2
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
      done += rounds * 2
      report({ ...base, ...empty, skipped: `backend ${probe.name} lacks ${missing.join(', ')}` })
      continue
    }
    const ours: Measurement[] = []
    const theirs: Measurement[] = []
    try {
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? (['backend', 'baseline'] as const) : (['baseline', 'backend'] as const)
        for (const side of order) {
          if (side === 'backend') ours.push(await measure(scenario.run, await options.factory(), durationMs))
          else theirs.push(await measure(scenario.baseline, probe, durationMs))
          options.onProgress?.({ scenario: scenario.id, round, side, done: ++done, total })
        }
      }
    } catch (error) {
      done = Math.max(done, results.length * rounds * 2)
      report({ ...base, ...empty, skipped: `failed: ${error instanceof Error ? error.message : String(error)}` })
      continue
    }
    const a = summarise(ours)
    const b = summarise(theirs)
    const ratio = scenario.higherIsBetter ? a.median / b.median : b.median / a.median
    report({
      ...base,
      median: a.median,
      min: a.min,
      max: a.max,
      baselineMedian: b.median,
      ratio,
      extra: a.extra,
      baselineExtra: b.extra,
    })
  }
  return results
}
