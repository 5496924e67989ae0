import { isSocketError, notSupported, SocketError } from '../errors.js'
import { checkAddress, describe, type SocketAddress } from './address.js'
import { addressFamilyOf, type Family, type MsgFlag, type ShutdownHow, type SocketType } from './names.js'
import { checkOptionValue } from './option-values.js'
import {
  findOption,
  type OptionSpec,
  type OptionValue,
  type Timeval,
  timevalMilliseconds,
  type Ucred,
} from './options.js'
import { detachReceivedFd, forgetReceivedFd, recordReceivedFd } from './received-fds.js'
import type {
  Accepted,
  BatchMessage,
  ConnectOptions,
  ControlMessage,
  Data,
  PollEvent,
  RecvBatchOptions,
  RecvmsgOptions,
  RecvmsgResult,
  RecvOptions,
  RecvResult,
  SendmsgOptions,
  SendOptions,
  Socket,
  WaitReadyOptions,
} from './socket.js'
import { POLL_EVENTS } from './socket.js'
import {
  checkFlags,
  checkInteger,
  checkMilliseconds,
  checkOptions,
  checkShutdownHow,
  checkSignal,
  MAX_IO_BYTES,
  toBytes,
} from './validate.js'

/**
 * How long an operation may wait, as the socket's mode and timeouts decide. A backend's hook
 * honours it: with `nonBlocking`, reject with `EAGAIN` instead of waiting; after `timeoutMs`,
 * reject with `EAGAIN` (`ETIMEDOUT` for connect: the contract turns it into `EINPROGRESS` when the
 * limit came from SO_SNDTIMEO); on `signal`, reject with its reason.
 */
export interface Wait {
  readonly nonBlocking: boolean
  /** Milliseconds; `undefined` waits without limit. */
  readonly timeoutMs: number | undefined
  readonly signal: AbortSignal | undefined
}

/** What a backend passes to {@link AbstractSocket}'s constructor. */
export interface SocketInit {
  readonly family: Family
  readonly type: SocketType
  readonly protocol?: number
  readonly nonBlocking?: boolean
}

/** A checked option for a backend's hook: the typed spec, or the raw numbers for an untyped one. */
export type OptionTarget =
  | { readonly spec: OptionSpec }
  | { readonly spec: undefined; readonly level: number; readonly name: number }

/**
 * The contract's common half: every public method checks its arguments and the socket's
 * state, then calls a protected hook (`_bind`, `_recv`, …) with canonical arguments. Backends
 * extend it and implement the hooks; hooks for optional features default to a
 * `POLYSOCKET_NOT_SUPPORTED` error.
 *
 * It also owns what must behave the same on every backend: `EBADF` after close, close exactly
 * once, the non-blocking flag, and SO_RCVTIMEO / SO_SNDTIMEO (kept here in milliseconds and
 * handed to hooks as a {@link Wait}, because every fd a backend holds may be non-blocking).
 */
export abstract class AbstractSocket implements Socket {
  readonly family: Family
  readonly type: SocketType
  readonly protocol: number
  #closed = false
  #closing: Promise<void> | undefined
  #nonBlocking: boolean
  #recvTimeoutMs = 0
  #sendTimeoutMs = 0
  #lastWait: Wait | undefined
  /** fds received through SCM_RIGHTS that nobody took yet: closed with this socket. */
  /** Made at the first fd received: most sockets never carry one. */
  #receivedFds: Set<number> | undefined
  #fdOwner: { release(fd: number): void } | undefined

  constructor(init: SocketInit) {
    this.family = init.family
    this.type = init.type
    this.protocol = init.protocol ?? 0
    this.#nonBlocking = init.nonBlocking ?? false
  }

  get closed(): boolean {
    return this.#closed
  }

  get nonBlocking(): boolean {
    return this.#nonBlocking
  }

  get fd(): number {
    this.assertOpen('fileno')
    return this._fd()
  }

