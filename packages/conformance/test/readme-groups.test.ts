import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GROUP_NOTES, groupCounts, groupsTable, README_PATH, withGroupsTable } from '../scripts/readme-groups.js'
import type { Case } from '../src/case.js'
import { allCases } from '../src/cases/index.js'

describe('the README table of groups', () => {
  it('is what scripts/readme-groups.ts makes from the cases (run it after adding cases)', () => {
    const readme = readFileSync(README_PATH, 'utf8')
    expect(withGroupsTable(readme, groupsTable(allCases))).toBe(readme)
  })

  it('lists every group of the suite, each with a description', () => {
    const groups = groupCounts(allCases).map((g) => g.group)
    expect(groups.length).toBeGreaterThanOrEqual(12)
    expect(Object.keys(GROUP_NOTES).sort()).toEqual([...groups].sort())
  })

  it('counts cases and runs per group, an IP case twice', () => {
    const c = (id: string, ip = false): Case => ({ id, title: id, needs: [], ip, run: async () => {} })
    expect(groupCounts([c('tcp.a', true), c('tcp.b'), c('udp.a', true)])).toEqual([
      { group: 'tcp', cases: 2, runs: 3 },
      { group: 'udp', cases: 1, runs: 2 },
    ])
    expect(() => groupsTable([c('nosuchgroup.a')])).toThrow(/nosuchgroup has no entry/)
  })
})
