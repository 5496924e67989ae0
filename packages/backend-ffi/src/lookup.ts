import {
  errnoByNumber,
  type Family,
  type LookupHints,
  type LookupResult,
  type NiFlag,
  type SocketAddress,
  SocketError,
  type SocketErrorCode,
  type SocketType,
} from '@polysocket/core'
import { AF, AI, currentLayout, NI, SOCK, LINUX_EXTRA as X } from './platform-linux.js'
import type { Runtime } from './runtime.js'
import { decodeSockaddr, encodeSockaddr } from './sockaddr.js'

/**
 * getaddrinfo(3) and getnameinfo(3). Both may block on DNS, so they run on a worker thread
 * of the engine, as Node's own `dns.lookup` does; every pointer they get is a private
 * malloc'ed block, freed only after the call settled.
 */

const L = currentLayout().addrinfo
const FAMILY_BY_NUMBER: Record<number, Family> = {
  [AF.AF_INET]: 'AF_INET',
  [AF.AF_INET6]: 'AF_INET6',
  [AF.AF_UNIX]: 'AF_UNIX',
}
const TYPE_BY_NUMBER: Record<number, SocketType> = {
  [SOCK.SOCK_STREAM]: 'SOCK_STREAM',
  [SOCK.SOCK_DGRAM]: 'SOCK_DGRAM',
  [SOCK.SOCK_RAW]: 'SOCK_RAW',
  [SOCK.SOCK_SEQPACKET]: 'SOCK_SEQPACKET',
}

function eaiError(syscall: string, rc: number, host?: string): SocketError {
  const code = (errnoByNumber(rc)?.name ?? 'EAI_FAIL') as SocketErrorCode
  return new SocketError(code, { syscall, errno: rc, ...(host === undefined ? {} : { address: host }) })
}

function readPointer(view: Buffer, at: number): number {
  return view.readUInt32LE(at) + view.readUInt32LE(at + 4) * 0x1_0000_0000
}

/** Backend.lookup. @throws SocketError `EAI_*`. */
export async function lookup(
  rt: Runtime,
  host: string | null,
  service: string | number | null,
  hints: LookupHints = {},
): Promise<LookupResult[]> {
  const hostBytes = host === null ? undefined : Buffer.from(`${host}\0`, 'utf8')
  const serviceBytes = service === null ? undefined : Buffer.from(`${service}\0`, 'utf8')
  // Layout of the private block: hints, result pointer, then the strings.
  const HINTS = 0
  const RES = 64
  const STRINGS = 128
  const size = STRINGS + (hostBytes?.length ?? 0) + (serviceBytes?.length ?? 0)
  const { libc, engine } = rt
  const block = engine.allocate(size)
  const { view, address } = block
  let res = 0
  try {
    let flags = 0
    for (const f of hints.flags ?? []) flags |= AI[f]
    view.writeInt32LE(flags, HINTS + L.flags)
    view.writeInt32LE(hints.family === undefined ? AF.AF_UNSPEC : AF[hints.family], HINTS + L.family)
    view.writeInt32LE(hints.type === undefined ? 0 : SOCK[hints.type], HINTS + L.socktype)
    view.writeInt32LE(hints.protocol ?? 0, HINTS + L.protocol)
    hostBytes?.copy(view, STRINGS)
    serviceBytes?.copy(view, STRINGS + (hostBytes?.length ?? 0))
    const rc = await libc.getaddrinfo(
      hostBytes ? address + STRINGS : 0,
      serviceBytes ? address + STRINGS + (hostBytes?.length ?? 0) : 0,
      address + HINTS,
      address + RES,
    )
    if (rc !== 0) throw eaiError('getaddrinfo', rc, host ?? undefined)
    res = readPointer(view, RES)
    const out: LookupResult[] = []
    for (let p = res, n = 0; p !== 0 && n < 1024; n++) {
      const ai = engine.peek(p, L.size)
      const family = FAMILY_BY_NUMBER[ai.readInt32LE(L.family)]
      const type = TYPE_BY_NUMBER[ai.readInt32LE(L.socktype)]
      const addrlen = ai.readUInt32LE(L.addrlen)
      const addrPtr = readPointer(ai, L.addr)
      const canonPtr = readPointer(ai, L.canonname)
      if (family && type && addrPtr !== 0 && addrlen <= 128) {
        const sa = engine.peek(addrPtr, addrlen)
        const canonname = canonPtr === 0 ? undefined : engine.peek(canonPtr, libc.strlen(canonPtr)).toString()
        out.push({
          family,
          type,
          protocol: ai.readInt32LE(L.protocol),
          address: decodeSockaddr(sa, 0, addrlen),
          ...(canonname === undefined ? {} : { canonname }),
        })
      }
      p = readPointer(ai, L.next)
    }
    return out
  } finally {
    if (res !== 0) libc.freeaddrinfo(res)
    engine.release(block)
  }
}

/** Backend.nameinfo. @throws SocketError `EAI_*`. */
export async function nameinfo(
  rt: Runtime,
  address: SocketAddress,
  flags: readonly NiFlag[] = [],
): Promise<{ host: string; service: string }> {
  const HOST = 128
  const SERV = HOST + X.NI_MAXHOST
  let bits = 0
  for (const f of flags) bits |= NI[f]
  const { libc, engine } = rt
  const block = engine.allocate(SERV + X.NI_MAXSERV)
  try {
    const len = encodeSockaddr(address, block.view, 0)
    const rc = await libc.getnameinfo(
      block.address,
      len,
      block.address + HOST,
      X.NI_MAXHOST,
      block.address + SERV,
      X.NI_MAXSERV,
      bits,
    )
    if (rc !== 0) throw eaiError('getnameinfo', rc)
    const text = (at: number, max: number) => {
      const s = block.view.subarray(at, at + max)
      const nul = s.indexOf(0)
      return s.toString('utf8', 0, nul === -1 ? max : nul)
    }
    return { host: text(HOST, X.NI_MAXHOST), service: text(SERV, X.NI_MAXSERV) }
  } finally {
    engine.release(block)
  }
}
