import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseUcodeAddress, toUcodeAddress } from '../../src/facades/ucode/address.js'
import { UcodeFailure } from '../../src/facades/ucode/error-slot.js'

/** The failure text and number parseUcodeAddress gives for `input`. */
function failure(input: unknown): [string, number] {
  try {
    parseUcodeAddress(input)
  } catch (error) {
    if (error instanceof UcodeFailure) return [error.context, error.code]
    throw error
  }
  throw new Error(`no failure for ${JSON.stringify(input)}`)
}

const dict = (input: unknown) => toUcodeAddress(parseUcodeAddress(input))

describe('ucode address strings', () => {
  it.each([
    ['127.0.0.1:80', { family: 2, address: '127.0.0.1', port: 80 }],
    ['127.0.0.1', { family: 2, address: '127.0.0.1', port: 0 }],
    ['[::1]:8080', { family: 10, address: '::1', port: 8080, flowinfo: 0 }],
    ['[::1]', { family: 10, address: '::1', port: 0, flowinfo: 0 }],
    ['::1', { family: 10, address: '::1', port: 0, flowinfo: 0 }],
    ['::', { family: 10, address: '::', port: 0, flowinfo: 0 }],
    ['[::0001]:1', { family: 10, address: '::1', port: 1, flowinfo: 0 }],
    ['[::1]trailing', { family: 10, address: '::1', port: 0, flowinfo: 0 }],
    ['0.0.0.0:65535', { family: 2, address: '0.0.0.0', port: 65535 }],
    ['/tmp/x.sock', { family: 1, path: '/tmp/x.sock' }],
    ['rel/x.sock', { family: 1, path: 'rel/x.sock' }],
    ['./x', { family: 1, path: './x' }],
  ])('%s', (input, expected) => {
    expect(dict(input)).toEqual(expected)
  })

  it('gives a numeric scope id as the interface index when no interface has it', () => {
    expect(dict('[fe80::1%4000000]:5')).toEqual({
      family: 10,
      address: 'fe80::1',
      port: 5,
      flowinfo: 0,
      interface: 4000000,
    })
  })

  it.skipIf(!existsSync('/sys/class/net/lo'))('resolves a scope name and reports the name back', () => {
    const expected = { family: 10, address: 'fe80::1', port: 5, flowinfo: 0, interface: 'lo' }
    expect(dict('[fe80::1%lo]:5')).toEqual(expected)
    expect(dict({ family: 10, address: 'fe80::1', port: 5, interface: 'lo' })).toEqual(expected)
    expect(parseUcodeAddress('fe80::1%lo')).toMatchObject({ family: 'inet6', scopeId: 1 })
  })

  it('truncates a Unix path to what sun_path holds', () => {
    const long = `/${'a'.repeat(200)}`
    const out = dict(long)
    expect(out.path).toBe(long.slice(0, 107))
  })

  it.each([
    ['', 'Invalid IP address'],
    ['localhost', 'Unable to parse IP address'],
    ['1.2.3', 'Unable to parse IP address'],
    ['::1:80x', 'Unable to parse IP address'],
    ['[::1', 'Invalid IPv6 address'],
    ['[1.2.3.4]:80', 'Unable to parse IP address'],
    ['::1:80:', 'Unable to parse IP address'],
    ['1.2.3.4:', 'Invalid port number'],
    ['1.2.3.4:80x', 'Invalid port number'],
    ['1.2.3.4: 80', 'Invalid port number'],
    ['1.2.3.4:65536', 'Invalid port number'],
    ['[::1]:', 'Invalid port number'],
    ['::1%no-such-if0', 'Unable to resolve interface no-such-if0'],
    ['nothex::1%1', 'Invalid IPv6 address'],
    ['::ffff:1.2.3.4:80', 'Unable to parse IP address'],
  ])('%j fails with %s', (input, text) => {
    expect(failure(input)[0]).toBe(text)
  })

  it('reports an unknown interface with ENODEV and bad text with EINVAL', () => {
    expect(failure('fe80::1%no-such-if0')).toEqual(['Unable to resolve interface no-such-if0', 19])
    expect(failure('nonsense')).toEqual(['Unable to parse IP address', 22])
  })
})

describe('ucode address arrays (iptoarr)', () => {
  it('reads 4 bytes as IPv4 and 16 as IPv6, port 0', () => {
    expect(dict([127, 0, 0, 1])).toEqual({ family: 2, address: '127.0.0.1', port: 0 })
    expect(dict([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toEqual({
      family: 10,
      address: '::1',
      port: 0,
      flowinfo: 0,
    })
    expect(dict([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 198, 51, 100, 1]).address).toBe('::ffff:198.51.100.1')
  })

  it.each([[[1, 2, 3]], [[1, 2, 3, 256]], [[1, 2, 3, -1]], [[1, 2, 3, 1.5]], [[1, 2, 3, '4']], [[]]])(
    '%j is an invalid array',
    (input) => {
      expect(failure(input)).toEqual(['Invalid IP address array', 22])
    },
  )
})

describe('ucode address dictionaries', () => {
  it('infers the family from path and address', () => {
    expect(dict({})).toEqual({ family: 2, address: '0.0.0.0', port: 0 })
    expect(dict({ port: 5 })).toEqual({ family: 2, address: '0.0.0.0', port: 5 })
    expect(dict({ port: '7' })).toEqual({ family: 2, address: '0.0.0.0', port: 7 })
    expect(dict({ address: '::1', port: 9 })).toEqual({ family: 10, address: '::1', port: 9, flowinfo: 0 })
    expect(dict({ path: '/tmp/s' })).toEqual({ family: 1, path: '/tmp/s' })
    expect(dict({ family: 10 })).toEqual({ family: 10, address: '::', port: 0, flowinfo: 0 })
  })

  it('keeps flowinfo and a numeric interface on IPv6', () => {
    expect(dict({ family: 10, address: 'fe80::2', port: 1, flowinfo: 7, interface: 3999999 })).toEqual({
      family: 10,
      address: 'fe80::2',
      port: 1,
      flowinfo: 7,
      interface: 3999999,
    })
  })

  it('ignores an address that is not a string', () => {
    expect(dict({ address: 12, port: 1 })).toEqual({ family: 2, address: '0.0.0.0', port: 1 })
  })

  it.each([
    [{ port: 65536 }, 'Invalid port number'],
    [{ port: -1 }, 'Invalid port number'],
    [{ port: 'x' }, 'Invalid port number'],
    [{ family: 2, address: '::1' }, 'Unable to parse IP address'],
    [{ family: 1 }, 'Invalid path value'],
    [{ family: 1, path: '' }, 'Invalid path value'],
    [{ family: 1, path: 'x'.repeat(108) }, 'Invalid path value'],
    [{ family: 99 }, 'Invalid address value'],
    [{ family: 10, interface: 'no-such-if0' }, 'Unable to resolve interface no-such-if0'],
    [{ family: 10, interface: -1 }, 'Invalid scope ID'],
  ])('%j fails with %s', (input, text) => {
    expect(failure(input)[0]).toBe(text)
  })

  it('refuses AF_PACKET with EAFNOSUPPORT', () => {
    expect(failure({ family: 17, interface: 'lo' })[1]).toBe(97)
  })
})

describe('other address values', () => {
  it.each([[5], [true], [null], [undefined]])('%j is an invalid address value', (input) => {
    expect(failure(input)).toEqual(['Invalid address value', 22])
  })
})
