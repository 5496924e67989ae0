import { inspect } from 'node:util'
import { MSG, SHUT, SOCK } from '../../constants-linux.js'
import type { SocketAddress } from '../../contract/address.js'
import { detachReceivedFd } from '../../contract/received-fds.js'
import type { Data, RecvResult, Socket } from '../../contract/socket.js'
import { parseUcodeAddress, toUcodeAddress, type UcodeAddress, withPort } from './address.js'
import { arg, isAbsent, toUnsigned } from './args.js'
import { decodeAncillary, encodeAncillary } from './cmsg.js'
import { dataBytes } from './data.js'
import { failed, runAsync, runSync, sys, sysSync, type UcodeEnv } from './env.js'
import { ERRNO, fail } from './error-slot.js'
import { msgFlagsOf } from './numbers.js'
import { getUcodeOption, setUcodeOption } from './option-values.js'
import type { UcodeMessage, UcodePeerCredentials, UcodeSocket } from './socket-types.js'
import { attachState, innerOf, peekState, type SocketState, stateOf } from './state.js'

/** Default `recv()` length in bytes (ucode socket documentation, recv). */
export const DEFAULT_RECV_LENGTH = 4096
/** Default `listen()` backlog (ucode socket documentation, listen). */
export const DEFAULT_BACKLOG = 128
/** Largest room for ancillary data one recvmsg() takes, in bytes (the contract's limit). */
const MAX_CONTROL = 1 << 20

/** Builds and tracks the socket handles of one module object. */
export interface SocketFactory {
  /** A handle for a contract socket (or, without one, for a dead descriptor of `open()`). */
  wrap(inner: Socket | undefined, dead?: { errno: number; fd: number }): UcodeSocket
  /** The live handle holding descriptor `fd`, for poll() on plain numbers. */
  byFd(fd: number): UcodeSocket | undefined
  /** A descriptor number from a socket handle, a number or an object with `fileno()`. */
  fdOf(value: unknown, context?: string): number
}

