import assert from 'node:assert/strict'
import fc from 'fast-check'
import type { CaseContext } from '../../../case.js'
import { openFdCount, settledFdCount } from '../../../peers/process.js'
import { resolveRefs } from './values.js'
import { describeThrown, type Outcome, outcomeOf, watchEscapes } from './watch.js'

/** One generated call: which object (a fixture key), which function, which arguments (may hold refs). */
export interface Step {
  readonly target: string
  readonly method: string
  readonly args: readonly unknown[]
}

/** The objects one property run works on, and how to release them. */
export interface Fixture {
  /** Resolves a ref key (`port.listener`, `sock.connected`, …) to its value. */
  lookup(key: string): unknown
  /** Puts back what keeps calls from blocking (short timeouts, non-blocking mode) after each call. */
  restore(): Promise<void>
  /** Closes everything the run opened. */
  dispose(): Promise<void>
}

/** What a fuzz case supplies to {@link runFuzz}. */
export interface FuzzSpec<F extends Fixture> {
  /** The case id, for messages. */
  readonly id: string
  readonly step: fc.Arbitrary<Step>
  /** Builds a fresh fixture for one property run (register its sockets with `ctx.onCleanup` too). */
  setup(): Promise<F>
  /** Makes the call; throwing or rejecting is an outcome like any other, judged by `judge`. */
  invoke(fixture: F, step: Step, args: readonly unknown[]): unknown
  /** `undefined` when the outcome follows the API's error convention, else what is wrong. */
  judge(step: Step, args: readonly unknown[], outcome: Outcome, fixture: F): string | undefined
  /** Whether a value is the API's failure answer (null, an error status), for the figures. */
  refused?(value: unknown): boolean
}

/** Figures of one fuzz case run on one backend. */
export interface FuzzStats {
  readonly caseId: string
  readonly backend: string
  readonly seed: number
  /** Calls made, shrinking included (at least the target when the case passed). */
  readonly calls: number
  readonly target: number
  /** Calls that returned a value that is not the API's failure answer. */
  readonly values: number
  /** Calls that failed in the API's convention: threw or rejected (contract), null or an error status (facades). */
  readonly errors: number
  /** Descriptors open before and after (undefined off Linux). */
  readonly fdsBefore: number | undefined
  readonly fdsAfter: number | undefined
  readonly durationMs: number
}

/** Calls per property run (one fixture serves this many calls on average). */
const CALLS_PER_RUN = 25
/** Fewest property runs in one fast-check round. */
const MIN_RUNS = 20
/** Calls per API per backend: the full run, and the reduced run of `npm test`. */
export const FULL_CALLS = 10_000
export const QUICK_CALLS = 300
/** Longest a call may take before it counts as a hang, in milliseconds. */
export const CALL_TIMEOUT_MS = 2_000
/** The default seed: runs are reproducible unless POLYSOCKET_FUZZ_SEED says otherwise. */
export const DEFAULT_SEED = 20_261_121

/** The time limit of a fuzz case, in milliseconds (the full size needs minutes on a loaded machine). */
export const FUZZ_CASE_TIMEOUT_MS = 900_000

/**
 * Runs a property-based fuzz of one API: property runs of up to 2×{@link CALLS_PER_RUN} calls,
 * each on a fresh fixture, until `target` calls were made. Every call must end in the API's
 * convention within {@link CALL_TIMEOUT_MS}; nothing may escape as an unhandled rejection or
 * uncaught exception; after each run the descriptor count must come back to where it started.
 * A failure throws fast-check's report (seed, path, shrunk counterexample). The figures (calls, answers,
 * seed, fds before and after, duration) go to `ctx.report`.
 */
