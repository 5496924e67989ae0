import { readdirSync } from 'node:fs'
import { isSocketError, type Socket, SocketError } from '@polysocket/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend } from '../src/index.js'

const backend = createBackend()
const open: Socket[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})
const track = <T extends Socket>(s: T): T => {
  open.push(s)
  return s
}
async function code(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    if (isSocketError(e)) return e.code
    if (e instanceof TypeError || e instanceof RangeError) return e.name
    throw e
  }
  return 'no error'
}

describe('bad input gives errors, never crashes or leaks', () => {
  it('kernel refusals come back as SocketErrors with errno names', async () => {
    expect(await code(backend.socket('AF_INET', 'SOCK_SEQPACKET'))).toMatch(/^E(PROTO|SOCKT)NOSUPPORT$/)
    expect(await code(backend.socketpair('AF_INET' as 'AF_UNIX', 'SOCK_STREAM'))).toMatch(/^E(OPNOTSUPP|AFNOSUPPORT)$/)
    const [a] = await backend.socketpair('AF_UNIX', 'SOCK_DGRAM').then((p) => p.map(track))
    expect(await code((a as Socket).sendmsg(['x'], { control: [{ type: 'SCM_RIGHTS', fds: [999_999] }] }))).toBe(
      'EBADF',
    )
    const big = { type: 'raw' as const, level: 1, messageType: 1, data: new Uint8Array(100_000) }
    expect(await code((a as Socket).sendmsg(['x'], { control: [big] }))).toMatch(/^E/)
    const tcp = track(await backend.socket('AF_INET', 'SOCK_STREAM'))
    expect(await code(tcp.send('x'))).toMatch(/^E(PIPE|NOTCONN)$/)
    expect(await code(tcp.recv(10))).toBe('ENOTCONN')
    expect(await code(() => tcp.remoteAddress())).toBe('ENOTCONN')
    expect(await code(() => tcp.getOption(1, 9999))).toBe('ENOPROTOOPT')
    expect(await code(() => tcp.setOption(1, 9999, Buffer.alloc(4)))).toBe('ENOPROTOOPT')
    expect(await code(() => tcp.setOption('SOL_SOCKET', 'SO_BINDTODEVICE', 'no-such-if0'))).toMatch(/^E(NODEV|PERM)$/)
    expect(await code(tcp.bind({ family: 'inet', address: '192.0.2.1', port: 0 }))).toBe('EADDRNOTAVAIL')
    expect(await code(() => tcp.peerCredentials())).toBe('ENOPROTOOPT')
  })

  it('adopt refuses what is not an open socket, and keeps the caller owner', async () => {
    expect(await code(backend.adopt(-1))).toBe('RangeError')
    expect(await code(backend.adopt(1.5))).toBe('RangeError')
    expect(await code(backend.adopt(999_999))).toBe('EBADF')
  })

  it('resolution errors are EAI_* codes', async () => {
    expect(await code(backend.lookup('no-such-host.invalid', null))).toMatch(/^EAI_(NONAME|AGAIN|FAIL|NODATA)$/)
    expect(await code(backend.lookup('127.0.0.1', 'no-such-service-xyz'))).toBe('EAI_SERVICE')
    // glibc names AF_UNIX addresses itself; other C libraries answer EAI_FAMILY.
    const unix = await backend.nameinfo({ family: 'unix', path: '/tmp/x' }).catch((e: SocketError) => e.code)
    expect(unix === 'EAI_FAMILY' || typeof unix === 'object').toBe(true)
    expect(await code(backend.lookup('a\0b', null))).toBe('TypeError')
    const r = await backend.lookup('::1', 80, { flags: ['AI_NUMERICHOST'], type: 'SOCK_STREAM' })
    expect(r[0]?.address).toEqual({ family: 'inet6', address: '::1', port: 80, flowinfo: 0, scopeId: 0 })
    expect(
      await backend.nameinfo({ family: 'inet', address: '127.0.0.1', port: 80 }, ['NI_NUMERICHOST', 'NI_NUMERICSERV']),
    ).toEqual({
      host: '127.0.0.1',
      service: '80',
    })
  })

  it('a pending wait and a close race without leaking', async () => {
    // One wait first: the reactor's epoll fd is created on the first wait and stays open.
    const [x, y] = await backend.socketpair('AF_UNIX', 'SOCK_STREAM')
    const first = y.recv(1)
    await x.send('w')
    await first
    await x.close()
    await y.close()
    const before = readdirSync('/proc/self/fd').length
    for (let i = 0; i < 200; i++) {
      const [a, b] = await backend.socketpair('AF_UNIX', 'SOCK_STREAM')
      const waits = [a.recv(1), a.recv(1), b.send(Buffer.alloc(1 << 20))].map((p) => p.catch((e: unknown) => e))
      await (i % 2 ? a.close() : b.close())
      await a.close()
      await b.close()
      for (const r of await Promise.all(waits)) {
        if (r instanceof Error) expect(r).toBeInstanceOf(SocketError)
      }
    }
    expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(before + 1)
  })
})
