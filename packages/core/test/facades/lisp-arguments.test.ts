import { describe, expect, it } from 'vitest'
import {
  parseFamily,
  parseFlags,
  parseKeywords,
  parsePort,
  parseProtocol,
  parseType,
} from '../../src/facades/lisp/arguments.js'
import { LispFault, messageOf } from '../../src/facades/lisp/faults.js'
import { SocketError } from '../../src/index.js'

/** The fault a call throws (the facade turns it into nil and `*lastsocketerror*`). */
function fault(fn: () => unknown): LispFault {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(LispFault)
    return error as LispFault
  }
  throw new Error('expected a fault')
}

describe('lisp constructor arguments', () => {
  it('reads the family symbols, quoted or not, in any case', () => {
    expect(parseFamily('inet')).toBe('AF_INET')
    expect(parseFamily("'INET6")).toBe('AF_INET6')
    expect(parseFamily('unix')).toBe('AF_UNIX')
    expect(parseFamily('local')).toBe('AF_UNIX')
    expect(parseFamily('AF_INET')).toBe('AF_INET')
  })

  it('refuses the documented families it does not implement with EAFNOSUPPORT', () => {
    for (const name of ['ipx', 'netlink', 'x25', 'ax25', 'atmpvc', 'appletalk', 'packet']) {
      const f = fault(() => parseFamily(name))
      expect(f.code).toBe('EAFNOSUPPORT')
      expect(messageOf(f)).toMatch(/^Address family not supported by protocol: family \w+ is not implemented/)
    }
    expect(fault(() => parseFamily('bogus')).code).toBe('EINVAL')
    expect(fault(() => parseFamily(2)).code).toBe('EINVAL')
    expect(fault(() => parseFamily(null)).code).toBe('EINVAL')
  })

  it('reads the types and refuses rdm and packet with ESOCKTNOSUPPORT', () => {
    expect(parseType('stream')).toBe('SOCK_STREAM')
    expect(parseType('dgram')).toBe('SOCK_DGRAM')
    expect(parseType('seqpacket')).toBe('SOCK_SEQPACKET')
    expect(parseType('raw')).toBe('SOCK_RAW')
    expect(fault(() => parseType('rdm')).code).toBe('ESOCKTNOSUPPORT')
    expect(messageOf(fault(() => parseType('rdm')))).toMatch(/^Socket type not supported: type rdm/)
    expect(fault(() => parseType('packet')).code).toBe('ESOCKTNOSUPPORT')
    expect(fault(() => parseType({})).code).toBe('EINVAL')
  })

  it('reads the protocol as a number, a numeric string or a name', () => {
    expect(parseProtocol(0)).toBe(0)
    expect(parseProtocol(null)).toBe(0)
    expect(parseProtocol(undefined)).toBe(0)
    expect(parseProtocol(6)).toBe(6)
    expect(parseProtocol('17')).toBe(17)
    expect(parseProtocol('tcp')).toBe(6)
    expect(parseProtocol('IPPROTO_UDP')).toBe(17)
    expect(fault(() => parseProtocol('nonesuch')).code).toBe('EPROTONOSUPPORT')
    expect(fault(() => parseProtocol(-1)).code).toBe('EINVAL')
    expect(fault(() => parseProtocol(1.5)).code).toBe('EINVAL')
  })

  it('reads a port as an integer, a numeric string or a service name; nil is 0', () => {
    expect(parsePort(80)).toBe(80)
    expect(parsePort('8080')).toBe(8080)
    expect(parsePort("'http")).toBe('http')
    expect(parsePort(null)).toBe(0)
    expect(parsePort(undefined)).toBe(0)
    expect(fault(() => parsePort(65536)).code).toBe('EINVAL')
    expect(fault(() => parsePort('')).code).toBe('EINVAL')
    expect(fault(() => parsePort([])).code).toBe('EINVAL')
  })
})

describe('lisp keyword pairs', () => {
  const allowed = ['length', 'flags']

  it('takes pairs, one object, or pairs followed by an object', () => {
    expect([...parseKeywords(['length', 10, "'FLAGS", 2], allowed)]).toEqual([
      ['length', 10],
      ['flags', 2],
    ])
    expect([...parseKeywords([{ length: 5 }], allowed)]).toEqual([['length', 5]])
    expect([...parseKeywords(['length', 1, { flags: 4 }], allowed)]).toEqual([
      ['length', 1],
      ['flags', 4],
    ])
    expect(parseKeywords([], allowed).size).toBe(0)
    expect(parseKeywords([{ length: undefined }], allowed).has('length')).toBe(false)
  })

  it('refuses an odd count, a non-symbol key and an unknown keyword', () => {
    expect(fault(() => parseKeywords(['length'], allowed)).code).toBe('EINVAL')
    expect(fault(() => parseKeywords([1, 2], allowed)).code).toBe('EINVAL')
    expect(fault(() => parseKeywords(['size', 2], allowed)).message).toMatch(/unknown keyword size/)
  })
})

describe('lisp recv/send flags', () => {
  it('turns Linux MSG_* bits into the contract names', () => {
    expect(parseFlags(0)).toEqual([])
    expect(parseFlags(null)).toEqual([])
    expect(parseFlags(0x2)).toEqual(['MSG_PEEK'])
    expect(parseFlags(0x40 | 0x1)).toEqual(['MSG_OOB', 'MSG_DONTWAIT'])
    // MSG_NOSIGNAL is what every backend does anyway.
    expect(parseFlags(0x4000)).toEqual([])
  })

  it('takes names and lists of names', () => {
    expect(parseFlags('MSG_PEEK')).toEqual(['MSG_PEEK'])
    expect(parseFlags(['peek', "'dontwait"])).toEqual(['MSG_PEEK', 'MSG_DONTWAIT'])
  })

  it('refuses unknown bits and names', () => {
    expect(fault(() => parseFlags(0x200)).message).toMatch(/0x200/)
    expect(fault(() => parseFlags('MSG_BOGUS')).code).toBe('EINVAL')
    expect(fault(() => parseFlags(-1)).code).toBe('EINVAL')
  })
})

describe('lisp error messages', () => {
  it('gives the system message of a contract error, with the feature for not-supported', () => {
    expect(messageOf(new SocketError('ECONNREFUSED'))).toBe('Connection refused')
    expect(messageOf(new SocketError('EAGAIN'))).toBe('Resource temporarily unavailable')
    expect(messageOf(new SocketError('POLYSOCKET_NOT_SUPPORTED', { feature: 'unixSeqpacket' }))).toBe(
      'Operation not supported: unixSeqpacket',
    )
    expect(messageOf(new SocketError('EAI_NONAME'))).toBe('Name or service not known')
  })

  it('gives "Invalid argument" and the detail for TypeError and RangeError', () => {
    expect(messageOf(new TypeError('data must be a Uint8Array'))).toBe('Invalid argument: data must be a Uint8Array')
    expect(messageOf(new RangeError('port out of range'))).toBe('Invalid argument: port out of range')
  })
})
