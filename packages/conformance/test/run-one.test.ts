import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer, type Server, connect as tcpConnect } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { Case, CaseContext } from '../src/case.js'
import { runOne } from '../src/run-one.js'
import { planRuns } from '../src/run-suite.js'
import { stubBackend } from './stub-backend.js'

const full = { full: false }

/** Runs one case once for the given family on a stub backend. */
function runCase(c: Case, ipFamily: 4 | 6 = 4, backend = stubBackend({ tcp: true, inet6: true })) {
  const run = planRuns([c]).find((r) => r.ipFamily === ipFamily)
  if (!run) throw new Error('no such run')
  return runOne(run, backend, full)
}

describe('runOne', () => {
  it('passes a case that echoes over real loopback at ctx.host, and closes its server in cleanup', async () => {
    let server: Server | undefined
    const result = await runCase({
      id: 'self.echo',
      title: 'echo',
      needs: ['tcp'],
      ip: true,
      async run(ctx) {
        const s = createServer((c) => c.pipe(c))
        server = s
        ctx.onCleanup(() => new Promise((resolve) => s.close(resolve)))
        await new Promise<void>((resolve) => s.listen(0, ctx.host, resolve))
        const address = s.address()
        assert.ok(address && typeof address === 'object')
        assert.equal(address.address, ctx.host)
        const reply = await new Promise<string>((resolve, reject) => {
          const c = tcpConnect(address.port, ctx.host, () => c.end('ping'))
          let text = ''
          c.on('data', (d) => {
            text += d
          })
          c.on('end', () => resolve(text))
          c.on('error', reject)
        })
        assert.equal(reply, 'ping')
      },
    })
    expect(result.status, String(result.reason)).toBe('pass')
    expect(result.id).toBe('self.echo')
    expect(result.backend).toBe('stub')
    expect(server?.listening).toBe(false)
  })

  it('reports a failed assertion as fail, with its message and error', async () => {
    const result = await runCase({
      id: 'self.fail',
      title: 'fails',
      needs: [],
      async run() {
        assert.equal(1, 2, 'one is not two')
      },
    })
    expect(result.status).toBe('fail')
    expect(result.reason).toContain('one is not two')
    expect(result.error).toBeInstanceOf(assert.AssertionError)
  })

  it('skips a case whose capability the backend lacks, naming it, without running it', async () => {
    let ran = false
    const result = await runCase({
      id: 'self.gated',
      title: 'gated',
      needs: ['unixDgram'],
      async run() {
        ran = true
      },
    })
    expect(result.status).toBe('skip')
    expect(result.reason).toContain('unixDgram')
    expect(ran).toBe(false)
  })

  it('skips a case that must run without a capability where the backend has it, saying what it needs', async () => {
    let ran = 0
    const c: Case = {
      id: 'self.without',
      title: 'without',
      needs: ['tcp'],
      without: ['scatterGather'],
      async run() {
        ran += 1
      },
    }
    const skipped = await runCase(c, 4, stubBackend({ tcp: true, scatterGather: true }))
    expect(skipped).toMatchObject({ status: 'skip', reason: 'needs a backend without scatterGather (stub has it)' })
    expect(ran).toBe(0)
    const passed = await runCase(c, 4, stubBackend({ tcp: true }))
    expect(passed.status).toBe('pass')
    expect(ran).toBe(1)
  })

  it('names the needed capability the backend lacks as such', async () => {
    const c: Case = { id: 'self.needs', title: 'needs', needs: ['unixDgram'], without: ['oob'], async run() {} }
    const result = await runCase(c, 4, stubBackend({ oob: true }))
    expect(result.reason).toBe('backend stub lacks unixDgram')
  })

  it('skips the IPv6 run where the backend lacks inet6', async () => {
    const c: Case = { id: 'self.v6', title: 'v6', needs: ['tcp'], ip: true, async run() {} }
    const result = await runCase(c, 6, stubBackend({ tcp: true }))
    expect(result.status).toBe('skip')
    expect(result.reason).toContain('inet6')
    expect(result.id).toBe('self.v6 [v6]')
  })

  it('turns ctx.skip into a skip with its reason', async () => {
    const result = await runCase({
      id: 'self.skip',
      title: 'skips',
      needs: [],
      async run(ctx) {
        ctx.skip('not today')
      },
    })
    expect(result).toMatchObject({ status: 'skip', reason: 'not today' })
  })

  it('fails a case past its time limit, aborts ctx.signal and still runs its cleanups', async () => {
    let seen: CaseContext | undefined
    let cleaned = false
    const started = performance.now()
    const result = await runCase({
      id: 'self.slow',
      title: 'too slow',
      needs: [],
      timeoutMs: 100,
      async run(ctx) {
        seen = ctx
        ctx.onCleanup(() => {
          cleaned = true
        })
        await new Promise((resolve) => setTimeout(resolve, 2000))
      },
    })
    expect(result.status).toBe('fail')
    expect(result.reason).toContain('timed out after 100 ms')
    expect(performance.now() - started).toBeLessThan(1500)
    expect(seen?.signal.aborted).toBe(true)
    expect(cleaned).toBe(true)
  })

  it('runs cleanups last first, past a throwing one, then removes the temp dir', async () => {
    const order: number[] = []
    let dir = ''
    const result = await runCase({
      id: 'self.cleanup',
      title: 'cleans',
      needs: [],
      async run(ctx) {
        dir = ctx.tmpdir
        ctx.onCleanup(() => order.push(1))
        ctx.onCleanup(() => {
          throw new Error('cleanup trouble')
        })
        ctx.onCleanup(async () => {
          await new Promise((resolve) => setTimeout(resolve, 5))
          order.push(3)
        })
        throw new Error('the case failed')
      },
    })
    expect(result.status).toBe('fail')
    expect(result.reason).toBe('the case failed')
    expect(order).toEqual([3, 1])
    expect(dir).not.toBe('')
    expect(existsSync(dir)).toBe(false)
  })

  it('runs at once a cleanup that a timed-out case registers after its teardown', async () => {
    let late = false
    const result = await runCase({
      id: 'self.late',
      title: 'registers too late',
      needs: [],
      timeoutMs: 50,
      async run(ctx) {
        await new Promise((resolve) => setTimeout(resolve, 150))
        ctx.onCleanup(() => {
          late = true
        })
      },
    })
    expect(result.status).toBe('fail')
    expect(late).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(late).toBe(true)
  })

  it('puts the figures a case reported on its result, in the order first reported, a failed run too', async () => {
    const passed = await runCase({
      id: 'self.figures',
      title: 'reports',
      needs: [],
      async run(ctx) {
        ctx.report('calls', 10, 'calls')
        ctx.report('bytes verified', 2048, 'bytes')
        ctx.report('calls', 12, 'calls')
      },
    })
    expect(passed.status, String(passed.reason)).toBe('pass')
    expect(passed.figures).toEqual([
      { name: 'calls', value: 12, unit: 'calls' },
      { name: 'bytes verified', value: 2048, unit: 'bytes' },
    ])
    const failed = await runCase({
      id: 'self.figures.fail',
      title: 'reports, then fails',
      needs: [],
      async run(ctx) {
        ctx.report('fds leaked', 1, 'fds')
        assert.fail('leaked')
      },
    })
    expect(failed.status).toBe('fail')
    expect(failed.figures).toEqual([{ name: 'fds leaked', value: 1, unit: 'fds' }])
    const none = await runCase({ id: 'self.no-figures', title: 'quiet', needs: [], async run() {} })
    expect(none.figures).toBeUndefined()
  })
})
