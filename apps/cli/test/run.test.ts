import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { discoverBackend } from '../src/backends.js'
import type { Io } from '../src/io.js'
import { run } from '../src/run.js'

interface Captured {
  readonly io: Io
  stdout(): string
  stderr(): string
}

function capture(cwd = process.cwd()): Captured {
  let out = ''
  let err = ''
  return {
    io: {
      stdout: { write: (text: string) => (out += text), isTTY: false },
      stderr: { write: (text: string) => (err += text), isTTY: false },
      cwd,
    },
    stdout: () => out,
    stderr: () => err,
  }
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? ''
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('polysocket backends', () => {
  it('prints the capability table with a node column', async () => {
    const c = capture()
    const code = await run(['backends'], c.io)
    expect(c.stderr()).toBe('')
    expect(code).toBe(0)
    const header =
      c
        .stdout()
        .split('\n')
        .find((line) => line.includes('capability')) ?? ''
    expect(header).toMatch(/\bnode\b/)
    expect(c.stdout()).toMatch(/│ tcp\s+│ yes /)
  })
})

describe('polysocket conformance', () => {
  it('runs the TCP echo cases on backend-node and ends with the summary line', async () => {
    const c = capture()
    const code = await run(['conformance', '--backend', 'node', '--grep', '^tcp\\.echo'], c.io)
    const lines = c.stdout().trimEnd().split('\n')
    expect(lines.slice(0, -1).every((line) => /^(pass|FAIL|skip) {2}node {2}tcp\.echo/.test(line))).toBe(true)
    expect(lines.at(-1)).toMatch(/^conformance: [1-9]\d* passed, 0 failed, \d+ skipped$/)
    expect(code).toBe(0)
  })

  it('exits 2 with a message naming the groups when the pattern matches no case, as bench does', async () => {
    const c = capture()
    const code = await run(['conformance', '--backend', 'node', '--grep', '^no-such-group\\.'], c.io)
    expect(code).toBe(2)
    expect(c.stderr()).toMatch(
      /^polysocket: no conformance case matches \/\^no-such-group\\\.\/ \(groups: .*\btcp\b.*\)\n$/,
    )
    expect(c.stdout()).toBe('')
  })

  it('writes the results as JSON with --json, errors as text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polysocket-cli-'))
    dirs.push(dir)
    const c = capture(dir)
    const code = await run(['conformance', '--backend', 'node', '--grep', '^tcp\\.echo', '--json', 'out/r.json'], c.io)
    expect(code).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'out', 'r.json'), 'utf8'))
    expect(report.command).toBe('conformance')
    expect(report.totals.failed).toBe(0)
    expect(report.totals.passed).toBe(report.results.filter((r: { status: string }) => r.status === 'pass').length)
    expect(report.backends[0]).toMatchObject({ name: 'node', status: 'available' })
    expect(lastLine(c.stdout())).toBe(
      `conformance: ${report.totals.passed} passed, ${report.totals.failed} failed, ${report.totals.skipped} skipped`,
    )
  })

  it('carries the figures a case reported in --json, and prints them as a table after a --full run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polysocket-cli-'))
    dirs.push(dir)
    const grep = '^robustness\\.faults\\.halfclose\\.ours$'
    const c = capture(dir)
    const code = await run(['conformance', '--backend', 'node', '--grep', grep, '--full', '--json', 'f.json'], c.io)
    expect(code, c.stdout()).toBe(0)
    const report = JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'))
    const [result] = report.results
    expect(result.status, result.reason).toBe('pass')
    const verified = result.figures.find((f: { name: string }) => f.name === 'bytes verified')
    expect(verified.unit).toBe('bytes')
    expect(verified.value).toBeGreaterThan(0)
    expect(result.figures).toContainEqual({ name: 'faults survived', value: 1, unit: 'faults' })
    const out = c.stdout()
    expect(out).toContain('Figures (--full):')
    const row = out.split('\n').find((l) => l.includes('bytes verified'))
    expect(row).toContain('robustness.faults.halfclose.ours')
    expect(row).toContain(verified.value.toLocaleString('en-US'))
    expect(lastLine(out)).toBe('conformance: 1 passed, 0 failed, 0 skipped')

    const quick = capture(dir)
    expect(await run(['conformance', '--backend', 'node', '--grep', grep], quick.io)).toBe(0)
    expect(quick.stdout()).not.toContain('Figures')
  })

  it('rejects an unknown backend name with exit code 2', async () => {
    const c = capture()
    const code = await run(['conformance', '--backend', 'python'], c.io)
    expect(code).toBe(2)
    expect(c.stderr()).toContain("argument 'python' is invalid")
    expect(c.stderr()).toContain('node, ffi, all')
    expect(c.stdout()).toBe('')
  })

  it('rejects a pattern that is not a regular expression with exit code 2', async () => {
    const c = capture()
    const code = await run(['conformance', '--grep', '['], c.io)
    expect(code).toBe(2)
    expect(c.stderr()).toMatch(/--grep <regex>' argument '\[' is invalid\. Not a valid regular expression/)
    expect(c.stdout()).toBe('')
  })

  it('reports an unwritable --json path with exit code 2, after the summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'polysocket-cli-'))
    dirs.push(dir)
    const c = capture(dir)
    // A path below a regular file cannot be created.
    writeFileSync(join(dir, 'blocker'), '')
    const code = await run(
      ['conformance', '--backend', 'node', '--grep', '^tcp\\.echo$', '--json', 'blocker/r.json'],
      c.io,
    )
    expect(code).toBe(2)
    expect(c.stderr()).toContain('cannot write the JSON report')
    expect(lastLine(c.stdout())).toBe('conformance: 1 passed, 0 failed, 0 skipped')
  })
})