/** Makes the socket class of one module object (its methods report into that module's slot). */
export function createSocketFactory(env: UcodeEnv): SocketFactory {
  const registry = new Map<number, UcodeSocket>()

  const fdOf = (value: unknown, context = 'fileno()'): number => {
    const state = peekState(value)
    if (state) {
      if (state.closed) throw fail(ERRNO.EBADF, 'Socket is closed')
      return descriptorOf(state, context)
    }
    let n: unknown = value
    const fileno = (value as { fileno?: unknown } | null)?.fileno
    if (typeof value === 'object' && value !== null && typeof fileno === 'function') n = fileno.call(value)
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
      throw fail(ERRNO.EBADF, 'Invalid file descriptor number')
    }
    return n
  }

  const descriptorOf = (state: SocketState, context = 'fileno()'): number => {
    if (state.fdNumber !== undefined) return state.fdNumber
    const inner = innerOf(state, context)
    return sysSync(env, context, () => inner.fd)
  }

  const adoptReceived = async (fd: number): Promise<unknown> => {
    try {
      return wrap(await env.backend.adopt(fd))
    } catch {
      // Not a socket (or nothing to adopt it with): the plain number, the script's to close, as in ucode.
      detachReceivedFd(fd)
      return fd
    }
  }

  const fillAddress = (out: Record<string, unknown> | undefined, from: SocketAddress | undefined) => {
    if (!out) return
    if (from) Object.assign(out, toUcodeAddress(from))
    else out.family = 0
  }
  /**
   * The sender of a received datagram as the kernel reported it: none (`undefined`) when it
   * gave no address, which for a Unix sender that never bound is a length of 0 and reaches
   * the contract as the unnamed path. accept() and peername() keep the unnamed path: there
   * the kernel does report the family (ucode lib/socket.c, uc_socket_inst_recv: the address
   * dict then holds only `family` 0).
   */
  const senderOf = (from: SocketAddress | undefined): SocketAddress | undefined =>
    from?.family === 'unix' && from.path === '' ? undefined : from

  // The settled halves of send and recv (see there), shared by every call.
  const settled = (sent: number): number => {
    env.slot.clear()
    return sent
  }
  const sendFailed = (error: unknown): null => failed(env, 'send()', error)
  const received = (result: RecvResult): Buffer => {
    env.slot.clear()
    return result.data
  }
  const recvFailed = (error: unknown): null => failed(env, 'recv()', error)

  class Handle implements UcodeSocket {
    async connect(address?: unknown, port?: unknown): Promise<true | null> {
      return runAsync(env, 'connect()', async () => {
        const state = stateOf(this)
        arg(address, 'address', 'any', true)
        const p = arg(port, 'port', 'integer')
        env.slot.clear()
        const inner = innerOf(state, 'connect()')
        let target = parseUcodeAddress(address)
        if (p !== undefined) {
          if (target.family === 'unix') {
            throw fail(ERRNO.EINVAL, 'Port argument is only valid for IPv4 and IPv6 addresses')
          }
          if (p < 0 || p > 65535) throw fail(ERRNO.EINVAL, 'Invalid port number')
          target = withPort(target, p)
        }
        await sys(env, 'connect()', () => inner.connect(target))
        return true as const
      })
    }

    async bind(address?: unknown): Promise<true | null> {
      return runAsync(env, 'bind()', async () => {
        const state = stateOf(this)
        env.slot.clear()
        const inner = innerOf(state, 'bind()')
        let target: SocketAddress
        if (isAbsent(address)) {
          if (inner.family === 'AF_INET') target = { family: 'inet', address: '0.0.0.0', port: 0 }
          else if (inner.family === 'AF_INET6') target = { family: 'inet6', address: '::', port: 0 }
          else throw fail(ERRNO.EAFNOSUPPORT, 'Unsupported socket address family')
        } else target = parseUcodeAddress(address)
        await sys(env, 'bind()', () => inner.bind(target))
        return true as const
      })
    }

    async listen(backlog?: unknown): Promise<true | null> {
      return runAsync(env, 'listen()', async () => {
        const state = stateOf(this)
        const b = arg(backlog, 'backlog', 'integer') ?? DEFAULT_BACKLOG
        env.slot.clear()
        const inner = innerOf(state, 'listen()')
        // The kernel caps any backlog at somaxconn, a negative one included.
        const clamped = b < 0 || b > 2 ** 31 - 1 ? 4096 : b
        await sys(env, 'listen()', () => inner.listen(clamped))
        return true as const
      })
    }

    async accept(address?: unknown, flags?: unknown): Promise<UcodeSocket | null> {
      return runAsync(env, 'accept4()', async () => {
        const state = stateOf(this)
        const out = arg(address, 'address', 'object')
        const f = arg(flags, 'flags', 'integer') ?? 0
        env.slot.clear()
        const inner = innerOf(state, 'accept4()')
        if ((f & ~(SOCK.SOCK_NONBLOCK | SOCK.SOCK_CLOEXEC)) !== 0) throw fail(ERRNO.EINVAL, 'accept4()')
        const accepted = await sys(env, 'accept4()', () => inner.accept())
        if (f & SOCK.SOCK_NONBLOCK) {
          try {
            accepted.socket.setNonBlocking(true)
          } catch (error) {
            await accepted.socket.close().catch(() => {})
            throw error
          }
        }
        fillAddress(out, accepted.address)
        return wrap(accepted.socket)
      })
    }

    // send and recv, the data path, run their body inline rather than through runAsync and
    // sys, as one reaction on the contract's promise with handlers made once per module: no
    // closure per call and no async function's hops. Failures get the same context and the
    // same slot, and ucode's answer is the same.
    send(data?: unknown, flags?: unknown, address?: unknown): Promise<number | null> {
      try {
        const state = stateOf(this)
        arg(data, 'data', 'any', true)
        const f = arg(flags, 'flags', 'integer') ?? 0
        arg(address, 'address', 'any')
        env.slot.clear()
        const inner = innerOf(state, 'send()')
        const to = isAbsent(address) ? undefined : parseUcodeAddress(address)
        const names = msgFlagsOf(f, 'send()')
        const bytes = dataBytes(data)
        const sending = to
          ? inner.send(bytes, { flags: names, to })
          : names.length > 0
            ? inner.send(bytes, { flags: names })
            : inner.send(bytes)
        return sending.then(settled, sendFailed)
      } catch (error) {
        return Promise.resolve(failed(env, 'send()', error))
      }
    }

    async sendmsg(data?: unknown, ancillary?: unknown, address?: unknown, flags?: unknown): Promise<number | null> {
      return runAsync(env, 'sendmsg()', async () => {
        const state = stateOf(this)
        const to = arg(address, 'address', 'object')
        const f = arg(flags, 'flags', 'integer') ?? 0
        env.slot.clear()
        const control = isAbsent(ancillary) ? [] : encodeAncillary(ancillary, (item) => fdOf(item, 'sendmsg()'))
        const inner = innerOf(state, 'sendmsg()')
        const buffers: Data[] = []
        if (Array.isArray(data)) {
          for (const item of data) if (!isAbsent(item)) buffers.push(dataBytes(item))
        } else if (!isAbsent(data)) buffers.push(dataBytes(data))
        let target: SocketAddress | undefined
        if (to) {
          try {
            target = parseUcodeAddress(to)
          } catch {
            // ucode drops an address it cannot parse and sends without one.
            target = undefined
          }
        }
        const names = msgFlagsOf(f, 'sendmsg()')
        return sys(env, 'sendmsg()', () =>
          inner.sendmsg(buffers, { flags: names, control, ...(target ? { to: target } : {}) }),
        )
      })
    }

    recv(length?: unknown, flags?: unknown, address?: unknown): Promise<Buffer | null> {
      try {
        const state = stateOf(this)
        const n = arg(length, 'length', 'integer') ?? DEFAULT_RECV_LENGTH
        const f = arg(flags, 'flags', 'integer') ?? 0
        const out = arg(address, 'address', 'object')
        env.slot.clear()
        // ucode returns null for a length below 1 without recording an error.
        if (n <= 0) return Promise.resolve(null)
        const inner = innerOf(state, 'recv()')
        const names = msgFlagsOf(f, 'recv()')
        const size = Math.min(n, 0x7fff_f000)
        const receiving = names.length > 0 ? inner.recv(size, { flags: names }) : inner.recv(size)
        // MSG_TRUNC on a stream: the kernel discards the bytes and returns their count, and
        // ucode hands back its zero-filled buffer of that length (ucode lib/socket.c,
        // uc_socket_inst_recv).
        const zeroFilled = inner.type === 'SOCK_STREAM' && names.includes('MSG_TRUNC')
        if (out === undefined && !zeroFilled) return receiving.then(received, recvFailed)
        return receiving.then((result) => {
          fillAddress(out, senderOf(result.from))
          env.slot.clear()
          return zeroFilled ? Buffer.alloc(result.fullLength ?? result.data.length) : result.data
        }, recvFailed)
      } catch (error) {
        return Promise.resolve(failed(env, 'recv()', error))
      }
    }

    async recvmsg(sizes?: unknown, ancillarySize?: unknown, flags?: unknown): Promise<UcodeMessage | null> {
      return runAsync(env, 'recvmsg()', async () => {
        const state = stateOf(this)
        const ancillary = arg(ancillarySize, 'ancillary length', 'integer')
        const f = arg(flags, 'flags', 'integer') ?? 0
        env.slot.clear()
        let controlSize = 0
        if (ancillary !== undefined) {
          if (ancillary < 0) throw fail(ERRNO.ERANGE, 'Invalid ancillary data length')
          controlSize = Math.min(ancillary, MAX_CONTROL)
        }
        const list = Array.isArray(sizes) ? sizes : [sizes]
        const lengths = list.map((s) => {
          const r = toUnsigned(s)
          if (!r.ok) throw fail(r.errno, 'Invalid length value')
          return Math.min(r.value, 0x7fff_f000)
        })
        const inner = innerOf(state, 'recvmsg()')
        const names = msgFlagsOf(f, 'recvmsg()')
        // The contract needs at least one buffer; ucode's empty array receives into none.
        const r = await sys(env, 'recvmsg()', () =>
          inner.recvmsg({ sizes: lengths.length > 0 ? lengths : [0], controlSize, flags: names }),
        )
        const buffers = [...r.buffers]
        const message: UcodeMessage = {
          flags:
            (r.truncated ? MSG.MSG_TRUNC : 0) |
            (r.controlTruncated ? MSG.MSG_CTRUNC : 0) |
            (r.endOfRecord ? MSG.MSG_EOR : 0) |
            (r.oob ? MSG.MSG_OOB : 0),
          length: r.bytes,
          data: Array.isArray(sizes) ? buffers.slice(0, lengths.length) : (buffers[0] ?? Buffer.alloc(0)),
        }
        const sender = senderOf(r.from)
        if (sender) message.address = toUcodeAddress(sender)
        if (r.control.length > 0) message.ancillary = await decodeAncillary(r.control, adoptReceived)
        return message
      })
    }

    setopt(level?: unknown, option?: unknown, value?: unknown): true | null {
      return runSync(env, 'setsockopt()', () => {
        const state = stateOf(this)
        const l = arg(level, 'level', 'integer', true) as number
        const o = arg(option, 'option', 'integer', true) as number
        arg(value, 'value', 'any', true)
        env.slot.clear()
        const inner = innerOf(state, 'setsockopt()')
        sysSync(env, 'setsockopt()', () => setUcodeOption(inner, l, o, value))
        return true as const
      })
    }

    getopt(level?: unknown, option?: unknown): unknown {
      return runSync(env, 'getsockopt()', () => {
        const state = stateOf(this)
        const l = arg(level, 'level', 'integer', true) as number
        const o = arg(option, 'option', 'integer', true) as number
        env.slot.clear()
        const inner = innerOf(state, 'getsockopt()')
        return sysSync(env, 'getsockopt()', () => getUcodeOption(inner, l, o))
      })
    }

    fileno(): number | null {
      return runSync(env, 'fileno()', () => descriptorOf(stateOf(this)))
    }

    async shutdown(how?: unknown): Promise<true | null> {
      return runAsync(env, 'shutdown()', async () => {
        const state = stateOf(this)
        const h = arg(how, 'how', 'integer') ?? SHUT.SHUT_RD
        env.slot.clear()
        const inner = innerOf(state, 'shutdown()')
        const name =
          h === SHUT.SHUT_RD
            ? 'SHUT_RD'
            : h === SHUT.SHUT_WR
              ? 'SHUT_WR'
              : h === SHUT.SHUT_RDWR
                ? 'SHUT_RDWR'
                : undefined
        if (!name) throw fail(ERRNO.EINVAL, 'shutdown()')
        await sys(env, 'shutdown()', () => inner.shutdown(name))
        return true as const
      })
    }

    peercred(): UcodePeerCredentials | null {
      return runSync(env, 'getsockopt()', () => {
        const inner = innerOf(stateOf(this), 'getsockopt()')
        env.slot.clear()
        const c = sysSync(env, 'getsockopt()', () => inner.peerCredentials())
        return { uid: c.uid >>> 0, gid: c.gid >>> 0, pid: c.pid | 0 }
      })
    }

    peername(): UcodeAddress | null {
      return runSync(env, 'getpeername()', () => {
        const inner = innerOf(stateOf(this), 'getpeername()')
        return toUcodeAddress(sysSync(env, 'getpeername()', () => inner.remoteAddress()))
      })
    }

    sockname(): UcodeAddress | null {
      return runSync(env, 'getsockname()', () => {
        const inner = innerOf(stateOf(this), 'getsockname()')
        return toUcodeAddress(sysSync(env, 'getsockname()', () => inner.localAddress()))
      })
    }

    async close(): Promise<true | null> {
      return runAsync(env, 'close()', async () => {
        const state = stateOf(this)
        state.closed = true
        for (const [fd, handle] of registry) if (handle === this) registry.delete(fd)
        if (state.inner) await sys(env, 'close()', () => state.inner?.close())
        return true as const
      })
    }

    error(numeric?: unknown): string | number | null {
      return env.slot.read(numeric)
    }

    toString(): string {
      const state = peekState(this)
      if (!state || state.closed) return '<socket 0xffffffff>'
      try {
        return `<socket 0x${descriptorOf(state).toString(16)}>`
      } catch {
        return '<socket>'
      }
    }

    [inspect.custom](): string {
      return this.toString()
    }
  }

  const wrap = (inner: Socket | undefined, dead?: { errno: number; fd: number }): UcodeSocket => {
    const handle = new Handle()
    const state: SocketState = {
      env,
      inner,
      deadErrno: dead?.errno ?? ERRNO.EBADF,
      fdNumber: dead ? dead.fd : undefined,
      closed: dead !== undefined && dead.fd < 0,
    }
    attachState(handle, state)
    if (inner && env.backend.supports.fd) {
      try {
        registry.set(inner.fd, handle)
      } catch {
        // No descriptor to index it by; poll() still takes the handle itself.
      }
    }
    return handle
  }

  return { wrap, byFd: (fd) => registry.get(fd), fdOf }
}
