import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { Case } from '../src/case.js'
import { startPython } from '../src/peers/python.js'
import { runOne } from '../src/run-one.js'
import { planRuns } from '../src/run-suite.js'
import { stubBackend } from './stub-backend.js'

const hasPython = spawnSync('python3', ['--version']).status === 0

function run(c: Case) {
  const [planned] = planRuns([c])
  if (!planned) throw new Error('no run')
  return runOne(planned, stubBackend(), { full: false })
}

describe.skipIf(!hasPython)('startPython', () => {
  it('reads lines, passes arguments and reports success', async () => {
    const result = await run({
      id: 'self.python',
      title: 'python says hello',
      needs: [],
      async run(ctx) {
        const peer = await startPython(ctx, "say('HELLO', sys.argv[2])\nsay('HOST', HOST)", '6', ['there'])
        expect(await peer.expect('HELLO')).toBe('there')
        expect(await peer.line()).toBe('HOST ::1')
        await peer.success()
      },
    })
    expect(result.status, String(result.reason)).toBe('pass')
  })

  it('quotes stderr when the peer fails', async () => {
    const result = await run({
      id: 'self.python.fail',
      title: 'python raises',
      needs: [],
      async run(ctx) {
        const peer = await startPython(ctx, "raise SystemExit('it went wrong')", '4')
        await peer.success()
      },
    })
    expect(result.status).toBe('fail')
    expect(result.reason).toContain('it went wrong')
  })

  it('kills a peer that is still running when the case ends', async () => {
    let exited: Promise<{ signal: NodeJS.Signals | null }> | undefined
    const result = await run({
      id: 'self.python.kill',
      title: 'python sleeps',
      needs: [],
      async run(ctx) {
        const peer = await startPython(ctx, "import time\nsay('UP')\ntime.sleep(30)", '4')
        exited = peer.exited
        await peer.expect('UP')
      },
    })
    expect(result.status, String(result.reason)).toBe('pass')
    expect((await exited)?.signal).toBe('SIGKILL')
  })
})
