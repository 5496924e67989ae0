import { createHash } from 'node:crypto'
import { type Socket, SocketError } from '@polysocket/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend, RECV_HIGH_WATER } from '../src/index.js'

const backend = createBackend()
const loopback = { family: 'inet', address: '127.0.0.1', port: 0 } as const
let open: Socket[] = []

async function socket(...args: Parameters<typeof backend.socket>): Promise<Socket> {
  const s = await backend.socket(...args)
  open.push(s)
  return s
}

afterEach(async () => {
  await Promise.all(open.map((s) => s.close()))
  open = []
})

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (error) {
    return error instanceof SocketError ? error.code : String(error)
  }
}

/** A listening TCP socket, a client connected to it, and the accepted end. */
async function tcpPair(): Promise<{ listener: Socket; client: Socket; server: Socket }> {
  const listener = await socket('AF_INET', 'SOCK_STREAM')
  await listener.bind(loopback)
  await listener.listen(8)
  const client = await socket('AF_INET', 'SOCK_STREAM')
  await client.connect(listener.localAddress())
  const { socket: server } = await listener.accept()
  open.push(server)
  return { listener, client, server }
}

describe('bind emulation', () => {
  it('holds the port at bind time, so a second bind gets EADDRINUSE', async () => {
    const a = await socket('AF_INET', 'SOCK_STREAM')
    await a.bind(loopback)
    const port = (a.localAddress() as { port: number }).port
    expect(port).toBeGreaterThan(0)
    const b = await socket('AF_INET', 'SOCK_STREAM')
    expect(await codeOf(b.bind({ ...loopback, port }))).toBe('EADDRINUSE')
    // The failed bind leaves b usable.
    await b.bind(loopback)
  })

  it('reports EADDRNOTAVAIL for an address that is not local, with syscall bind', async () => {
    const a = await socket('AF_INET', 'SOCK_STREAM')
    const error = await a.bind({ family: 'inet', address: '192.0.2.1', port: 0 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SocketError)
    expect((error as SocketError).code).toBe('EADDRNOTAVAIL')
    expect((error as SocketError).syscall).toBe('bind')
  })

  it('connects from the bound port when bind comes before connect', async () => {
    const listener = await socket('AF_INET', 'SOCK_STREAM')
    await listener.bind(loopback)
    await listener.listen()
    const client = await socket('AF_INET', 'SOCK_STREAM')
    await client.bind(loopback)
    const bound = client.localAddress()
    await client.connect(listener.localAddress())
    const accepted = await listener.accept()
    open.push(accepted.socket)
    expect(accepted.address).toEqual(bound)
    expect(client.localAddress()).toEqual(bound)
  })

  it('queues connections that arrive before accept()', async () => {
    const listener = await socket('AF_INET', 'SOCK_STREAM')
    await listener.bind(loopback)
    await listener.listen(4)
    const clients = [await socket('AF_INET', 'SOCK_STREAM'), await socket('AF_INET', 'SOCK_STREAM')]
    for (const c of clients) await c.connect(listener.localAddress())
    const ports = clients.map((c) => (c.localAddress() as { port: number }).port)
    for (const port of ports) {
      const a = await listener.accept()
      open.push(a.socket)
      expect((a.address as { port: number }).port).toBe(port)
    }
  })
})

describe('Unix abstract names', () => {
  it('work only where the manifest says so, and fail naming the capability elsewhere', async () => {
    const name = `\0polysocket-node-test-${process.pid}`
    const server = await socket('AF_UNIX', 'SOCK_STREAM')
    if (!backend.supports.abstractNamespace) {
      const error = await server.bind({ family: 'unix', path: name }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'POLYSOCKET_NOT_SUPPORTED', feature: 'abstractNamespace', syscall: 'bind' })
      return
    }
    await server.bind({ family: 'unix', path: name })
    await server.listen()
    const client = await socket('AF_UNIX', 'SOCK_STREAM')
    await client.connect({ family: 'unix', path: name })
    expect(server.localAddress()).toEqual({ family: 'unix', path: name })
  })
})

