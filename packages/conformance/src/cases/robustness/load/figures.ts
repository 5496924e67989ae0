/**
 * Writes one line of a load case's figures to stderr when `POLYSOCKET_LOAD_FIGURES` is set
 * (for the README's "Reliability" figures); silent otherwise, so that the suite's own output
 * stays the runners' alone.
 */
export function reportFigures(id: string, figures: Record<string, string | number>): void {
  if (!process.env.POLYSOCKET_LOAD_FIGURES) return
  const text = Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')
  process.stderr.write(`[figures] ${id}: ${text}\n`)
}
