import { describe, expect, it } from 'vitest'
import { checkAddress, formatAddress, parseAddress, UNIX_PATH_MAX } from '../src/index.js'

describe('parseAddress / formatAddress', () => {
  it.each([
    ['127.0.0.1:80', { family: 'inet', address: '127.0.0.1', port: 80 }],
    ['[::1]:8080', { family: 'inet6', address: '::1', port: 8080, flowinfo: 0, scopeId: 0 }],
    ['[fe80::1%3]:53', { family: 'inet6', address: 'fe80::1', port: 53, flowinfo: 0, scopeId: 3 }],
    ['/tmp/x.sock', { family: 'unix', path: '/tmp/x.sock' }],
    ['@name', { family: 'unix', path: '\0name' }],
  ])('round-trips %s', (text, address) => {
    expect(parseAddress(text)).toEqual(address)
    expect(formatAddress(parseAddress(text) as never)).toBe(text)
  })

  it.each(['127.0.0.1', '1.2.3:80', '[::1]', '[::1]:65536', '256.0.0.1:1', 'host:80', ''])('rejects %j', (text) => {
    expect(parseAddress(text)).toBeUndefined()
  })

  it('formats an unnamed Unix address', () => {
    expect(formatAddress({ family: 'unix', path: '' })).toBe('(unnamed)')
  })
})

describe('checkAddress', () => {
  it('fills IPv6 defaults', () => {
    expect(checkAddress({ family: 'inet6', address: '::1', port: 1 })).toEqual({
      family: 'inet6',
      address: '::1',
      port: 1,
      flowinfo: 0,
      scopeId: 0,
    })
  })

  it.each([
    [null, TypeError, /address must be a socket address object/],
    [{ family: 'ipx' }, TypeError, /family/],
    [{ family: 'inet', address: 1, port: 1 }, TypeError, /address\.address must be a string/],
    [{ family: 'inet', address: '127.0.0.1', port: '80' }, TypeError, /port must be a number/],
    [{ family: 'inet', address: '127.0.0.1', port: 70000 }, RangeError, /0–65535/],
    [{ family: 'inet', address: '127.0.0.1', port: Number.NaN }, RangeError, /0–65535/],
    [{ family: 'inet', address: '::1', port: 1 }, RangeError, /not an IPv4 address/],
    [{ family: 'inet6', address: '::1', port: 1, scopeId: -1 }, RangeError, /scopeId/],
    [{ family: 'unix', path: 'a'.repeat(UNIX_PATH_MAX) }, RangeError, /at most 107/],
    [{ family: 'unix', path: 'a\0b' }, RangeError, /NUL/],
  ])('rejects %j', (value, kind, message) => {
    expect(() => checkAddress(value)).toThrow(kind)
    expect(() => checkAddress(value)).toThrow(message)
  })

  it('lets an abstract name use every byte of sun_path', () => {
    const path = `\0${'a'.repeat(UNIX_PATH_MAX - 1)}`
    expect(checkAddress({ family: 'unix', path })).toEqual({ family: 'unix', path })
  })
})
