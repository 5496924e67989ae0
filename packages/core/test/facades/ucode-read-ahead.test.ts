import { describe, expect, it } from 'vitest'
import type { SocketAddress } from '../../src/contract/address.js'
import type { Backend } from '../../src/contract/backend.js'
import { defineCapabilities } from '../../src/contract/capabilities.js'
import type { RecvOptions, RecvResult, Socket } from '../../src/contract/socket.js'
import { createUcode } from '../../src/facades/ucode/index.js'

// poll() on a backend without MSG_PEEK reads ahead and keeps what it read for recv(). A queue
// in memory stands in for the contract socket here (no kernel is imitated): it lets the test
// check that nothing poll() read is lost, duplicated or reordered.

interface Queue {
  push(data: string, from?: SocketAddress): void
  readonly sock: Socket
}

function queueSocket(type: 'SOCK_STREAM' | 'SOCK_DGRAM'): Queue {
  const items: RecvResult[] = []
  const waiters: (() => void)[] = []
  const recv = async (maxBytes: number, options?: RecvOptions): Promise<RecvResult> => {
    for (;;) {
      const first = items[0]
      if (first) {
        if (type === 'SOCK_STREAM' && first.data.length > maxBytes) {
          items[0] = { ...first, data: first.data.subarray(maxBytes) }
          return { ...first, data: first.data.subarray(0, maxBytes) }
        }
        items.shift()
        return { ...first, data: first.data.subarray(0, maxBytes) }
      }
      await new Promise<void>((resolve, reject) => {
        waiters.push(resolve)
        options?.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true })
      })
    }
  }
  const sock = {
    family: 'AF_INET',
    type,
    protocol: 0,
    closed: false,
    nonBlocking: false,
    recv,
    close: async () => {},
    get fd(): number {
      throw new Error('no fd')
    },
  } as unknown as Socket
  return {
    sock,
    push(data, from) {
      items.push({ data: Buffer.from(data), truncated: false, ...(from ? { from } : {}) })
      for (const w of waiters.splice(0)) w()
    },
  }
}

function backendOf(queue: Queue): Backend {
  return {
    name: 'queue',
    supports: defineCapabilities({ tcp: true, udp: true }),
    socket: async () => queue.sock,
    socketpair: () => Promise.reject(new Error('unused')),
    lookup: () => Promise.reject(new Error('unused')),
    nameinfo: () => Promise.reject(new Error('unused')),
    adopt: () => Promise.reject(new Error('unused')),
  }
}

describe('poll() read-ahead without MSG_PEEK', () => {
  it('keeps stream bytes for recv(), in order, across partial reads', async () => {
    const queue = queueSocket('SOCK_STREAM')
    const socket = createUcode(backendOf(queue))
    const sock = await socket.create()
    expect(sock).not.toBeNull()
    if (!sock) return
    expect(await socket.poll(10, sock)).toEqual([[sock, 0]])
    const polling = socket.poll(-1, sock)
    queue.push('hello ')
    queue.push('world')
    expect(await polling).toEqual([[sock, socket.POLLIN]])
    expect(await socket.poll(0, sock)).toEqual([[sock, socket.POLLIN]])
    expect(String(await sock.recv(2, socket.MSG_PEEK))).toBe('he')
    expect(String(await sock.recv(2))).toBe('he')
    const parts: string[] = []
    for (let i = 0; i < 5 && parts.join('').length < 9; i++) parts.push(String(await sock.recv(100)))
    expect(parts.join('')).toBe('llo world')
  })

  it('keeps datagrams whole with their sender, and recvmsg() reads them too', async () => {
    const queue = queueSocket('SOCK_DGRAM')
    const socket = createUcode(backendOf(queue))
    const sock = await socket.create(socket.AF_INET, socket.SOCK_DGRAM)
    if (!sock) throw new Error(String(socket.error()))
    const from: SocketAddress = { family: 'inet', address: '127.0.0.1', port: 9 }
    const polling = socket.poll(-1, sock)
    queue.push('first', from)
    expect(await polling).toEqual([[sock, socket.POLLIN]])
    queue.push('second', from)
    const address: Record<string, unknown> = {}
    expect(String(await sock.recv(3, 0, address))).toBe('fir')
    expect(address).toEqual({ family: 2, address: '127.0.0.1', port: 9 })
    expect(await socket.poll(1000, sock)).toEqual([[sock, socket.POLLIN]])
    const msg = await sock.recvmsg([2, 10])
    expect(msg?.data).toEqual([Buffer.from('se'), Buffer.from('cond')])
    expect(msg?.address).toEqual({ family: 2, address: '127.0.0.1', port: 9 })
  })
})
