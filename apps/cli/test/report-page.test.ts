/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import puppeteer from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../src/io.js'
import type { BenchReport } from '../src/report/inputs.js'
import type { ConformanceReport } from '../src/report/json.js'
import { run } from '../src/run.js'

/** A Chromium to drive: $CHROME_PATH, else the first of Debian's and Google's names on $PATH. */
function findChromium(): string | undefined {
  const fromEnv = process.env.CHROME_PATH
  if (fromEnv && existsSync(fromEnv)) return fromEnv
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name)
  }
  return undefined
}

function quietIo(cwd: string): Io & { out(): string } {
  let out = ''
  return {
    stdout: { write: (text: string) => (out += text), isTTY: false },
    stderr: { write: () => true, isTTY: false },
    cwd,
    out: () => out,
  }
}

/** A shown figure as a number: `1,234` → 1234, `0.625×` → 0.625. */
function shownNumber(text: string): number {
  return Number(text.replace(/[,×\s]/g, ''))
}

/** Whether a figure shown to three significant digits (whole numbers from 1,000) is `value`. */
function showsValue(text: string, value: number): boolean {
  const shown = shownNumber(text)
  if (Math.abs(value) >= 1000) return Math.abs(shown - value) <= 0.5
  return Math.abs(shown - value) <= 0.005 * Math.abs(value) + 1e-9
}

const SCENARIOS = '^tcp\\.(pingpong|connrate)$'
// A node run of these has passes and, whatever the Node version, skips (socketpair).
const CASES = '^(tcp\\.echo|udp\\.connect|posix\\.socketpair\\.stream)'

