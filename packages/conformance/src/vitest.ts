import type { Backend } from '@polysocket/core'
import { describe, it } from 'vitest'
import type { Case } from './case.js'
import { allCases } from './cases/index.js'
import { DEFAULT_TIMEOUT_MS, missingCapabilities, runOne } from './run-one.js'
import { planRuns } from './run-suite.js'

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
      const missing = missingCapabilities(run, probe)
      const title = missing.length > 0 ? `${run.id} (needs ${missing.join(', ')})` : run.id
      it.skipIf(missing.length > 0)(
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
}
