import type { SocketAddress } from '../../contract/address.js'
import type { Backend } from '../../contract/backend.js'
import type { Socket } from '../../contract/socket.js'
import { SocketError, type SocketErrorCode } from '../../errors.js'
import {
  checkBacklog,
  checkCallback,
  checkCount,
  checkData,
  checkHost,
  checkIoctl,
  checkPort,
  checkTimeout,
} from './args.js'
import { type BackgroundHandle, type Outcome, startBackground } from './background.js'
import { encode } from './codec.js'
import { familyOf, machineName, resolve } from './resolve.js'
import { OK, status, statusOf } from './status.js'
import type {
  JmpAcceptList,
  JmpNameList,
  JmpRecvCallbackList,
  JmpRecvfromCallbackList,
  JmpRecvfromList,
  JmpRecvList,
  JmpSendList,
  JmpSocket,
  JmpStatusList,
} from './types.js'

/** What every socket of one `createJmp` shares. */
export interface Shared {
  readonly backend: Backend
  readonly onCallbackError: (error: unknown, command: string) => void
  readonly reverseLookupMs: number
}

type Kind = 'SOCK_STREAM' | 'SOCK_DGRAM'
type IpFamily = 'AF_INET' | 'AF_INET6'
type RecvAny = JmpRecvList | JmpRecvCallbackList | JmpRecvfromList | JmpRecvfromCallbackList | JmpStatusList
type AcceptAny = JmpAcceptList | JmpStatusList

const fault = (code: SocketErrorCode): SocketError => new SocketError(code)
const ignore = (): void => {}

