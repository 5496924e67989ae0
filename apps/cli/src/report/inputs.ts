import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ThroughputResult } from '@polysocket/conformance'
import { CliError, messageOf } from '../errors.js'
import type { CaseRecord, ConformanceReport, MachineInfo } from './json.js'

/** A bench result as `polysocket bench --json` writes it: with its engine where it has one. */
export type BenchRecord = ThroughputResult & { readonly engine?: string }

/** What `polysocket bench --json FILE` writes. */
export interface BenchReport {
  readonly machine: MachineInfo
  readonly results: readonly BenchRecord[]
}

/** One results file given to `polysocket report`, read and recognised. */
export type ResultsFile =
  | { readonly path: string; readonly kind: 'bench'; readonly report: BenchReport }
  | { readonly path: string; readonly kind: 'conformance'; readonly report: ConformanceReport }

/**
 * Reads a JSON file written by `polysocket bench --json` or `polysocket conformance --json`.
 *
 * @param file - relative to `cwd` unless absolute.
 * @throws CliError when the file cannot be read, is not JSON, or is neither kind of report.
 */
export async function readResultsFile(cwd: string, file: string): Promise<ResultsFile> {
  const path = resolve(cwd, file)
  let data: unknown
  try {
    data = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${messageOf(error)}`, { cause: error })
  }
  if (isConformanceReport(data)) return { path, kind: 'conformance', report: data }
  if (isBenchReport(data)) return { path, kind: 'bench', report: data }
  throw new CliError(
    `${path} is neither a bench nor a conformance report (write one with polysocket bench --json or polysocket conformance --json)`,
  )
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isConformanceReport(data: unknown): data is ConformanceReport {
  return (
    isRecord(data) &&
    data.command === 'conformance' &&
    Array.isArray(data.results) &&
    data.results.every(
      (r: unknown) => isRecord(r) && typeof r.id === 'string' && typeof r.backend === 'string' && isStatus(r.status),
    )
  )
}

function isStatus(value: unknown): value is CaseRecord['status'] {
  return value === 'pass' || value === 'fail' || value === 'skip'
}

function isBenchReport(data: unknown): data is BenchReport {
  return (
    isRecord(data) &&
    isRecord(data.machine) &&
    Array.isArray(data.results) &&
    data.results.every(
      (r: unknown) =>
        isRecord(r) &&
        typeof r.scenario === 'string' &&
        typeof r.backend === 'string' &&
        typeof r.unit === 'string' &&
        isRecord(r.extra),
    )
  )
}
