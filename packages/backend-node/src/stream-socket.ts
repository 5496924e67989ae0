import { type ListenOptions, type NetConnectOpts, type Socket as NetSocket, connect as netConnect } from 'node:net'
import {
  type Accepted,
  type MsgFlag,
  notSupported,
  type OptionTarget,
  type OptionValue,
  type PollEvent,
  type RecvResult,
  type ShutdownHow,
  type SocketAddress,
  SocketError,
  type SocketInit,
  type Wait,
} from '@polysocket/core'
import { unspecified } from './address.js'
import { errnoError, fromNodeError } from './errors.js'
import { Listener } from './listener.js'
import { Notifier, untilClosed, type Waitable, waitFor } from './notifier.js'
import { computedOption, type OptionSubject } from './options.js'
import { waitForReady } from './ready.js'
import { ScatterSocket } from './scatter.js'
import { Connection } from './stream-connection.js'
import { getSocketLevelOption, setSocketLevelOption } from './stream-options.js'

const EMPTY = Buffer.alloc(0)
/** The options of a socket that set none: most sockets, and a map each would cost them. */
const NO_OPTIONS: ReadonlyMap<string, OptionValue> = new Map()
/** What every close resolves with (no promise of its own per socket). */
const CLOSED = Promise.resolve()

/** A socket handed over by a listener: the connected Node socket and the listener's options. */
export interface AcceptedInit {
  readonly socket: NetSocket
  readonly options: ReadonlyMap<string, OptionValue>
}

/**
 * The contract's SOCK_STREAM socket on node:net, shared by TCP and Unix stream sockets.
 *
 * States: idle → bound (a Node server already listens, holding the address) → listening
 * (accept() takes from the server's queue); or idle/bound → connecting → connected (a Node
 * socket with a receive queue). See the package README for why bind() listens.
 */
export abstract class StreamSocket extends ScatterSocket implements Waitable, OptionSubject {
  #notifier: Notifier | undefined
  /** Option values set by the caller, by {@link optionKey}; made at the first one set. */
  #options: Map<string, OptionValue> | undefined
  #listener: Listener | undefined
  #listening = false
  #binding = false
  #bound: SocketAddress | undefined
  #conn: Connection | undefined
  #connecting = false
  /** getsockname's answer, read on first use or just before Node closes the handle. */
  #local: SocketAddress | undefined
  #remote: SocketAddress | undefined
  /** The address the current connect went to. */
  #target: SocketAddress | undefined
  /** A failed non-blocking connect's error, for SO_ERROR and the next recv/send. */
  #soError: SocketError | undefined

  constructor(init: SocketInit, accepted?: AcceptedInit) {
    super(init)
    if (accepted) {
      if (accepted.options.size > 0) this.#options = new Map(accepted.options)
      this.#conn = this.#connection(accepted.socket, true)
      // Settled on first use, once the subclass's fields exist.
      this.#connecting = true
    }
  }

  /** Option values set by the caller, by {@link optionKey}; applied to Node handles as they appear. */
  protected get stored(): ReadonlyMap<string, OptionValue> {
    return this.#options ?? NO_OPTIONS
  }

  /** Keeps an option's value (see {@link stored}). */
  protected store(key: string, value: OptionValue): void {
    this.#options ??= new Map()
    this.#options.set(key, value)
  }

  /** Made when something first waits: a socket nobody waits on (an accepted one closed at once) needs none. */
  get notifier(): Notifier {
    this.#notifier ??= new Notifier()
    return this.#notifier
  }

