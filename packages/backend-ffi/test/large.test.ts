import type { Socket } from '@polysocket/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend } from '../src/index.js'

const backend = createBackend()
const open: Socket[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})
async function pair(type: 'SOCK_STREAM' | 'SOCK_DGRAM'): Promise<[Socket, Socket]> {
  const p = await backend.socketpair('AF_UNIX', type)
  open.push(...p)
  return p
}
const pattern = (n: number, k: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * k) & 0xff))

// The paths above the 256 KiB arena and the 16 KiB zero-copy threshold, which the suite's
// small messages do not reach.
describe('large transfers', () => {
  it('a 400 KB datagram from an offset view arrives whole (zero-copy send and receive)', async () => {
    const [a, b] = await pair('SOCK_DGRAM')
    a.setOption('SOL_SOCKET', 'SO_SNDBUF', 4 << 20)
    const data = pattern(400_013, 7).subarray(13)
    expect(await a.send(data)).toBe(400_000)
    const r = await b.recv(1 << 20)
    expect(r.data.equals(data)).toBe(true)
    expect(r.truncated).toBe(false)
  })

  it('MSG_WAITALL gathers 3 MiB on a stream; then small reads take the copy path and stay exact', async () => {
    const [a, b] = await pair('SOCK_STREAM')
    const data = pattern(3 << 20, 13)
    const sending = a.send(data)
    const got = await b.recv(3 << 20, { flags: ['MSG_WAITALL'] })
    expect(await sending).toBe(data.length)
    expect(got.data.equals(data)).toBe(true)
    await a.send(Buffer.alloc(100_000, 1))
    let total = 0
    for (let i = 0; i < 100 && total < 100_000; i++) total += (await b.recv(65536)).data.length
    expect(total).toBe(100_000)
    await a.send('tiny')
    expect((await b.recv(65536)).data.toString()).toBe('tiny')
  })

  it('a datagram larger than the request is cut after a large read', async () => {
    const [a, b] = await pair('SOCK_DGRAM')
    a.setOption('SOL_SOCKET', 'SO_SNDBUF', 1 << 20)
    await a.send(Buffer.alloc(50_000, 2))
    expect((await b.recv(60_000)).data.length).toBe(50_000)
    await a.send(Buffer.alloc(40_000, 3))
    const r = await b.recv(30_000)
    expect(r.data.length).toBe(30_000)
    expect(r.truncated).toBe(true)
  })

  it('sendmsg/recvmsg over 256 KiB go through private native blocks', async () => {
    const [a, b] = await pair('SOCK_DGRAM')
    a.setOption('SOL_SOCKET', 'SO_SNDBUF', 4 << 20)
    const head = pattern(300_000, 5)
    expect(await a.sendmsg([head, 'tail'])).toBe(300_004)
    const m = await b.recvmsg({ sizes: [100_000, 250_000, 10] })
    expect(m.bytes).toBe(300_004)
    expect(m.buffers.map((x) => x.length)).toEqual([100_000, 200_004, 0])
    expect(Buffer.concat(m.buffers).equals(Buffer.concat([head, Buffer.from('tail')]))).toBe(true)
  })
})
