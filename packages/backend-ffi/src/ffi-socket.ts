import {
  AbstractSocket,
  type Accepted,
  type ControlMessage,
  type MsgFlag,
  type OptionTarget,
  type OptionValue,
  type PollEvent,
  type RecvmsgResult,
  type RecvResult,
  type ShutdownHow,
  type SocketAddress,
  SocketError,
  type SocketInit,
  type Timeval,
  type Ucred,
  type Wait,
} from '@polysocket/core'
import { DATA_SIZE, REGION } from './arena.js'
import { codeError, errnoError } from './errors.js'
import { turn } from './fairness.js'
import {
  AGAIN,
  ALWAYS,
  DGRAM_RECV_CAP,
  DGRAM_RETRY_MS,
  E,
  LARGE_READ,
  msgFlags,
  receiveBuffer,
  STREAM_RECV_CAP,
  shrink,
  where,
} from './io-support.js'
import { receiveBatch, sendBatch } from './mmsg.js'
import { receiveMessage, sendMessage } from './msg.js'
import { getOption, setOption } from './options.js'
import { disown, own } from './owned-fds.js'
import { MSG, SHUT, SOCK, LINUX_EXTRA as X } from './platform-linux.js'
import { type Pollable, READ, WRITE } from './readiness.js'
import { pollBits, waitForEvents } from './ready-events.js'
import { orErrno, type Runtime } from './runtime.js'
import { decodeSockaddr, encodeSockaddr } from './sockaddr.js'

/**
 * A socket of the contract on a libc file descriptor. The fd is always O_NONBLOCK and
 * O_CLOEXEC; the contract's blocking mode lives in {@link AbstractSocket}. Each operation tries
 * its syscall first and waits for readiness (readiness.ts) only after EAGAIN; EINTR is retried
 * everywhere except close(2). The fd is closed exactly once, after its epoll registration is
 * removed and its pending waits are rejected with EBADF; afterwards the number is never used.
 */
export class FfiSocket extends AbstractSocket {
  #fd: number
  readonly #rt: Runtime
  readonly #poll: Pollable
  /** Bytes the last recv returned: picks the copy or zero-copy path for the next one. */
  #lastRead = 0

  constructor(rt: Runtime, fd: number, init: SocketInit) {
    super(init)
    this.#rt = rt
    this.#fd = fd
    this.#poll = rt.reactor.track(fd)
    own(fd)
  }

  protected override _fd(): number {
    return this.#fd
  }

