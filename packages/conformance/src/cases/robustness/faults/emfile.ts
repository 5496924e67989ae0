import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Case, CaseContext } from '../../../case.js'
import { EMFILE_CHILD_SCRIPT } from './emfile-child.js'
import { reportSurvived } from './helpers.js'

/** RLIMIT_NOFILE of the child (soft and hard): low enough to reach in a few dozen sockets. */
export const CHILD_NOFILE = 64
/** Sockets the child closes after EMFILE before its echo (an echo needs three). */
const FREED = 8
/** How long the child may run, in milliseconds, before it is killed and the case fails. */
const CHILD_LIMIT_MS = 30_000

/**
 * The package the child must load to test the same backend as the case. The suite never
 * gates on a backend's name; this is the one exception, because a child process cannot be
 * handed the backend object, only told where to import it from.
 */
const BACKEND_PACKAGES: Readonly<Record<string, string>> = {
  node: '@polysocket/backend-node',
  ffi: '@polysocket/backend-ffi',
}

/** What the child prints (see {@link EMFILE_CHILD_SCRIPT}). */
interface ChildResult {
  readonly module: string
  readonly opened: number
  readonly failure: { name?: string; code?: string; syscall?: string; message: string } | null
  readonly echo: string | null
  readonly echoError: { code?: string; message: string } | null
  readonly fdsBefore: number
  readonly fdsAfter: number
}

/**
 * The node arguments that load the backend the way this suite was loaded: from TypeScript
 * sources (`--conditions=polysocket-source --import tsx`, as vitest does through its
 * resolve conditions) when this file is itself a `.ts` file, else from the packages' built
 * `dist` (the CLI). Bare names resolve from this file's directory, which the child runs in.
 */
function nodeArgs(): string[] {
  return fromSource() ? ['--conditions=polysocket-source', '--import', 'tsx'] : []
}

/** Whether this suite runs from its TypeScript sources (vitest) rather than built files (the CLI). */
function fromSource(): boolean {
  return import.meta.url.endsWith('.ts')
}

/** The command that runs `argv` under RLIMIT_NOFILE `limit`: prlimit(1), else python3's setrlimit then exec. */
function limited(limit: number, argv: readonly string[]): string[] | undefined {
  if (spawnSync('prlimit', ['--version'], { stdio: 'ignore' }).status === 0) {
    return ['prlimit', `--nofile=${limit}:${limit}`, '--', ...argv]
  }
  if (spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0) {
    const py =
      'import os, resource, sys\n' +
      'n = int(sys.argv[1])\n' +
      'resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))\n' +
      'os.execv(sys.argv[2], sys.argv[2:])\n'
    return ['python3', '-c', py, String(limit), ...argv]
  }
  return undefined
}

/** Runs the child to its end (or kills it at the limit) and returns its RESULT line, parsed. */
async function runChild(ctx: CaseContext, pkg: string): Promise<ChildResult> {
  const argv = [
    process.execPath,
    ...nodeArgs(),
    '--input-type=module',
    '-e',
    EMFILE_CHILD_SCRIPT,
    pkg,
    ctx.host,
    ctx.family,
    String(FREED),
  ]
  const command = limited(CHILD_NOFILE, argv)
  if (command === undefined) ctx.skip('neither prlimit nor python3 is installed to lower RLIMIT_NOFILE')
  const [file, ...args] = command
  const child = spawn(file as string, args, {
    cwd: dirname(fileURLToPath(import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  ctx.onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    if (out.length < 65536) out += s
  })
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    if (err.length < 8192) err += s
  })
  let killed = false
  const timer = setTimeout(() => {
    killed = true
    child.kill('SIGKILL')
  }, CHILD_LIMIT_MS)
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal }))
  }).finally(() => clearTimeout(timer))
  assert.ok(
    !killed,
    `the child ran past ${CHILD_LIMIT_MS} ms and was killed; stdout: ${out.trim()} stderr: ${err.trim()}`,
  )
  const line = out.split('\n').find((l) => l.startsWith('RESULT '))
  assert.ok(
    line !== undefined,
    `the child printed no result (exit ${exit.code}, signal ${exit.signal}); stderr: ${err.trim().slice(0, 2000)}`,
  )
  assert.equal(exit.code, 0, `the child should end normally; stderr: ${err.trim().slice(0, 2000)}`)
  return JSON.parse(line.slice('RESULT '.length)) as ChildResult
}

/** EMFILE in a child process with a low RLIMIT_NOFILE. */
export const emfileCases: readonly Case[] = [
  {
    id: 'robustness.faults.emfile',
    title: `with RLIMIT_NOFILE ${CHILD_NOFILE}, opening sockets ends in a SocketError EMFILE, and after closing a few a TCP echo works`,
    needs: ['tcp'],
    ip: true,
    timeoutMs: CHILD_LIMIT_MS + 10_000,
    async run(ctx) {
      const pkg = BACKEND_PACKAGES[ctx.backend.name]
      if (pkg === undefined)
        return ctx.skip(`no package known for backend ${ctx.backend.name}: the child cannot load it`)
      const r = await runChild(ctx, pkg)
      const expected = fromSource() ? /\/src\/index\.ts$/ : /\.js$/
      assert.match(r.module, expected, `the child should load ${pkg} the way this suite was loaded`)
      assert.ok(r.failure !== null, `no socket failed after ${r.opened} listeners (the limit was ${CHILD_NOFILE})`)
      assert.equal(r.failure.name, 'SocketError', `the failure should be a SocketError: ${JSON.stringify(r.failure)}`)
      assert.equal(r.failure.code, 'EMFILE', `the failure should be EMFILE: ${JSON.stringify(r.failure)}`)
      assert.ok(
        r.opened > 0 && r.opened < CHILD_NOFILE,
        `${r.opened} listeners opened under a limit of ${CHILD_NOFILE}`,
      )
      assert.equal(r.echoError, null, `the echo after closing ${FREED} sockets failed: ${JSON.stringify(r.echoError)}`)
      assert.equal(r.echo, 'ping after EMFILE', 'the echo after EMFILE')
      assert.ok(
        r.fdsAfter <= r.fdsBefore,
        `the child leaked ${r.fdsAfter - r.fdsBefore} socket fd(s) (${r.fdsBefore} before, ${r.fdsAfter} after)`,
      )
      reportSurvived(ctx)
    },
  },
]