function addressStrings(address: SocketAddress | undefined): [string, string] {
  if (address === undefined) return ['', '']
  if (address.family === 'unix') return [address.path, '']
  return [address.address, String(address.port)]
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * One JMP socket over one contract socket (made lazily: its family follows the first address
 * the script names). Every message resolves to its documented list and never rejects: each
 * body runs under {@link JmpSocketImpl.guard}, which turns whatever is thrown into the status.
 *
 * State the documents define on top of the system's kept here, so that every backend answers
 * alike: ioctl needs a bound or connected socket (NOTCONN), listen needs bind and accept needs
 * listen (INVAL).
 */
export class JmpSocketImpl {
  readonly #shared: Shared
  readonly #kind: Kind | undefined
  #socket: Socket | undefined
  #creating: { readonly family: IpFamily; readonly promise: Promise<Socket> } | undefined
  #closed = false
  #bound = false
  #connected = false
  #listening = false
  #background: BackgroundHandle | undefined

  /**
   * @param kind - `undefined` for a type `Socket()` did not know: every message then answers
   * SOCKTNOSUPPORT.
   * @param accepted - a connected contract socket from accept.
   */
  constructor(shared: Shared, kind: Kind | undefined, accepted?: Socket) {
    this.#shared = shared
    this.#kind = kind
    if (accepted !== undefined) {
      this.#socket = accepted
      this.#bound = true
      this.#connected = true
    }
  }

  get type(): 'STREAM' | 'DGRAM' {
    return this.#kind === 'SOCK_DGRAM' ? 'DGRAM' : 'STREAM'
  }

  get closed(): boolean {
    return this.#closed
  }

  connect(host: unknown, port: unknown) {
    return this.#connect('connect', host, port)
  }
  close() {
    return this.#close('close')
  }
  send(data: unknown) {
    return this.#send('send', data)
  }
  sendto(data: unknown, host: unknown, port: unknown) {
    return this.#sendto('sendto', data, host, port)
  }
  recv(n: unknown, callback?: unknown, timeout?: unknown) {
    return this.#receive('recv', false, n, callback, timeout)
  }
  recvfrom(n: unknown, callback?: unknown, timeout?: unknown) {
    return this.#receive('recvfrom', true, n, callback, timeout)
  }
  ioctl(request: unknown, value: unknown) {
    return this.#ioctl('ioctl', request, value)
  }
  bind(host: unknown, port: unknown) {
    return this.#bind('bind', host, port)
  }
  listen(backlog?: unknown) {
    return this.#listen('listen', backlog)
  }
  accept(callback?: unknown, timeout?: unknown) {
    return this.#accept('accept', callback, timeout)
  }
  getpeername() {
    return this.#name('getpeername', true)
  }
  getsockname() {
    return this.#name('getsockname', false)
  }

  // The documents' capitalised spellings; JSL echoes the spelling it was sent.
  Connect(host: unknown, port: unknown) {
    return this.#connect('Connect', host, port)
  }
  Close() {
    return this.#close('Close')
  }
  Send(data: unknown) {
    return this.#send('Send', data)
  }
  SendTo(data: unknown, host: unknown, port: unknown) {
    return this.#sendto('SendTo', data, host, port)
  }
  Recv(n: unknown, callback?: unknown, timeout?: unknown) {
    return this.#receive('Recv', false, n, callback, timeout)
  }
  RecvFrom(n: unknown, callback?: unknown, timeout?: unknown) {
    return this.#receive('RecvFrom', true, n, callback, timeout)
  }
  Ioctl(request: unknown, value: unknown) {
    return this.#ioctl('Ioctl', request, value)
  }
  Bind(host: unknown, port: unknown) {
    return this.#bind('Bind', host, port)
  }
  Listen(backlog?: unknown) {
    return this.#listen('Listen', backlog)
  }
  Accept(callback?: unknown, timeout?: unknown) {
    return this.#accept('Accept', callback, timeout)
  }
  GetPeerName() {
    return this.#name('GetPeerName', true)
  }
  GetSockName() {
    return this.#name('GetSockName', false)
  }

  /** Runs a message body; anything thrown becomes the failure list with its status. */
  async #guard<L>(fail: (status: string) => L, body: () => Promise<L>): Promise<L> {
    try {
      return await body()
    } catch (error) {
      return fail(statusOf(error))
    }
  }

  #connect(cmd: string, host: unknown, port: unknown): Promise<JmpStatusList> {
    return this.#guard<JmpStatusList>(
      (s) => [cmd, s],
      async () => {
        const h = checkHost(host)
        const p = checkPort(port)
        const kind = this.#usable()
        if (kind === 'SOCK_STREAM' && this.#connected) throw fault('EISCONN')
        if (this.#listening) throw fault('EINVAL')
        const candidates = await resolve(this.#shared.backend, h, p, kind, this.#family())
        let last: unknown
        // Each address in turn, as a client does with getaddrinfo's list; a socket made for
        // a failed attempt is dropped so that the next one may be of the other family.
        for (const address of candidates) {
          const fresh = this.#socket === undefined && this.#creating === undefined
          const sock = await this.#ensure(familyOf(address))
          try {
            await sock.connect(address)
            this.#connected = true
            return [cmd, OK]
          } catch (error) {
            last = error
            if (fresh && !this.#bound) await this.#discard(sock)
          }
        }
        throw last
      },
    )
  }

  #close(cmd: string): Promise<JmpStatusList> {
    return this.#guard<JmpStatusList>(
      (s) => [cmd, s],
      async () => {
        this.#closed = true
        this.#background?.cancel()
        this.#background = undefined
        const sock = this.#socket
        this.#socket = undefined
        // A socket still being created is closed by #ensure when it arrives.
        if (sock !== undefined) await sock.close()
        return [cmd, OK]
      },
    )
  }

  #send(cmd: string, data: unknown): Promise<JmpSendList> {
    let bytes: Uint8Array | undefined
    return this.#guard<JmpSendList>(
      (s) => [cmd, s, bytes === undefined ? '' : encode(bytes)],
      async () => {
        bytes = checkData(data)
        const kind = this.#usable()
        const sock = this.#socket
        if (sock === undefined || !this.#connected) throw fault(kind === 'SOCK_DGRAM' ? 'EDESTADDRREQ' : 'ENOTCONN')
        const sent = await sock.send(bytes)
        return [cmd, OK, encode(bytes.subarray(sent))]
      },
    )
  }

  #sendto(cmd: string, data: unknown, host: unknown, port: unknown): Promise<JmpSendList> {
    let bytes: Uint8Array | undefined
    return this.#guard<JmpSendList>(
      (s) => [cmd, s, bytes === undefined ? '' : encode(bytes)],
      async () => {
        bytes = checkData(data)
        const h = checkHost(host)
        const p = checkPort(port)
        const kind = this.#usable()
        if (kind === 'SOCK_STREAM') {
          // A connected stream has one destination; the address is ignored, as sendto(2) does.
          const sock = this.#socket
          if (sock === undefined || !this.#connected) throw fault('ENOTCONN')
          return [cmd, OK, encode(bytes.subarray(await sock.send(bytes)))]
        }
        const [address] = await resolve(this.#shared.backend, h, p, kind, this.#family())
        if (address === undefined) throw fault('EAI_NONAME')
        const sock = await this.#ensure(familyOf(address))
        const sent = await sock.send(bytes, { to: address })
        // The system bound the socket to an ephemeral port; replies can now be received.
        this.#bound = true
        return [cmd, OK, encode(bytes.subarray(sent))]
      },
    )
  }

  #receive(cmd: string, withFrom: boolean, n: unknown, callback: unknown, timeout: unknown): Promise<RecvAny> {
    const background = callback !== undefined && callback !== null
    return this.#guard<RecvAny>(
      (s) => (background ? [cmd, s] : withFrom ? [cmd, s, '', '', ''] : [cmd, s, '']),
      async () => {
        const count = checkCount(n)
        const cb = checkCallback(callback) as ((list: RecvAny) => unknown) | undefined
        const timeoutMs = checkTimeout(timeout)
        const kind = this.#usable()
        const sock = this.#socket
        if (sock === undefined || (kind === 'SOCK_STREAM' && !this.#connected)) {
          // A datagram socket that never bound nor sent has no address to receive on.
          throw fault(kind === 'SOCK_STREAM' ? 'ENOTCONN' : 'EINVAL')
        }
        if (this.#background !== undefined) throw fault('EALREADY')
        const list = (st: string, data: string, from: SocketAddress | undefined): RecvAny => {
          if (!withFrom) return cb === undefined ? [cmd, st, data] : [cmd, st, data, this.#self()]
          const [address, port] = addressStrings(from ?? (this.#connected ? this.#peer(sock) : undefined))
          return cb === undefined ? [cmd, st, data, address, port] : [cmd, st, data, this.#self(), address, port]
        }
        if (cb === undefined) {
          const r = await sock.recv(count)
          return list(OK, encode(r.data), r.from)
        }
        this.#startBackground<Awaited<ReturnType<Socket['recv']>>>(cmd, cb, {
          attempt: (signal) => sock.recv(count, { signal }),
          nonBlocking: () => sock.nonBlocking,
          timeoutMs,
          settle: async (outcome) => {
            if (outcome.kind === 'value') return list(OK, encode(outcome.value.data), outcome.value.from)
            return list(outcome.kind === 'timeout' ? status('TIMEDOUT') : statusOf(outcome.error), '', undefined)
          },
        })
        return [cmd, OK]
      },
    )
  }

  #ioctl(cmd: string, request: unknown, value: unknown): Promise<JmpStatusList> {
    return this.#guard<JmpStatusList>(
      (s) => [cmd, s],
      async () => {
        const on = checkIoctl(request, value)
        this.#usable()
        const sock = this.#socket
        // jmp-socket-messages.txt (ioctl): NOTCONN until the socket is bound or connected.
        if (sock === undefined || !(this.#bound || this.#connected)) throw fault('ENOTCONN')
        sock.setNonBlocking(on)
        return [cmd, OK]
      },
    )
  }

  #bind(cmd: string, host: unknown, port: unknown): Promise<JmpStatusList> {
    return this.#guard<JmpStatusList>(
      (s) => [cmd, s],
      async () => {
        const h = checkHost(host)
        const p = checkPort(port)
        const kind = this.#usable()
        if (this.#bound) throw fault('EINVAL')
        const [address] = await resolve(this.#shared.backend, h, p, kind, this.#family())
        if (address === undefined) throw fault('EAI_NONAME')
        const fresh = this.#socket === undefined && this.#creating === undefined
        const sock = await this.#ensure(familyOf(address))
        if (kind === 'SOCK_STREAM') {
          // A restarted server can bind its port while old connections sit in TIME_WAIT, as
          // it can on Windows (where JMP's socket layer comes from) and with Node's servers.
          try {
            sock.setOption('SOL_SOCKET', 'SO_REUSEADDR', true)
          } catch {
            // Best effort: a backend without the option still binds.
          }
        }
        try {
          await sock.bind(address)
        } catch (error) {
          if (fresh) await this.#discard(sock)
          throw error
        }
        this.#bound = true
        return [cmd, OK]
      },
    )
  }

  #listen(cmd: string, backlog: unknown): Promise<JmpStatusList> {
    return this.#guard<JmpStatusList>(
      (s) => [cmd, s],
      async () => {
        const b = checkBacklog(backlog)
        const kind = this.#usable()
        if (kind === 'SOCK_DGRAM') throw fault('EOPNOTSUPP')
        const sock = this.#socket
        // jmp-socket-messages.txt (listen): INVAL when bind did not succeed (Linux itself
        // would quietly pick a port).
        if (sock === undefined || !this.#bound || this.#connected) throw fault('EINVAL')
        await sock.listen(b)
        this.#listening = true
        return [cmd, OK]
      },
    )
  }

  #accept(cmd: string, callback: unknown, timeout: unknown): Promise<AcceptAny> {
    return this.#guard<AcceptAny>(
      (s) => [cmd, s],
      async () => {
        const cb = checkCallback(callback) as ((list: JmpAcceptList) => unknown) | undefined
        const timeoutMs = checkTimeout(timeout)
        const kind = this.#usable()
        if (kind === 'SOCK_DGRAM') throw fault('EOPNOTSUPP')
        const sock = this.#socket
        if (sock === undefined || !this.#listening) throw fault('EINVAL')
        if (this.#background !== undefined) throw fault('EALREADY')
        const accepted = async (a: { socket: Socket; address: SocketAddress }): Promise<JmpAcceptList> => {
          const host = await machineName(this.#shared.backend, a.address, this.#shared.reverseLookupMs)
          return [cmd, OK, host, new JmpSocketImpl(this.#shared, 'SOCK_STREAM', a.socket) as unknown as JmpSocket]
        }
        if (cb === undefined) return accepted(await sock.accept())
        this.#startBackground<Awaited<ReturnType<Socket['accept']>>>(cmd, cb, {
          attempt: (signal) => sock.accept({ signal }),
          nonBlocking: () => sock.nonBlocking,
          timeoutMs,
          settle: async (outcome) => {
            if (outcome.kind === 'value') return accepted(outcome.value)
            return [cmd, outcome.kind === 'timeout' ? status('TIMEDOUT') : statusOf(outcome.error)]
          },
          discard: (value) => void value.socket.close().catch(ignore),
        })
        return [cmd, OK]
      },
    )
  }

  #name(cmd: string, peer: boolean): Promise<JmpNameList> {
    return this.#guard<JmpNameList>(
      (s) => [cmd, s, '', ''],
      async () => {
        this.#usable()
        const sock = this.#socket
        if (sock === undefined) throw fault(peer ? 'ENOTCONN' : 'EINVAL')
        return [cmd, OK, ...addressStrings(peer ? sock.remoteAddress() : sock.localAddress())]
      },
    )
  }

  /**
   * Starts a background operation and reports its list to the callback. The socket's slot is
   * freed before the callback runs, so that the callback can send the same message again
   * (the usual way to keep a server accepting).
   */
  #startBackground<T>(
    cmd: string,
    callback: (list: never) => unknown,
    spec: {
      attempt: (signal: AbortSignal) => Promise<T>
      nonBlocking: () => boolean
      timeoutMs: number | undefined
      settle: (outcome: Outcome<T>) => Promise<unknown>
      discard?: (value: T) => void
    },
  ): void {
    const slot: { handle?: BackgroundHandle } = {}
    slot.handle = startBackground<T>({
      attempt: spec.attempt,
      nonBlocking: spec.nonBlocking,
      timeoutMs: spec.timeoutMs,
      ...(spec.discard === undefined ? {} : { discard: spec.discard }),
      settle: (outcome) => {
        if (this.#background === slot.handle) this.#background = undefined
        spec.settle(outcome).then(
          (list) => this.#call(callback as (list: unknown) => unknown, list, cmd),
          (error: unknown) => this.#report(error, cmd),
        )
      },
    })
    this.#background = slot.handle
  }

  #call(callback: (list: unknown) => unknown, list: unknown, cmd: string): void {
    try {
      const result = callback(list)
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.#report(error, cmd))
    } catch (error) {
      this.#report(error, cmd)
    }
  }

  #report(error: unknown, cmd: string): void {
    try {
      this.#shared.onCallbackError(error, cmd)
    } catch {
      // The reporter failing must not become an unhandled error either.
    }
  }

  /** The socket type, once the socket is known to be usable. */
  #usable(): Kind {
    if (this.#closed) throw fault('EBADF')
    if (this.#kind === undefined) throw fault('ESOCKTNOSUPPORT')
    return this.#kind
  }

  #family(): IpFamily | undefined {
    const f = this.#socket?.family ?? this.#creating?.family
    return f === 'AF_INET' || f === 'AF_INET6' ? f : undefined
  }

  #self(): JmpSocket {
    return this as unknown as JmpSocket
  }

  #peer(sock: Socket): SocketAddress | undefined {
    try {
      return sock.remoteAddress()
    } catch {
      return undefined
    }
  }

  /** The contract socket, made on first need with the family of the address at hand. */
  #ensure(family: IpFamily): Promise<Socket> {
    const existing = this.#socket
    if (existing !== undefined) {
      return existing.family === family ? Promise.resolve(existing) : Promise.reject(fault('EAFNOSUPPORT'))
    }
    let creating = this.#creating
    if (creating === undefined) {
      const promise = (async () => {
        const sock = await this.#shared.backend.socket(family, this.#usable())
        if (this.#closed) {
          await sock.close().catch(ignore)
          throw fault('EBADF')
        }
        this.#socket = sock
        return sock
      })()
      const entry = { family, promise }
      creating = entry
      this.#creating = entry
      promise
        .finally(() => {
          if (this.#creating === entry) this.#creating = undefined
        })
        .catch(ignore)
    }
    return creating.promise.then((sock) => (sock.family === family ? sock : Promise.reject(fault('EAFNOSUPPORT'))))
  }

  /** Drops a socket made for an attempt that failed; the next message makes a fresh one. */
  async #discard(sock: Socket): Promise<void> {
    if (this.#socket === sock) this.#socket = undefined
    await sock.close().catch(ignore)
  }
}
