import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import { labelOf } from '../backends.js'
import type { BenchRecord } from './inputs.js'
import { formatFigure } from './text.js'

/** One bar of a scenario's chart: a contender's median, or the baseline measured beside it. */
interface Bar {
  readonly who: string
  readonly side: 'backend' | 'baseline'
  readonly value: number
  readonly min?: number
  readonly max?: number
  readonly p99?: number
  readonly label: string
}

const SIDES = ['backend', 'baseline'] as const

/** A figure as the bench JSON holds it: a number, or null where it could not be measured. */
export function measured(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** The rows of one scenario that were measured (not skipped, with a median and a baseline). */
export function measuredRows(rows: readonly BenchRecord[]): BenchRecord[] {
  return rows.filter((r) => r.skipped === undefined && measured(r.median) && measured(r.baselineMedian))
}

/**
 * The Vega-Lite spec of one scenario: a horizontal bar per contender (backend and engine) beside
 * the baseline measured in the same rounds, the contender's min–max as a rule, p99 as a tick where
 * the scenario reports it, and each bar labelled with its figure (and the ratio to the baseline).
 */
export function scenarioSpec(rows: readonly BenchRecord[]): TopLevelSpec {
  // Built as plain data and checked by vega-lite's compiler when rendered (the typings reject
  // shared encoding objects that the compiler accepts).
  const bars: Bar[] = []
  for (const r of measuredRows(rows)) {
    const who = labelOf(r.backend, r.engine)
    const p99 = r.extra.p99
    const baseP99 = r.baselineExtra.p99
    bars.push({
      who,
      side: 'backend',
      value: r.median,
      ...(measured(r.min) && measured(r.max) ? { min: r.min, max: r.max } : {}),
      ...(measured(p99) ? { p99 } : {}),
      label: `${formatFigure(r.median)} ${r.unit} (${formatFigure(r.ratio)}×)${measured(p99) ? ` · p99 ${formatFigure(p99)}` : ''}`,
    })
    bars.push({
      who,
      side: 'baseline',
      value: r.baselineMedian,
      ...(measured(baseP99) ? { p99: baseP99 } : {}),
      label: `${formatFigure(r.baselineMedian)} baseline${measured(baseP99) ? ` · p99 ${formatFigure(baseP99)}` : ''}`,
    })
  }
  const top = Math.max(0, ...bars.flatMap((b) => [b.value, b.max ?? 0, b.p99 ?? 0]))
  const unit = rows[0]?.unit ?? ''
  const y = { field: 'who', type: 'nominal', title: null, sort: null } as const
  const yOffset = { field: 'side', type: 'nominal', scale: { domain: [...SIDES] } } as const
  const x = {
    field: 'value',
    type: 'quantitative',
    title: `${rows[0]?.metric ?? ''} (${unit})`,
    // Room on the right for the labels.
    scale: { domain: [0, top * 1.45 || 1], nice: false },
  } as const
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: Math.max(1, bars.length / 2) * 46,
    background: 'white',
    config: { font: 'sans-serif', axis: { labelFontSize: 12, titleFontSize: 12 }, legend: { labelFontSize: 12 } },
    data: { values: bars },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.9 } },
        encoding: {
          y,
          yOffset,
          x,
          color: {
            field: 'side',
            type: 'nominal',
            title: null,
            scale: { domain: [...SIDES], range: ['#4c78a8', '#b9b4ae'] },
            legend: { orient: 'bottom', direction: 'horizontal' },
          },
        },
      },
      {
        transform: [{ filter: 'isValid(datum.min)' }],
        mark: { type: 'rule', color: '#1b1b1b', strokeWidth: 1.5 },
        encoding: { y, yOffset, x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } },
      },
      {
        transform: [{ filter: 'isValid(datum.p99)' }],
        mark: { type: 'tick', color: '#d62728', thickness: 2, orient: 'vertical' },
        encoding: { y, yOffset, x: { field: 'p99', type: 'quantitative' } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11 },
        encoding: {
          y,
          yOffset,
          x: { field: 'labelAt', type: 'quantitative' },
          text: { field: 'label' },
        },
        transform: [
          {
            calculate: 'max(datum.value, isValid(datum.max) ? datum.max : 0, isValid(datum.p99) ? datum.p99 : 0)',
            as: 'labelAt',
          },
        ],
      },
    ],
  } as unknown as TopLevelSpec
}

/** Renders a Vega-Lite spec to an SVG document, in this process (no browser, no network). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}
