import { type SocketAddress, SocketError } from '@polysocket/core'
import { describe, expect, it } from 'vitest'
import { decodeSockaddr, encodeSockaddr, readIPv6, writeIPv6 } from '../src/sockaddr.js'

const roundTrip = (a: SocketAddress): SocketAddress => {
  const view = Buffer.alloc(160, 0xee)
  const len = encodeSockaddr(a, view, 16)
  return decodeSockaddr(view, 16, len)
}

describe('sockaddr encoding (Linux layouts)', () => {
  it('sockaddr_in: family 2 little-endian, port and address in network order, zeroed tail', () => {
    const view = Buffer.alloc(16, 0xff)
    expect(encodeSockaddr({ family: 'inet', address: '127.0.0.1', port: 0x1234 }, view, 0)).toBe(16)
    expect(view.toString('hex')).toBe('020012347f0000010000000000000000')
  })

  it('sockaddr_in6: 28 bytes, flowinfo in network order, scope id in host order', () => {
    const view = Buffer.alloc(28, 0xff)
    const len = encodeSockaddr({ family: 'inet6', address: '::1', port: 80, flowinfo: 1, scopeId: 3 }, view, 0)
    expect(len).toBe(28)
    expect(view.toString('hex')).toBe(`0a000050${'00000001'}${'00'.repeat(15)}01${'03000000'}`)
  })

  it('sockaddr_un: a path counts its NUL; an abstract name counts exactly; unnamed is the family only', () => {
    const view = Buffer.alloc(110, 0xff)
    expect(encodeSockaddr({ family: 'unix', path: '/tmp/s' }, view, 0)).toBe(2 + 6 + 1)
    expect(view.subarray(0, 10).toString('hex')).toBe('01002f746d702f730000')
    expect(view.subarray(10).every((b) => b === 0)).toBe(true)
    expect(encodeSockaddr({ family: 'unix', path: '\0abc' }, view, 0)).toBe(2 + 4)
    expect(encodeSockaddr({ family: 'unix', path: '' }, view, 0)).toBe(2)
  })

  it('round-trips every family', () => {
    const cases: SocketAddress[] = [
      { family: 'inet', address: '198.51.100.3', port: 65535 },
      { family: 'inet6', address: 'fe80::1', port: 1, flowinfo: 0, scopeId: 2 },
      { family: 'inet6', address: '::ffff:127.0.0.1', port: 9, flowinfo: 0, scopeId: 0 },
      { family: 'unix', path: '/tmp/x.sock' },
      { family: 'unix', path: '\0name with\0nul' },
      { family: 'unix', path: '' },
    ]
    for (const a of cases) expect(roundTrip(a)).toEqual(a)
  })

  it('a path longer than sun_path is ENAMETOOLONG, and nothing is written', () => {
    const view = Buffer.alloc(200, 0xab)
    const long = `/${'x'.repeat(107)}`
    expect(() => encodeSockaddr({ family: 'unix', path: long }, view, 0)).toThrow(SocketError)
    try {
      encodeSockaddr({ family: 'unix', path: long }, view, 0)
    } catch (e) {
      expect((e as SocketError).code).toBe('ENAMETOOLONG')
    }
    expect(view.every((b) => b === 0xab)).toBe(true)
    // 108 bytes fit as an abstract name (no terminator), 107 as a path.
    expect(encodeSockaddr({ family: 'unix', path: `\0${'x'.repeat(107)}` }, view, 0)).toBe(110)
    expect(encodeSockaddr({ family: 'unix', path: `/${'x'.repeat(106)}` }, view, 0)).toBe(110)
  })

  it('decodes what the kernel returns for unnamed and short names', () => {
    expect(decodeSockaddr(Buffer.from([1, 0]), 0, 2)).toEqual({ family: 'unix', path: '' })
    expect(decodeSockaddr(Buffer.alloc(0), 0, 0)).toEqual({ family: 'unix', path: '' })
    expect(() => decodeSockaddr(Buffer.from([17, 0, 0, 0]), 0, 4)).toThrow(SocketError)
  })
})

describe('IPv6 text', () => {
  const norm = (text: string): string => {
    const b = Buffer.alloc(16)
    writeIPv6(text, b, 0)
    return readIPv6(b, 0)
  }
  it('formats as inet_ntop does', () => {
    expect(norm('0:0:0:0:0:0:0:1')).toBe('::1')
    expect(norm('::')).toBe('::')
    expect(norm('2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1')
    expect(norm('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1')
    expect(norm('::ffff:1.2.3.4')).toBe('::ffff:1.2.3.4')
    expect(norm('1::')).toBe('1::')
  })
  it('rejects malformed text with RangeError', () => {
    for (const bad of ['1:2:3', ':::', '1::2::3', 'g::1', '1:2:3:4:5:6:7:8:9', '::1.2.3']) {
      expect(() => writeIPv6(bad, Buffer.alloc(16), 0), bad).toThrow(RangeError)
    }
  })
})
