import { spawn } from 'node:child_process'
import type { CaseContext } from '../case.js'
import { type LineReader, readLines } from './lines.js'

/** How a python peer ended. */
export interface PeerExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stderr: string
}

/** A running `python3 -c script` child that talks over stdout lines. */
export interface PythonPeer extends LineReader {
  /** Settles when the child exits (never rejects). */
  readonly exited: Promise<PeerExit>
  /** Waits for the exit and fails unless the exit code is 0, quoting stderr. */
  success(): Promise<void>
}

/**
 * Helpers every peer script gets: `say()` prints a line at once, `FAMILY`/`HOST` follow
 * `sys.argv[1]` (`4`, `6` or `unix`), `target()` reads an address from `sys.argv[2]`,
 * `recv_all()` reads to EOF, and every socket times out after 8 s so that a peer
 * never outlives its case by much even if the kill were lost.
 */
const PRELUDE = `
import hashlib, os, socket, sys
socket.setdefaulttimeout(8)
def say(*a):
    print(*a, flush=True)
FAMILY = {'4': socket.AF_INET, '6': socket.AF_INET6, 'unix': socket.AF_UNIX}[sys.argv[1]]
HOST = {'4': '127.0.0.1', '6': '::1', 'unix': None}[sys.argv[1]]
def target(i=2):
    # argv[i]: a port for IP, a path for unix ('@name' for a Linux abstract name)
    if FAMILY == socket.AF_UNIX:
        a = sys.argv[i]
        return '\\0' + a[1:] if a.startswith('@') else a
    return (HOST, int(sys.argv[i]) if len(sys.argv) > i else 0)
def recv_all(s, limit=1 << 26):
    parts = []
    n = 0
    while True:
        b = s.recv(65536)
        if not b:
            return b''.join(parts)
        n += len(b)
        if n > limit:
            raise RuntimeError('too much data')
        parts.append(b)
`

/**
 * Starts `python3 -c <prelude + script> <mode> ...args` for a case. The child is killed in the
 * case's cleanup whatever happens; a missing python3 skips the case with that reason.
 *
 * @param mode - `'4'`, `'6'` (the case's IP family) or `'unix'`.
 */
export async function startPython(
  ctx: CaseContext,
  script: string,
  mode: '4' | '6' | 'unix',
  args: readonly string[] = [],
): Promise<PythonPeer> {
  const child = spawn('python3', ['-c', PRELUDE + script, mode, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  ctx.onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (s: string) => {
    if (stderr.length < 8192) stderr += s
  })
  const exited = new Promise<PeerExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stderr }))
  })
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') ctx.skip('python3 is not installed (needed as the foreign peer)')
    throw error
  })

  const reader = readLines(
    child.stdout,
    'python peer',
    async () => `code ${(await exited).code}`,
    () => stderr,
  )
  return {
    ...reader,
    exited,
    async success() {
      const exit = await exited
      if (exit.code !== 0) {
        throw new Error(`python peer failed (code ${exit.code}, signal ${exit.signal}): ${exit.stderr.trim()}`)
      }
    },
  }
}
