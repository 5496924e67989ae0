import { allCases, type CaseResult, planRuns, runSuite } from '@polysocket/conformance'
import type { AvailableBackend, BackendEntry, BackendSelection, EngineSelection } from '../backends.js'
import { discoverBackends } from '../backends.js'
import { CliError, EXIT, messageOf } from '../errors.js'
import type { Io } from '../io.js'
import { startProgress } from '../progress.js'
import { figuresTable } from '../report/figures.js'
import {
  backendRecords,
  type ConformanceReport,
  caseRecord,
  countResults,
  machineInfo,
  writeJsonReport,
} from '../report/json.js'
import { caseLine, failureDetails, missingBackendLines, summaryLine } from '../report/text.js'
import { version } from '../version.js'

/** The options of `polysocket conformance`, as parsed. */
export interface ConformanceOptions {
  readonly backend: BackendSelection
  /** Which engines of backend-ffi run (default all). */
  readonly engine?: EngineSelection
  /** Only case runs whose id (with its ` [v6]` suffix) matches. */
  readonly grep?: RegExp
  /** Path of the JSON report to write. */
  readonly json?: string
  /** Full sizes for load and robustness cases. */
  readonly full?: boolean
}

/**
 * `polysocket conformance`: runs the suite on each selected backend, one line per case run on
 * stdout, then (with `--full`) the figures the cases reported, failures in full, and the summary
 * line last.
 *
 * @returns {@link EXIT}.OK, or FAILED when a case failed, or ERROR when the JSON report could
 *   not be written.
 * @throws CliError when `--grep` matches no case, when a backend named by `--backend` cannot
 *   run, or when none can.
 */
export async function conformanceCommand(options: ConformanceOptions, io: Io): Promise<number> {
  const startedAt = new Date()
  const runs = planRuns(allCases, options.grep)
  if (runs.length === 0) {
    throw new CliError(`no conformance case matches ${String(options.grep)} (groups: ${groupsOf(allCases)})`)
  }
  const entries = await discoverBackends(options.backend, options.engine)
  const available = usableBackends(entries, options.backend, io)
  const progress = startProgress(io, runs.length * available.length, 'case runs')
  const width = Math.max(...available.map((b) => b.label.length))
  const results: RunResult[] = []
  const record = (result: RunResult) => {
    results.push(result)
    progress.println(caseLine(result, width))
  }

  let current: { backend: AvailableBackend | undefined; id: string } = { backend: available[0], id: '' }
  // An error nobody caught (a stray 'error' event in a backend) would end the whole run; it
  // is a failure of the case that was running instead.
  const untrap = io.trapUncaught?.((error) =>
    record({
      id: current.id || '(between cases)',
      title: 'error nobody caught',
      ...whoRan(current.backend),
      status: 'fail',
      reason: `uncaught: ${messageOf(error)}`,
      error,
      durationMs: 0,
    }),
  )
  try {
    for (const backend of available) {
      current = { backend, id: '' }
      try {
        await runSuite({
          factory: backend.factory,
          cases: allCases,
          ...(options.grep ? { grep: options.grep } : {}),
          full: options.full ?? false,
          onStart: (id) => {
            current = { backend, id }
            progress.show(`${backend.label}  ${id}`)
          },
          onResult: (result) => {
            progress.tick()
            record({ ...result, ...whoRan(backend) })
          },
        })
      } catch (error) {
        // runSuite reports case failures as results; it throws only when the backend could not
        // be created. The other backends still run.
        record({
          id: current.id || '(suite)',
          title: 'the suite stopped',
          ...whoRan(backend),
          status: 'fail',
          reason: `the suite stopped on backend ${backend.label}: ${messageOf(error)}`,
          error,
          durationMs: 0,
        })
      }
    }
  } finally {
    untrap?.()
    progress.stop()
  }

  const totals = countResults(results)
  const figures = options.full ? figuresTable(results) : ''
  if (figures !== '') io.stdout.write(`\nFigures (--full):\n${figures}\n`)
  io.stdout.write(failureDetails(results.filter((r) => r.status === 'fail')))
  let code: number = totals.failed > 0 ? EXIT.FAILED : EXIT.OK
  if (options.json !== undefined) {
    const report: ConformanceReport = {
      tool: 'polysocket',
      command: 'conformance',
      version,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      machine: machineInfo(),
      options: { grep: options.grep?.source ?? null, full: options.full ?? false, engine: options.engine ?? 'all' },
      backends: backendRecords(entries, results),
      totals,
      results: results.map(caseRecord),
    }
    try {
      const path = await writeJsonReport(io.cwd, options.json, report)
      io.stderr.write(`polysocket: JSON report written to ${path}\n`)
    } catch (error) {
      io.stderr.write(`polysocket: ${messageOf(error)}\n`)
      code = EXIT.ERROR
    }
  }
  io.stdout.write(`${summaryLine(totals)}\n`)
  return code
}

/** A case result as the CLI keeps it: with the engine of the backend that ran it. */
export type RunResult = CaseResult & { readonly engine?: string }

/** The backend and engine fields of a result of `backend`. */
function whoRan(backend: AvailableBackend | undefined): { backend: string; engine?: string } {
  if (backend === undefined) return { backend: '' }
  return backend.engine === undefined ? { backend: backend.name } : { backend: backend.name, engine: backend.engine }
}

/** The case groups (the ids' first part), for the message of a `--grep` that matches nothing. */
function groupsOf(cases: readonly { readonly id: string }[]): string {
  return [...new Set(cases.map((c) => c.id.split('.', 1)[0]))].join(', ')
}

/**
 * The backends that can run. With `--backend all` the others are named on stderr and left out;
 * a backend asked for by name that cannot run is an error.
 */
function usableBackends(entries: readonly BackendEntry[], selection: BackendSelection, io: Io): AvailableBackend[] {
  const available = entries.filter((e): e is AvailableBackend => e.status === 'available')
  const missing = missingBackendLines(entries)
  if (selection !== 'all' && available.length === 0) {
    throw new CliError(missing[0] ?? `backend ${selection} cannot run`)
  }
  if (available.length === 0) {
    throw new CliError(`no backend can run here:\n  ${missing.join('\n  ')}`)
  }
  for (const line of missing) io.stderr.write(`polysocket: ${line} (its cases are not run)\n`)
  return available
}
