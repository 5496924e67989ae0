import type {
  Linger,
  Multicast6Request,
  MulticastRequest,
  OptionKind,
  OptionTarget,
  OptionValue,
  Timeval,
} from '@polysocket/core'
import { REGION } from './arena.js'
import { errnoError } from './errors.js'
import type { Runtime } from './runtime.js'
import { readIPv4, readIPv6, writeIPv4, writeIPv6 } from './sockaddr.js'

/**
 * getsockopt(2) / setsockopt(2) by the option table's kinds (core `contract/options.ts`):
 * the value is marshalled into the arena's option region, zeroed first.
 * Source: socket(7), ip(7), ipv6(7), tcp(7).
 */

/** Room for one option value, in bytes (the arena's option region). */
const OPT_MAX = 512

/** Bytes a kind occupies in the kernel, for getsockopt. */
function sizeOf(kind: OptionKind, rawLength: number): number {
  switch (kind) {
    case 'bool':
    case 'int':
    case 'inaddr':
      return 4
    case 'linger':
      return 8
    case 'ucred':
      return 12
    case 'mreq':
      return 12
    case 'mreq6':
      return 20
    case 'timeout':
      return 16
    case 'string':
      return 64
    case 'bytes':
      return rawLength
  }
}

function numbers(target: OptionTarget): [number, number] {
  return target.spec ? [target.spec.levelNumber, target.spec.nameNumber] : [target.level, target.name]
}

/**
 * Reads an option.
 * @param kind - how to decode; default the spec's kind, or raw bytes (a Buffer of at most
 * `rawLength` bytes, cut to what the kernel wrote) for an untyped pair.
 * @throws SocketError with the errno name (`ENOPROTOOPT`, `EBADF`, …).
 */
export function getOption(
  rt: Runtime,
  fd: number,
  target: OptionTarget,
  rawLength: number,
  kind?: OptionKind,
): OptionValue {
  const k = kind ?? target.spec?.kind ?? 'bytes'
  const [level, name] = numbers(target)
  const size = sizeOf(k, rawLength)
  // Larger raw reads go through a private block so that the arena region never overflows.
  const { libc, engine, arena } = rt
  const block = size > OPT_MAX ? engine.allocate(size) : undefined
  const { view: arenaView, address: base } = arena
  const view = block ? block.view : arenaView
  const at = block ? 0 : REGION.opt
  const address = block ? block.address : base + REGION.opt
  try {
    view.fill(0, at, at + size)
    arenaView.writeUInt32LE(size, REGION.optLen)
    if (libc.getsockopt(fd, level, name, address, base + REGION.optLen) === -1) {
      throw errnoError('getsockopt', engine.errno())
    }
    const len = Math.min(arenaView.readUInt32LE(REGION.optLen), size)
    return decode(k, view, at, len)
  } finally {
    if (block) engine.release(block)
  }
}

function decode(kind: OptionKind, view: Buffer, at: number, len: number): OptionValue {
  switch (kind) {
    case 'bool':
      return len >= 1 && (len >= 4 ? view.readInt32LE(at) : view[at]) !== 0
    case 'int':
      return len >= 4 ? view.readInt32LE(at) : (view[at] ?? 0)
    case 'linger':
      return { onoff: view.readInt32LE(at) !== 0, linger: view.readInt32LE(at + 4) }
    case 'ucred':
      return { pid: view.readUInt32LE(at), uid: view.readUInt32LE(at + 4), gid: view.readUInt32LE(at + 8) }
    case 'timeout':
      return Number(view.readBigInt64LE(at)) * 1000 + Number(view.readBigInt64LE(at + 8)) / 1000
    case 'string': {
      const s = view.subarray(at, at + len)
      const nul = s.indexOf(0)
      return s.toString('utf8', 0, nul === -1 ? s.length : nul)
    }
    case 'inaddr':
      return readIPv4(view, at)
    case 'mreq': {
      const r: MulticastRequest = {
        multiaddr: readIPv4(view, at),
        address: readIPv4(view, at + 4),
        ifindex: view.readInt32LE(at + 8),
      }
      return r
    }
    case 'mreq6': {
      const r: Multicast6Request = { multiaddr: readIPv6(view, at), ifindex: view.readInt32LE(at + 16) }
      return r
    }
    case 'bytes':
      return Buffer.from(view.subarray(at, at + len))
  }
}

/**
 * Writes an option; `value` was already checked against the kind by the contract.
 * @throws SocketError with the errno name (`ENOPROTOOPT`, `EINVAL`, `EPERM`, …).
 */
export function setOption(rt: Runtime, fd: number, target: OptionTarget, value: OptionValue): void {
  const k: OptionKind = target.spec?.kind ?? (typeof value === 'number' ? 'int' : 'bytes')
  const [level, name] = numbers(target)
  const bytes = encode(k, value)
  const { libc, engine, arena } = rt
  const block = bytes.length > OPT_MAX ? engine.allocate(bytes.length) : undefined
  const { view, address: base } = arena
  try {
    if (block) bytes.copy(block.view)
    else {
      view.fill(0, REGION.opt, REGION.opt + OPT_MAX)
      bytes.copy(view, REGION.opt)
    }
    const address = block ? block.address : base + REGION.opt
    if (libc.setsockopt(fd, level, name, address, bytes.length) === -1) throw errnoError('setsockopt', engine.errno())
  } finally {
    if (block) engine.release(block)
  }
}

function encode(kind: OptionKind, value: OptionValue): Buffer {
  const b = Buffer.alloc(sizeOf(kind, 0))
  switch (kind) {
    case 'bool':
      b.writeInt32LE(value ? 1 : 0)
      return b
    case 'int':
      b.writeInt32LE(value as number)
      return b
    case 'linger': {
      const l = value as Linger
      b.writeInt32LE(l.onoff ? 1 : 0, 0)
      b.writeInt32LE(l.linger, 4)
      return b
    }
    case 'timeout': {
      // A timeval goes as given, for the kernel to judge; milliseconds become one.
      if (typeof value === 'object') {
        const tv = value as Timeval
        b.writeBigInt64LE(BigInt(tv.sec), 0)
        b.writeBigInt64LE(BigInt(tv.usec), 8)
        return b
      }
      const ms = value as number
      const sec = Math.floor(ms / 1000)
      b.writeBigInt64LE(BigInt(sec), 0)
      b.writeBigInt64LE(BigInt(Math.round((ms - sec * 1000) * 1000)), 8)
      return b
    }
    case 'string':
      return Buffer.from(value as string, 'utf8')
    case 'inaddr':
      writeIPv4(value as string, b, 0)
      return b
    case 'mreq': {
      const r = value as MulticastRequest
      writeIPv4(r.multiaddr, b, 0)
      writeIPv4(r.address ?? '0.0.0.0', b, 4)
      b.writeInt32LE(r.ifindex ?? 0, 8)
      return b
    }
    case 'mreq6': {
      const r = value as Multicast6Request
      writeIPv6(r.multiaddr, b, 0)
      b.writeInt32LE(r.ifindex ?? 0, 16)
      return b
    }
    case 'ucred':
    case 'bytes':
      return Buffer.isBuffer(value) ? value : Buffer.from(value as unknown as Uint8Array)
  }
}
