import { spawn } from 'node:child_process'

/** What one `ip` invocation printed and how it ended. */
export interface IpResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** No `ip` call may hang a case: iproute2 answers in milliseconds, a stuck one is killed. */
const IP_TIMEOUT_MS = 5_000

/**
 * Runs `ip ...args` (iproute2), with `input` on stdin for `-batch -`. Never rejects for a
 * non-zero exit: the caller decides what a failure means.
 *
 * @throws Error with code `ENOENT` when `ip` is not installed.
 */
export function runIp(args: readonly string[], input?: string): Promise<IpResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', args, {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: IP_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      stdout += s
    })
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      if (stderr.length < 8192) stderr += s
    })
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, stdout, stderr }))
    if (input !== undefined) child.stdin?.end(input)
  })
}

/** Runs `ip ...args` and fails, quoting iproute2's message, unless it exits with 0. */
export async function ip(args: readonly string[], input?: string): Promise<string> {
  const result = await runIp(args, input)
  if (result.code !== 0) {
    throw new Error(`ip ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim()}`)
  }
  return result.stdout
}

/** Runs several `ip` commands in one process (`ip -batch -`); `netns` runs them inside that namespace. */
export function ipBatch(commands: readonly string[], netns?: string): Promise<string> {
  return ip([...(netns === undefined ? [] : ['-n', netns]), '-batch', '-'], `${commands.join('\n')}\n`)
}

/** Like {@link ipBatch}, but goes on past failing commands (`-force`) and never fails: for teardown. */
export async function ipBatchForce(commands: readonly string[], netns?: string): Promise<void> {
  if (commands.length === 0) return
  await runIp(
    [...(netns === undefined ? [] : ['-n', netns]), '-force', '-batch', '-'],
    `${commands.join('\n')}\n`,
  ).catch(() => undefined)
}
