import type { Socket, SocketAddress } from '@polysocket/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend } from '../src/index.js'

// getsockname and getpeername are read when asked (or just before Node lets the handle go),
// not at connect and accept: these pin what they must still answer once Node closed the handle
// on its own, after a reset or once both directions ended.

const backend = createBackend()
let open: Socket[] = []

async function socket(family: 'AF_INET' | 'AF_INET6'): Promise<Socket> {
  const s = await backend.socket(family, 'SOCK_STREAM')
  open.push(s)
  return s
}

afterEach(async () => {
  await Promise.all(open.map((s) => s.close()))
  open = []
})

const LOOPBACK = {
  AF_INET: { family: 'inet', address: '127.0.0.1', port: 0 },
  AF_INET6: { family: 'inet6', address: '::1', port: 0, flowinfo: 0, scopeId: 0 },
} as const

/** A client connected to a fresh listener, the accepted end, and the addresses accept(2) and bind gave. */
async function pair(family: 'AF_INET' | 'AF_INET6', target?: SocketAddress) {
  const listener = await socket(family)
  await listener.bind(LOOPBACK[family])
  await listener.listen(4)
  const listening = listener.localAddress() as SocketAddress & { port: number }
  const client = await socket(family)
  const [accepted] = await Promise.all([
    listener.accept(),
    client.connect(target ? { ...target, port: listening.port } : listening),
  ])
  open.push(accepted.socket)
  return { listening, client, server: accepted.socket, peer: accepted.address }
}

/** Closes `s` with SO_LINGER 0, so that its peer gets a reset. */
async function reset(s: Socket): Promise<void> {
  s.setOption('SOL_SOCKET', 'SO_LINGER', { onoff: true, linger: 0 })
  await s.close()
}

async function errorOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

describe.each(['AF_INET', 'AF_INET6'] as const)('endpoints on %s', (family) => {
  it('accept reports the peer the client is bound to', async () => {
    const { listening, client, peer } = await pair(family)
    expect(client.localAddress()).toEqual(peer)
    expect(client.remoteAddress()).toEqual(listening)
  })

  it('survive a reset of the client by the server', async () => {
    const { listening, client, server, peer } = await pair(family)
    await reset(server)
    expect(await errorOf(client.recv(10))).toBe('ECONNRESET')
    expect(client.localAddress()).toEqual(peer)
    expect(client.remoteAddress()).toEqual(listening)
  })

  it('survive a reset of the accepted end by the client', async () => {
    const { listening, client, server, peer } = await pair(family)
    await reset(client)
    expect(await errorOf(server.recv(10))).toBe('ECONNRESET')
    expect(server.localAddress()).toEqual(listening)
    expect(server.remoteAddress()).toEqual(peer)
  })

  it('survive the end of both directions', async () => {
    const { listening, client, server, peer } = await pair(family)
    await client.shutdown('SHUT_WR')
    expect((await server.recv(10)).data.length).toBe(0)
    await server.shutdown('SHUT_WR')
    expect((await client.recv(10)).data.length).toBe(0)
    // Node closes a socket whose both directions ended a turn or two later.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(client.localAddress()).toEqual(peer)
    expect(client.remoteAddress()).toEqual(listening)
    expect(server.localAddress()).toEqual(listening)
    expect(server.remoteAddress()).toEqual(peer)
  })
})

describe('the peer of a connect', () => {
  it('is the loopback address the kernel chose for a connect to the wildcard address', async () => {
    const { listening, client } = await pair('AF_INET', { family: 'inet', address: '0.0.0.0', port: 0 })
    expect(client.remoteAddress()).toEqual(listening)
  })

  it('is spelled as getpeername spells it, whatever spelling the connect used', async () => {
    const { listening, client } = await pair('AF_INET6', {
      family: 'inet6',
      address: '0:0:0:0:0:0:0:1',
      port: 0,
      flowinfo: 0,
      scopeId: 0,
    })
    expect(client.remoteAddress()).toEqual(listening)
  })
})