describe('polysocket bench', () => {
  it('rejects a duration that is not a positive number of seconds', async () => {
    for (const value of ['0', '-1', 'abc', '']) {
      const c = capture()
      expect(await run(['bench', '--duration', value], c.io)).toBe(2)
      expect(c.stderr()).toContain('Expected a number of seconds')
    }
  })

  it('rejects a round count that is not a whole number from 1', async () => {
    for (const value of ['0', '2.5', '1e3x']) {
      const c = capture()
      expect(await run(['bench', '--rounds', value], c.io)).toBe(2)
      expect(c.stderr()).toContain('Expected a whole number of rounds')
    }
  })

  it('off a terminal, prints a line on stderr as each scenario finishes, and the table on stdout', async () => {
    const c = capture()
    const code = await run(
      ['bench', '--backend', 'node', '--scenario', '^tcp\\.pingpong$', '--duration', '0.3', '--rounds', '1'],
      c.io,
    )
    expect(code).toBe(0)
    expect(c.stderr()).toMatch(/^bench {2}node {2}tcp\.pingpong {2}[\d.,]+ µs \(baseline [\d.,]+, [\d.]+×\)\n$/)
    expect(c.stdout()).toMatch(/│ tcp\.pingpong +│ node /)
  })

  it('says so when no scenario matches --scenario', async () => {
    const c = capture()
    const code = await run(['bench', '--backend', 'node', '--scenario', '^no-such-scenario$'], c.io)
    expect(code).toBe(2)
    expect(c.stderr()).toMatch(/no bench scenario matches .*there are: tcp\.bulk/)
  })
})

describe('usage', () => {
  it('prints help and exits 0 with --help', async () => {
    const c = capture()
    expect(await run(['--help'], c.io)).toBe(0)
    expect(c.stdout()).toContain('conformance')
    expect(c.stdout()).toContain('backends')
    expect(c.stdout()).toContain('bench')
  })

  it('prints help on stderr and exits 2 without a command', async () => {
    const c = capture()
    expect(await run([], c.io)).toBe(2)
    expect(c.stderr()).toContain('Usage: polysocket')
  })

  it('rejects an unknown command with exit code 2', async () => {
    const c = capture()
    expect(await run(['conformence'], c.io)).toBe(2)
    expect(c.stderr()).toContain("unknown command 'conformence'")
  })
})

