import { describe, expect, it } from 'vitest'
import { CAPABILITIES, checkOptionValue, defineCapabilities, findOption, OPTION_SPECS } from '../src/index.js'

describe('options table', () => {
  it('finds an option by names, by numbers and by SOL_* aliases', () => {
    const byName = findOption('SOL_SOCKET', 'SO_REUSEADDR')
    expect(byName).toMatchObject({ levelNumber: 1, nameNumber: 2, kind: 'bool' })
    expect(findOption(1, 2)).toBe(byName)
    expect(findOption('SOL_TCP', 'TCP_NODELAY')).toBe(findOption('IPPROTO_TCP', 'TCP_NODELAY'))
    expect(findOption('IPPROTO_TCP', 1)?.name).toBe('TCP_NODELAY')
    expect(findOption(1, 9999)).toBeUndefined()
    expect(findOption('SOL_SOCKET', 'SO_NOPE')).toBeUndefined()
  })

  it('has no two options with the same numbers', () => {
    const keys = OPTION_SPECS.map((s) => `${s.levelNumber}/${s.nameNumber}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('checks values by kind', () => {
    const spec = (name: string) => OPTION_SPECS.find((s) => s.name === name)
    expect(checkOptionValue(spec('SO_KEEPALIVE'), 1)).toBe(true)
    expect(checkOptionValue(spec('SO_LINGER'), { onoff: true, linger: 0 })).toEqual({ onoff: true, linger: 0 })
    expect(checkOptionValue(spec('SO_RCVTIMEO'), 1.5)).toBe(1.5)
    expect(() => checkOptionValue(spec('SO_KEEPALIVE'), 'yes')).toThrow(TypeError)
    expect(() => checkOptionValue(spec('SO_RCVBUF'), 1.5)).toThrow(RangeError)
    expect(() => checkOptionValue(spec('SO_RCVTIMEO'), -1)).toThrow(RangeError)
    expect(() => checkOptionValue(spec('IP_ADD_MEMBERSHIP'), { multiaddr: '::1' })).toThrow(TypeError)
    expect(checkOptionValue(undefined, new Uint8Array([1, 0, 0, 0]))).toEqual(Buffer.from([1, 0, 0, 0]))
  })
})

describe('capabilities', () => {
  it('defaults every flag to false and freezes the manifest', () => {
    const m = defineCapabilities({ tcp: true })
    expect(Object.keys(m)).toEqual([...CAPABILITIES])
    expect(m.tcp).toBe(true)
    expect(m.unixDgram).toBe(false)
    expect(Object.isFrozen(m)).toBe(true)
  })

  it('rejects unknown names and non-booleans', () => {
    expect(() => defineCapabilities({ teleport: true } as never)).toThrow(TypeError)
    expect(() => defineCapabilities({ tcp: 1 } as never)).toThrow(TypeError)
  })
})
