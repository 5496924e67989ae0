import type { BenchScenario, RunThroughputOptions, ThroughputResult } from '@polysocket/conformance'
import * as conformance from '@polysocket/conformance'
import { type AvailableBackend, type BackendSelection, discoverBackends, type EngineSelection } from '../backends.js'
import { CliError, EXIT, messageOf } from '../errors.js'
import type { Io } from '../io.js'
import { startProgress } from '../progress.js'
import { machineInfo, writeJsonReport } from '../report/json.js'
import { benchTable, missingBackendLines, scenarioLine } from '../report/text.js'

/** The options of `polysocket bench`, as parsed. */
export interface BenchOptions {
  readonly backend: BackendSelection
  /** Which engines of backend-ffi run (default all). */
  readonly engine?: EngineSelection
  /** Only scenarios whose id (`tcp.bulk`, `tcp.bulk.ucode`) matches. */
  readonly scenario?: RegExp
  /** Measured length of one side of one round, in seconds. */
  readonly duration: number
  /** Rounds per scenario; each runs the backend and the baseline once. */
  readonly rounds: number
  /** Path of the JSON report to write. */
  readonly json?: string
}

/** Default measured length of one side of one round, in seconds. */
export const DEFAULT_DURATION_SECONDS = 1
/** Default number of rounds: five, so that the median of each side stands against one noisy round. */
export const DEFAULT_ROUNDS = 5

type RunThroughput = (options: RunThroughputOptions) => Promise<ThroughputResult[]>

/**
 * The throughput runner and scenarios of `@polysocket/conformance`, looked up at run time so that
 * a conformance build without them gives a clear message instead of a crash.
 */
export function throughputApi(): { run: RunThroughput; scenarios: readonly BenchScenario[] } | undefined {
  const api = conformance as Record<string, unknown>
  if (typeof api.runThroughput !== 'function') return undefined
  const scenarios = Array.isArray(api.throughputScenarios) ? (api.throughputScenarios as BenchScenario[]) : []
  return { run: api.runThroughput as RunThroughput, scenarios }
}

/**
 * `polysocket bench`: each scenario on each selected backend, alternating with its node:net /
 * node:dgram baseline; a table on stdout at the end, and the JSON report
 * (`{machine, results}`) with `--json`.
 *
 * @returns {@link EXIT}.OK, or FAILED when a scenario failed on a backend (its error is in the
 *   table), or ERROR when the JSON report could not be written.
 * @throws CliError when the conformance package has no bench, or no selected backend can run.
 */
export async function benchCommand(options: BenchOptions, io: Io): Promise<number> {
  const api = throughputApi()
  if (api === undefined) {
    throw new CliError('the bench is not available yet: @polysocket/conformance exports no runThroughput')
  }
  const selected = api.scenarios.filter((s) => !options.scenario || options.scenario.test(s.id))
  if (selected.length === 0) {
    throw new CliError(
      options.scenario
        ? `no bench scenario matches ${String(options.scenario)} (there are: ${idsOf(api.scenarios)})`
        : 'the bench has no scenarios yet',
    )
  }
  const entries = await discoverBackends(options.backend, options.engine)
  const available = entries.filter((e): e is AvailableBackend => e.status === 'available')
  const missing = missingBackendLines(entries)
  if (available.length === 0) throw new CliError(missing.join('\n  ') || 'no backend can run here')
  for (const line of missing) io.stderr.write(`polysocket: ${line} (not benched)\n`)

  const results: BenchResult[] = []
  const perBackend = selected.length * options.rounds * 2
  const progress = startProgress(io, perBackend * available.length, 'measurements')
  try {
    for (const [index, backend] of available.entries()) {
      const ran = await api.run({
        factory: backend.factory,
        scenarios: selected,
        durationMs: options.duration * 1000,
        rounds: options.rounds,
        onProgress: (event) => {
          // The runner counts skipped scenarios as done without an event: follow its count.
          progress.set(index * perBackend + event.done)
          progress.show(`${backend.label}  ${event.scenario}  round ${event.round + 1}/${options.rounds}`)
        },
        onResult: (result) => progress.note(scenarioLine(tagged(result, backend))),
      })
      results.push(...ran.map((r) => tagged(r, backend)))
    }
  } finally {
    progress.stop()
  }
  io.stdout.write(`${benchTable(results)}\n`)
  let code: number = results.some((r) => r.skipped?.startsWith('failed')) ? EXIT.FAILED : EXIT.OK
  if (options.json !== undefined) {
    try {
      const path = await writeJsonReport(io.cwd, options.json, { machine: machineInfo(), results })
      io.stderr.write(`polysocket: JSON report written to ${path}\n`)
    } catch (error) {
      io.stderr.write(`polysocket: ${messageOf(error)}\n`)
      code = EXIT.ERROR
    }
  }
  return code
}

/** A bench result as the CLI reports it: with the engine of the backend that ran it. */
export type BenchResult = ThroughputResult & { readonly engine?: string }

function tagged(result: ThroughputResult, backend: AvailableBackend): BenchResult {
  const engine = backend.engine === undefined ? {} : { engine: backend.engine }
  return { ...result, backend: backend.name, ...engine }
}

function idsOf(scenarios: readonly BenchScenario[]): string {
  return scenarios.map((s) => s.id).join(', ') || 'none'
}
