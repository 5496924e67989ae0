import { SingleBar } from 'cli-progress'
import type { Io } from './io.js'

/**
 * A progress indicator on stderr: a bar on a terminal; elsewhere (a CI log, a pipe) a line per
 * finished step that the command chooses to {@link Progress.note}.
 */
export interface Progress {
  /** Advances by one step. */
  tick(): void
  /** Moves to `value` steps done (for runners that report their own count). */
  set(value: number): void
  /** Shows what is running now (a case id, a scenario name) next to the bar. */
  show(label: string): void
  /** Writes a line to stdout without leaving a broken bar on a shared terminal. */
  println(line: string): void
  /**
   * Tells that a larger step (a scenario, a group of cases) has finished: a line on stderr when
   * stderr is not a terminal, so that a log shows the run advancing; nothing under the bar.
   */
  note(line: string): void
  /** Removes the bar; call it in a `finally`. */
  stop(): void
}

/**
 * Starts a progress bar of `total` steps on `io.stderr` when it is a terminal. Otherwise, and in
 * tests, there is no bar: `println` writes straight to stdout and `note` to stderr.
 */
export function startProgress(io: Io, total: number, unit: string): Progress {
  if (!io.stderr.isTTY) {
    return {
      tick() {},
      set() {},
      show() {},
      println: (line) => io.stdout.write(`${line}\n`),
      note: (line) => io.stderr.write(`${line}\n`),
      stop() {},
    }
  }
  if (total <= 0) {
    return { tick() {}, set() {}, show() {}, println: (line) => io.stdout.write(`${line}\n`), note() {}, stop() {} }
  }
  const bar = new SingleBar({
    // cli-progress only writes to the stream and reads isTTY and columns.
    stream: barStream(io) as unknown as NodeJS.WritableStream,
    format: `{bar} {value}/{total} ${unit}  {label}`,
    barsize: 24,
    // Cut the bar to the terminal's width instead of turning the terminal's line wrap off,
    // which would also cut the result lines printed while the bar runs.
    linewrap: true,
    // Neither hides the cursor nor traps SIGINT: Ctrl-C must still end the run at once, and
    // an interrupted run must not leave the terminal without a cursor.
    hideCursor: false,
    gracefulExit: false,
    clearOnComplete: true,
    // Lines printed on stdout wipe the bar when both streams share a terminal: redraw it.
    forceRedraw: true,
    fps: 10,
  })
  bar.start(total, 0, { label: '' })
  let value = 0
  const sharesTerminal = io.stdout.isTTY === true
  return {
    tick() {
      value += 1
      bar.update(value)
    },
    set(next) {
      value = next
      bar.update(value)
    },
    show(label) {
      bar.update(value, { label })
    },
    note() {},
    println(line) {
      // Erase the bar's line first so the result line starts clean.
      if (sharesTerminal) io.stderr.write('\r\x1b[2K')
      io.stdout.write(`${line}\n`)
    },
    stop() {
      bar.stop()
    },
  }
}

/**
 * stderr as cli-progress sees it, minus the save/restore cursor sequences it writes on start and
 * stop: the result lines printed meanwhile scroll the screen, so restoring the saved position
 * would put the cursor (and the summary line) over an earlier line.
 */
function barStream(io: Io): { readonly isTTY: true; readonly columns: number; write(text: string): boolean } {
  return {
    isTTY: true,
    get columns() {
      return io.stderr.columns ?? 80
    },
    write(text) {
      const kept = text.replaceAll('\x1b7', '').replaceAll('\x1b8', '')
      if (kept !== '') io.stderr.write(kept)
      return true
    },
  }
}
