import { describe, expect, it } from 'vitest'
import type { OptionValue } from '../../src/contract/options.js'
import type { Socket } from '../../src/contract/socket.js'
import { decodeAncillary, encodeAncillary } from '../../src/facades/ucode/cmsg.js'
import { UcodeFailure } from '../../src/facades/ucode/error-slot.js'
import { getUcodeOption, setUcodeOption } from '../../src/facades/ucode/option-values.js'

/**
 * Stands in for a contract socket's option calls only: it records what setOption receives
 * and answers getOption from a table. No kernel is imitated; the tests check the facade's
 * translation between ucode's shapes and the contract's.
 */
function optionRecorder(answers: Record<string, OptionValue> = {}) {
  const set: [string | number, string | number, OptionValue][] = []
  const got: [string | number, string | number, number | undefined][] = []
  const sock = {
    setOption: (level: string | number, name: string | number, value: OptionValue) => {
      set.push([level, name, value])
    },
    getOption: (level: string | number, name: string | number, rawLength?: number) => {
      got.push([level, name, rawLength])
      const answer = answers[`${level}/${name}`]
      if (answer === undefined) throw new Error(`no answer for ${level}/${name}`)
      return answer
    },
  } as unknown as Socket
  return { sock, set, got }
}

function failure(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof UcodeFailure) return `${error.context}/${error.code}`
    throw error
  }
  return 'no failure'
}

describe('setopt conversion', () => {
  it('gives typed options their contract shapes', () => {
    const { sock, set } = optionRecorder()
    setUcodeOption(sock, 1, 2, '1') // SO_REUSEADDR
    setUcodeOption(sock, 1, 20, { sec: 1, usec: 500000 }) // SO_RCVTIMEO
    setUcodeOption(sock, 1, 13, { onoff: 1, linger: 7 }) // SO_LINGER
    setUcodeOption(sock, 6, 1, 0) // TCP_NODELAY
    setUcodeOption(sock, 0, 35, { multiaddr: '239.1.1.1', address: '127.0.0.1' }) // IP_ADD_MEMBERSHIP
    setUcodeOption(sock, 1, 7, 2 ** 32 + 5) // SO_SNDBUF: a C int keeps the low 32 bits
    setUcodeOption(sock, 1, 13, 'not a dict') // all-zero struct
    expect(set).toEqual([
      [1, 2, true],
      [1, 20, { sec: 1, usec: 500000 }],
      [1, 13, { onoff: true, linger: 7 }],
      [6, 1, false],
      [0, 35, { multiaddr: '239.1.1.1', address: '127.0.0.1', ifindex: 0 }],
      [1, 7, 5],
      [1, 13, { onoff: false, linger: 0 }],
    ])
  })

  it('sends options the contract does not type as raw bytes', () => {
    const { sock, set } = optionRecorder()
    setUcodeOption(sock, 1, 42, 7) // SO_PEEK_OFF
    setUcodeOption(sock, 0, 49, true) // IP_MULTICAST_ALL
    setUcodeOption(sock, 0, 39, { multiaddr: '239.1.1.1', interface: '127.0.0.1', sourceaddr: '198.51.100.1' })
    expect(set.map(([l, n, v]) => [l, n, [...(v as Buffer)]])).toEqual([
      [1, 42, [7, 0, 0, 0]],
      [0, 49, [1, 0, 0, 0]],
      [0, 39, [239, 1, 1, 1, 127, 0, 0, 1, 198, 51, 100, 1]],
    ])
  })

  it('reports ucode conversion errors before any call', () => {
    const { sock, set } = optionRecorder()
    expect(failure(() => setUcodeOption(sock, 1, 9999, 1))).toBe('Unknown socket level or option/22')
    expect(failure(() => setUcodeOption(sock, 1, 4, 0))).toBe('Socket option is read only/95')
    expect(failure(() => setUcodeOption(sock, 1, 2, 'yes'))).toBe('Unable to convert value to boolean/22')
    expect(failure(() => setUcodeOption(sock, 1, 2, -3))).toBe('Unable to convert value to boolean/34')
    expect(failure(() => setUcodeOption(sock, 1, 7, {}))).toBe('Unable to convert value to integer/22')
    expect(failure(() => setUcodeOption(sock, 1, 13, { linger: 'x' }))).toBe(
      'Unable to convert field linger to integer/22',
    )
    expect(failure(() => setUcodeOption(sock, 0, 35, { multiaddr: 'x' }))).toBe(
      'Unable to convert field multiaddr to IP address/22',
    )
    expect(failure(() => setUcodeOption(sock, 41, 17, 'no-such-if0'))).toBe(
      'Unable to resolve interface no-such-if0/19',
    )
    expect(failure(() => setUcodeOption(sock, 1, 26, {}))).toBe(
      'setsockopt(): SO_ATTACH_FILTER is not supported by polysocket/95',
    )
    expect(set).toEqual([])
  })
})

