import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Socket } from '@polysocket/core'
import { afterEach, describe, expect, it } from 'vitest'
import { backendOn } from '../src/backend.js'
import type { Engine, NativeFunction } from '../src/engine/engine.js'
import { loadEngine } from '../src/engine/load.js'
import { createBackend, ENGINE_NAMES, listEngines } from '../src/index.js'

const EAGAIN = 11
const open: Socket[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)))
})

describe('engine choice', () => {
  it('lists every engine with its version, koffi first', () => {
    const engines = listEngines()
    expect(engines.map((e) => e.name)).toEqual(['koffi', 'ffi-rs'])
    for (const e of engines) expect(e.version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('runs on koffi by default and names the engine it runs on', () => {
    const b = createBackend()
    expect(b.name).toBe('ffi')
    expect(b.engine).toBe('koffi')
    expect(b.fallback).toBeUndefined()
    expect(createBackend({ engine: 'ffi-rs' }).engine).toBe('ffi-rs')
  })

  it('refuses an unknown engine with a TypeError', () => {
    expect(() => createBackend({ engine: 'libffi' as never })).toThrow(TypeError)
  })
})

/** The engine with a count of the data calls that ended in EAGAIN. */
function countingEagain(engine: Engine): { engine: Engine; eagain: () => number } {
  let eagain = 0
  const counted = new Set(['recv', 'recvfrom', 'send', 'sendto', 'accept4'])
  const bind = (d: Parameters<Engine['bind']>[0]): NativeFunction => {
    const f = engine.bind(d)
    if (!counted.has(d.symbol)) return f
    return (...args) => {
      const n = f(...args)
      if (n === -1 && engine.errno() === EAGAIN) eagain++
      return n
    }
  }
  return { engine: { ...engine, bind }, eagain: () => eagain }
}

describe.each(ENGINE_NAMES)('readiness tracking (%s engine)', (name) => {
  const loaded = loadEngine(name)
  if (!('engine' in loaded)) throw loaded.error

  it('a ping-pong does not try a recv that its edges say would block', async () => {
    const { engine, eagain } = countingEagain(loaded.engine)
    const [a, b] = await backendOn(engine).socketpair('AF_UNIX', 'SOCK_STREAM')
    open.push(a, b)
    const rounds = 300
    const echo = (async () => {
      for (let i = 0; i < rounds; i++) await b.send((await b.recv(64)).data)
    })()
    for (let i = 0; i < rounds; i++) {
      await a.send('ping')
      expect((await a.recv(64)).data.toString()).toBe('ping')
    }
    await echo
    // Without tracking each side's recv ends in EAGAIN once a round (600 here); with it, only
    // the first wait of each socket, which registers it, tries first.
    expect(eagain()).toBeLessThan(rounds / 10)
  })

  it('sees the end of stream that arrived with the last data, every time', async () => {
    const backend = createBackend({ engine: name })
    for (let i = 0; i < 200; i++) {
      const [a, b] = await backend.socketpair('AF_UNIX', 'SOCK_STREAM')
      open.push(a, b)
      // The first read waits (registering b); data and FIN then come in one edge.
      const reading = b.recv(4, { signal: AbortSignal.timeout(2000) })
      await a.send('abcdef')
      await a.shutdown('SHUT_WR')
      let got = (await reading).data.length
      for (let n = 0; n < 10; n++) {
        const { data } = await b.recv(4, { signal: AbortSignal.timeout(2000) })
        if (data.length === 0) break
        got += data.length
      }
      expect(got).toBe(6)
      await Promise.all([a.close(), b.close()])
      open.length = 0
    }
  })
})

describe('fallback', () => {
  it('runs on ffi-rs, saying why, where koffi cannot load', async () => {
    // A fresh node in which loading koffi fails, as on a platform without its binary.
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))
    const hide = `const M = require('node:module'); const r = M._resolveFilename;
      M._resolveFilename = function (request, ...rest) {
        if (request === 'koffi') throw new Error('no koffi binary for this platform')
        return r.call(this, request, ...rest)
      }`
    const script = `import { createBackend, listEngines } from ${JSON.stringify(entry)}
      const b = createBackend()
      const [x, y] = await b.socketpair('AF_UNIX', 'SOCK_STREAM')
      await x.send('over ffi-rs')
      console.log(JSON.stringify({ engine: b.engine, fallback: b.fallback, data: (await y.recv(64)).data.toString(),
        koffi: listEngines()[0] }))
      await x.close(); await y.close()`
    const dir = mkdtempSync(join(tmpdir(), 'polysocket-engine-'))
    const preload = join(dir, 'hide-koffi.cjs')
    writeFileSync(preload, hide)
    let out: string
    try {
      out = execFileSync(
        process.execPath,
        ['--import', 'tsx', '--conditions', 'polysocket-source', '--input-type=module', '-e', script],
        { env: { ...process.env, NODE_OPTIONS: `--require ${preload}` }, timeout: 20_000 },
      ).toString()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}')
    expect(r.engine).toBe('ffi-rs')
    expect(r.data).toBe('over ffi-rs')
    expect(r.fallback).toContain('no koffi binary for this platform')
    expect(r.koffi.error).toContain('no koffi binary for this platform')
  }, 30_000)
})