describe('receive buffering', () => {
  it('stops reading past the high-water mark and loses nothing when the reader catches up', async () => {
    const { client, server } = await tcpPair()
    server.setNonBlocking(true)
    const chunk = Buffer.alloc(64 << 10)
    const sent = createHash('sha256')
    let total = 0
    let blocked = false
    // Bounded: 256 MiB would be sent if nothing ever pushed back.
    for (let i = 0; i < 4096 && !blocked; i++) {
      chunk.fill(i & 0xff)
      try {
        const n = await server.send(chunk)
        sent.update(chunk.subarray(0, n))
        total += n
      } catch (error) {
        if (!(error instanceof SocketError && error.code === 'EAGAIN')) throw error
        blocked = true
      }
    }
    expect(blocked).toBe(true)
    // The queue stops at the high-water mark; the rest waits in kernel and Node buffers.
    expect(total).toBeGreaterThan(RECV_HIGH_WATER)
    expect(total).toBeLessThan(64 << 20)
    await server.shutdown('SHUT_WR')
    const got = createHash('sha256')
    let received = 0
    for (let i = 0; i < 100_000; i++) {
      const { data } = await client.recv(1 << 20)
      if (data.length === 0) break
      got.update(data)
      received += data.length
    }
    expect(received).toBe(total)
    expect(got.digest('hex')).toBe(sent.digest('hex'))
  })

  it('gives a short count, then EAGAIN, when SO_SNDTIMEO runs out against a peer that never reads', async () => {
    const { client } = await tcpPair()
    client.setOption('SOL_SOCKET', 'SO_SNDTIMEO', 200)
    const big = Buffer.alloc(64 << 20)
    const n = await client.send(big)
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThan(big.length)
    const started = performance.now()
    expect(await codeOf(client.send(big))).toBe('EAGAIN')
    expect(performance.now() - started).toBeGreaterThanOrEqual(150)
  })

  it('settles a blocking send with EBADF when the socket closes under it', async () => {
    const { client } = await tcpPair()
    // Nobody reads: 64 MiB cannot reach the kernel, so the send stays pending.
    const pending = client.send(Buffer.alloc(64 << 20))
    await new Promise((r) => setTimeout(r, 50))
    await client.close()
    expect(await codeOf(pending)).toBe('EBADF')
  })

  it('serves MSG_PEEK and MSG_WAITALL from the queue', async () => {
    const { client, server } = await tcpPair()
    await server.send('hello')
    const peeked = await client.recv(3, { flags: ['MSG_PEEK'] })
    expect(peeked.data.toString()).toBe('hel')
    const waiting = client.recv(8, { flags: ['MSG_WAITALL'] })
    await server.send(' world')
    expect((await waiting).data.toString()).toBe('hello wo')
  })
})

describe('sendmsg and recvmsg without ancillary data', () => {
  it('gathers into one datagram and scatters it over the buffers', async () => {
    const a = await socket('AF_INET', 'SOCK_DGRAM')
    const b = await socket('AF_INET', 'SOCK_DGRAM')
    await a.bind(loopback)
    await b.bind(loopback)
    expect(await b.sendmsg(['abc', 'defg'], { to: a.localAddress() })).toBe(7)
    const r = await a.recvmsg({ sizes: [2, 3, 1], flags: ['MSG_TRUNC'] })
    expect(r.buffers.map((x) => x.toString())).toEqual(['ab', 'cde', 'f'])
    expect(r.truncated).toBe(true)
    expect(r.bytes).toBe(7)
    expect(r.from).toEqual(b.localAddress())
    const fds = b.sendmsg(['x'], { to: a.localAddress(), control: [{ type: 'SCM_RIGHTS', fds: [0] }] })
    await expect(fds).rejects.toMatchObject({ code: 'POLYSOCKET_NOT_SUPPORTED', feature: 'ancillaryRights' })
  })
})