describe('backend discovery', () => {
  it('reports a package that is not installed, without throwing', async () => {
    const [entry] = await discoverBackend('ffi', '@polysocket/no-such-backend')
    expect(entry).toMatchObject({ status: 'not-installed', reason: 'cannot find package @polysocket/no-such-backend' })
  })

  it('reports a module without createBackend as unavailable', async () => {
    const [entry] = await discoverBackend('ffi', 'node:os')
    expect(entry).toMatchObject({ status: 'unavailable' })
    expect(entry?.status !== 'available' && entry?.reason).toContain('does not export a createBackend function')
  })

  it('reports a createBackend that throws as unavailable, with its message', async () => {
    const load = async () => ({
      createBackend() {
        throw new Error('ffi-rs has no build for this platform')
      },
    })
    const [entry] = await discoverBackend('ffi', 'fake-ffi', load)
    expect(entry).toMatchObject({ status: 'unavailable', reason: 'ffi-rs has no build for this platform' })
  })

  it('reports a package that fails to load as unavailable, with the loader message', async () => {
    const load = async () => {
      throw Object.assign(new Error("Cannot find package 'ffi-rs' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' })
    }
    const [entry] = await discoverBackend('ffi', '@polysocket/backend-ffi', load)
    expect(entry).toMatchObject({ status: 'unavailable' })
    expect(entry?.status !== 'available' && entry?.reason).toContain("Cannot find package 'ffi-rs'")
  })

  it('gives one entry per engine of a backend that lists its engines, each labelled', async () => {
    const load = async () => ({
      listEngines: () => [{ name: 'koffi' }, { name: 'ffi-rs', error: 'no build for this platform' }],
      createBackend: (o?: { engine?: string }) => ({ name: 'ffi', engine: o?.engine, supports: {} }),
    })
    const entries = await discoverBackend('ffi', 'fake-ffi', load)
    expect(entries).toMatchObject([
      { label: 'ffi/koffi', engine: 'koffi', status: 'available' },
      { label: 'ffi/ffi-rs', engine: 'ffi-rs', status: 'unavailable', reason: 'no build for this platform' },
    ])
    const only = await discoverBackend('ffi', 'fake-ffi', load, 'koffi')
    expect(only.map((e) => e.label)).toEqual(['ffi/koffi'])
  })
})

describe('polysocket conformance, run time', () => {
  it('counts an error nobody caught as a failure and removes its trap', async () => {
    const c = capture()
    let removed = false
    const io: Io = {
      ...c.io,
      trapUncaught: (listener) => {
        // The error arrives while the first case runs, as a stray 'error' event would.
        setImmediate(() => listener(new Error('stray error event')))
        return () => {
          removed = true
        }
      },
    }
    const code = await run(['conformance', '--backend', 'node', '--grep', '^tcp\\.echo$'], io)
    expect(code).toBe(1)
    expect(removed).toBe(true)
    expect(c.stdout()).toMatch(/^FAIL {2}node {2}tcp\.echo — uncaught: stray error event$/m)
    expect(c.stdout()).toContain('Failures:')
    expect(lastLine(c.stdout())).toBe('conformance: 1 passed, 1 failed, 0 skipped')
  })

  it('draws progress on stderr when it is a terminal, and keeps stdout to the report', async () => {
    const c = capture()
    const io: Io = {
      ...c.io,
      stdout: { ...c.io.stdout, isTTY: true },
      stderr: { ...c.io.stderr, isTTY: true, columns: 100 },
    }
    const code = await run(['conformance', '--backend', 'node', '--grep', '^tcp\\.echo'], io)
    expect(code).toBe(0)
    expect(c.stderr()).toMatch(/\d+\/2 case runs/)
    expect(c.stdout()).not.toMatch(/case runs/)
    expect(
      c
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('pass')),
    ).toEqual(['pass  node  tcp.echo', 'pass  node  tcp.echo [v6]'])
    expect(lastLine(c.stdout())).toBe('conformance: 2 passed, 0 failed, 0 skipped')
  })
})
