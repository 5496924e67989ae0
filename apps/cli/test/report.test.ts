import { AssertionError } from 'node:assert'
import type { CaseResult, ThroughputResult } from '@polysocket/conformance'
import { describe, expect, it } from 'vitest'
import { figuresTable } from '../src/report/figures.js'
import { benchTable, caseLine, failureDetails, scenarioLine, summaryLine } from '../src/report/text.js'

const base = { title: 't', backend: 'ffi', durationMs: 1 }

describe('text report', () => {
  it('writes one line per case run, with the first line of a message', () => {
    const error = new AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' })
    const fail: CaseResult = { ...base, id: 'tcp.echo', status: 'fail', reason: error.message, error }
    expect(caseLine({ ...base, id: 'tcp.echo [v6]', status: 'pass' }, 4)).toBe('pass  ffi   tcp.echo [v6]')
    expect(caseLine({ ...base, id: 'unix.dgram', status: 'skip', reason: 'backend ffi lacks x' }, 3)).toBe(
      'skip  ffi  unix.dgram — backend ffi lacks x',
    )
    expect(error.message).toContain('\n')
    expect(caseLine(fail, 3)).toBe(`FAIL  ffi  tcp.echo — ${error.message.split('\n')[0]}`)
  })

  it('gives each failure in full after the case lines, numbered', () => {
    const error = new AssertionError({ actual: 1, expected: 2, operator: 'strictEqual' })
    const text = failureDetails([
      { ...base, id: 'a', status: 'fail', reason: error.message, error },
      { ...base, id: 'b', status: 'fail', reason: 'thrown string', error: 'thrown string' },
    ])
    expect(text).toMatch(/^\nFailures:\n\n1\) ffi {2}a\n {3}AssertionError: Expected/)
    expect(text).toMatch(/\n {5}at /)
    expect(text).toContain('2) ffi  b\n   thrown string')
    expect(failureDetails([])).toBe('')
  })

  it('ends with the summary line CI matches', () => {
    expect(summaryLine({ passed: 60, failed: 0, skipped: 12 })).toBe('conformance: 60 passed, 0 failed, 12 skipped')
  })

  it('tabulates bench results with the ratio and the reason a scenario did not run', () => {
    const row: ThroughputResult = {
      scenario: 'tcp.bulk',
      backend: 'node',
      metric: 'throughput',
      unit: 'MB/s',
      median: 1234.5,
      min: 1100,
      max: 1300,
      baselineMedian: 1250,
      ratio: 0.9876,
      extra: { bytes: 2e9 },
      baselineExtra: {},
    }
    const skipped: ThroughputResult = { ...row, scenario: 'unix.bulk', skipped: 'backend node lacks unixStream' }
    const text = benchTable([row, skipped])
    expect(text).toMatch(/│ tcp\.bulk\s+│ node\s+│ throughput │ MB\/s │\s+1,235 │\s+1,100 │/)
    expect(text).toContain('0.988×')
    expect(text).toContain('bytes 2,000,000,000')
    expect(text).toMatch(/│ unix\.bulk .*backend node lacks unixStream/)
  })

  it('writes one line per finished scenario, with the figure and the ratio, or why it did not run', () => {
    const row: ThroughputResult = {
      scenario: 'tcp.bulk',
      backend: 'node',
      metric: 'throughput',
      unit: 'MB/s',
      median: 2057.4,
      min: 2000,
      max: 2100,
      baselineMedian: 1519,
      ratio: 1.3544,
      extra: {},
      baselineExtra: {},
    }
    expect(scenarioLine(row)).toBe('bench  node  tcp.bulk  2,057 MB/s (baseline 1,519, 1.35×)')
    expect(scenarioLine({ ...row, skipped: 'failed: boom\nstack' })).toBe(
      'bench  node  tcp.bulk  not measured: failed: boom',
    )
  })

  it("shows a facade scenario's ratio to the contract scenario measured beside it, in the line and the table", () => {
    const row: ThroughputResult = {
      scenario: 'tcp.bulk.jmp',
      backend: 'node',
      metric: 'throughput',
      unit: 'MB/s',
      median: 900,
      min: 880,
      max: 950,
      baselineMedian: 1500,
      ratio: 0.6,
      contractMedian: 1200,
      contractRatio: 0.75,
      extra: {},
      baselineExtra: {},
    }
    expect(scenarioLine(row)).toBe('bench  node  tcp.bulk.jmp  900 MB/s (baseline 1,500, 0.6×; contract 1,200, 0.75×)')
    const text = benchTable([row])
    expect(text).toContain('vs contract')
    expect(text).toMatch(/│ tcp\.bulk\.jmp .*0\.6× │ +0\.75× │/)
  })

  it('tabulates reported figures: a row per case run and figure, a column per backend and engine', () => {
    const figure = (name: string, value: number, unit: string) => ({ name, value, unit })
    const text = figuresTable([
      {
        ...base,
        id: 'robustness.fuzz.contract',
        backend: 'node',
        status: 'pass',
        figures: [figure('calls', 10015, 'calls')],
      },
      {
        ...base,
        id: 'robustness.fuzz.contract',
        backend: 'ffi',
        engine: 'koffi',
        status: 'pass',
        figures: [figure('calls', 10020, 'calls'), figure('fds after', 23, 'fds')],
      },
      { ...base, id: 'tcp.echo', backend: 'node', status: 'pass' },
    ])
    const lines = text.split('\n')
    expect(lines[1]).toMatch(/case +│ figure +│ unit +│ +node │ ffi\/koffi/)
    expect(lines.find((l) => l.includes('calls') && l.includes('10,015'))).toContain('10,020')
    expect(lines.find((l) => l.includes('fds after'))).toMatch(/│ +- │ +23 │/)
    expect(text).not.toContain('tcp.echo')
    expect(figuresTable([{ ...base, id: 'tcp.echo', status: 'pass' }])).toBe('')
  })
})
