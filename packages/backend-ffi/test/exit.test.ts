import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))

/** Runs a module body in a fresh node with the backend imported; resolves with how it ended. */
function run(body: string, killAfterMs: number): Promise<{ code: number | null; killed: boolean; out: string }> {
  const script = `import { createBackend } from ${JSON.stringify(entry)}\nconst b = createBackend()\n${body}`
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions', 'polysocket-source', '--input-type=module', '-e', script],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  child.stdout.on('data', (d) => {
    out += d
  })
  child.stderr.on('data', (d) => {
    out += d
  })
  let killed = false
  const timer = setTimeout(() => {
    killed = true
    child.kill('SIGKILL')
  }, killAfterMs)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, killed, out })
    })
  })
}

describe('process lifetime', () => {
  it('exits by itself after waits completed and with idle open sockets', async () => {
    const r = await run(
      `const [x, y] = await b.socketpair('AF_UNIX', 'SOCK_STREAM')
       const p = y.recv(10)
       setTimeout(() => x.send('hi'), 20)
       console.log((await p).data.toString())
       globalThis.keep = await b.socketpair('AF_UNIX', 'SOCK_DGRAM')`,
      8000,
    )
    expect(r.out).toContain('hi')
    expect(r.killed).toBe(false)
    expect(r.code).toBe(0)
  }, 15_000)

  it('stays alive while a recv is awaited, as a Node socket would', async () => {
    const r = await run(
      `const [x, y] = await b.socketpair('AF_UNIX', 'SOCK_STREAM')
       globalThis.keep = x
       console.log('waiting'); await y.recv(10); console.log('unexpected')`,
      3000,
    )
    expect(r.out).toContain('waiting')
    expect(r.out).not.toContain('unexpected')
    expect(r.killed).toBe(true)
  }, 15_000)
})