describe('batches', () => {
  it('sends a UDP batch in order and receives what is queued in one call', async () => {
    const a = await socket('AF_INET', 'SOCK_DGRAM')
    const b = await socket('AF_INET', 'SOCK_DGRAM')
    await a.bind(loopback)
    const to = a.localAddress()
    const messages = ['one', 'two', 'three'].map((text) => ({ data: Buffer.from(text), to }))
    expect(await b.sendBatch(messages)).toBe(3)
    const got: string[] = []
    for (let i = 0; i < 3 && got.length < 3; i++) {
      for (const r of await a.recvBatch(8)) got.push(r.data.toString())
    }
    expect(got).toEqual(['one', 'two', 'three'])
  })

  it('gives a recvBatch that was waiting the whole burst that arrived, in one call', async () => {
    const a = await socket('AF_INET', 'SOCK_DGRAM')
    const b = await socket('AF_INET', 'SOCK_DGRAM')
    await a.bind(loopback)
    await b.connect(a.localAddress())
    const receiving = a.recvBatch(8)
    // Loopback queues all five in the kernel before the event loop polls again.
    expect(await b.sendBatch(['1', '2', '3', '4', '5'].map((text) => ({ data: Buffer.from(text) })))).toBe(5)
    expect((await receiving).map((r) => r.data.toString())).toEqual(['1', '2', '3', '4', '5'])
  })

  it('stops a sendBatch at the first message send(2) would refuse, and throws when it is the first', async () => {
    const a = await socket('AF_INET', 'SOCK_DGRAM')
    const b = await socket('AF_INET', 'SOCK_DGRAM')
    await a.bind(loopback)
    await b.connect(a.localAddress())
    const to = a.localAddress()
    expect(await b.sendBatch([{ data: Buffer.from('x') }, { data: Buffer.from('y'), to }])).toBe(1)
    expect(await codeOf(b.sendBatch([{ data: Buffer.from('y'), to }]))).toBe('EISCONN')
    expect((await a.recv(16)).data.toString()).toBe('x')
  })
})

describe('receive timeouts', () => {
  it('times each wait from its own start, whatever earlier waits left on the timer', async () => {
    const a = await socket('AF_INET', 'SOCK_DGRAM')
    const b = await socket('AF_INET', 'SOCK_DGRAM')
    await a.bind(loopback)
    await b.connect(a.localAddress())
    a.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 300)
    // The first wait arms the socket's timer for 300 ms and is served after about 100.
    const first = a.recv(16)
    setTimeout(() => void b.send(Buffer.from('x')), 100)
    expect((await first).data.toString()).toBe('x')
    const started = performance.now()
    expect(await codeOf(a.recv(16))).toBe('EAGAIN')
    // Timers may fire up to a millisecond or two early against performance.now().
    expect(performance.now() - started).toBeGreaterThanOrEqual(297)
  })
})

describe('options', () => {
  it('stores UDP options set before the socket exists and applies them at bind', async () => {
    const u = await socket('AF_INET6', 'SOCK_DGRAM')
    u.setOption('IPPROTO_IP', 'IP_TTL', 7)
    u.setOption('SOL_SOCKET', 'SO_BROADCAST', true)
    u.setOption('IPPROTO_IPV6', 'IPV6_V6ONLY', true)
    expect(u.getOption('IPPROTO_IP', 'IP_TTL')).toBe(7)
    expect(u.getOption('SOL_SOCKET', 'SO_BROADCAST')).toBe(true)
    await u.bind({ family: 'inet6', address: '::1', port: 0 })
    expect(u.getOption('IPPROTO_IP', 'IP_TTL')).toBe(7)
    expect(u.getOption('IPPROTO_IPV6', 'IPV6_V6ONLY')).toBe(true)
    expect(() => u.setOption('IPPROTO_IPV6', 'IPV6_V6ONLY', false)).toThrow(/EINVAL/)
    u.setOption('SOL_SOCKET', 'SO_RCVBUF', 65536)
    expect(u.getOption('SOL_SOCKET', 'SO_RCVBUF')).toBeGreaterThanOrEqual(65536)
  })

  it('carries TCP_NODELAY from before connect, and a listener passes it to accepted sockets', async () => {
    const listener = await socket('AF_INET', 'SOCK_STREAM')
    listener.setOption('IPPROTO_TCP', 'TCP_NODELAY', true)
    await listener.bind(loopback)
    await listener.listen()
    const client = await socket('AF_INET', 'SOCK_STREAM')
    client.setOption('SOL_SOCKET', 'SO_KEEPALIVE', true)
    await client.connect(listener.localAddress())
    const { socket: accepted } = await listener.accept()
    open.push(accepted)
    expect(client.getOption('SOL_SOCKET', 'SO_KEEPALIVE')).toBe(true)
    expect(accepted.getOption('IPPROTO_TCP', 'TCP_NODELAY')).toBe(true)
    expect(listener.getOption('SOL_SOCKET', 'SO_ACCEPTCONN')).toBe(true)
    expect(client.getOption('SOL_SOCKET', 'SO_TYPE')).toBe(1)
    expect(client.getOption('IPPROTO_TCP', 'TCP_KEEPIDLE')).toBe(7200)
    client.setOption('IPPROTO_TCP', 'TCP_KEEPIDLE', 60)
    expect(client.getOption('IPPROTO_TCP', 'TCP_KEEPIDLE')).toBe(60)
    expect(() => client.setOption('IPPROTO_TCP', 'TCP_KEEPIDLE', 0)).toThrow(/EINVAL/)
  })

  it('resets the connection on close with SO_LINGER 0', async () => {
    const { client, server } = await tcpPair()
    server.setOption('SOL_SOCKET', 'SO_LINGER', { onoff: true, linger: 0 })
    await server.close()
    expect(await codeOf(client.recv(10))).toBe('ECONNRESET')
  })

  it('names the option it cannot reach', () => {
    return socket('AF_INET', 'SOCK_STREAM').then((s) => {
      expect(() => s.setOption('SOL_SOCKET', 'SO_PRIORITY', 1)).toThrow(/SO_PRIORITY/)
      expect(() => s.getOption(1, 1000)).toThrow(/rawOptions/)
    })
  })
})

