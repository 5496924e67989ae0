import type { CaseResult, Figure } from '@polysocket/conformance'
import Table from 'cli-table3'
import { labelOf } from '../backends.js'

/** A case result with the engine of the backend that ran it, as the CLI keeps it. */
type Engined = CaseResult & { readonly engine?: string }

/**
 * The figures the case runs reported (`ctx.report`), as one table: a row per case run and
 * figure, a column per backend (and engine), in the order the runs came. Empty when no run
 * reported a figure.
 */
export function figuresTable(results: readonly Engined[]): string {
  const labels: string[] = []
  const rows = new Map<string, { id: string; figure: Figure; cells: Map<string, number> }>()
  for (const result of results) {
    if (result.figures === undefined || result.figures.length === 0) continue
    const label = labelOf(result.backend, result.engine)
    if (!labels.includes(label)) labels.push(label)
    for (const figure of result.figures) {
      const key = `${result.id}\n${figure.name}\n${figure.unit}`
      const row = rows.get(key) ?? { id: result.id, figure, cells: new Map<string, number>() }
      row.cells.set(label, figure.value)
      rows.set(key, row)
    }
  }
  if (rows.size === 0) return ''
  const table = new Table({
    head: ['case', 'figure', 'unit', ...labels],
    colAligns: ['left', 'left', 'left', ...labels.map(() => 'right' as const)],
    // No colours: the table is read in logs and pipes as often as on terminals.
    style: { head: [], border: [], compact: true },
  })
  for (const { id, figure, cells } of rows.values()) {
    table.push([
      id,
      figure.name,
      figure.unit,
      ...labels.map((l) => {
        const value = cells.get(l)
        return value === undefined ? '-' : formatValue(value)
      }),
    ])
  }
  return table.toString()
}

/** A figure's value with thousands separators and at most two decimals: `1,048,576`, `0.75`. */
export function formatValue(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 })
}
