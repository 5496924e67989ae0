/**
 * The CLI's exit codes. `main.ts` is the only place that turns one into a process exit.
 *
 * - `OK` (0): the command did its job and every case run passed (or was skipped).
 * - `FAILED` (1): at least one conformance case failed.
 * - `ERROR` (2): the command could not do its job: bad usage (unknown option, bad regex, unknown
 *   backend), no usable backend, an unwritable `--json` file, a bench with no scenarios yet.
 */
export const EXIT = Object.freeze({ OK: 0, FAILED: 1, ERROR: 2 })

/** A failure the user can fix; `run()` prints its message on stderr and returns {@link EXIT}.ERROR. */
export class CliError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'CliError'
  }
}

/** The message of an error, or the thrown value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
