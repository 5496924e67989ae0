import assert from 'node:assert/strict'
import { createUcode, type UcodeModule, type UcodeSocket } from '@polysocket/core/ucode'
import type { CaseContext } from '../../case.js'

/** What the ucode cases work with: the module object and a way to close sockets after the case. */
export interface UcodeKit {
  readonly socket: UcodeModule
  /** Registers a handle (or null, which fails the case with ucode's error text) for closing. */
  track<T extends UcodeSocket>(handle: T | null, what?: string): T
}

/** A ucode module over the case's backend; every tracked handle closes at cleanup. */
export function ucodeKit(ctx: CaseContext): UcodeKit {
  const socket = createUcode(ctx.backend)
  const track = <T extends UcodeSocket>(handle: T | null, what = 'socket'): T => {
    assert.ok(handle, `${what}: ${String(socket.error())}`)
    ctx.onCleanup(() => handle.close())
    return handle
  }
  return { socket, track }
}

/** The case's loopback host as ucode writes an address with a port (`"[::1]:80"` for IPv6). */
export function hostPort(ctx: CaseContext, port: number): string {
  return ctx.ipFamily === 6 ? `[${ctx.host}]:${port}` : `${ctx.host}:${port}`
}

/** The ucode AF_* number of the case's IP family. */
export function ipFamily(kit: UcodeKit, ctx: CaseContext): number {
  return ctx.ipFamily === 6 ? kit.socket.AF_INET6 : kit.socket.AF_INET
}

/** The port of a bound socket. */
export function portOf(kit: UcodeKit, sock: UcodeSocket): number {
  const name = sock.sockname()
  assert.ok(name, `sockname: ${String(kit.socket.error())}`)
  assert.equal(typeof name.port, 'number')
  return name.port as number
}

/** A listening TCP socket on the case's loopback host, made with create/bind/listen. */
export async function tcpListener(ctx: CaseContext, kit: UcodeKit): Promise<{ server: UcodeSocket; port: number }> {
  const { socket } = kit
  const server = kit.track(await socket.create(ipFamily(kit, ctx), socket.SOCK_STREAM), 'create')
  assert.equal(await server.bind(hostPort(ctx, 0)), true, `bind: ${String(socket.error())}`)
  assert.equal(await server.listen(), true, `listen: ${String(socket.error())}`)
  return { server, port: portOf(kit, server) }
}

/** A connected TCP pair on loopback: the client and the accepted peer. */
export async function tcpPair(
  ctx: CaseContext,
  kit: UcodeKit,
): Promise<{ client: UcodeSocket; peer: UcodeSocket; server: UcodeSocket; port: number }> {
  const { server, port } = await tcpListener(ctx, kit)
  const client = kit.track(await kit.socket.create(ipFamily(kit, ctx), kit.socket.SOCK_STREAM), 'create')
  const [connected, accepted] = await Promise.all([client.connect(ctx.host, port), server.accept()])
  assert.equal(connected, true, `connect: ${String(kit.socket.error())}`)
  const peer = kit.track(accepted, 'accept')
  return { client, peer, server, port }
}

/** A bound UDP socket on the case's loopback host. */
export async function udpSocket(ctx: CaseContext, kit: UcodeKit): Promise<{ sock: UcodeSocket; port: number }> {
  const sock = kit.track(await kit.socket.create(ipFamily(kit, ctx), kit.socket.SOCK_DGRAM), 'create')
  assert.equal(await sock.bind(hostPort(ctx, 0)), true, `bind: ${String(kit.socket.error())}`)
  return { sock, port: portOf(kit, sock) }
}

/** Receives on a stream socket until `bytes` bytes arrived or end of stream (bounded). */
export async function recvAll(kit: UcodeKit, sock: UcodeSocket, bytes: number): Promise<Buffer> {
  const parts: Buffer[] = []
  let total = 0
  for (let i = 0; i < 10_000 && total < bytes; i++) {
    const chunk = await sock.recv(bytes - total)
    assert.ok(chunk, `recv: ${String(kit.socket.error())}`)
    if (chunk.length === 0) break
    parts.push(chunk)
    total += chunk.length
  }
  return Buffer.concat(parts)
}

/** Asserts the call failed (null) with exactly this error text and number. */
export function assertError(kit: UcodeKit, result: unknown, text: string, code: number): void {
  assert.equal(result, null, `expected null, got ${String(result)}`)
  assert.equal(kit.socket.error(), text)
  assert.equal(kit.socket.error(true), code)
}