  protected async _bind(address: SocketAddress): Promise<void> {
    const { view, address: base } = this.#rt.arena
    const len = encodeSockaddr(address, view, REGION.addrIn)
    if (this.#rt.libc.bind(this.#fd, base + REGION.addrIn, len) === -1)
      throw errnoError('bind', this.#rt.engine.errno(), address)
  }

  protected async _listen(backlog: number): Promise<void> {
    if (this.#rt.libc.listen(this.#fd, backlog) === -1) throw errnoError('listen', this.#rt.engine.errno())
  }

  protected _accept(wait: Wait): Promise<Accepted> {
    return this.io('accept', READ, wait, () => {
      const { view, address: base } = this.#rt.arena
      for (;;) {
        view.fill(0, REGION.addrOut, REGION.addrOut + 128)
        view.writeUInt32LE(128, REGION.len)
        const fd = this.#rt.libc.accept4(
          this.#fd,
          base + REGION.addrOut,
          base + REGION.len,
          SOCK.SOCK_NONBLOCK | SOCK.SOCK_CLOEXEC,
        )
        if (fd === -1) {
          const e = this.#rt.engine.errno()
          if (e === E.EAGAIN) return AGAIN
          // A connection reset before accept: Linux reports it; the listener stays usable.
          if (e === E.EINTR || e === E.ECONNABORTED) continue
          throw errnoError('accept', e)
        }
        const address = decodeSockaddr(view, REGION.addrOut, view.readUInt32LE(REGION.len))
        // Accepted sockets are blocking in the contract's sense, whatever the listener's mode.
        const socket = new FfiSocket(this.#rt, fd, { family: this.family, type: this.type, protocol: this.protocol })
        return { socket, address }
      }
    })
  }

  protected async _connect(address: SocketAddress, wait: Wait): Promise<void> {
    const deadline = wait.timeoutMs === undefined ? undefined : performance.now() + wait.timeoutMs
    const { view, address: base } = this.#rt.arena
    for (;;) {
      const len = encodeSockaddr(address, view, REGION.addrIn)
      if (this.#rt.libc.connect(this.#fd, base + REGION.addrIn, len) === 0) return
      const e = this.#rt.engine.errno()
      if (e === E.EINPROGRESS || e === E.EINTR) break
      // AF_UNIX: the listener's backlog is full. No edge announces room, so poll for it.
      if (e === E.EAGAIN && this.family === 'AF_UNIX') {
        if (wait.nonBlocking) throw errnoError('connect', e, address)
        const more = await this.#rt.reactor.wait(this.#poll, WRITE, deadline, wait.signal, DGRAM_RETRY_MS)
        this.assertOpen('connect')
        if (!more) throw codeError('connect', 'ETIMEDOUT')
        continue
      }
      throw errnoError('connect', e, address)
    }
    if (wait.nonBlocking) throw errnoError('connect', E.EINPROGRESS, address)
    // On loopback the handshake has usually finished inside the first connect(2): asking once
    // more costs one call and, when done, saves the epoll registration, the wait, the drain and
    // SO_ERROR (a refusal is reported here too, as connect(2) returns the pending error).
    {
      const len = encodeSockaddr(address, view, REGION.addrIn)
      if (this.#rt.libc.connect(this.#fd, base + REGION.addrIn, len) === 0) return
      const again = this.#rt.engine.errno()
      if (again === E.EISCONN) return
      if (again !== E.EALREADY && again !== E.EINPROGRESS && again !== E.EINTR)
        throw errnoError('connect', again, address)
    }
    for (;;) {
      const ready = await this.#rt.reactor.wait(this.#poll, WRITE, deadline, wait.signal)
      this.assertOpen('connect')
      if (!ready) throw new SocketError('ETIMEDOUT', { syscall: 'connect', ...where(address) })
      const error = getOption(this.#rt, this.#fd, { spec: undefined, level: 1, name: X.SO_ERROR }, 4) as Buffer
      const code = error.readInt32LE(0)
      if (code !== 0) throw errnoError('connect', code, address)
      // connect(2) once more turns the kernel's "connecting" state into "connected", so that a
      // later connect() reports EISCONN as on a blocking socket.
      const len = encodeSockaddr(address, view, REGION.addrIn)
      if (this.#rt.libc.connect(this.#fd, base + REGION.addrIn, len) === 0) return
      const again = this.#rt.engine.errno()
      if (again === E.EISCONN) return
      if (again !== E.EALREADY && again !== E.EINPROGRESS && again !== E.EINTR)
        throw errnoError('connect', again, address)
    }
  }

  protected async _send(
    data: Buffer,
    flags: readonly MsgFlag[],
    to: SocketAddress | undefined,
    wait: Wait,
  ): Promise<number> {
    const bits = msgFlags(flags) | ALWAYS
    const stream = this.type === 'SOCK_STREAM'
    const deadline = wait.timeoutMs === undefined ? undefined : performance.now() + wait.timeoutMs
    const poll = this.#poll
    let sent = 0
    let expired = false
    // A datagram to a full unconnected peer gets no edge when the peer drains (a retry timer
    // ends that wait), so only a stream send starts by waiting when room is known absent.
    let skip = stream && !wait.nonBlocking && !poll.mayProceed(WRITE)
    for (;;) {
      if (!skip) {
        const n = this.#sendOnce(stream ? data.subarray(sent) : data, bits, to)
        if (n === -E.EINTR) continue
        if (n >= 0) {
          sent += n
          if (!stream || sent >= data.length) {
            const t = turn()
            if (t) await t
            return sent
          }
          // A partial stream write filled the send buffer: the next edge tells of room.
          poll.blocked(WRITE)
          if (wait.nonBlocking || expired) return sent
        } else if (n === -E.EAGAIN) {
          poll.blocked(WRITE)
          if (wait.nonBlocking || expired) {
            if (sent > 0) return sent
            throw codeError('send', 'EAGAIN')
          }
        } else {
          if (sent > 0) return sent
          throw errnoError('send', -n, to)
        }
      }
      skip = false
      const retry = stream ? undefined : DGRAM_RETRY_MS
      const ready = await this.#rt.reactor.wait(poll, WRITE, deadline, wait.signal, retry)
      this.assertOpen('send')
      // On timeout, one last attempt: what became possible meanwhile still goes through.
      if (!ready) expired = true
    }
  }

  /** One send(2)/sendto(2); returns the byte count or minus errno. */
  #sendOnce(data: Buffer, bits: number, to: SocketAddress | undefined): number {
    const { libc, arena, engine } = this.#rt
    const addrLen = to === undefined ? 0 : encodeSockaddr(to, arena.view, REGION.addrIn)
    const addr = to === undefined ? 0 : arena.address + REGION.addrIn
    let n: number
    if (data.length <= engine.inPlaceAbove) {
      data.copy(arena.view, REGION.data)
      const at = arena.address + REGION.data
      n =
        to === undefined
          ? libc.send(this.#fd, at, data.length, bits)
          : libc.sendto(this.#fd, at, data.length, bits, addr, addrLen)
    } else {
      n =
        to === undefined
          ? libc.sendBuffer(this.#fd, data, data.length, bits)
          : libc.sendtoBuffer(this.#fd, data, data.length, bits, addr, addrLen)
    }
    return orErrno(this.#rt, n)
  }

  protected _recv(maxBytes: number, flags: readonly MsgFlag[], wait: Wait): Promise<RecvResult> {
    return this.#receive(maxBytes, flags, wait, undefined)
  }

  /** Straight into the caller's memory: no Buffer of the backend's, no copy. */
  protected override _recvInto(
    into: Buffer,
    maxBytes: number,
    flags: readonly MsgFlag[],
    wait: Wait,
  ): Promise<RecvResult> {
    return this.#receive(maxBytes, flags, wait, into)
  }

  /** recv(2) / recvfrom(2) into `into` when given, else into a Buffer of its own or the arena. */
  async #receive(
    maxBytes: number,
    flags: readonly MsgFlag[],
    wait: Wait,
    into: Buffer | undefined,
  ): Promise<RecvResult> {
    const stream = this.type === 'SOCK_STREAM'
    const peek = flags.includes('MSG_PEEK')
    const waitAll = stream && flags.includes('MSG_WAITALL') && !peek
    const userTrunc = flags.includes('MSG_TRUNC')
    // Urgent data has an edge of its own (EPOLLPRI): such reads are always tried.
    const ordinary = !flags.includes('MSG_OOB')
    // On message sockets MSG_TRUNC makes the kernel return the full length, which tells truncation.
    const bits = (msgFlags(flags) | ALWAYS | (stream ? 0 : MSG.MSG_TRUNC)) & ~MSG.MSG_WAITALL
    const withFrom = this.type === 'SOCK_DGRAM' || this.type === 'SOCK_RAW'
    // The caps bound what the backend allocates; the caller's memory is read whole.
    const size = waitAll || into ? maxBytes : Math.min(maxBytes, stream ? STREAM_RECV_CAP : DGRAM_RECV_CAP)
    const poll = this.#poll
    // Straight into a Buffer when the whole size is needed, or when this socket's last read was
    // large (bulk traffic); through the arena (then one small copy) for small messages.
    const large = Math.max(LARGE_READ, this.#rt.engine.inPlaceAbove)
    const direct = waitAll || (!stream && size > DATA_SIZE) || (size > large && this.#lastRead > large)
    const big = into ?? (direct ? receiveBuffer(size) : undefined)
    let got = 0
    const parts: Buffer[] = []
    let deadline: number | undefined
    let expired = false
    let skip = ordinary && !wait.nonBlocking && !poll.mayProceed(READ)
    for (;;) {
      if (!skip) {
        const room = big ? size - got : Math.min(size - got, DATA_SIZE)
        const n = this.#recvOnce(big ? big.subarray(got) : undefined, room, bits, withFrom)
        if (n === -E.EINTR) continue
        if (n >= 0) {
          this.#lastRead = n
          // A short stream read emptied the queue; a datagram read says nothing of the next one.
          if (stream && ordinary && !peek && n > 0 && n < room) poll.blocked(READ)
          if (stream && userTrunc) return { data: Buffer.alloc(0), truncated: false, fullLength: n }
          const kept = Math.min(n, room)
          if (!big) parts.push(Buffer.from(this.#rt.arena.view.subarray(REGION.data, REGION.data + kept)))
          got += kept
          if (!stream) {
            const { view } = this.#rt.arena
            const data = into ? into.subarray(0, kept) : big ? shrink(big, kept) : (parts[0] as Buffer)
            const from = withFrom ? decodeSockaddr(view, REGION.addrOut, view.readUInt32LE(REGION.len)) : undefined
            const t = turn()
            if (t) await t
            return {
              data,
              truncated: n > maxBytes,
              ...(userTrunc ? { fullLength: n } : {}),
              ...(from ? { from } : {}),
            }
          }
          if (!waitAll || n === 0 || got >= size) break
          continue
        }
        if (n !== -E.EAGAIN) {
          if (got > 0) break
          throw errnoError('recv', -n)
        }
        if (ordinary) poll.blocked(READ)
        if (wait.nonBlocking || expired) {
          if (got > 0) break
          throw codeError('recv', 'EAGAIN')
        }
      }
      skip = false
      if (deadline === undefined && wait.timeoutMs !== undefined) deadline = performance.now() + wait.timeoutMs
      const ready = await this.#rt.reactor.wait(poll, READ, deadline, wait.signal)
      this.assertOpen('recv')
      if (!ready) expired = true
    }
    const data = into
      ? into.subarray(0, got)
      : big
        ? shrink(big, got)
        : parts.length === 1
          ? (parts[0] as Buffer)
          : Buffer.concat(parts, got)
    const t = turn()
    if (t) await t
    return { data, truncated: false }
  }

  /** One recv(2)/recvfrom(2) into `into` or the arena's data region; returns the byte count or minus errno. */
  #recvOnce(into: Buffer | undefined, length: number, bits: number, withFrom: boolean): number {
    const { libc, arena } = this.#rt
    const { view, address: base } = arena
    let n: number
    if (!withFrom && !into) n = libc.recv(this.#fd, base + REGION.data, length, bits)
    else if (!withFrom && into) n = libc.recvBuffer(this.#fd, into, length, bits)
    else {
      view.fill(0, REGION.addrOut, REGION.addrOut + 128)
      view.writeUInt32LE(128, REGION.len)
      n = into
        ? libc.recvfromBuffer(this.#fd, into, length, bits, base + REGION.addrOut, base + REGION.len)
        : libc.recvfrom(this.#fd, base + REGION.data, length, bits, base + REGION.addrOut, base + REGION.len)
    }
    return orErrno(this.#rt, n)
  }

  protected override _sendmsg(
    buffers: Buffer[],
    options: { flags: readonly MsgFlag[]; to: SocketAddress | undefined; control: readonly ControlMessage[] },
    wait: Wait,
  ): Promise<number> {
    const bits = msgFlags(options.flags) | ALWAYS
    const retry = this.type === 'SOCK_STREAM' ? undefined : DGRAM_RETRY_MS
    return this.io(
      'sendmsg',
      WRITE,
      wait,
      () => {
        for (;;) {
          const n = sendMessage(this.#rt, this.#fd, buffers, options.to, options.control, bits)
          if (n === -E.EINTR) continue
          if (n === -E.EAGAIN) return AGAIN
          if (n < 0) throw errnoError('sendmsg', -n, options.to)
          return n
        }
      },
      retry,
    ).then(async (n) => {
      const total = buffers.reduce((s, b) => s + b.length, 0)
      // Blocking stream semantics: the rest goes out as plain data (ancillary data rode the first byte).
      if (this.type !== 'SOCK_STREAM' || n >= total || wait.nonBlocking) return n
      return n + (await this._send(Buffer.concat(buffers).subarray(n), options.flags, undefined, wait))
    })
  }

  protected override _recvmsg(
    sizes: number[],
    controlSize: number,
    flags: readonly MsgFlag[],
    wait: Wait,
  ): Promise<RecvmsgResult> {
    const bits = msgFlags(flags) | MSG.MSG_DONTWAIT | MSG.MSG_CMSG_CLOEXEC
    const withFrom = this.type === 'SOCK_DGRAM' || this.type === 'SOCK_RAW'
    const stream = this.type === 'SOCK_STREAM'
    // As _recv does: never allocate more than one read can return. Asked for 2 GiB, allocating
    // (and zeroing) it blocked the event loop for seconds; the buffers keep their number.
    const waitAll = stream && flags.includes('MSG_WAITALL')
    const capped = waitAll ? sizes : capSizes(sizes, stream ? STREAM_RECV_CAP : DGRAM_RECV_CAP)
    return this.io('recvmsg', READ, wait, () => {
      for (;;) {
        const r = receiveMessage(this.#rt, this.#fd, capped, controlSize, bits, withFrom)
        if (r === -E.EINTR) continue
        if (r === -E.EAGAIN) return AGAIN
        if (typeof r === 'number') throw errnoError('recvmsg', -r)
        return r
      }
    })
  }

  protected override _sendBatch(batch: { data: Buffer; to: SocketAddress | undefined }[], wait: Wait): Promise<number> {
    const retry = this.type === 'SOCK_STREAM' ? undefined : DGRAM_RETRY_MS
    return this.io(
      'sendmmsg',
      WRITE,
      wait,
      () => {
        for (;;) {
          const n = sendBatch(this.#rt, this.#fd, batch, ALWAYS)
          if (n === -E.EINTR) continue
          if (n === -E.EAGAIN) return AGAIN
          if (n < 0) throw errnoError('sendmmsg', -n)
          return n
        }
      },
      retry,
    )
  }

  protected override _recvBatch(maxMessages: number, maxBytes: number, wait: Wait): Promise<RecvResult[]> {
    const withFrom = this.type === 'SOCK_DGRAM' || this.type === 'SOCK_RAW'
    return this.io('recvmmsg', READ, wait, () => {
      for (;;) {
        const r = receiveBatch(this.#rt, this.#fd, maxMessages, maxBytes, MSG.MSG_DONTWAIT, withFrom)
        if (r === -E.EINTR) continue
        if (r === -E.EAGAIN) return AGAIN
        if (typeof r === 'number') throw errnoError('recvmmsg', -r)
        return r
      }
    })
  }

  protected async _shutdown(how: ShutdownHow): Promise<void> {
    if (this.#rt.libc.shutdown(this.#fd, SHUT[how]) === -1) throw errnoError('shutdown', this.#rt.engine.errno())
  }

  protected async _close(): Promise<void> {
    const fd = this.#fd
    this.#fd = -1
    this.#rt.reactor.forget(this.#poll, 'close')
    disown(fd)
    // Never retried: after EINTR the fd is gone on Linux, and its number may be reused already.
    this.#rt.libc.close(fd)
  }

  /** SO_RCVTIMEO / SO_SNDTIMEO go to the kernel, which judges a timeval (EDOM) and keeps them on the fd. */
  protected override _setTimeout(target: OptionTarget, value: number | Timeval): void {
    setOption(this.#rt, this.#fd, target, value)
  }

  /** The kernel judges an address of another family (and its errno stands). */
  protected override _wrongFamily(): undefined {
    return undefined
  }

  protected override _waitReady(events: readonly PollEvent[], wait: Wait): Promise<PollEvent[]> {
    const now = performance.now()
    const deadline = wait.nonBlocking ? now : wait.timeoutMs === undefined ? undefined : now + wait.timeoutMs
    return waitForEvents(this.#rt, this.#poll, () => this.#fd, pollBits(events), deadline, wait.signal)
  }

  protected override _closeReceivedFd(fd: number): void {
    this.#rt.libc.close(fd)
  }

  protected _getOption(target: OptionTarget, rawLength: number): OptionValue {
    return getOption(this.#rt, this.#fd, target, rawLength)
  }

  protected _setOption(target: OptionTarget, value: OptionValue): void {
    setOption(this.#rt, this.#fd, target, value)
  }

  protected _localAddress(): SocketAddress {
    return this.#name('getsockname')
  }

  protected _remoteAddress(): SocketAddress {
    return this.#name('getpeername')
  }

  #name(syscall: 'getsockname' | 'getpeername'): SocketAddress {
    const { view, address: base } = this.#rt.arena
    view.fill(0, REGION.addrOut, REGION.addrOut + 128)
    view.writeUInt32LE(128, REGION.len)
    const f = syscall === 'getsockname' ? this.#rt.libc.getsockname : this.#rt.libc.getpeername
    if (f(this.#fd, base + REGION.addrOut, base + REGION.len) === -1) throw errnoError(syscall, this.#rt.engine.errno())
    return decodeSockaddr(view, REGION.addrOut, view.readUInt32LE(REGION.len))
  }

  protected override _peerCredentials(): Ucred {
    if (this.family !== 'AF_UNIX') {
      throw new SocketError('ENOPROTOOPT', {
        syscall: 'getsockopt',
        message: 'getsockopt ENOPROTOOPT: SO_PEERCRED needs an AF_UNIX socket',
      })
    }
    this.#name('getpeername')
    return getOption(this.#rt, this.#fd, { spec: undefined, level: 1, name: X.SO_PEERCRED }, 12, 'ucred') as Ucred
  }

  /**
   * The I/O loop: `attempt` returns a result, {@link AGAIN} to wait for `dir`, or throws. A
   * blocking call whose direction is known to block waits before its first attempt.
   */
  protected async io<R>(
    syscall: string,
    dir: number,
    wait: Wait,
    attempt: () => R | typeof AGAIN,
    retryMs?: number,
  ): Promise<R> {
    const poll = this.#poll
    let deadline: number | undefined
    let expired = false
    let skip = retryMs === undefined && !wait.nonBlocking && !poll.mayProceed(dir)
    for (;;) {
      if (!skip) {
        const r = attempt()
        if (r !== AGAIN) {
          const t = turn()
          if (t) await t
          return r
        }
        poll.blocked(dir)
        if (wait.nonBlocking || expired) throw codeError(syscall, 'EAGAIN')
      }
      skip = false
      if (deadline === undefined && wait.timeoutMs !== undefined) deadline = performance.now() + wait.timeoutMs
      const ready = await this.#rt.reactor.wait(poll, dir, deadline, wait.signal, retryMs)
      this.assertOpen(syscall)
      // On timeout, one last attempt: what arrived meanwhile is still delivered.
      if (!ready) expired = true
    }
  }
}

/** The sizes cut down, first ones first, so that they add up to at most `cap` bytes. */
function capSizes(sizes: readonly number[], cap: number): number[] {
  let left = cap
  return sizes.map((size) => {
    const take = Math.min(size, left)
    left -= take
    return take
  })
}
