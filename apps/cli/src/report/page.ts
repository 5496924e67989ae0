import { labelOf } from '../backends.js'
import { measured, measuredRows, renderSvg, scenarioSpec } from './bench-chart.js'
import type { BenchRecord, ResultsFile } from './inputs.js'
import type { CaseRecord, MachineInfo } from './json.js'
import { formatFigure } from './text.js'

/**
 * The report page: one self-contained HTML document (inline CSS and SVG, no script, no request
 * at view time) with, for the bench, a chart and a table per scenario and, for conformance, a
 * matrix of case groups × backends/engines with the skip reasons; the machines come first.
 */
export async function reportPage(files: readonly ResultsFile[], generatedAt: Date): Promise<string> {
  const bench = files.flatMap((f) => (f.kind === 'bench' ? f.report.results : []))
  const cases = files.flatMap((f) => (f.kind === 'conformance' ? f.report.results : []))
  const sections = [machineSection(files)]
  if (bench.length > 0) sections.push(await benchSection(bench))
  if (cases.length > 0) sections.push(conformanceSection(cases))
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="polysocket report">
<title>polysocket results</title>
<style>${STYLE}</style>
</head>
<body>
<h1>polysocket results</h1>
<p class="generated">Made by <code>polysocket report</code> on ${escapeHtml(generatedAt.toISOString())} from ${files
    .map((f) => `<code>${escapeHtml(f.path)}</code>`)
    .join(', ')}.</p>
${sections.join('\n')}
</body>
</html>
`
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 24px; color: #1b1b1b; max-width: 1100px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 4px; }
.generated, .note { color: #555; font-size: 13px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #1a7f37; } .fail { color: #cf222e; font-weight: bold; } .skip { color: #7d6608; }
figure { margin: 4px 0; } figure svg { display: block; max-width: 100%; height: auto; }
ul.reasons { font-size: 13px; margin: 4px 0 12px; }
`

function machineSection(files: readonly ResultsFile[]): string {
  const lines = new Map<string, string[]>()
  for (const f of files) {
    const line = machineLine(f.report.machine)
    lines.set(line, [...(lines.get(line) ?? []), f.kind])
  }
  const items = [...lines].map(
    ([line, kinds]) =>
      `<li class="machine">${escapeHtml(line)} <span class="note">(${[...new Set(kinds)].join(', ')})</span></li>`,
  )
  return `<h2>Machine</h2>\n<ul>${items.join('')}</ul>`
}

/** `Node v20.20.2 · linux x64 (6.18.0) · 2 × AMD EPYC …`. */
export function machineLine(m: MachineInfo): string {
  return `Node ${m.node} · ${m.platform} ${m.arch} (${m.release}) · ${m.cpus} × ${m.cpuModel}`
}

async function benchSection(results: readonly BenchRecord[]): Promise<string> {
  const byScenario = new Map<string, BenchRecord[]>()
  for (const r of results) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r])
  const parts = [
    `<h2>Bench</h2>\n<p class="note">Each backend and engine beside the node:net / node:dgram baseline measured in the same rounds: the median (bar), min–max over the rounds (black rule), p99 where the scenario has one (red tick). The ratio is above 1 when faster than the baseline.</p>`,
  ]
  for (const [scenario, rows] of byScenario) {
    const shown = measuredRows(rows)
    const chart = shown.length > 0 ? await renderSvg(scenarioSpec(rows)) : ''
    parts.push(`<section class="scenario" data-scenario="${escapeHtml(scenario)}">
<h3>${escapeHtml(scenario)} <span class="note">${escapeHtml(rows[0]?.metric ?? '')}, ${escapeHtml(rows[0]?.unit ?? '')}</span></h3>
${chart === '' ? '<p class="note">No contender was measured.</p>' : `<figure>${chart.replace(/^<\?xml[^>]*>/, '')}</figure>`}
${benchTable(rows)}
</section>`)
  }
  return parts.join('\n')
}

