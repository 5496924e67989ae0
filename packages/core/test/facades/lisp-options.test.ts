import { describe, expect, it } from 'vitest'
import { LispFault } from '../../src/facades/lisp/faults.js'
import { fromOptionValue, resolveOption, toOptionValue } from '../../src/facades/lisp/options.js'

describe('lisp setsockopt / getsockopt arguments', () => {
  it('takes nil for SOL_SOCKET and option keywords in any case', () => {
    expect(resolveOption(null, 'SO_RCVTIMEO')).toMatchObject({ level: 'SOL_SOCKET', name: 'SO_RCVTIMEO' })
    expect(resolveOption(undefined, "'so_reuseaddr")).toMatchObject({ level: 'SOL_SOCKET', name: 'SO_REUSEADDR' })
  })

  it('takes the level as a number, a level name or a protocol name', () => {
    expect(resolveOption(6, 'TCP_NODELAY')).toMatchObject({ level: 'IPPROTO_TCP', name: 'TCP_NODELAY' })
    expect(resolveOption('tcp', 'TCP_NODELAY')).toMatchObject({ level: 'IPPROTO_TCP' })
    expect(resolveOption('SOL_TCP', 'TCP_NODELAY')).toMatchObject({ level: 'IPPROTO_TCP' })
    expect(resolveOption('IPPROTO_IP', 'IP_TTL')).toMatchObject({ level: 'IPPROTO_IP', name: 'IP_TTL' })
    expect(resolveOption(1, 20)).toMatchObject({ level: 'SOL_SOCKET', name: 'SO_RCVTIMEO' })
  })

  it('passes an untyped numeric pair through and refuses an unknown name with ENOPROTOOPT', () => {
    expect(resolveOption(1, 999)).toEqual({ level: 1, name: 999, spec: undefined })
    // The document's own example misspells SO_RCVTIMEO and gets nil.
    expect(() => resolveOption(null, 'SO_RVCTIMEO')).toThrow(LispFault)
    try {
      resolveOption(null, 'SO_RVCTIMEO')
    } catch (error) {
      expect((error as LispFault).code).toBe('ENOPROTOOPT')
      expect((error as LispFault).message).toMatch(/^Protocol not available/)
    }
    expect(() => resolveOption('nolevel', 'SO_DEBUG')).toThrow(LispFault)
    expect(() => resolveOption({}, 'SO_DEBUG')).toThrow(LispFault)
    expect(() => resolveOption(null, 7.5)).toThrow(LispFault)
  })

  it('turns Lisp values into the option kinds', () => {
    const rcv = resolveOption(null, 'SO_RCVTIMEO')
    expect(toOptionValue(rcv, 10000)).toBe(10000)
    expect(toOptionValue(rcv, 2.5)).toBe(2.5)
    expect(toOptionValue(rcv, null)).toBe(0)
    expect(() => toOptionValue(rcv, -1)).toThrow(LispFault)
    expect(() => toOptionValue(rcv, 'soon')).toThrow(LispFault)
    const reuse = resolveOption(null, 'SO_REUSEADDR')
    expect(toOptionValue(reuse, true)).toBe(true)
    expect(toOptionValue(reuse, null)).toBe(false)
    expect(toOptionValue(reuse, 1)).toBe(true)
    expect(toOptionValue(reuse, 0)).toBe(false)
    const linger = resolveOption(null, 'SO_LINGER')
    expect(toOptionValue(linger, [1, 5])).toEqual({ onoff: true, linger: 5 })
    expect(toOptionValue(linger, [true, 0])).toEqual({ onoff: true, linger: 0 })
    expect(toOptionValue(linger, null)).toEqual({ onoff: false, linger: 0 })
    expect(() => toOptionValue(linger, [1])).toThrow(LispFault)
    const join = resolveOption('ip', 'IP_ADD_MEMBERSHIP')
    expect(toOptionValue(join, ['224.0.0.251', '0.0.0.0'])).toEqual({ multiaddr: '224.0.0.251', address: '0.0.0.0' })
    expect(toOptionValue(join, ['224.0.0.251', 2])).toEqual({ multiaddr: '224.0.0.251', ifindex: 2 })
    const rcvbuf = resolveOption(null, 'SO_RCVBUF')
    expect(toOptionValue(rcvbuf, 65536)).toBe(65536)
    expect(() => toOptionValue(rcvbuf, 1.5)).toThrow(LispFault)
  })

  it('turns option values into Lisp values: t/nil, integers, lists for structs', () => {
    expect(fromOptionValue(true)).toBe(true)
    expect(fromOptionValue(false)).toBe(null)
    expect(fromOptionValue(42)).toBe(42)
    expect(fromOptionValue({ onoff: true, linger: 3 })).toEqual([1, 3])
    expect(fromOptionValue({ pid: 1, uid: 2, gid: 3 })).toEqual([1, 2, 3])
    expect(fromOptionValue({ multiaddr: 'ff02::1', ifindex: 1 })).toEqual(['ff02::1', 1])
    expect(fromOptionValue('cubic')).toBe('cubic')
  })
})
