import { describe, expect, it } from 'vitest'
import { arg, toInteger, toNumber, toUnsigned } from '../../src/facades/ucode/args.js'
import { UcodeFailure } from '../../src/facades/ucode/error-slot.js'
import { decodeTcpInfo } from '../../src/facades/ucode/option-values.js'
import { findUcodeOption, UCODE_OPTIONS } from '../../src/facades/ucode/sockopt-table.js'
import { ucodeToString } from '../../src/facades/ucode/tostring.js'

describe('ucodeToString (what send() sends for non-string data)', () => {
  it.each([
    [12345, '12345'],
    [false, 'false'],
    [true, 'true'],
    [null, 'null'],
    [1.5, '1.5'],
    [[1, 'a'], '[ 1, "a" ]'],
    [{ k: true }, '{ "k": true }'],
    [[], '[ ]'],
    [{}, '{ }'],
    [{ a: [1, { b: null }] }, '{ "a": [ 1, { "b": null } ] }'],
    ['as is', 'as is'],
  ])('%j → %s', (value, text) => {
    expect(ucodeToString(value)).toBe(text)
  })

  it('does not loop on a cycle', () => {
    const a: unknown[] = [1]
    a.push(a)
    expect(ucodeToString(a)).toBe('[ 1, [ ... ] ]')
  })
})

describe('argument checks', () => {
  const message = (fn: () => unknown) => {
    try {
      fn()
    } catch (error) {
      if (error instanceof UcodeFailure) return `${error.context}/${error.code}`
    }
    return 'no failure'
  }

  it('treats null and undefined as absent', () => {
    expect(arg(null, 'x', 'integer')).toBeUndefined()
    expect(arg(undefined, 'x', 'string')).toBeUndefined()
    expect(message(() => arg(null, 'value', 'any', true))).toBe('Argument value is required/22')
  })

  it('accepts only whole numbers as integers', () => {
    expect(arg(5, 'n', 'integer')).toBe(5)
    expect(message(() => arg(1.5, 'n', 'integer'))).toBe('Argument n is not an integer value/22')
    expect(message(() => arg('5', 'n', 'integer'))).toBe('Argument n is not an integer value/22')
    expect(message(() => arg(Number.NaN, 'n', 'integer'))).toBe('Argument n is not an integer value/22')
  })

  it('knows objects from arrays', () => {
    expect(message(() => arg([], 'address', 'object'))).toBe('Argument address is not an object/22')
    expect(message(() => arg({}, 'l', 'array'))).toBe('Argument l is not an array/22')
    expect(message(() => arg(1, 'b', 'boolean'))).toBe('Argument b is not a boolean value/22')
  })
})

describe('number coercion', () => {
  it('follows ucode: null 0, booleans 0/1, numeric strings parsed', () => {
    expect(toNumber(null)).toBe(0)
    expect(toNumber(true)).toBe(1)
    expect(toNumber('12')).toBe(12)
    expect(toNumber(' 0x10 ')).toBe(16)
    expect(toNumber('2.5')).toBe(2.5)
    expect(toNumber('yes')).toBeUndefined()
    expect(toNumber({})).toBeUndefined()
    expect(toInteger(2.9)).toEqual({ ok: true, value: 2 })
    expect(toUnsigned(-1)).toEqual({ ok: false, errno: 34 })
    expect(toUnsigned('x')).toEqual({ ok: false, errno: 22 })
  })
})

describe('ucode option table', () => {
  it('looks options up by numbers and knows their kinds', () => {
    expect(findUcodeOption(1, 2)).toMatchObject({ name: 'SO_REUSEADDR', kind: 'bool' })
    expect(findUcodeOption(1, 13)).toMatchObject({ name: 'SO_LINGER', kind: 'linger' })
    expect(findUcodeOption(1, 20)).toMatchObject({ name: 'SO_RCVTIMEO', kind: 'timeval' })
    expect(findUcodeOption(1, 4)).toMatchObject({ name: 'SO_ERROR', kind: 'int-ro' })
    expect(findUcodeOption(6, 11)).toMatchObject({ name: 'TCP_INFO', kind: 'tcp-info' })
    expect(findUcodeOption(41, 17)).toMatchObject({ name: 'IPV6_MULTICAST_IF', kind: 'ifname' })
    expect(findUcodeOption(1, 9999)).toBeUndefined()
    expect(findUcodeOption(6, 2 ** 20)).toBeUndefined()
    expect(new Set(UCODE_OPTIONS.map((o) => `${o.level}/${o.option}`)).size).toBe(UCODE_OPTIONS.length)
  })

  it('decodes struct tcp_info into ucode field names', () => {
    const b = Buffer.alloc(104)
    b[0] = 1
    b[6] = 0x7a
    b.writeUInt32LE(200000, 8)
    b.writeUInt32LE(9, 8 + 23 * 4)
    const info = decodeTcpInfo(b)
    expect(info).toMatchObject({ state: 1, snd_wscale: 10, rcv_wscale: 7, rto: 200000, total_retrans: 9 })
    expect(Object.keys(info)).toHaveLength(32)
    expect(decodeTcpInfo(Buffer.alloc(0)).rtt).toBe(0)
  })
})
