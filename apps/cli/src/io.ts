/**
 * One output stream of the CLI. `process.stdout` and `process.stderr` fit as they are; tests
 * pass an object that collects the text.
 */
export interface OutputSink {
  write(text: string): unknown
  /** True when the stream is a terminal: only then is a progress indicator drawn on it. */
  readonly isTTY?: boolean
  /** The terminal's width in columns, where known. */
  readonly columns?: number
}

/**
 * Everything `run()` touches outside itself, so that tests run the CLI in-process and read what
 * it printed: results go to `stdout`, progress and diagnostics to `stderr`.
 */
export interface Io {
  readonly stdout: OutputSink
  readonly stderr: OutputSink
  /** The directory relative paths (`--json FILE`) are resolved against. */
  readonly cwd: string
  /**
   * Installs a listener for errors nobody caught (a stray socket `error` event, an unhandled
   * rejection) while a suite runs, and returns its removal. Absent in tests: there the test
   * runner reports such errors itself.
   */
  readonly trapUncaught?: (listener: (error: unknown) => void) => () => void
}