let dir = ''
let bench: BenchReport
let conformance: ConformanceReport
let html = ''

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polysocket-report-'))
  // Fixtures from real short runs, not invented figures.
  const benchArgs = ['--scenario', SCENARIOS, '--duration', '0.2', '--rounds', '1', '--json', 'b.json']
  expect(await run(['bench', '--backend', 'node', ...benchArgs], quietIo(dir))).toBe(0)
  expect(await run(['conformance', '--backend', 'node', '--grep', CASES, '--json', 'c.json'], quietIo(dir))).toBe(0)
  const io = quietIo(dir)
  expect(await run(['report', 'b.json', 'c.json', '--out', 'out/report.html'], io)).toBe(0)
  expect(io.out()).toBe(`report: ${join(dir, 'out', 'report.html')}\n`)
  bench = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'))
  conformance = JSON.parse(readFileSync(join(dir, 'c.json'), 'utf8'))
  html = readFileSync(join(dir, 'out', 'report.html'), 'utf8')
}, 120_000)

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('polysocket report', () => {
  it('writes one self-contained page: no script, no external resource, an inline SVG per scenario', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i)
    expect(html).toContain("default-src 'none'")
    const scenarios = new Set(bench.results.map((r) => r.scenario))
    expect(scenarios.size).toBe(2)
    for (const s of scenarios) {
      const section = html.split(`data-scenario="${s}"`)[1]?.split('</section>')[0] ?? ''
      expect(section, s).toMatch(/<figure><svg [^>]*class="marks"/)
    }
  })

  it('refuses a file that is no report, and a missing one, with exit code 2', async () => {
    const io = quietIo(dir)
    let err = ''
    const withErr = { ...io, stderr: { write: (t: string) => (err += t) } }
    expect(await run(['report', 'out/report.html', '--out', 'x.html'], withErr)).toBe(2)
    expect(err).toMatch(/cannot read .*report\.html: .*JSON/)
    err = ''
    expect(await run(['report', 'b.json', 'nothing.json', '--out', 'x.html'], withErr)).toBe(2)
    expect(err).toMatch(/cannot read .*nothing\.json: .*ENOENT/)
    expect(existsSync(join(dir, 'x.html'))).toBe(false)
  })

  const chromium = findChromium()
  const skipped = chromium ? '' : ' (skipped: no Chromium found; install Debian’s chromium or set CHROME_PATH)'
  it.skipIf(!chromium)(
    `shows in headless Chromium a chart per scenario and the JSON's figures${skipped}`,
    async () => {
      const browser = await puppeteer.launch({
        executablePath: chromium as string,
        headless: true,
        // Root in a container has no user namespace for Chromium's sandbox.
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
      })
      try {
        const page = await browser.newPage()
        await page.setViewport({ width: 1000, height: 800 })
        const requests: string[] = []
        page.on('request', (request) => {
          requests.push(request.url())
        })
        const url = pathToFileURL(join(dir, 'out', 'report.html')).href
        await page.goto(url, { waitUntil: 'load' })
        expect(requests, 'the page asks for nothing but itself').toEqual([url])
        const png = join(dir, 'report.png')
        await page.screenshot({ path: png, fullPage: true })
        expect(statSync(png).size).toBeGreaterThan(10_000)

        const shown = await page.evaluate(() => {
          // The rendered text, as a reader sees it (hidden elements left out), not the DOM's.
          // biome-ignore lint/performance/useDomNodeTextContent: the test checks what is shown
          const text = (e: Element | null) => (e as HTMLElement | null)?.innerText.trim() ?? ''
          return {
            machines: [...document.querySelectorAll('li.machine')].map(text),
            scenarios: [...document.querySelectorAll('section.scenario')].map((s) => {
              const svg = s.querySelector('figure svg')
              const box = svg?.getBoundingClientRect()
              return {
                id: s.getAttribute('data-scenario'),
                chart: box
                  ? { width: box.width, height: box.height, marks: svg?.querySelectorAll('path').length ?? 0 }
                  : null,
                chartText: svg?.textContent ?? '',
                rows: [...s.querySelectorAll('table.bench tr')].slice(1).map((tr) => ({
                  who: text(tr.querySelector('td.who')),
                  cells: Object.fromEntries(
                    [...tr.querySelectorAll('td[data-column]')].map((td) => [td.getAttribute('data-column'), text(td)]),
                  ),
                })),
              }
            }),
            matrix: [...document.querySelectorAll('table.matrix td[data-group]')].map((td) => ({
              group: td.getAttribute('data-group'),
              backend: td.getAttribute('data-backend'),
              counts: ['pass', 'fail', 'skip'].map((c) => text(td.querySelector(`.${c}`))),
            })),
            reasons: [...document.querySelectorAll('ul.reasons li')].map(text),
          }
        })

        expect(shown.machines).toHaveLength(1)
        expect(shown.machines[0]).toContain(`Node ${bench.machine.node}`)
        expect(shown.machines[0]).toContain(bench.machine.cpuModel)

        const scenarios = [...new Set(bench.results.map((r) => r.scenario))]
        expect(shown.scenarios.map((s) => s.id)).toEqual(scenarios)
        for (const s of shown.scenarios) {
          expect(s.chart, `${s.id} has a chart`).not.toBeNull()
          expect(s.chart?.width).toBeGreaterThan(300)
          expect(s.chart?.height).toBeGreaterThan(60)
          expect(s.chart?.marks).toBeGreaterThanOrEqual(2)
          const results = bench.results.filter((r) => r.scenario === s.id)
          expect(s.rows.map((r) => r.who)).toEqual(results.map((r) => r.backend))
          for (const [i, r] of results.entries()) {
            const cells = s.rows[i]?.cells ?? {}
            const expected: Record<string, number | undefined> = {
              median: r.median,
              min: r.min,
              max: r.max,
              baseline: r.baselineMedian,
              ratio: r.ratio,
              p99: r.extra.p99,
              'baseline p99': r.baselineExtra.p99,
            }
            for (const [column, value] of Object.entries(expected)) {
              if (value === undefined) {
                expect(cells[column], `${s.id} has no ${column} column`).toBeUndefined()
                continue
              }
              expect(cells[column], `${s.id} ${column}`).toBeDefined()
              expect(showsValue(cells[column] ?? '', value), `${s.id} ${column}: ${cells[column]} vs ${value}`).toBe(
                true,
              )
            }
            // The chart's label carries the median and the ratio too.
            const label = s.chartText.match(/([\d,.]+) \S+ \(([\d.]+)×\)/)
            expect(label, s.chartText).not.toBeNull()
            expect(showsValue(label?.[1] ?? '', r.median)).toBe(true)
            expect(showsValue(label?.[2] ?? '', r.ratio)).toBe(true)
          }
        }

        const counts = new Map<string, [number, number, number]>()
        for (const r of conformance.results) {
          const key = `${r.id.split('.')[0]} ${r.backend}`
          const [pass, fail, skip] = counts.get(key) ?? [0, 0, 0]
          counts.set(key, [
            pass + (r.status === 'pass' ? 1 : 0),
            fail + (r.status === 'fail' ? 1 : 0),
            skip + (r.status === 'skip' ? 1 : 0),
          ])
        }
        expect(shown.matrix.length).toBe(counts.size)
        for (const cell of shown.matrix) {
          expect(cell.counts.map(Number), `${cell.group} ${cell.backend}`).toEqual(
            counts.get(`${cell.group} ${cell.backend}`),
          )
        }
        const skips = conformance.results.filter((r) => r.status === 'skip')
        expect(skips.length).toBeGreaterThan(0)
        const reasons = new Map<string, number>()
        for (const r of skips) reasons.set(r.reason ?? '', (reasons.get(r.reason ?? '') ?? 0) + 1)
        expect(shown.reasons.sort()).toEqual([...reasons].map(([reason, n]) => `${n} × ${reason}`).sort())
      } finally {
        await browser.close()
      }
    },
    60_000,
  )
})
