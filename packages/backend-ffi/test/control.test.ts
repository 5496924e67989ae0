import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { cmsgLen, cmsgSpace, decodeControl, encodeControl } from '../src/msg.js'
import { currentLayout } from '../src/platform-linux.js'

function python(code: string): string | undefined {
  try {
    return execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}

describe('cmsg layout', () => {
  it('CMSG_LEN and CMSG_SPACE agree with the C library (through python3)', (t) => {
    const out = python('import socket;print(*[f"{socket.CMSG_LEN(n)},{socket.CMSG_SPACE(n)}" for n in (0,4,12,20)])')
    if (out === undefined) t.skip()
    expect(out).toBe([0, 4, 12, 20].map((n) => `${cmsgLen(n)},${cmsgSpace(n)}`).join(' '))
  })

  it('struct sizes agree with ctypes (msghdr, iovec, sockaddr_un)', (t) => {
    const out = python(`
import ctypes
class iovec(ctypes.Structure): _fields_=[('b',ctypes.c_void_p),('l',ctypes.c_size_t)]
class msghdr(ctypes.Structure): _fields_=[('n',ctypes.c_void_p),('nl',ctypes.c_uint32),('iov',ctypes.c_void_p),('iovl',ctypes.c_size_t),('c',ctypes.c_void_p),('cl',ctypes.c_size_t),('f',ctypes.c_int)]
print(ctypes.sizeof(msghdr), msghdr.iov.offset, msghdr.iovl.offset, msghdr.c.offset, msghdr.cl.offset, msghdr.f.offset, ctypes.sizeof(iovec))`)
    if (out === undefined) t.skip()
    const m = currentLayout().msghdr
    expect(out).toBe(
      `${m.size} ${m.iov} ${m.iovlen} ${m.control} ${m.controllen} ${m.flags} ${currentLayout().iovec.size}`,
    )
  })

  it('encodes and decodes rights, credentials and raw messages', () => {
    const view = Buffer.alloc(256, 0xcc)
    const used = encodeControl(
      [
        { level: 1, type: 1, data: Buffer.from([3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0]) },
        { level: 1, type: 2, data: Buffer.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]) },
        { level: 41, type: 50, data: Buffer.from('abc') },
      ],
      view,
      8,
    )
    expect(used).toBe(cmsgSpace(12) * 2 + cmsgSpace(3))
    expect(decodeControl(view, 8, used)).toEqual([
      { type: 'SCM_RIGHTS', fds: [3, 4, 5] },
      { type: 'SCM_CREDENTIALS', pid: 1, uid: 2, gid: 3 },
      { type: 'raw', level: 41, messageType: 50, data: Buffer.from('abc') },
    ])
  })

  it('stops at a header that claims more than the buffer holds', () => {
    const view = Buffer.alloc(64)
    view.writeUInt32LE(1000, 0)
    expect(decodeControl(view, 0, 64)).toEqual([])
  })
})
