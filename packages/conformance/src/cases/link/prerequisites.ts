import { execFile } from 'node:child_process'
import { runIp } from './ip-command.js'

/** What the `link.*` cases run with, or why they cannot run here. */
export type LinkTools = { readonly python: string; readonly unavailable?: undefined } | { readonly unavailable: string }

let checked: Promise<LinkTools> | undefined

/**
 * Checks, once per process, what the `link.*` cases need: Linux, root (network namespaces and
 * veth pairs), iproute2's `ip` and python3 (the peer).
 */
export function linkTools(): Promise<LinkTools> {
  checked ??= check()
  return checked
}

async function check(): Promise<LinkTools> {
  if (process.platform !== 'linux')
    return { unavailable: `network namespaces are Linux only (this is ${process.platform})` }
  const uid = process.getuid?.()
  if (uid !== 0)
    return { unavailable: `needs root to create network namespaces and veth pairs (running as uid ${uid})` }
  const ip = await runIp(['-V']).catch((error: NodeJS.ErrnoException) => error)
  if (ip instanceof Error) {
    return {
      unavailable: ip.code === 'ENOENT' ? '`ip` (iproute2) is not installed' : `\`ip -V\` failed: ${ip.message}`,
    }
  }
  const python = await pythonExecutable()
  if (python === undefined) return { unavailable: 'python3 is not installed (the peer in the other namespace)' }
  return { python }
}

/**
 * The real python3 binary: a version manager's shim (pyenv) costs a few hundred milliseconds
 * per start, and every case starts a peer.
 */
function pythonExecutable(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', 'import sys; print(sys.executable)'],
      { timeout: 5_000, killSignal: 'SIGKILL' },
      (error, stdout) => {
        const path = stdout.trim()
        resolve(error || path === '' ? undefined : path)
      },
    )
  })
}