describe('addresses and shutdown', () => {
  it('reports the source address a UDP connect chose', async () => {
    const a = await socket('AF_INET', 'SOCK_DGRAM')
    await a.bind(loopback)
    const b = await socket('AF_INET', 'SOCK_DGRAM')
    await b.connect(a.localAddress())
    await b.send('x')
    const { from } = await a.recv(10)
    expect(b.localAddress()).toEqual(from)
  })

  it('stops a listener on SHUT_RD, failing a pending accept with EINVAL', async () => {
    const listener = await socket('AF_INET', 'SOCK_STREAM')
    await listener.bind(loopback)
    await listener.listen()
    await listener.shutdown('SHUT_WR')
    const pending = codeOf(listener.accept())
    await listener.shutdown('SHUT_RD')
    expect(await pending).toBe('EINVAL')
  })
})

describe('non-blocking connect', () => {
  it('gives EINPROGRESS, then reports the outcome through SO_ERROR', async () => {
    const listener = await socket('AF_INET', 'SOCK_STREAM')
    await listener.bind(loopback)
    const port = (listener.localAddress() as { port: number }).port
    await listener.listen()
    const ok = await socket('AF_INET', 'SOCK_STREAM', 0, { nonBlocking: true })
    expect(await codeOf(ok.connect({ ...loopback, port }))).toBe('EINPROGRESS')
    await listener.accept().then((a) => open.push(a.socket))
    for (let i = 0; i < 100 && (await codeOf(ok.connect({ ...loopback, port }))) === 'EALREADY'; i++) {
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(await codeOf(ok.connect({ ...loopback, port }))).toBe('EISCONN')
    expect(ok.getOption('SOL_SOCKET', 'SO_ERROR')).toBe(0)

    await listener.close()
    const refused = await socket('AF_INET', 'SOCK_STREAM', 0, { nonBlocking: true })
    expect(await codeOf(refused.connect({ ...loopback, port }))).toBe('EINPROGRESS')
    let soError = 0
    for (let i = 0; i < 100 && soError === 0; i++) {
      await new Promise((r) => setTimeout(r, 10))
      soError = refused.getOption('SOL_SOCKET', 'SO_ERROR') as number
    }
    expect(soError).toBe(111)
  })
})

describe('resolution', () => {
  it('resolves numeric hosts without DNS and refuses a family mismatch', async () => {
    const r = await backend.lookup('127.0.0.1', '80', { type: 'SOCK_STREAM' })
    expect(r).toEqual([{ family: 'AF_INET', type: 'SOCK_STREAM', protocol: 6, address: { ...loopback, port: 80 } }])
    expect(await codeOf(backend.lookup('::1', null, { family: 'AF_INET' }))).toBe('EAI_ADDRFAMILY')
    expect(await codeOf(backend.lookup('localhost', 80, { flags: ['AI_NUMERICHOST'] }))).toBe('EAI_NONAME')
    const n = await backend.nameinfo({ ...loopback, port: 80 }, ['NI_NUMERICHOST', 'NI_NUMERICSERV'])
    expect(n).toEqual({ host: '127.0.0.1', service: '80' })
  })
})