  /** The socket's state changed: its waiters, if any, look again. */
  #changed(): void {
    this.#notifier?.notify()
  }

  /** The protocol number getsockopt(SO_PROTOCOL) reports. */
  abstract readonly protocolNumber: number

  /** Node's listen options for a bind to `address` (`undefined`: the implicit bind of listen()). */
  protected abstract listenOptions(address: SocketAddress | undefined): ListenOptions
  /**
   * Node's connect options, with `allowHalfOpen` (the peer's FIN ends only its direction, as in
   * the kernel); `local` is the address bound before connect, if any.
   */
  protected abstract connectOptions(address: SocketAddress, local: SocketAddress | undefined): NetConnectOpts
  /** The address a listening Node server holds. */
  protected abstract serverAddress(listener: Listener, requested: SocketAddress | undefined): SocketAddress
  /** getsockname(2) of a connected Node socket. */
  protected abstract localEndpoint(socket: NetSocket): SocketAddress
  /** getpeername(2) of a connected Node socket. */
  protected abstract remoteEndpoint(socket: NetSocket): SocketAddress
  /** The peer getpeername(2) reports after a connect to `target`, when it is known without asking; else `undefined`. */
  protected abstract peerOf(target: SocketAddress): SocketAddress | undefined
  /** Wraps a connection the listener accepted. */
  protected abstract acceptedSocket(init: AcceptedInit): StreamSocket
  /** Applies the stored options that Node can set on a connected socket. */
  protected abstract applyOptions(socket: NetSocket): void
  /** The errno of send() on a socket that never connected (EPIPE for TCP, ENOTCONN for Unix). */
  protected abstract readonly unconnectedSend: 'EPIPE' | 'ENOTCONN'
  /** The errno of recv() on a socket that never connected (ENOTCONN for TCP, EINVAL for Unix). */
  protected abstract readonly unconnectedRecv: 'ENOTCONN' | 'EINVAL'

  get listening(): boolean {
    return this.#listening
  }

  /** Whether a Node handle (server or socket) exists: options set now apply at once. */
  protected get connection(): Connection | undefined {
    return this.#connecting ? undefined : this.#conn
  }

  protected get isBound(): boolean {
    return this.#bound !== undefined || this.#conn !== undefined || this.#binding
  }

  checkOpen(syscall: string): void {
    this.assertOpen(syscall)
  }

  takeError(): number {
    this.#settle()
    const e = this.#soError ?? this.#conn?.takeError()
    this.#soError = undefined
    return e?.errno ?? 0
  }

  protected async _bind(address: SocketAddress): Promise<void> {
    if (this.isBound) throw errnoError('EINVAL', 'bind', 'the socket is already bound')
    this.#binding = true
    try {
      const listener = await this.#open(this.listenOptions(address), address)
      this.#listener = listener
      this.#bound = this.serverAddress(listener, address)
    } finally {
      this.#binding = false
    }
  }

  protected async _listen(_backlog: number): Promise<void> {
    this.#settle()
    if (this.#conn) throw errnoError('EINVAL', 'listen', 'the socket is connected')
    if (this.#binding) throw errnoError('EINVAL', 'listen', 'a bind is in progress')
    if (!this.#listener) {
      this.#binding = true
      try {
        // Unbound: the kernel's implicit bind; bound but without a server (a connect failed
        // after bind): the same address again.
        const at = this.#bound
        const listener = await this.#open({ ...this.listenOptions(at), backlog: _backlog }, at)
        this.#listener = listener
        this.#bound = this.serverAddress(listener, at)
      } finally {
        this.#binding = false
      }
    }
    this.#listening = true
    this.#changed()
  }

  protected _accept(wait: Wait): Promise<Accepted> {
    if (!this.#listening) return Promise.reject(errnoError('EINVAL', 'accept', 'the socket is not listening'))
    return waitFor(this, wait, 'accept', () => {
      const listener = this.#listener
      if (!listener) throw errnoError('EINVAL', 'accept', 'the socket is not listening')
      const accepted = listener.take()
      if (accepted) {
        ;(accepted.socket as StreamSocket).#conn?.socket.resume()
        return accepted
      }
      if (listener.error) {
        const error = listener.error
        listener.error = undefined
        throw error
      }
      return undefined
    })
  }

  protected _connect(address: SocketAddress, wait: Wait): Promise<void> {
    try {
      this.#startConnect(address)
    } catch (error) {
      return Promise.reject(error)
    }
    if (wait.nonBlocking) return Promise.reject(errnoError('EINPROGRESS', 'connect', 'the connection is in progress'))
    // Not an async function: one promise less between the 'connect' event and the caller.
    return waitFor(this, wait, 'connect', () => this.#connectOutcome(), 'ETIMEDOUT').then(
      () => undefined,
      (error: unknown) => {
        // Timed out, aborted or closed while connecting: the attempt is dropped.
        if (this.#connecting && this.#conn) {
          this.#conn.socket.destroy()
          this.#conn = undefined
          this.#connecting = false
        }
        throw error
      },
    )
  }

  /** Opens the Node socket of a connect to `address`. */
  #startConnect(address: SocketAddress): void {
    this.#settle()
    if (this.#connecting) throw errnoError('EALREADY', 'connect', 'a connect is in progress')
    if (this.#conn || this.#listening) throw errnoError('EISCONN', 'connect', 'the socket is already connected')
    if (this.#binding) throw errnoError('EINVAL', 'connect', 'a bind is in progress')
    // A bound socket connects from its address (kept after a failed connect, as the kernel
    // keeps the binding); the server only held the port, and goes (see README).
    const local = this.#bound
    if (local?.family === 'unix') throw notSupported('connect after bind on a Unix stream socket', 'connect')
    // Options first: an address refused here (an unknown scope id) leaves the bound port held.
    const options = this.connectOptions(address, local)
    this.#listener?.close()
    this.#listener = undefined
    let socket: NetSocket
    try {
      socket = netConnect(options)
    } catch (error) {
      throw fromNodeError(error, { syscall: 'connect' })
    }
    this.#conn = this.#connection(socket, false)
    this.#target = address
    this.#connecting = true
  }

  /** `true` once the connect succeeded; throws its error once it failed; `undefined` meanwhile. */
  #connectOutcome(): true | undefined {
    this.#settle()
    if (this.#conn && !this.#connecting) return true
    if (this.#soError) {
      const error = this.#soError
      this.#soError = undefined
      throw error
    }
    return undefined
  }

  protected async _send(
    data: Buffer,
    flags: readonly MsgFlag[],
    _to: SocketAddress | undefined,
    wait: Wait,
  ): Promise<number> {
    if (flags.includes('MSG_OOB')) throw notSupported('oob', 'send')
    // Linux ignores a destination on a connected TCP socket; so do we.
    if (!wait.nonBlocking && wait.timeoutMs === undefined) {
      // Blocking: wait for room, then for the kernel to take all of it, as send(2) does.
      const ready = wait.signal?.aborted ? undefined : this.#usable('send', this.unconnectedSend)
      const conn = ready?.writable()
        ? ready
        : await waitFor(this, wait, 'send', () => {
            const c = this.#usable('send', this.unconnectedSend)
            return c?.writable() ? c : undefined
          })
      const written = conn.writeSoon(data)
      return typeof written === 'number' ? written : untilClosed(this, 'send', written)
    }
    // Non-blocking or SO_SNDTIMEO: room means the kernel took every byte written before;
    // then as much as it takes now, and, with a timeout, more as it drains, until the time is up.
    const deadline = wait.timeoutMs === undefined ? 0 : performance.now() + wait.timeoutMs
    const room = () => {
      const c = this.#usable('send', this.unconnectedSend)
      return c?.writable() && c.drained ? c : undefined
    }
    const conn = await waitFor(this, wait, 'send', room)
    let sent = conn.writeWhileRoom(data)
    while (sent < data.length && !wait.nonBlocking) {
      const remaining = deadline - performance.now()
      if (remaining <= 0) break
      try {
        await waitFor(this, { ...wait, timeoutMs: remaining }, 'send', room)
      } catch (error) {
        // Like send(2): bytes already taken are reported now; a failure shows on the next call.
        if (error instanceof SocketError && error.code !== 'EBADF') break
        throw error
      }
      sent += conn.writeWhileRoom(data.subarray(sent))
    }
    return sent
  }

  protected _recv(maxBytes: number, flags: readonly MsgFlag[], wait: Wait): Promise<RecvResult> {
    if (flags.includes('MSG_OOB')) return Promise.reject(notSupported('oob', 'recv'))
    const peek = flags.includes('MSG_PEEK')
    const waitAll = flags.includes('MSG_WAITALL') && !peek
    // MSG_TRUNC on a stream: the bytes are taken and thrown away, and only their count comes
    // back, as Linux's TCP does (tcp(7)).
    const discard = flags.includes('MSG_TRUNC')
    const receiving = waitFor(this, wait, 'recv', (): RecvResult | undefined => {
      const conn = this.#usable('recv', this.unconnectedRecv)
      const data = conn?.read(maxBytes, peek, waitAll)
      if (data === undefined) return undefined
      return discard ? { data: EMPTY, truncated: false, fullLength: data.length } : { data, truncated: false }
    })
    if (!waitAll) return receiving
    // MSG_WAITALL lifted the high-water mark for this call; put it back however it ends.
    return receiving.finally(() => {
      if (this.#conn && this.#conn.wantAll !== 0) {
        this.#conn.wantAll = 0
        this.#conn.flow()
      }
    })
  }

  /**
   * poll(2) as Node shows it: a listener is POLLIN while a connection waits in its queue; a
   * connecting socket shows nothing until the connect ends; a connected one shows its
   * {@link Connection.events}; one that never connected is POLLOUT and POLLHUP (Linux's
   * TCP_CLOSE state), with POLLIN, POLLRDHUP and POLLERR while a failed connect's error waits.
   * See the package README for what Node cannot show.
   */
  protected override _waitReady(events: readonly PollEvent[], wait: Wait): Promise<PollEvent[]> {
    return waitForReady(this, events, wait, () => this.#events())
  }

  #events(): Set<PollEvent> {
    this.#settle()
    if (this.#listening) {
      const out = new Set<PollEvent>()
      if ((this.#listener?.pending ?? 0) > 0) out.add('POLLIN')
      if (this.#listener?.error) out.add('POLLERR')
      return out
    }
    if (this.#connecting) return new Set()
    if (this.#conn) return this.#conn.events()
    if (this.#soError) return new Set<PollEvent>(['POLLIN', 'POLLOUT', 'POLLRDHUP', 'POLLERR', 'POLLHUP'])
    return new Set<PollEvent>(['POLLOUT', 'POLLHUP'])
  }

  protected async _shutdown(how: ShutdownHow): Promise<void> {
    this.#settle()
    if (this.#listening) {
      // Linux: SHUT_WR means nothing to a listener; SHUT_RD stops it (pending accepts get EINVAL).
      if (how !== 'SHUT_WR') {
        this.#listener?.close()
        this.#listener = undefined
        this.#listening = false
        this.#changed()
      }
      return
    }
    const conn = this.#conn
    if (!conn || this.#connecting) throw errnoError('ENOTCONN', 'shutdown', 'the socket is not connected')
    if (how !== 'SHUT_RD') conn.endWrite()
    if (how !== 'SHUT_WR') conn.endRead()
  }

  protected _close(): Promise<void> {
    try {
      this.#listener?.close()
      this.#listener = undefined
      const linger = this.stored.get('SOL_SOCKET/SO_LINGER') as { onoff: boolean; linger: number } | undefined
      this.#conn?.close(linger?.onoff === true && linger.linger === 0)
      this.#notifier?.closed()
    } catch (error) {
      return Promise.reject(error)
    }
    // Nothing here waits: close(2) returns before the kernel sends the FIN, too.
    return CLOSED
  }

  protected _localAddress(): SocketAddress {
    this.#settle()
    if (this.#local === undefined && this.#conn && !this.#connecting)
      this.#local = this.localEndpoint(this.#conn.socket)
    return this.#local ?? this.#bound ?? unspecified(this.family)
  }

  protected _remoteAddress(): SocketAddress {
    this.#settle()
    if (this.#remote && !this.#connecting) return this.#remote
    throw errnoError('ENOTCONN', 'getpeername', 'the socket is not connected')
  }

  protected _getOption(target: OptionTarget, _rawLength: number): OptionValue {
    return computedOption(target, this) ?? getSocketLevelOption(target, this.stored)
  }

  protected _setOption(target: OptionTarget, value: OptionValue): void {
    setSocketLevelOption(target, value, (key, v) => this.store(key, v), this.connection?.socket)
  }

  /** Settles a finished connect: connected, or failed (its error kept for SO_ERROR). */
  #settle(): void {
    const conn = this.#conn
    if (!this.#connecting || !conn) return
    if (conn.connected) {
      this.#connecting = false
      this.#established()
    } else if (conn.error || conn.socket.destroyed) {
      this.#soError = conn.error ?? errnoError('ECONNREFUSED', 'connect')
      conn.socket.destroy()
      this.#conn = undefined
      this.#connecting = false
    }
  }

  #established(): void {
    const conn = this.#conn as Connection
    // getpeername(2) fails (ENOTCONN) once a reset closed the connection, so the peer is read
    // now, unless the connect's target already names it.
    this.#remote = (this.#target && this.peerOf(this.#target)) ?? this.remoteEndpoint(conn.socket)
    this.applyOptions(conn.socket)
  }

  #connection(socket: NetSocket, connected: boolean): Connection {
    const conn: Connection = new Connection(
      socket,
      () => this.#changed(),
      connected,
      () => this.#keepLocal(conn),
    )
    return conn
  }

  /**
   * Reads getsockname(2) while the handle still answers it: Node forgets the name when it
   * closes the handle, which it does on its own after a reset or once both directions ended.
   * Not after this socket's close: nobody can ask any more.
   */
  #keepLocal(conn: Connection): void {
    if (!this.closed && conn === this.#conn && conn.connected) this.#local ??= this.localEndpoint(conn.socket)
  }

  /**
   * The connection recv/send can use now; `undefined` while a connect is in progress.
   * @throws a failed connect's error once, then `code` (the socket is not connected).
   */
  #usable(syscall: string, code: 'EPIPE' | 'ENOTCONN' | 'EINVAL'): Connection | undefined {
    this.#settle()
    if (this.#connecting) return undefined
    if (this.#conn) return this.#conn
    if (this.#soError) {
      const error = this.#soError
      this.#soError = undefined
      throw error
    }
    throw errnoError(code, syscall, 'the socket is not connected')
  }

  async #open(options: ListenOptions, requested: SocketAddress | undefined): Promise<Listener> {
    const site =
      requested?.family === 'unix'
        ? { address: requested.path }
        : requested
          ? { address: requested.address, port: requested.port }
          : { syscall: 'listen' as const }
    const listener = await Listener.open(
      options,
      () => this.#changed(),
      (socket) => {
        const accepted = this.acceptedSocket({ socket, options: this.stored })
        return { socket: accepted, address: accepted.remoteAddress() }
      },
      site,
    )
    if (this.closed) {
      listener.close()
      this.assertOpen('bind')
    }
    return listener
  }
}
