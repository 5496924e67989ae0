import { describe, expect, it } from 'vitest'
import {
  BadArgument,
  checkCount,
  checkData,
  checkHost,
  checkIoctl,
  checkPort,
  checkTimeout,
  RECV_MAX_BYTES,
  socketTypeOf,
} from '../../src/facades/jmp/args.js'
import { statusOf } from '../../src/facades/jmp/index.js'

const bad = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(BadArgument)
    return statusOf(error)
  }
  throw new Error('no BadArgument')
}

/** The documents' one INVAL text, which every INVAL status carries. */
const INVAL =
  'INVAL: The socket is (or is not, depending on context) already bound to an address. or, ' +
  'Listen was not invoked prior to accept. or, Invalid host address. or, The socket has not been bound with Bind. '

/** What a BadArgument says, for code that calls the checks directly. */
const said = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('no BadArgument')
}

describe('jmp message arguments', () => {
  it('takes ports as numbers, numeric strings or service names', () => {
    expect(checkPort(80)).toBe(80)
    expect(checkPort(' 8080 ')).toBe(8080)
    expect(checkPort('http')).toBe('http')
    expect(checkPort(0)).toBe(0)
    for (const p of [-1, 65536, 1.5, Number.NaN, '', '99999', null, undefined, {}, true]) {
      expect(bad(() => checkPort(p))).toBe(INVAL)
      expect(said(() => checkPort(p))).toMatch(/^The port must be /)
    }
  })

  it('takes hosts as non-empty strings', () => {
    expect(checkHost(' localhost ')).toBe('localhost')
    for (const h of ['', '   ', 42, null, undefined, ['a']]) {
      expect(bad(() => checkHost(h))).toBe(INVAL)
      expect(said(() => checkHost(h))).toMatch(/^Invalid host address: /)
    }
  })

  it('drops fractions of counts and caps them', () => {
    expect(checkCount(10.9)).toBe(10)
    expect(checkCount(0)).toBe(0)
    expect(checkCount(1e12)).toBe(RECV_MAX_BYTES)
    for (const n of [-1, Number.NaN, '10', undefined]) expect(() => checkCount(n)).toThrow(BadArgument)
  })

  it('reads timeouts in seconds; absent or 0 is no limit', () => {
    expect(checkTimeout(undefined)).toBeUndefined()
    expect(checkTimeout(null)).toBeUndefined()
    expect(checkTimeout(0)).toBeUndefined()
    expect(checkTimeout(0.25)).toBe(250)
    expect(checkTimeout(0.0001)).toBe(1)
    expect(checkTimeout(60)).toBe(60_000)
    for (const t of [-1, Number.POSITIVE_INFINITY, Number.NaN, '5', 1e10]) {
      expect(() => checkTimeout(t)).toThrow(BadArgument)
    }
  })

  it('knows FIONBIO only, with numbers or booleans', () => {
    expect(checkIoctl('FIONBIO', 1)).toBe(true)
    expect(checkIoctl('fionbio', 0)).toBe(false)
    expect(checkIoctl('FIONBIO', true)).toBe(true)
    expect(bad(() => checkIoctl('FIONREAD', 1))).toBe(INVAL)
    expect(said(() => checkIoctl('FIONREAD', 1))).toMatch(/^The only ioctl request is "FIONBIO"/)
    expect(() => checkIoctl('FIONBIO', '1')).toThrow(BadArgument)
    expect(() => checkIoctl('FIONBIO', undefined)).toThrow(BadArgument)
  })

  it('sends strings decoded and bytes as they are', () => {
    expect(checkData('a~0a')).toEqual(Buffer.from('a\n'))
    const bytes = Uint8Array.of(1, 2, 3)
    expect(checkData(bytes)).toBe(bytes)
    expect(() => checkData(42)).toThrow(BadArgument)
  })

  it('knows STREAM and DGRAM in any case, STREAM by default', () => {
    expect(socketTypeOf(undefined)).toBe('SOCK_STREAM')
    expect(socketTypeOf('stream')).toBe('SOCK_STREAM')
    expect(socketTypeOf('Dgram')).toBe('SOCK_DGRAM')
    expect(socketTypeOf('RAW')).toBeUndefined()
    expect(socketTypeOf(5)).toBeUndefined()
  })
})