describe('getopt conversion', () => {
  it('gives ucode shapes back', () => {
    const { sock } = optionRecorder({
      '1/2': true,
      '1/20': 1500.5,
      '1/13': { onoff: true, linger: 3 },
      '1/17': { pid: 10, uid: 4294967295, gid: 4294967295 },
      '1/42': Buffer.from([0xfe, 0xff, 0xff, 0xff]),
      '6/13': 'cubic',
      '0/32': '127.0.0.1',
    })
    expect(getUcodeOption(sock, 1, 2)).toBe(true)
    expect(getUcodeOption(sock, 1, 20)).toEqual({ sec: 1, usec: 500500 })
    expect(getUcodeOption(sock, 1, 13)).toEqual({ onoff: 1, linger: 3 })
    expect(getUcodeOption(sock, 1, 17)).toEqual({ pid: 10, uid: -1, gid: -1 })
    expect(getUcodeOption(sock, 1, 42)).toBe(-2)
    expect(getUcodeOption(sock, 6, 13)).toBe('cubic')
    expect(getUcodeOption(sock, 0, 32)).toEqual({ multiaddr: '0.0.0.0', address: '127.0.0.1', ifindex: 0 })
    expect(failure(() => getUcodeOption(sock, 1, 27))).toBe('Socket option is write only/95')
  })
})

describe('ancillary data', () => {
  it('encodes ucode control messages for the contract', () => {
    const fds = encodeAncillary(
      [
        { level: 1, type: 1, data: [3, 4] },
        { level: 1, type: 2, data: { pid: 1, uid: 2, gid: 3 } },
        { level: 0, type: 1, data: 16 },
        { level: 41, type: 54, data: 'xy' },
        'skipped: not a dict',
      ],
      (item) => item as number,
    )
    expect(fds).toEqual([
      { type: 'SCM_RIGHTS', fds: [3, 4] },
      { type: 'SCM_CREDENTIALS', pid: 1, uid: 2, gid: 3 },
      { type: 'raw', level: 0, messageType: 1, data: Buffer.from([16, 0, 0, 0]) },
      { type: 'raw', level: 41, messageType: 54, data: Buffer.from('xy') },
    ])
    expect(failure(() => encodeAncillary(5, () => 0))).toBe('Ancillary data must be string or array value/22')
  })

  it('reads a raw control buffer of cmsghdr records', () => {
    const record = Buffer.alloc(24)
    record.writeBigUInt64LE(24n, 0)
    record.writeInt32LE(1, 8)
    record.writeInt32LE(1, 12)
    record.writeInt32LE(7, 16)
    record.writeInt32LE(8, 20)
    expect(encodeAncillary(record, () => 0)).toEqual([{ type: 'SCM_RIGHTS', fds: [7, 8] }])
    const bad = Buffer.from(record)
    bad.writeBigUInt64LE(99n, 0)
    expect(failure(() => encodeAncillary(bad, () => 0))).toBe('Invalid ancillary data length/22')
  })

  it('decodes received control messages into ucode shapes', async () => {
    const out = await decodeAncillary(
      [
        { type: 'SCM_RIGHTS', fds: [5] },
        { type: 'SCM_CREDENTIALS', pid: 1, uid: 2, gid: 3 },
        { type: 'raw', level: 0, messageType: 2, data: Buffer.from([64, 0, 0, 0]) },
        { type: 'raw', level: 9, messageType: 9, data: Buffer.from('zz') },
      ],
      async (fd) => `handle ${fd}`,
    )
    expect(out).toEqual([
      { level: 1, type: 1, data: ['handle 5'] },
      { level: 1, type: 2, data: { pid: 1, uid: 2, gid: 3 } },
      { level: 0, type: 2, data: 64 },
      { level: 9, type: 9, data: Buffer.from('zz') },
    ])
  })
})