  async bind(address: SocketAddress): Promise<void> {
    const a = this.#address(address, 'bind')
    this.assertOpen('bind')
    return this._bind(a)
  }

  async listen(backlog = 511): Promise<void> {
    checkInteger(backlog, 'backlog', 0, 2 ** 31 - 1)
    this.assertOpen('listen')
    return this._listen(backlog)
  }

  accept(options?: { readonly signal?: AbortSignal }): Promise<Accepted> {
    try {
      const signal = checkSignal(checkOptions(options).signal, 'options.signal')
      this.assertOpen('accept')
      // Linux copies the listener's SO_RCVTIMEO and SO_SNDTIMEO into the connection accept(2)
      // returns (sk_clone_lock copies sk_rcvtimeo and sk_sndtimeo); the contract keeps both
      // here, so it copies them itself.
      return this._accept(this.#wait(this.#recvTimeoutMs, [], signal)).then((accepted) => {
        if (accepted.socket instanceof AbstractSocket) {
          accepted.socket.#recvTimeoutMs = this.#recvTimeoutMs
          accepted.socket.#sendTimeoutMs = this.#sendTimeoutMs
        }
        return accepted
      })
    } catch (error) {
      return Promise.reject(error)
    }
  }

  connect(address: SocketAddress, options?: ConnectOptions): Promise<void> {
    try {
      const a = this.#address(address, 'connect')
      const o = checkOptions(options)
      const bySendTimeout = o.timeoutMs === undefined
      const timeoutMs = bySendTimeout ? this.#sendTimeoutMs : checkMilliseconds(o.timeoutMs, 'options.timeoutMs')
      const signal = checkSignal(o.signal, 'options.signal')
      this.assertOpen('connect')
      const wait = this.#wait(timeoutMs, [], signal)
      if (!bySendTimeout || wait.timeoutMs === undefined) return this._connect(a, wait)
      return this.#connectBySendTimeout(a, wait, wait.timeoutMs)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async #connectBySendTimeout(address: SocketAddress, wait: Wait, timeoutMs: number): Promise<void> {
    const started = performance.now()
    try {
      await this._connect(address, wait)
    } catch (error) {
      throw sendTimeoutExpiry(error, performance.now() - started, timeoutMs, address)
    }
  }

  // send, recv and the batch calls are not async functions: an async function that returns
  // the hook's promise wraps it in one more, settled two microtask turns later, on every call.
  // A check that throws becomes the rejection an async function would have given.
  send(data: Data, options?: SendOptions): Promise<number> {
    try {
      const bytes = toBytes(data)
      const o = checkOptions(options)
      const flags = checkFlags(o.flags, 'options.flags')
      const to = o.to === undefined ? undefined : this.#address(o.to as SocketAddress, 'sendto', 'options.to')
      const signal = checkSignal(o.signal, 'options.signal')
      this.assertOpen('send')
      return this._send(bytes, flags, to, this.#wait(this.#sendTimeoutMs, flags, signal))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  recv(maxBytes: number, options?: RecvOptions): Promise<RecvResult> {
    try {
      checkInteger(maxBytes, 'maxBytes', 0, MAX_IO_BYTES)
      const o = checkOptions(options)
      const flags = checkFlags(o.flags, 'options.flags')
      const signal = checkSignal(o.signal, 'options.signal')
      const into = o.into === undefined ? undefined : checkInto(o.into, maxBytes)
      this.assertOpen('recv')
      const wait = this.#wait(this.#recvTimeoutMs, flags, signal)
      return into === undefined ? this._recv(maxBytes, flags, wait) : this._recvInto(into, maxBytes, flags, wait)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async sendmsg(buffers: readonly Data[], options?: SendmsgOptions): Promise<number> {
    if (!Array.isArray(buffers)) throw new TypeError(`buffers must be an array, got ${describe(buffers)}`)
    const bytes = buffers.map((b, i) => toBytes(b, `buffers[${i}]`))
    const o = checkOptions(options)
    const flags = checkFlags(o.flags, 'options.flags')
    const to = o.to === undefined ? undefined : this.#address(o.to as SocketAddress, 'sendmsg', 'options.to')
    const control = checkControl(o.control)
    const signal = checkSignal(o.signal, 'options.signal')
    this.assertOpen('sendmsg')
    return this._sendmsg(bytes, { flags, to, control }, this.#wait(this.#sendTimeoutMs, flags, signal))
  }

  async recvmsg(options?: RecvmsgOptions): Promise<RecvmsgResult> {
    const o = checkOptions(options)
    const sizes = o.sizes === undefined ? [4096] : o.sizes
    if (!Array.isArray(sizes) || sizes.length === 0) {
      throw new TypeError(`options.sizes must be a non-empty array of byte counts, got ${describe(sizes)}`)
    }
    for (const [i, s] of sizes.entries()) checkInteger(s, `options.sizes[${i}]`, 0, MAX_IO_BYTES)
    const controlSize = o.controlSize === undefined ? 0 : checkInteger(o.controlSize, 'options.controlSize', 0, 1 << 20)
    const flags = checkFlags(o.flags, 'options.flags')
    const signal = checkSignal(o.signal, 'options.signal')
    this.assertOpen('recvmsg')
    const result = await this._recvmsg(
      sizes as number[],
      controlSize,
      flags,
      this.#wait(this.#recvTimeoutMs, flags, signal),
    )
    const fds = result.control.flatMap((m) => (m.type === 'SCM_RIGHTS' ? m.fds : []))
    if (fds.length > 0 && this.#closed) {
      // close() came while this result was on the way: no one could take these fds any more.
      for (const fd of fds) this._closeReceivedFd(fd)
      throw new SocketError('EBADF', {
        syscall: 'recvmsg',
        message: 'recvmsg EBADF: the socket was closed while its result was on the way; the fds it carried are closed',
      })
    }
    if (fds.length === 0) return result
    this.#receivedFds ??= new Set<number>()
    const received = this.#receivedFds
    this.#fdOwner ??= { release: (fd: number) => received.delete(fd) }
    for (const fd of fds) {
      received.add(fd)
      recordReceivedFd(fd, this.#fdOwner)
    }
    return result
  }

  detachFds(fds?: readonly number[]): number[] {
    if (fds !== undefined && !Array.isArray(fds))
      throw new TypeError(`fds must be an array of fds, got ${describe(fds)}`)
    const received = this.#receivedFds
    const wanted = fds ?? [...(received ?? [])]
    for (const [i, fd] of wanted.entries()) checkInteger(fd, `fds[${i}]`, 0, 2 ** 31 - 1)
    return wanted.filter((fd) => received?.has(fd) === true && detachReceivedFd(fd))
  }

  sendBatch(messages: readonly BatchMessage[], options?: { readonly signal?: AbortSignal }): Promise<number> {
    try {
      if (!Array.isArray(messages)) throw new TypeError(`messages must be an array, got ${describe(messages)}`)
      const batch = messages.map((m: unknown, i) => {
        const o = checkOptions(m, `messages[${i}]`)
        const to =
          o.to === undefined ? undefined : this.#address(o.to as SocketAddress, 'sendmmsg', `messages[${i}].to`)
        return { data: toBytes(o.data, `messages[${i}].data`), to }
      })
      const signal = checkSignal(checkOptions(options).signal, 'options.signal')
      this.assertOpen('sendmmsg')
      if (batch.length === 0) return Promise.resolve(0)
      return this._sendBatch(batch, this.#wait(this.#sendTimeoutMs, [], signal))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  recvBatch(maxMessages: number, options?: RecvBatchOptions): Promise<RecvResult[]> {
    try {
      checkInteger(maxMessages, 'maxMessages', 1, 1024)
      const o = checkOptions(options)
      const maxBytes = o.maxBytes === undefined ? 65_535 : checkInteger(o.maxBytes, 'options.maxBytes', 0, MAX_IO_BYTES)
      const signal = checkSignal(o.signal, 'options.signal')
      this.assertOpen('recvmmsg')
      return this._recvBatch(maxMessages, maxBytes, this.#wait(this.#recvTimeoutMs, [], signal))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async shutdown(how: ShutdownHow): Promise<void> {
    checkShutdownHow(how)
    this.assertOpen('shutdown')
    return this._shutdown(how)
  }

  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed = true
      const received = this.#receivedFds === undefined ? [] : [...this.#receivedFds]
      this.#receivedFds?.clear()
      for (const fd of received) forgetReceivedFd(fd)
      // Without fds to close afterwards, the backend's own promise is the answer.
      this.#closing =
        received.length === 0
          ? this._close()
          : this._close().finally(() => {
              for (const fd of received) this._closeReceivedFd(fd)
            })
    }
    return this.#closing
  }

  getOption(level: string | number, name: string | number, rawLength = 64): OptionValue {
    const target = this.#option(level, name)
    checkInteger(rawLength, 'rawLength', 0, 65536)
    this.assertOpen('getsockopt')
    if (target.spec?.name === 'SO_RCVTIMEO') return this.#recvTimeoutMs
    if (target.spec?.name === 'SO_SNDTIMEO') return this.#sendTimeoutMs
    return this._getOption(target, rawLength)
  }

  setOption(level: string | number, name: string | number, value: OptionValue): void {
    const target = this.#option(level, name)
    // A read-only option is refused as the kernel refuses it, whatever value comes with it.
    const checked = target.spec?.readOnly ? value : checkOptionValue(target.spec, value)
    this.assertOpen('setsockopt')
    if (target.spec?.readOnly) {
      throw new SocketError('ENOPROTOOPT', {
        syscall: 'setsockopt',
        message: `setsockopt ENOPROTOOPT: ${target.spec.name} is read-only`,
      })
    }
    const option = target.spec?.name
    if (option !== 'SO_RCVTIMEO' && option !== 'SO_SNDTIMEO') {
      this._setOption(target, checked)
      return
    }
    const timeout = checked as number | Timeval
    this._setTimeout(target, timeout)
    // The contract keeps the milliseconds its waits use.
    const ms = typeof timeout === 'number' ? timeout : (timevalMilliseconds(timeout) ?? 0)
    if (option === 'SO_RCVTIMEO') this.#recvTimeoutMs = ms
    else this.#sendTimeoutMs = ms
  }

  localAddress(): SocketAddress {
    this.assertOpen('getsockname')
    return this._localAddress()
  }

  remoteAddress(): SocketAddress {
    this.assertOpen('getpeername')
    return this._remoteAddress()
  }

  peerCredentials(): Ucred {
    this.assertOpen('getsockopt')
    return this._peerCredentials()
  }

  async waitReady(events: readonly PollEvent[], options?: WaitReadyOptions): Promise<PollEvent[]> {
    if (!Array.isArray(events)) throw new TypeError(`events must be an array of POLL* names, got ${describe(events)}`)
    for (const e of events) {
      if (!POLL_EVENTS.includes(e)) throw new TypeError(`events holds an unknown POLL* name: ${describe(e)}`)
    }
    const o = checkOptions(options)
    const timeoutMs = o.timeoutMs === undefined ? undefined : checkMilliseconds(o.timeoutMs, 'options.timeoutMs')
    const signal = checkSignal(o.signal, 'options.signal')
    this.assertOpen('poll')
    if (signal?.aborted) throw signal.reason
    return this._waitReady(events, { nonBlocking: timeoutMs === 0, timeoutMs, signal })
  }

  setNonBlocking(on: boolean): void {
    if (typeof on !== 'boolean') throw new TypeError(`on must be a boolean, got ${describe(on)}`)
    this.assertOpen('fcntl')
    this._setNonBlocking(on)
    this.#nonBlocking = on
  }

  /**
   * Throws `EBADF` once the socket is closed; hooks that resume after a wait call it again,
   * so that a socket closed meanwhile never touches its old fd.
   */
  protected assertOpen(syscall: string): void {
    if (this.#closed) throw new SocketError('EBADF', { syscall, message: `${syscall} EBADF: socket is closed` })
  }

  protected abstract _bind(address: SocketAddress): Promise<void>
  protected abstract _listen(backlog: number): Promise<void>
  protected abstract _accept(wait: Wait): Promise<Accepted>
  protected abstract _connect(address: SocketAddress, wait: Wait): Promise<void>
  protected abstract _send(
    data: Buffer,
    flags: readonly MsgFlag[],
    to: SocketAddress | undefined,
    wait: Wait,
  ): Promise<number>
  protected abstract _recv(maxBytes: number, flags: readonly MsgFlag[], wait: Wait): Promise<RecvResult>
  protected abstract _shutdown(how: ShutdownHow): Promise<void>
  /** Releases the socket; called exactly once. Pending operations must settle (with `EBADF`). */
  protected abstract _close(): Promise<void>
  protected abstract _getOption(target: OptionTarget, rawLength: number): OptionValue
  protected abstract _setOption(target: OptionTarget, value: OptionValue): void
  protected abstract _localAddress(): SocketAddress
  protected abstract _remoteAddress(): SocketAddress

  protected _sendmsg(
    _buffers: Buffer[],
    _options: { flags: readonly MsgFlag[]; to: SocketAddress | undefined; control: readonly ControlMessage[] },
    _wait: Wait,
  ): Promise<number> {
    return Promise.reject(notSupported('scatterGather', 'sendmsg'))
  }

  protected _recvmsg(
    _sizes: number[],
    _controlSize: number,
    _flags: readonly MsgFlag[],
    _wait: Wait,
  ): Promise<RecvmsgResult> {
    return Promise.reject(notSupported('scatterGather', 'recvmsg'))
  }

  /**
   * `_recv` into the caller's memory (`into` holds at least `maxBytes` bytes); the result's
   * `data` is a view of `into`. This default receives as `_recv` does and copies; a backend
   * that can read straight into memory overrides it.
   */
  protected _recvInto(into: Buffer, maxBytes: number, flags: readonly MsgFlag[], wait: Wait): Promise<RecvResult> {
    return this._recv(maxBytes, flags, wait).then((result) => {
      const n = result.data.copy(into, 0)
      return { ...result, data: into.subarray(0, n) }
    })
  }

  /** A loop of `_send`; backends with sendmmsg(2) override it (and set `batchIo`). */
  protected async _sendBatch(batch: { data: Buffer; to: SocketAddress | undefined }[], wait: Wait): Promise<number> {
    let sent = 0
    for (const { data, to } of batch) {
      try {
        await this._send(data, [], to, sent === 0 ? wait : { ...wait, nonBlocking: true })
      } catch (error) {
        // Like sendmmsg(2): an error after the first datagram ends the batch with the count so far.
        if (sent === 0) throw error
        return sent
      }
      sent++
    }
    return sent
  }

  /** One waiting `_recv`, then non-blocking ones; backends with recvmmsg(2) override it. */
  protected async _recvBatch(maxMessages: number, maxBytes: number, wait: Wait): Promise<RecvResult[]> {
    const results = [await this._recv(maxBytes, [], wait)]
    while (results.length < maxMessages) {
      try {
        results.push(await this._recv(maxBytes, [], { ...wait, nonBlocking: true }))
      } catch {
        // Whatever stops the batch (EAGAIN, mostly) is seen again by the next call if it lasts.
        break
      }
    }
    return results
  }

  protected _peerCredentials(): Ucred {
    throw notSupported('peerCredentials', 'getsockopt')
  }

  protected _fd(): number {
    throw notSupported('fd', 'fileno')
  }

  /**
   * Closes an fd this socket received through SCM_RIGHTS and nobody took. Backends that
   * receive fds (`ancillaryRights`) implement it; others never have one to close.
   */
  protected _closeReceivedFd(_fd: number): void {}

  /** Called before the mode changes; backends whose fds are always O_NONBLOCK need nothing. */
  protected _setNonBlocking(_on: boolean): void {}

  /**
   * Hook of `setOption` for SO_RCVTIMEO / SO_SNDTIMEO, before the contract records the
   * milliseconds its waits use. The default speaks for a kernel that is not asked: a timeval
   * whose `usec` is outside 0–999,999 is `EDOM`, as Linux's sock_set_timeout answers. A backend
   * with a kernel hands the value to it, so that the fd carries its timeouts (a copy passed to
   * another process keeps them) and the kernel's errno stands.
   * @throws SocketError `EDOM`.
   */
  protected _setTimeout(_target: OptionTarget, value: number | Timeval): void {
    if (typeof value !== 'number' && timevalMilliseconds(value) === undefined) {
      throw new SocketError('EDOM', { syscall: 'setsockopt' })
    }
  }

  /**
   * What an address of another family than the socket's gets, for a backend that cannot ask
   * the kernel: Linux's answer to the sockaddr it would build (an IPv6 socket finds an IPv4
   * sockaddr too short, EINVAL; an IPv4 socket refuses another family, EAFNOSUPPORT; a Unix
   * socket refuses anything but AF_UNIX, EINVAL). A backend whose kernel judges returns
   * `undefined` and passes the address on. Source: inet_bind, inet6_bind, tcp_v4_connect,
   * tcp_v6_connect and unix_bind in Linux's net/.
   */
  protected _wrongFamily(address: SocketAddress, syscall: string): SocketError | undefined {
    const code = this.family === 'AF_INET' ? 'EAFNOSUPPORT' : 'EINVAL'
    return new SocketError(code, {
      syscall,
      message: `${syscall} ${code}: a ${address.family} address on an ${this.family} socket`,
    })
  }

  /**
   * Hook of {@link waitReady}: resolves with the events of `events`, POLLERR and POLLHUP that
   * hold, waiting as `wait` allows (`nonBlocking` asks once; at `timeoutMs` it resolves `[]`).
   */
  protected _waitReady(_events: readonly PollEvent[], _wait: Wait): Promise<PollEvent[]> {
    return Promise.reject(notSupported('waitReady', 'poll'))
  }

  #wait(timeoutMs: number, flags: readonly MsgFlag[], signal: AbortSignal | undefined): Wait {
    const nonBlocking = this.#nonBlocking || flags.includes('MSG_DONTWAIT')
    const limit = timeoutMs > 0 ? timeoutMs : undefined
    if (signal !== undefined) return { nonBlocking, timeoutMs: limit, signal }
    // Without a signal a call's Wait is one of few values: the last one is kept, which spares
    // an object per send or recv in a loop.
    const last = this.#lastWait
    if (last !== undefined && last.nonBlocking === nonBlocking && last.timeoutMs === limit) return last
    this.#lastWait = Object.freeze({ nonBlocking, timeoutMs: limit, signal: undefined })
    return this.#lastWait
  }

  #address(value: SocketAddress, syscall: string, name = 'address'): SocketAddress {
    const a = checkAddress(value, name)
    if (a.family !== addressFamilyOf(this.family)) {
      const error = this._wrongFamily(a, syscall)
      if (error !== undefined) throw error
    }
    return a
  }

  #option(level: unknown, name: unknown): OptionTarget {
    if (typeof level !== 'string' && typeof level !== 'number') {
      throw new TypeError(`level must be an option level name or number, got ${describe(level)}`)
    }
    if (typeof name !== 'string' && typeof name !== 'number') {
      throw new TypeError(`name must be an option name or number, got ${describe(name)}`)
    }
    const spec = findOption(level, name)
    if (spec) return { spec }
    if (typeof level === 'number' && typeof name === 'number') {
      checkInteger(level, 'level', 0, 2 ** 31 - 1)
      checkInteger(name, 'name', 0, 2 ** 31 - 1)
      return { spec: undefined, level, name }
    }
    throw new TypeError(`unknown socket option ${String(level)}/${String(name)}; pass numbers for untyped options`)
  }
}

/**
 * Checks `options.into` of recv: a Uint8Array of at least `maxBytes` bytes; a Buffer over
 * the same memory.
 * @throws TypeError / RangeError naming the option.
 */
function checkInto(value: unknown, maxBytes: number): Buffer {
  if (!(value instanceof Uint8Array)) throw new TypeError(`options.into must be a Uint8Array, got ${describe(value)}`)
  if (value.byteLength < maxBytes) {
    throw new RangeError(`options.into holds ${value.byteLength} bytes, fewer than maxBytes (${maxBytes})`)
  }
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

/**
 * Timers may fire this many milliseconds before a deadline measured with `performance.now()`
 * (Node rounds timer delays to whole milliseconds).
 */
const TIMER_SLACK_MS = 2

/**
 * What a connect bounded by SO_SNDTIMEO reports when the option expires: `EINPROGRESS`, which
 * is what Linux returns from a blocking connect(2) whose send timeout ran out (socket(7),
 * SO_RCVTIMEO and SO_SNDTIMEO). A backend's hook reports every expiry as `ETIMEDOUT` (the answer for an
 * explicit `timeoutMs`); an `ETIMEDOUT` that came before the deadline is the kernel's own
 * (the handshake gave up) and stands.
 */
function sendTimeoutExpiry(error: unknown, elapsedMs: number, timeoutMs: number, target: SocketAddress): unknown {
  if (!isSocketError(error, 'ETIMEDOUT') || elapsedMs < timeoutMs - TIMER_SLACK_MS) return error
  const where = target.family === 'unix' ? { address: target.path } : { address: target.address, port: target.port }
  return new SocketError('EINPROGRESS', {
    syscall: 'connect',
    ...where,
    message: `connect EINPROGRESS: SO_SNDTIMEO (${timeoutMs} ms) expired before the connection was established`,
    cause: error,
  })
}

function checkControl(value: unknown): readonly ControlMessage[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new TypeError(`options.control must be an array, got ${describe(value)}`)
  value.forEach((m: unknown, i) => {
    const name = `options.control[${i}]`
    const c = checkOptions(m, name)
    if (c.type === 'SCM_RIGHTS') {
      if (!Array.isArray(c.fds)) throw new TypeError(`${name}.fds must be an array of fds`)
      for (const [j, fd] of (c.fds as unknown[]).entries()) checkInteger(fd, `${name}.fds[${j}]`, 0, 2 ** 31 - 1)
    } else if (c.type === 'SCM_CREDENTIALS') {
      for (const k of ['pid', 'uid', 'gid']) checkInteger(c[k], `${name}.${k}`, 0, 2 ** 32 - 1)
    } else if (c.type === 'raw') {
      checkInteger(c.level, `${name}.level`, 0, 2 ** 31 - 1)
      checkInteger(c.messageType, `${name}.messageType`, 0, 2 ** 31 - 1)
      if (!(c.data instanceof Uint8Array)) throw new TypeError(`${name}.data must be a Uint8Array`)
    } else {
      throw new TypeError(`${name}.type must be 'SCM_RIGHTS', 'SCM_CREDENTIALS' or 'raw', got ${describe(c.type)}`)
    }
  })
  return value as ControlMessage[]
}
