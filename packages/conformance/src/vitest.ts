import type { Backend } from '@polysocket/core'
import { describe, it } from 'vitest'
import type { Case } from './case.js'
import { allCases } from './cases/index.js'
import { DEFAULT_TIMEOUT_MS, runOne, skipReason } from './run-one.js'
import { planRuns } from './run-suite.js'
import { runThroughput } from './throughput/run-throughput.js'
import { allScenarios } from './throughput/scenarios/index.js'

/** Options of {@link defineConformanceSuite}. */
export interface ConformanceSuiteOptions {
  /** The describe block's name, usually the backend's. */
  readonly name: string
  /** Makes a fresh backend for each case. */
  readonly factory: () => Backend | Promise<Backend>
  /** The cases; default: the whole suite. */
  readonly cases?: readonly Case[]
  /** Only ids matching this pattern. */
  readonly grep?: RegExp
  /** Also run each bench scenario once, briefly, as a smoke check (default true). */
  readonly benchSmoke?: boolean
}

/**
 * Registers the conformance suite with vitest: one `it` per case run, skipped (with the
 * missing capability in its name) where the backend lacks what the case needs. A backend
 * package's whole conformance test is one call of this.
 */
export function defineConformanceSuite(options: ConformanceSuiteOptions): void {
  const grep = options.grep ?? (process.env.POLYSOCKET_GREP ? new RegExp(process.env.POLYSOCKET_GREP) : undefined)
  const runs = planRuns(options.cases ?? allCases, grep)
  describe(options.name, async () => {
    // The manifest decides skips at collection time, so they show as skipped, not passed.
    const probe = await options.factory()
    for (const run of runs) {
      const skip = skipReason(run, probe)
      const title = skip === undefined ? run.id : `${run.id} (${skip})`
      it.skipIf(skip !== undefined)(
        title,
        { timeout: (run.case.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 5_000 },
        async (t) => {
          const result = await runOne(run, await options.factory(), { full: false })
          if (result.status === 'skip') t.skip(result.reason)
          if (result.status === 'fail') throw result.error
        },
      )
    }
  })
  if (options.benchSmoke !== false && !grep) defineBenchSmoke(options)
}

/** Milliseconds each side of a bench scenario runs in the smoke check: enough to move data, not to measure. */
const SMOKE_MS = 300

function defineBenchSmoke(options: ConformanceSuiteOptions): void {
  describe(`${options.name} bench smoke`, () => {
    for (const scenario of allScenarios) {
      it(`bench ${scenario.id} moves data on the backend and the baseline`, { timeout: 60_000 }, async (t) => {
        const [result] = await runThroughput({
          factory: options.factory,
          scenarios: [scenario],
          durationMs: SMOKE_MS,
          rounds: 1,
        })
        if (result?.skipped?.startsWith('backend')) t.skip(result.skipped)
        if (result?.skipped) throw new Error(result.skipped)
        // Figures mean nothing here (see the CLI); only that both sides measured something.
        if (!(result && result.median > 0 && result.baselineMedian > 0 && Number.isFinite(result.ratio))) {
          throw new Error(`no figure: ${JSON.stringify(result)}`)
        }
        // A facade scenario also measured its contract scenario beside it.
        if (scenario.contract && !((result.contractMedian ?? 0) > 0 && Number.isFinite(result.contractRatio))) {
          throw new Error(`no contract figure: ${JSON.stringify(result)}`)
        }
      })
    }
  })
}