/** The columns of the bench table, and the figure each holds. */
const BENCH_COLUMNS: readonly [string, (r: BenchRecord) => number | null | undefined][] = [
  ['median', (r) => r.median],
  ['min', (r) => r.min],
  ['max', (r) => r.max],
  ['p99', (r) => r.extra.p99],
  ['baseline', (r) => r.baselineMedian],
  ['baseline p99', (r) => r.baselineExtra.p99],
  ['ratio', (r) => r.ratio],
]

function benchTable(rows: readonly BenchRecord[]): string {
  const columns = BENCH_COLUMNS.filter(([name, get]) => !name.includes('p99') || rows.some((r) => measured(get(r))))
  const head = `<tr><th>backend</th>${columns.map(([name]) => `<th>${name}</th>`).join('')}</tr>`
  const body = rows.map((r) => {
    const who = `<td class="who">${escapeHtml(labelOf(r.backend, r.engine))}</td>`
    if (r.skipped !== undefined) {
      return `<tr>${who}<td colspan="${columns.length}" class="skip">not measured: ${escapeHtml(r.skipped)}</td></tr>`
    }
    const cells = columns.map(([name, get]) => {
      const value = get(r)
      const text = measured(value) ? `${formatFigure(value)}${name === 'ratio' ? '×' : ''}` : '–'
      return `<td class="num" data-column="${name}">${text}</td>`
    })
    return `<tr>${who}${cells.join('')}</tr>`
  })
  return `<table class="bench">${head}${body.join('')}</table>`
}

function conformanceSection(results: readonly CaseRecord[]): string {
  const contenders: string[] = []
  const groups: string[] = []
  const counts = new Map<string, { pass: number; fail: number; skip: number }>()
  for (const r of results) {
    const who = labelOf(r.backend, r.engine)
    const group = r.id.split('.', 1)[0] ?? r.id
    if (!contenders.includes(who)) contenders.push(who)
    if (!groups.includes(group)) groups.push(group)
    const key = `${group}\n${who}`
    const c = counts.get(key) ?? { pass: 0, fail: 0, skip: 0 }
    c[r.status]++
    counts.set(key, c)
  }
  const head = `<tr><th>group</th>${contenders.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`
  const body = groups.map((g) => {
    const cells = contenders.map((who) => {
      const c = counts.get(`${g}\n${who}`)
      if (c === undefined) return '<td class="num">–</td>'
      return `<td class="num" data-group="${escapeHtml(g)}" data-backend="${escapeHtml(who)}"><span class="pass">${c.pass}</span> / <span class="fail">${c.fail}</span> / <span class="skip">${c.skip}</span></td>`
    })
    return `<tr><td>${escapeHtml(g)}.*</td>${cells.join('')}</tr>`
  })
  const parts = [
    `<h2>Conformance</h2>\n<p class="note">Case runs per group: <span class="pass">passed</span> / <span class="fail">failed</span> / <span class="skip">skipped</span>.</p>`,
    `<table class="matrix">${head}${body.join('')}</table>`,
  ]
  for (const who of contenders) {
    const mine = results.filter((r) => labelOf(r.backend, r.engine) === who)
    const failures = mine.filter((r) => r.status === 'fail')
    if (failures.length > 0) {
      const items = failures.map(
        (r) => `<li><code>${escapeHtml(r.id)}</code>: ${escapeHtml((r.reason ?? '').split('\n', 1)[0] ?? '')}</li>`,
      )
      parts.push(`<h3>Failures on ${escapeHtml(who)}</h3>\n<ul class="reasons fail">${items.join('')}</ul>`)
    }
    const reasons = new Map<string, number>()
    for (const r of mine) if (r.status === 'skip') reasons.set(r.reason ?? '', (reasons.get(r.reason ?? '') ?? 0) + 1)
    if (reasons.size > 0) {
      const items = [...reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([reason, n]) => `<li><span class="count">${n}</span> × ${escapeHtml(reason || 'no reason given')}</li>`)
      parts.push(`<h3>Skip reasons on ${escapeHtml(who)}</h3>\n<ul class="reasons">${items.join('')}</ul>`)
    }
  }
  return parts.join('\n')
}

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