export async function runFuzz<F extends Fixture>(ctx: CaseContext, spec: FuzzSpec<F>): Promise<FuzzStats> {
  const target = ctx.full ? FULL_CALLS : QUICK_CALLS
  const envSeed = Number(process.env.POLYSOCKET_FUZZ_SEED)
  const seed = Number.isInteger(envSeed) ? envSeed : DEFAULT_SEED
  const started = performance.now()
  const trace = process.env.POLYSOCKET_FUZZ_TRACE !== undefined
  const budgetMs = FUZZ_CASE_TIMEOUT_MS - 60_000
  let calls = 0
  let values = 0
  let errors = 0
  const escapes = watchEscapes()
  // Warm up before counting: a backend may open a lasting descriptor (an epoll set) on first use.
  const warm = await spec.setup()
  await warm.dispose()
  const fdsBefore = openFdCount()

  const property = fc.asyncProperty(
    fc.array(spec.step, { minLength: 1, maxLength: 2 * CALLS_PER_RUN }),
    async (steps) => {
      const fixture = await spec.setup()
      let failure: unknown
      try {
        for (const step of steps) {
          const args = resolveRefs(step.args, (key) => fixture.lookup(key)) as unknown[]
          // The last line written names the call that froze the process, if one ever does.
          if (trace)
            process.stderr.write(`${spec.id} #${calls} ${step.target}.${step.method} ${fc.stringify(step.args)}\n`)
          const outcome = await outcomeOf(() => spec.invoke(fixture, step, args), CALL_TIMEOUT_MS)
          calls++
          if (outcome.kind === 'error' || (outcome.kind === 'value' && spec.refused?.(outcome.value))) errors++
          else if (outcome.kind === 'value') values++
          const wrong = spec.judge(step, args, outcome, fixture)
          if (wrong !== undefined) throw new Error(`${step.target}.${step.method}: ${wrong}`)
          // An escape shows up one turn later at the latest; look before the next call.
          await new Promise((resolve) => setImmediate(resolve))
          const escaped = escapes.take()
          if (escaped.length > 0) throw new Error(`${step.target}.${step.method} let out: ${escaped.join('; ')}`)
          await fixture.restore()
        }
      } catch (error) {
        failure = error
      }
      const closing = await outcomeOf(() => fixture.dispose(), CALL_TIMEOUT_MS)
      if (failure !== undefined) throw failure
      if (closing.kind === 'hang') throw new Error('closing the fixture hung')
      if (fdsBefore !== undefined) {
        const after = await settledFdCount(fdsBefore, 1_000)
        if (after > fdsBefore)
          throw new Error(`${after - fdsBefore} descriptors leaked (${fdsBefore} before, ${after} after)`)
      }
      const escaped = escapes.take()
      if (escaped.length > 0) throw new Error(`escaped after the run: ${escaped.join('; ')}`)
    },
  )

  try {
    // Runs until the target is reached: run lengths vary, and fast-check starts each round with
    // small arrays, so a round is never shorter than MIN_RUNS runs.
    for (let round = 0; calls < target && round < 50; round++) {
      const numRuns = Math.max(MIN_RUNS, Math.ceil((target - calls) / CALLS_PER_RUN))
      const left = budgetMs - (performance.now() - started)
      if (left <= 0) break
      await fc.assert(property, { seed: seed + round, numRuns, interruptAfterTimeLimit: left })
    }
  } catch (error) {
    throw new Error(
      `${spec.id} on ${ctx.backend.name}: ${error instanceof Error ? error.message : describeThrown(error)}`,
      {
        cause: error,
      },
    )
  } finally {
    escapes.stop()
  }

  const fdsAfter = fdsBefore === undefined ? undefined : await settledFdCount(fdsBefore, 2_000)
  const stats: FuzzStats = {
    caseId: spec.id,
    backend: ctx.backend.name,
    seed,
    calls,
    target,
    values,
    errors,
    fdsBefore,
    fdsAfter,
    durationMs: Math.round(performance.now() - started),
  }
  ctx.report('calls', calls, 'calls')
  ctx.report('answered with a value', values, 'calls')
  ctx.report('answered with an error', errors, 'calls')
  ctx.report('seed', seed, 'seed')
  if (fdsBefore !== undefined && fdsAfter !== undefined) {
    ctx.report('fds before', fdsBefore, 'fds')
    ctx.report('fds after', fdsAfter, 'fds')
  }
  ctx.report('duration', stats.durationMs, 'ms')
  assert.ok(calls >= target, `${spec.id}: only ${calls} of ${target} calls ran within the time budget`)
  if (fdsBefore !== undefined && fdsAfter !== undefined) {
    assert.ok(fdsAfter <= fdsBefore, `${spec.id}: ${fdsAfter - fdsBefore} descriptors leaked over the case`)
  }
  return stats
}
