import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Example, exampleFileName, extractExamples, toMarkdownPositions, type Unmarked } from '../src/examples.js'

// Every TypeScript and JavaScript block of every Markdown file in the repository is an example
// with a marker: `run` examples are type-checked and run (on loopback, each with a time
// limit); `typecheck` examples, whose marker says why they cannot run here, only type-checked.
// Both under strict NodeNext, against the packages' sources (no build needed).

const root = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(import.meta.url)
/** Longest an example may run; the longest one needs about a second. */
const RUN_LIMIT_MS = 30_000

const markdownFiles = execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((file) => file !== '' && !file.startsWith('.changeset/'))
const examples: Example[] = []
const unmarked: Unmarked[] = []
for (const file of markdownFiles) {
  const found = extractExamples(file, readFileSync(join(root, file), 'utf8'))
  examples.push(...found.examples)
  unmarked.push(...found.unmarked)
}

// The examples live in a fresh directory inside the repository, so that their imports of
// `@polysocket/*` resolve through its node_modules as a user's would through theirs.
let dir = ''
beforeAll(() => {
  mkdirSync(join(root, 'tests/.examples'), { recursive: true })
  dir = mkdtempSync(join(root, 'tests/.examples/run-'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }))
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2023'],
        types: ['node'],
        // Through the source condition, the packages' TypeScript is checked as the examples
        // see it, without a build.
        customConditions: ['polysocket-source'],
        // Each example is a module of its own, even one without imports.
        moduleDetection: 'force',
        allowJs: true,
        checkJs: true,
        noEmit: true,
        skipLibCheck: true,
        typeRoots: [join(root, 'node_modules/@types')],
      },
      include: ['*.ts', '*.js'],
    }),
  )
  for (const example of examples) writeFileSync(join(dir, exampleFileName(example)), example.code)
})
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('README examples', () => {
  it('finds the examples of the READMEs', () => {
    expect(markdownFiles).toContain('README.md')
    expect(examples.filter((e) => e.mode === 'run').length).toBeGreaterThanOrEqual(5)
  })

  it('has a run or typecheck marker before every TypeScript and JavaScript block', () => {
    expect(unmarked.map((u) => `${u.file}:${u.line}: ${u.problem}`)).toEqual([])
  })

  it('type-checks every example under strict NodeNext', () => {
    const tsc = require.resolve('typescript/bin/tsc')
    let output = ''
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      })
    } catch (error) {
      const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string }
      output = `${stdout ?? ''}${stderr ?? ''}` || message
    }
    expect(toMarkdownPositions(output, examples)).toBe('')
  })

  const tsx = import.meta.resolve('tsx')
  for (const example of examples.filter((e) => e.mode === 'run')) {
    it(`runs ${example.file}:${example.line}`, async () => {
      const result = await runExample(join(dir, exampleFileName(example)), tsx)
      expect(result.output, `${example.file}:${example.line} exited with ${result.exit}`).toBeDefined()
      expect(result.exit, result.output).toBe('0')
    })
  }
})

/** Runs one example file through tsx with the source condition; its exit code and output. */
function runExample(file: string, tsx: string): Promise<{ exit: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=polysocket-source', '--import', tsx, file], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: RUN_LIMIT_MS,
      killSignal: 'SIGKILL',
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk
    })
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ exit: signal ? `signal ${signal}` : String(code), output }))
  })
}
