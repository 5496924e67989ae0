import { CAPABILITIES } from '@polysocket/core'
import { describe, expect, it } from 'vitest'
import { contractCases } from '../src/cases/contract/index.js'
import { allCases } from '../src/cases/index.js'
import { interopCases } from '../src/cases/interop/index.js'

describe('the case list', () => {
  it('has unique ids', () => {
    const ids = allCases.map((c) => c.id)
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([])
  })

  it('names contract cases by area and interop cases interop.*', () => {
    for (const c of contractCases) expect(c.id).toMatch(/^(tcp|udp|unix|options|lifecycle)\.[a-z0-9_.-]+$/i)
    for (const c of interopCases) expect(c.id).toMatch(/^interop\.[a-z0-9_.]+$/)
  })

  it('gives every case a title and only known capabilities', () => {
    for (const c of [...contractCases, ...interopCases]) {
      expect(c.title.length, c.id).toBeGreaterThan(10)
      for (const need of c.needs) expect(CAPABILITIES, `${c.id} needs ${need}`).toContain(need)
    }
  })

  it('runs the IP cases twice: well over 60 runs in all', () => {
    const runs = [...contractCases, ...interopCases].reduce((n, c) => n + (c.ip ? 2 : 1), 0)
    expect(runs).toBeGreaterThanOrEqual(60)
  })
})
