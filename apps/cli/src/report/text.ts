import type { CaseResult, ThroughputResult } from '@polysocket/conformance'
import { CAPABILITIES } from '@polysocket/core'
import Table from 'cli-table3'
import { type AvailableBackend, type BackendEntry, labelOf } from '../backends.js'

/** Case counts over one or more backends. */
export interface Totals {
  readonly passed: number
  readonly failed: number
  readonly skipped: number
}

const STATUS_WORD: Readonly<Record<CaseResult['status'], string>> = { pass: 'pass', fail: 'FAIL', skip: 'skip' }

/**
 * One line for one case run: `pass  node  tcp.echo`, `FAIL  node  tcp.echo — message`,
 * `skip  ffi   unix.dgram — reason`. Only the first line of a message is shown; the whole failure
 * is in {@link failureDetails}.
 *
 * @param backendWidth - the column width of the backend name, so ids line up.
 */
export function caseLine(result: CaseResult & Engined, backendWidth: number): string {
  const head = `${STATUS_WORD[result.status]}  ${who(result).padEnd(backendWidth)}  ${result.id}`
  if (result.status === 'pass') return head
  const why = firstLine(result.reason ?? '') || (result.status === 'fail' ? 'failed without a message' : 'no reason')
  return `${head} — ${why}`
}

/**
 * The full text of each failure (message, then the stack without its repeated message),
 * numbered, for the end of the report.
 */
export function failureDetails(failures: readonly (CaseResult & Engined)[]): string {
  const blocks = failures.map((result, index) => {
    const body = errorText(result).replace(/\n+$/, '')
    return `${index + 1}) ${who(result)}  ${result.id}\n${indent(body, '   ')}`
  })
  return blocks.length === 0 ? '' : `\nFailures:\n\n${blocks.join('\n\n')}\n\n`
}

/** The last line of every conformance report, exactly as CI matches it. */
export function summaryLine(totals: Totals): string {
  return `conformance: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`
}

/** One sentence per backend that cannot run: `backend ffi/koffi is unavailable: <why>`. */
export function missingBackendLines(entries: readonly BackendEntry[]): string[] {
  return entries.flatMap((entry) =>
    entry.status === 'available'
      ? []
      : [`backend ${entry.label} is ${entry.status.replace('-', ' ')}: ${firstLine(entry.reason)}`],
  )
}

/** A result's backend, and engine where it has one. */
interface Engined {
  readonly backend: string
  readonly engine?: string
}

/** How a report names who ran a result: `node`, `ffi/koffi`. */
function who(result: Engined): string {
  return labelOf(result.backend, result.engine)
}

/**
 * The capability manifests side by side: one row per capability (in `CAPABILITIES` order), one
 * column per available backend, `yes`/`no` in the cells.
 */
export function capabilityTable(backends: readonly AvailableBackend[]): string {
  const table = new Table({
    head: ['capability', ...backends.map((b) => b.label)],
    // No colours: the table is read in logs and pipes as often as on terminals.
    style: { head: [], border: [], compact: true },
  })
  for (const capability of CAPABILITIES) {
    table.push([capability, ...backends.map((b) => (b.supports[capability] ? 'yes' : 'no'))])
  }
  return table.toString()
}

/**
 * The bench results as a table: one row per scenario and backend, figures in the unit column, the ratio to the baseline's median (above 1: faster than the baseline), for a
 * facade scenario its ratio to the contract scenario measured beside it (`vs contract`), and the secondary figures (p99, mean, loss) or why the scenario did not run.
 */
export function benchTable(results: readonly (ThroughputResult & Engined)[]): string {
  const table = new Table({
    head: [
      'scenario',
      'backend',
      'metric',
      'unit',
      'median',
      'min',
      'max',
      'baseline',
      'ratio',
      'vs contract',
      'notes',
    ],
    colAligns: ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [], compact: true },
  })
  for (const r of results) {
    if (r.skipped !== undefined) {
      table.push([r.scenario, who(r), r.metric, r.unit, '-', '-', '-', '-', '-', '-', firstLine(r.skipped)])
      continue
    }
    const notes = Object.entries(r.extra)
      .map(([key, value]) => `${key} ${formatFigure(value)}`)
      .join(', ')
    table.push([
      r.scenario,
      who(r),
      r.metric,
      r.unit,
      formatFigure(r.median),
      formatFigure(r.min),
      formatFigure(r.max),
      formatFigure(r.baselineMedian),
      `${formatFigure(r.ratio)}×`,
      r.contractRatio === undefined ? '' : `${formatFigure(r.contractRatio)}×`,
      notes,
    ])
  }
  return table.toString()
}

/**
 * One line for one finished bench scenario, for logs while the run goes on:
 * `bench  node  tcp.bulk  2,057 MB/s (baseline 1,519, 1.35×)`, or why it did not run.
 */
export function scenarioLine(result: ThroughputResult & Engined): string {
  const head = `bench  ${who(result)}  ${result.scenario}`
  if (result.skipped !== undefined) return `${head}  not measured: ${firstLine(result.skipped)}`
  const figures = `${formatFigure(result.median)} ${result.unit}`
  const contract =
    result.contractMedian === undefined || result.contractRatio === undefined
      ? ''
      : `; contract ${formatFigure(result.contractMedian)}, ${formatFigure(result.contractRatio)}×`
  return `${head}  ${figures} (baseline ${formatFigure(result.baselineMedian)}, ${formatFigure(result.ratio)}×${contract})`
}

/** Three significant digits, without exponent notation for the sizes a bench produces. */
export function formatFigure(n: number): string {
  if (!Number.isFinite(n)) return String(n)
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US')
  return Number(n.toPrecision(3)).toString()
}

function errorText(result: CaseResult): string {
  const { error, reason } = result
  if (error instanceof Error && typeof error.stack === 'string') {
    // A stack starts with "Name: message"; the message may span lines (assertion diffs), so
    // show the message whole and then only the frames.
    const frames = error.stack
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .map((line) => `  ${line.trim()}`)
      .join('\n')
    return [`${error.name}: ${error.message}`, frames].filter(Boolean).join('\n')
  }
  return reason ?? String(error)
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? ''
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line ? prefix + line : line))
    .join('\n')
}
