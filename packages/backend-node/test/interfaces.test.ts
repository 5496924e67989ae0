import { existsSync } from 'node:fs'
import { SocketError } from '@polysocket/core'
import { describe, expect, it } from 'vitest'
import { fromNode, needsScope, nodeHost } from '../src/address.js'
import { createBackend } from '../src/index.js'
import { interfaceIndex, interfaceName } from '../src/interfaces.js'

// The loopback interface is `lo`, index 1, in every Linux network namespace. The link-local
// addresses below are data only: the one socket call binds (no traffic), where the kernel's
// answer shows which scope it received.

const linux = process.platform === 'linux' && existsSync('/sys/class/net/lo/ifindex')
/** An index no interface has (Linux numbers interfaces from 1 upwards, one at a time). */
const NO_INTERFACE = 0x7ffffff0
const scoped = (address: string, scopeId: number) =>
  ({ family: 'inet6', address, port: 4242, flowinfo: 0, scopeId }) as const

function thrown(f: () => unknown): unknown {
  try {
    f()
  } catch (error) {
    return error
  }
  throw new Error('did not throw')
}

describe.skipIf(!linux)('interface index ↔ name (if_nametoindex(3), if_indextoname(3))', () => {
  it('maps lo to 1 and back, and unknown names and indexes to nothing', () => {
    expect(interfaceIndex('lo')).toBe(1)
    expect(interfaceName(1)).toBe('lo')
    expect(interfaceIndex('no-such-if0')).toBe(0)
    expect(interfaceIndex('')).toBe(0)
    expect(interfaceIndex('../lo')).toBe(0)
    expect(interfaceName(NO_INTERFACE)).toBeUndefined()
    expect(interfaceName(0)).toBeUndefined()
    expect(interfaceName(-1)).toBeUndefined()
  })

  it('answers the same in a later event-loop turn', async () => {
    expect(interfaceName(1)).toBe('lo')
    await new Promise((resolve) => setImmediate(resolve))
    expect(interfaceName(1)).toBe('lo')
    expect(interfaceIndex('lo')).toBe(1)
  })

  it('hands a scope id to Node as its interface name, since libuv reads the zone as a name', () => {
    expect(nodeHost(scoped('fe80::1', 1), 'connect')).toBe('fe80::1%lo')
    expect(nodeHost(scoped('ff02::1', 1), 'sendto')).toBe('ff02::1%lo')
    expect(nodeHost(scoped('fe80::1', 0), 'connect')).toBe('fe80::1')
    // Linux ignores the scope id of a global or loopback address; so does the host string.
    expect(nodeHost(scoped('2001:db8::1', 1), 'connect')).toBe('2001:db8::1')
    expect(nodeHost(scoped('::1', NO_INTERFACE), 'bind')).toBe('::1')
    expect(nodeHost({ family: 'inet', address: '127.0.0.1', port: 1 }, 'connect')).toBe('127.0.0.1')
  })

  it('fails for a scope id that names no interface, as Linux does (ENODEV to bind, ENETUNREACH to send)', () => {
    for (const [syscall, code] of [
      ['bind', 'ENODEV'],
      ['connect', 'ENETUNREACH'],
      ['sendto', 'ENETUNREACH'],
    ] as const) {
      const error = thrown(() => nodeHost(scoped('fe80::1', NO_INTERFACE), syscall))
      expect(error).toBeInstanceOf(SocketError)
      expect(error).toMatchObject({ code, syscall, address: 'fe80::1', port: 4242 })
      expect((error as SocketError).message).toContain(`index ${NO_INTERFACE}`)
    }
  })

  it('reads a zone Node reports back as the interface index', () => {
    expect(fromNode('AF_INET6', 'fe80::1%lo', 80)).toEqual({ ...scoped('fe80::1', 1), port: 80 })
    // libuv on Windows reports numbers.
    expect(fromNode('AF_INET6', 'fe80::1%7', 80)).toMatchObject({ address: 'fe80::1', scopeId: 7 })
    // An interface gone by now: the address stays, without a scope.
    expect(fromNode('AF_INET6', 'fe80::1%no-such-if0', 80)).toMatchObject({ address: 'fe80::1', scopeId: 0 })
    expect(fromNode('AF_INET6', '::1', 80)).toMatchObject({ address: '::1', scopeId: 0 })
  })

  it('tells which addresses take a scope id', () => {
    for (const a of ['fe80::1', 'FE80::1', 'febf::1', 'ff02::1', 'ff12::5c:1', 'ff01::1'])
      expect(needsScope(a)).toBe(true)
    for (const a of ['::1', '::', '2001:db8::1', 'fec0::1', 'ff05::1', 'ff0e::1', '::ffff:127.0.0.1']) {
      expect(needsScope(a)).toBe(false)
    }
  })

  it('lookup and nameinfo read and write zones as glibc does', async () => {
    const backend = createBackend()
    const found = async (host: string) =>
      (await backend.lookup(host, 80, { type: 'SOCK_STREAM', flags: ['AI_NUMERICHOST'] }))[0]?.address
    expect(await found('fe80::1%lo')).toEqual({ ...scoped('fe80::1', 1), port: 80 })
    expect(await found('fe80::1%1')).toMatchObject({ scopeId: 1 })
    await expect(found('fe80::1%no-such-if0')).rejects.toMatchObject({ code: 'EAI_NONAME' })
    await expect(found('::1%lo')).rejects.toMatchObject({ code: 'EAI_NONAME' })
    const numeric = ['NI_NUMERICHOST', 'NI_NUMERICSERV'] as const
    expect((await backend.nameinfo(scoped('fe80::1', 1), numeric)).host).toBe('fe80::1%lo')
    expect((await backend.nameinfo(scoped('fe80::1', NO_INTERFACE), numeric)).host).toBe(`fe80::1%${NO_INTERFACE}`)
    expect((await backend.nameinfo(scoped('::1', 1), numeric)).host).toBe('::1%1')
  })

  it('reaches the kernel: binding fe80::1 with lo as scope is EADDRNOTAVAIL, not EINVAL (no scope)', async () => {
    const backend = createBackend()
    for (const type of ['SOCK_STREAM', 'SOCK_DGRAM'] as const) {
      for (const [scopeId, code] of [
        [0, 'EINVAL'],
        [1, 'EADDRNOTAVAIL'],
        [NO_INTERFACE, 'ENODEV'],
      ] as const) {
        const s = await backend.socket('AF_INET6', type)
        try {
          await expect(
            s.bind({ ...scoped('fe80::1', scopeId), port: 0 }),
            `${type} scope ${scopeId}`,
          ).rejects.toMatchObject({ code, syscall: 'bind' })
        } finally {
          await s.close()
        }
      }
    }
  })
})
