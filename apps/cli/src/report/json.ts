import { mkdir, writeFile } from 'node:fs/promises'
import { arch, cpus, platform, release } from 'node:os'
import { dirname, resolve } from 'node:path'
import type { CaseResult, Figure } from '@polysocket/conformance'
import type { BackendEntry } from '../backends.js'
import { CliError, messageOf } from '../errors.js'
import type { Totals } from './text.js'

/** An error as JSON can hold it: the text, never the live object. */
export interface ErrorRecord {
  readonly name: string
  readonly message: string
  readonly stack?: string
  /** A `SocketError`'s or Node error's `code` (`ECONNREFUSED`, `ERR_ASSERTION`, …). */
  readonly code?: string
}

/** One case run in the JSON report. */
export interface CaseRecord {
  readonly id: string
  readonly title: string
  readonly backend: string
  /** The FFI engine, for a backend that has several (backend-ffi: `koffi`, `ffi-rs`). */
  readonly engine?: string
  readonly status: CaseResult['status']
  readonly reason?: string
  /** Wall time of the run, in milliseconds. */
  readonly durationMs: number
  readonly error?: ErrorRecord
  /** What the case measured (`ctx.report`): fuzz calls, bytes verified, fds, RSS growth. */
  readonly figures?: readonly Figure[]
}

/** What `polysocket conformance --json FILE` writes. */
export interface ConformanceReport {
  readonly tool: 'polysocket'
  readonly command: 'conformance'
  readonly version: string
  /** ISO 8601 time the run started. */
  readonly startedAt: string
  /** Wall time of the whole run, in milliseconds. */
  readonly durationMs: number
  readonly machine: MachineInfo
  readonly options: { readonly grep: string | null; readonly full: boolean; readonly engine: string }
  readonly backends: readonly BackendRecord[]
  readonly totals: Totals
  readonly results: readonly CaseRecord[]
}

/** A backend in the JSON report: its counts when it ran, the reason when it could not. */
export type BackendRecord =
  | ({
      readonly name: string
      readonly engine?: string
      readonly package: string
      readonly status: 'available'
    } & Totals)
  | {
      readonly name: string
      readonly engine?: string
      readonly package: string
      readonly status: string
      readonly reason: string
    }

/** Where a report was made; bench figures mean little without it. */
export interface MachineInfo {
  readonly node: string
  readonly platform: string
  readonly arch: string
  readonly release: string
  readonly cpus: number
  readonly cpuModel: string
}

/** The machine this process runs on. */
export function machineInfo(): MachineInfo {
  const cpuList = cpus()
  return {
    node: process.version,
    platform: platform(),
    arch: arch(),
    release: release(),
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
  }
}

/** A case result with its error reduced to text (name, message, stack, code). */
export function caseRecord(result: CaseResult & { readonly engine?: string }): CaseRecord {
  const { error, ...rest } = result
  return error === undefined ? rest : { ...rest, error: errorRecord(error) }
}

/** The JSON record of each backend: counts for those that ran, the reason for the others. */
export function backendRecords(
  entries: readonly BackendEntry[],
  results: readonly (CaseResult & { readonly engine?: string })[],
): BackendRecord[] {
  return entries.map((entry) => {
    const engine = entry.engine === undefined ? {} : { engine: entry.engine }
    if (entry.status !== 'available') {
      return { name: entry.name, ...engine, package: entry.package, status: entry.status, reason: entry.reason }
    }
    const mine = results.filter((r) => r.backend === entry.name && r.engine === entry.engine)
    return { name: entry.name, ...engine, package: entry.package, status: entry.status, ...countResults(mine) }
  })
}

/** Counts results by status. */
export function countResults(results: readonly CaseResult[]): Totals {
  const count = (status: CaseResult['status']) => results.filter((r) => r.status === status).length
  return { passed: count('pass'), failed: count('fail'), skipped: count('skip') }
}

/**
 * Writes a report as indented JSON, creating missing parent directories.
 *
 * @param file - the path, relative to `cwd` unless absolute.
 * @returns the absolute path written.
 * @throws CliError when the file cannot be written (the system message included).
 */
export async function writeJsonReport(cwd: string, file: string, report: unknown): Promise<string> {
  const path = resolve(cwd, file)
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, `${JSON.stringify(report, null, 2)}\n`)
  } catch (error) {
    throw new CliError(`cannot write the JSON report to ${path}: ${messageOf(error)}`, { cause: error })
  }
  return path
}

function errorRecord(error: unknown): ErrorRecord {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) }
  const code = (error as { code?: unknown }).code
  return {
    name: error.name,
    message: error.message,
    ...(typeof error.stack === 'string' ? { stack: error.stack } : {}),
    ...(typeof code === 'string' ? { code } : {}),
  }
}
