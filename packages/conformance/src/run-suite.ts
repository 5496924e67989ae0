import type { Backend } from '@polysocket/core'
import type { Case, CaseResult } from './case.js'
import { allCases } from './cases/index.js'
import { runOne } from './run-one.js'

/** Options of {@link runSuite}. */
export interface RunSuiteOptions {
  /** Makes a fresh backend; called once per case run. */
  readonly factory: () => Backend | Promise<Backend>
  /** The cases to run; default: every case of the suite. */
  readonly cases?: readonly Case[]
  /** Only case ids matching this pattern (tested against the id with its ` [v6]` suffix). */
  readonly grep?: RegExp
  /** Full sizes for load and robustness cases (default false). */
  readonly full?: boolean
  /** Called after each case run, for progress and streaming reports. */
  readonly onResult?: (result: CaseResult) => void
  /** Called before each case run starts. */
  readonly onStart?: (id: string) => void
}

/** Counts and results of a suite run. */
export interface SuiteResult {
  readonly backend: string
  readonly passed: number
  readonly failed: number
  readonly skipped: number
  readonly results: readonly CaseResult[]
}

/** One planned run of a case: the case and the IP family, with its reported id. */
export interface PlannedRun {
  readonly case: Case
  readonly ipFamily: 4 | 6
  readonly id: string
}

/** Expands cases into runs: an `ip` case runs for IPv4 and again for IPv6 (` [v6]` id suffix). */
export function planRuns(cases: readonly Case[], grep?: RegExp): PlannedRun[] {
  const runs: PlannedRun[] = []
  for (const c of cases) {
    runs.push({ case: c, ipFamily: 4, id: c.id })
    if (c.ip) runs.push({ case: c, ipFamily: 6, id: `${c.id} [v6]` })
  }
  return grep ? runs.filter((r) => grep.test(r.id)) : runs
}

/**
 * Runs the conformance suite on one backend, case after case, and never throws for a
 * failing case: each failure is a result.
 */
export async function runSuite(options: RunSuiteOptions): Promise<SuiteResult> {
  const results: CaseResult[] = []
  let name = 'unknown'
  for (const run of planRuns(options.cases ?? allCases, options.grep)) {
    options.onStart?.(run.id)
    const backend = await options.factory()
    name = backend.name
    const result = await runOne(run, backend, { full: options.full ?? false })
    results.push(result)
    options.onResult?.(result)
  }
  const count = (s: CaseResult['status']) => results.filter((r) => r.status === s).length
  return { backend: name, passed: count('pass'), failed: count('fail'), skipped: count('skip'), results }
}
