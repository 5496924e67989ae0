import { describe, expect, it } from 'vitest'
import type { Case, CaseResult } from '../src/case.js'
import { planRuns, runSuite } from '../src/run-suite.js'
import { stubBackend } from './stub-backend.js'

const cases: Case[] = [
  { id: 'self.a', title: 'passes twice', needs: ['tcp'], ip: true, async run() {} },
  {
    id: 'self.b',
    title: 'fails',
    needs: [],
    async run() {
      throw new Error('b broke')
    },
  },
  { id: 'self.c', title: 'gated', needs: ['unixDgram'], async run() {} },
]

describe('planRuns', () => {
  it('runs an ip case for IPv4 and again for IPv6 with a [v6] suffix', () => {
    expect(planRuns(cases).map((r) => [r.id, r.ipFamily])).toEqual([
      ['self.a', 4],
      ['self.a [v6]', 6],
      ['self.b', 4],
      ['self.c', 4],
    ])
  })

  it('filters by a pattern tested against the id with its suffix', () => {
    expect(planRuns(cases, /\[v6\]$/).map((r) => r.id)).toEqual(['self.a [v6]'])
    expect(planRuns(cases, /^self\.[bc]/).map((r) => r.id)).toEqual(['self.b', 'self.c'])
  })
})

describe('runSuite', () => {
  it('counts passes, failures and skips, with a fresh backend per run and progress callbacks', async () => {
    let made = 0
    const started: string[] = []
    const reported: CaseResult[] = []
    const suite = await runSuite({
      cases,
      factory: () => {
        made++
        return stubBackend({ tcp: true, inet6: true })
      },
      onStart: (id) => started.push(id),
      onResult: (r) => reported.push(r),
    })
    expect(suite).toMatchObject({ backend: 'stub', passed: 2, failed: 1, skipped: 1 })
    expect(made).toBe(4)
    expect(started).toEqual(['self.a', 'self.a [v6]', 'self.b', 'self.c'])
    expect(reported.map((r) => r.status)).toEqual(['pass', 'pass', 'fail', 'skip'])
    expect(reported[2]?.reason).toBe('b broke')
    expect(reported[3]?.reason).toContain('unixDgram')
  })
})
