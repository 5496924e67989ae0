import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ENGINE_NAMES } from '../src/index.js'

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))

/**
 * Runs a module body in a fresh node with a backend of `engine` as `b`; resolves with how it
 * ended. The child is killed `killAfterMs` after it printed `ready` (or after it started, with
 * no `ready`), so that a slow start on a loaded machine does not count against the body.
 */
function run(
  engine: string,
  body: string,
  killAfterMs: number,
  ready?: string,
): Promise<{ code: number | null; killed: boolean; out: string }> {
  const script = `import { createBackend } from ${JSON.stringify(entry)}
const b = createBackend({ engine: ${JSON.stringify(engine)} })
${body}`
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions', 'polysocket-source', '--input-type=module', '-e', script],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  let killed = false
  const kill = () => {
    killed = true
    child.kill('SIGKILL')
  }
  // Without a marker the limit runs from the start; with one, from the marker, and a start
  // that never prints it still ends within a bound.
  let timer = setTimeout(kill, ready === undefined ? killAfterMs : killAfterMs + 20_000)
  const take = (d: Buffer) => {
    const before = out
    out += d
    if (ready !== undefined && !before.includes(ready) && out.includes(ready)) {
      clearTimeout(timer)
      timer = setTimeout(kill, killAfterMs)
    }
  }
  child.stdout.on('data', take)
  child.stderr.on('data', take)
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, killed, out })
    })
  })
}

describe.each(ENGINE_NAMES)('process lifetime (%s engine)', (engine) => {
  it('exits by itself after waits completed and with idle open sockets', async () => {
    const r = await run(
      engine,
      `const [x, y] = await b.socketpair('AF_UNIX', 'SOCK_STREAM')
       const p = y.recv(10)
       setTimeout(() => x.send('hi'), 20)
       console.log((await p).data.toString())
       globalThis.keep = await b.socketpair('AF_UNIX', 'SOCK_DGRAM')`,
      15_000,
    )
    expect(r.out).toContain('hi')
    expect(r.killed).toBe(false)
    expect(r.code).toBe(0)
  }, 40_000)

  it('stays alive while a recv is awaited, as a Node socket would', async () => {
    const r = await run(
      engine,
      `const [x, y] = await b.socketpair('AF_UNIX', 'SOCK_STREAM')
       globalThis.keep = x
       console.log('waiting'); await y.recv(10); console.log('unexpected')`,
      1500,
      'waiting',
    )
    expect(r.out).toContain('waiting')
    expect(r.out).not.toContain('unexpected')
    expect(r.killed).toBe(true)
  }, 40_000)

  it('reports an exception thrown in the readiness callback as uncaught, not lost', async () => {
    // The callback is the engine's, started on a pipe that is readable at once.
    const r = await run(
      engine,
      `const { runtimeOf } = await import(${JSON.stringify(fileURLToPath(new URL('../src/runtime.ts', import.meta.url)))})
       const { loadEngine } = await import(${JSON.stringify(fileURLToPath(new URL('../src/engine/load.ts', import.meta.url)))})
       const { libc, engine: e } = runtimeOf(loadEngine(b.engine).engine)
       const fds = e.allocate(8)
       libc.socketpair(1, 1, 0, fds.address)
       const [x, y] = [fds.view.readInt32LE(0), fds.view.readInt32LE(4)]
       libc.send(y, fds.address, 1, 0)
       const handle = e.allocate(libc.uvHandleSize(8)).address
       libc.uvPollInit(libc.uvDefaultLoop(), handle, x)
       const cb = e.pollCallback(() => { libc.uvPollStop(handle); throw new Error('thrown in the callback') })
       libc.uvPollStart(handle, 1, cb.address)
       setTimeout(() => console.log('still running'), 2000)`,
      15_000,
    )
    expect(r.out).toContain('thrown in the callback')
    expect(r.out).not.toContain('still running')
    expect(r.code).not.toBe(0)
    expect(r.killed).toBe(false)
  }, 40_000)
})
