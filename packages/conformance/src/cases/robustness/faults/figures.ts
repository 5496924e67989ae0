/**
 * Running totals of the faults cases in this process, for reports such as the README's
 * reliability figures: the CLI runs every case in one process, so after a run they cover it.
 */
export interface FaultsFigures {
  /** Fault case runs that passed: the fault was injected and the process went on working. */
  readonly faultsSurvived: number
  /** Bytes whose content was checked after crossing a fault (SHA-256 or the peer's pattern). */
  readonly bytesVerified: number
  /** Largest RSS growth of the stalled-reader writer, in bytes. */
  readonly peakRssGrowth: number
  /** Bytes written to a stalled reader, over all its runs. */
  readonly bytesToStalledReader: number
}

const totals = { faultsSurvived: 0, bytesVerified: 0, peakRssGrowth: 0, bytesToStalledReader: 0 }

/** A copy of the totals so far. */
export function faultsFigures(): FaultsFigures {
  return { ...totals }
}

/** Counts one fault case run that passed, with the bytes it verified. */
export function recordSurvived(bytesVerified = 0): void {
  totals.faultsSurvived++
  totals.bytesVerified += bytesVerified
}

/** Records one stalled-reader run: bytes written and the writer's RSS growth (bytes). */
export function recordStalledReader(bytes: number, rssGrowth: number): void {
  totals.bytesToStalledReader += bytes
  totals.peakRssGrowth = Math.max(totals.peakRssGrowth, rssGrowth)
}
