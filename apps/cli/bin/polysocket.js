#!/usr/bin/env node
// The `polysocket` bin. An installed package runs its built `dist/main.js`. In a clone where
// nothing is built yet (right after `npm install`), it runs the TypeScript sources through tsx
// with the workspace's `polysocket-source` condition instead, so the command works at once;
// `npm run build` makes it start faster.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const dist = new URL('../dist/main.js', import.meta.url)

/** True when the built CLI and the built packages it imports are all there. */
function built() {
  if (!existsSync(dist)) return false
  try {
    for (const name of ['@polysocket/core', '@polysocket/conformance']) require.resolve(name)
    return true
  } catch {
    return false
  }
}

if (built()) {
  await import(dist.href)
} else {
  const source = new URL('../src/main.ts', import.meta.url)
  let tsx
  try {
    tsx = import.meta.resolve('tsx')
  } catch {
    tsx = undefined
  }
  if (!existsSync(source) || tsx === undefined) {
    process.stderr.write('polysocket: not built: run `npm run build` (or install tsx to run the sources)\n')
    process.exitCode = 2
  } else {
    const child = spawn(
      process.execPath,
      ['--conditions=polysocket-source', '--import', tsx, fileURLToPath(source), ...process.argv.slice(2)],
      { stdio: 'inherit' },
    )
    // Ctrl-C reaches the child through the terminal; this process only waits for it to end.
    const relay = (signal) => child.kill(signal)
    process.on('SIGINT', () => {})
    process.on('SIGTERM', relay)
    child.on('error', (error) => {
      process.stderr.write(`polysocket: cannot start the sources through tsx: ${error.message}\n`)
      process.exitCode = 2
    })
    child.on('exit', (code, signal) => {
      if (signal) {
        process.removeAllListeners(signal)
        process.kill(process.pid, signal)
      } else process.exitCode = code ?? 2
    })
  }
}
