import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { CliError, EXIT, messageOf } from '../errors.js'
import type { Io } from '../io.js'
import { readResultsFile } from '../report/inputs.js'
import { reportPage } from '../report/page.js'

/** The options of `polysocket report`, as parsed. */
export interface ReportOptions {
  /** Where to write the page (relative to the current directory). */
  readonly out: string
}

/**
 * `polysocket report <results.json …> --out report.html`: one self-contained HTML page from the
 * JSON of `polysocket bench --json` and `polysocket conformance --json`.
 *
 * @returns {@link EXIT}.OK once the page is written.
 * @throws CliError when a file cannot be read or is no report, or the page cannot be written.
 */
export async function reportCommand(files: readonly string[], options: ReportOptions, io: Io): Promise<number> {
  const inputs = []
  for (const file of files) inputs.push(await readResultsFile(io.cwd, file))
  const html = await reportPage(inputs, new Date())
  const path = resolve(io.cwd, options.out)
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, html)
  } catch (error) {
    throw new CliError(`cannot write the report to ${path}: ${messageOf(error)}`, { cause: error })
  }
  io.stdout.write(`report: ${path}\n`)
  return EXIT.OK
}
