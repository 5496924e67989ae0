import { spawn } from 'node:child_process'
import type { CaseContext } from '../../case.js'
import { type LineReader, readLines } from '../../peers/lines.js'
import type { Link } from './link.js'

/** A python3 peer running inside the link's other namespace, talking over stdin/stdout lines. */
export interface LinkPeer extends LineReader {
  /** Writes one command line to the peer's stdin. */
  tell(line: string): void
  /** Waits for the peer's exit and fails unless its code is 0, quoting stderr. */
  success(): Promise<void>
  /** The python process's id (`ip netns exec` execs python in its own place). */
  readonly pid: number
}

/**
 * What every peer script gets: `say()` prints a line at once, `FAMILY`/`ANY` follow argv[1]
 * (`4` or `6`), `IFNAME` is the peer's veth end (argv[2]), `ask()` reads a command from stdin,
 * and every socket times out after 8 s, so a peer never outlives its case by much even if the
 * kill were lost.
 */
const PRELUDE = `
import hashlib, os, socket, struct, sys
socket.setdefaulttimeout(8)
def say(*a):
    print(*a, flush=True)
def ask():
    return sys.stdin.readline().split()
FAMILY = socket.AF_INET6 if sys.argv[1] == '6' else socket.AF_INET
ANY = '::' if FAMILY == socket.AF_INET6 else '0.0.0.0'
IFNAME = sys.argv[2]
IFINDEX = socket.if_nametoindex(IFNAME)
def bound(kind, port=0):
    s = socket.socket(FAMILY, kind)
    if FAMILY == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((ANY, port))
    return s
`

/**
 * Starts `python3 -S -c <prelude + script> <family> <peer ifname> ...args` inside the link's
 * other namespace. The child is SIGKILLed in the case's cleanup, before the link goes.
 *
 * @param family - the peer's IP family; default the case's.
 */
export async function startPeer(
  ctx: CaseContext,
  link: Link,
  script: string,
  args: readonly (string | number)[] = [],
  family: 4 | 6 = ctx.ipFamily,
): Promise<LinkPeer> {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      link.names.netns,
      link.python,
      // No site packages: the peer needs only the standard library, and starts in half the time.
      '-S',
      '-c',
      PRELUDE + script,
      String(family),
      link.names.peer,
      ...args.map(String),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  )
  ctx.onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    if (stderr.length < 8192) stderr += s
  })
  // A peer that exits early closes its stdin; a late write must not become an uncaught error.
  child.stdin.on('error', () => {})
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })

  const reader = readLines(
    child.stdout,
    'peer',
    async () => `code ${await exited}`,
    () => stderr,
  )
  return {
    ...reader,
    tell(l) {
      child.stdin.write(`${l}\n`)
    },
    pid: child.pid ?? -1,
    async success() {
      const code = await exited
      if (code !== 0) throw new Error(`peer failed (code ${code}): ${stderr.trim()}`)
    },
  }
}
