import { createSocket, type Socket as DgramSocket, type RemoteInfo } from 'node:dgram'
import {
  type Accepted,
  type Inet6Address,
  type InetAddress,
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
import { fromNode, nodeHost, wildcardHost } from './address.js'
import { errnoError, fromNodeError } from './errors.js'
import { Notifier, untilClosed, type Waitable, waitFor } from './notifier.js'
import { computedOption, type OptionSubject } from './options.js'
import { waitForReady } from './ready.js'
import { ScatterSocket } from './scatter.js'
import { UdpOptions } from './udp-options.js'

/** Most bytes of datagrams queued for recv; later ones are dropped, as a full kernel buffer does. */
export const UDP_QUEUE_MAX_BYTES = 4 << 20
/** Most datagrams queued for recv. */
export const UDP_QUEUE_MAX_DATAGRAMS = 16_384

type IpFamily = 'AF_INET' | 'AF_INET6'
interface Datagram {
  readonly data: Buffer
  readonly from: SocketAddress
}

/**
 * A UDP socket (AF_INET or AF_INET6, SOCK_DGRAM) on one node:dgram socket, created at the
 * first bind, connect or send (options set before are stored and applied then).
 */
export class UdpSocket extends ScatterSocket implements Waitable, OptionSubject {
  readonly notifier = new Notifier()
  readonly protocolNumber = 17
  readonly listening = false
  readonly #ipFamily: IpFamily
  readonly #options: UdpOptions
  #dgram: DgramSocket | undefined
  #binding: Promise<void> | undefined
  #local: SocketAddress | undefined
  #remote: SocketAddress | undefined
  #queue: Datagram[] = []
  #queueHead = 0
  #queuedBytes = 0
  /** Datagrams dropped because the queue was full (SO_RXQ_OVFL would count them). */
  dropped = 0
  /** An asynchronous error (ICMP port unreachable on a connected socket), reported once. */
  #error: SocketError | undefined
  #readShut = false
  #writeShut = false
  /**
   * Sends node:dgram still holds, by their promise's reject and syscall name. Node drops the
   * callback of a send cut short by close(); close() fails these with EBADF instead. One map
   * entry per send in flight, rather than a promise and a close listener per send.
   */
  readonly #sending = new Map<(error: SocketError) => void, 'send' | 'sendto' | 'sendmmsg'>()

  constructor(init: SocketInit & { readonly family: IpFamily }) {
    super(init)
    this.#ipFamily = init.family
    this.#options = new UdpOptions(init.family)
  }

  checkOpen(syscall: string): void {
    this.assertOpen(syscall)
  }

  takeError(): number {
    const e = this.#error
    this.#error = undefined
    return e?.errno ?? 0
  }

  protected async _bind(address: SocketAddress): Promise<void> {
    if (this.#dgram || this.#binding) throw errnoError('EINVAL', 'bind', 'the socket is already bound')
    const ip = address as InetAddress | Inet6Address
    await this.#bindTo(nodeHost(ip, 'bind'), ip.port)
  }

  protected _listen(_backlog: number): Promise<void> {
    return Promise.reject(errnoError('EOPNOTSUPP', 'listen', 'a datagram socket cannot listen'))
  }

  protected _accept(_wait: Wait): Promise<Accepted> {
    return Promise.reject(errnoError('EOPNOTSUPP', 'accept', 'a datagram socket cannot accept'))
  }

  protected async _connect(address: SocketAddress, _wait: Wait): Promise<void> {
    const ip = address as InetAddress | Inet6Address
    // An unknown scope fails before anything changes: the kernel keeps the old peer then.
    const host = nodeHost(ip, 'connect')
    if (!this.#dgram) await this.#ensureBound()
    const dgram = this.#dgram as DgramSocket
    this.assertOpen('connect')
    // Linux lets a UDP socket connect again to change its peer; Node wants a disconnect first.
    if (this.#remote) {
      dgram.disconnect()
      this.#remote = undefined
    }
    const connecting = new Promise<void>((resolve, reject) => {
      try {
        dgram.connect(ip.port, host, (err?: Error) => {
          if (err) reject(fromNodeError(err, { syscall: 'connect', address: ip.address, port: ip.port }))
          else resolve()
        })
      } catch (err) {
        reject(fromNodeError(err, { syscall: 'connect', address: ip.address, port: ip.port }))
      }
    })
    await untilClosed(this, 'connect', connecting)
    const peer = dgram.remoteAddress()
    this.#remote = fromNode(this.#ipFamily, peer.address, peer.port)
    // connect(2) picks the source address for the route; getsockname(2) shows it from now on.
    const local = dgram.address()
    this.#local = fromNode(this.#ipFamily, local.address, local.port)
  }

  // Not async: with the socket bound (every send after the first), the promise of the send
  // itself goes back, without an async function's extra promise around it.
  protected _send(data: Buffer, flags: readonly MsgFlag[], to: SocketAddress | undefined, wait: Wait): Promise<number> {
    try {
      if (flags.includes('MSG_OOB')) throw notSupported('oob', 'send')
      const syscall = to ? 'sendto' : 'send'
      this.#checkSend(syscall, to, wait)
      if (!this.#dgram) {
        return this.#ensureBound().then(() => {
          this.assertOpen(syscall)
          return this.#dispatch(data, syscall, to)
        })
      }
      return this.#dispatch(data, syscall, to)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** What send(2) refuses before anything is sent; takes the pending asynchronous error. */
  #checkSend(syscall: 'send' | 'sendto' | 'sendmmsg', to: SocketAddress | undefined, wait: Wait): void {
    if (wait.signal?.aborted) throw wait.signal.reason
    if (this.#writeShut) throw errnoError('EPIPE', syscall, 'the socket was shut down for writing')
    if (to && this.#remote) throw errnoError('EISCONN', syscall, 'Node cannot sendto on a connected UDP socket')
    if (!to && !this.#remote) throw errnoError('EDESTADDRREQ', syscall, 'the socket is not connected')
    const pending = this.#error
    if (pending) {
      this.#error = undefined
      throw pending
    }
    this.assertOpen(syscall)
  }

  /** Hands one datagram to node:dgram; resolves with its length when Node reports it sent. */
  #dispatch(data: Buffer, syscall: 'send' | 'sendto', to: SocketAddress | undefined): Promise<number> {
    const ip = to as InetAddress | Inet6Address | undefined
    return new Promise<number>((resolve, reject) => {
      const done = (err: Error | null): void => {
        this.#sending.delete(reject)
        // Node's send queue shrank: a wait for POLLOUT looks again.
        this.notifier.notify()
        if (err) reject(fromNodeError(err, { syscall, address: ip?.address, port: ip?.port }))
        else resolve(data.length)
      }
      this.#sending.set(reject, syscall)
      this.#handOver(data, ip, done)
    })
  }

  /** dgram.send of one datagram; a throw (an unknown scope id, say) reaches `done` as its error. */
  #handOver(data: Buffer, ip: InetAddress | Inet6Address | undefined, done: (err: Error | null) => void): void {
    const dgram = this.#dgram as DgramSocket
    try {
      if (ip) dgram.send(data, ip.port, nodeHost(ip, 'sendto'), done)
      else dgram.send(data, done)
    } catch (err) {
      done(err as Error)
    }
  }

  protected _recv(maxBytes: number, flags: readonly MsgFlag[], wait: Wait): Promise<RecvResult> {
    if (flags.includes('MSG_OOB')) return Promise.reject(notSupported('oob', 'recv'))
    const peek = flags.includes('MSG_PEEK')
    const wantLength = flags.includes('MSG_TRUNC')
    return waitFor(this, wait, 'recv', () => this.#take(maxBytes, peek, wantLength))
  }

  /**
   * recvmmsg(2) with MSG_WAITFORONE over the queue: waits for the first datagram as `wait`
   * says, then takes what else is queued, up to `maxMessages`. node:dgram hands over the
   * datagrams the kernel holds one event at a time, all in one poll phase; when the first came
   * alone, the rest of that phase's datagrams are taken after it, in the check phase of the
   * same turn of the loop, as recvmmsg(2) would have found them queued.
   */
  protected override _recvBatch(maxMessages: number, maxBytes: number, wait: Wait): Promise<RecvResult[]> {
    return this._recv(maxBytes, [], wait).then((first) => {
      const results = [first]
      if (maxMessages === 1 || first.from === undefined) return results
      if (this.#queueHead < this.#queue.length) return this.#takeMore(results, maxMessages, maxBytes)
      return new Promise<RecvResult[]>((resolve) =>
        setImmediate(() => resolve(this.#takeMore(results, maxMessages, maxBytes))),
      )
    })
  }

  #takeMore(results: RecvResult[], maxMessages: number, maxBytes: number): RecvResult[] {
    while (results.length < maxMessages && !this.closed && this.#error === undefined) {
      const next = this.#take(maxBytes, false, false)
      if (next === undefined || next.from === undefined) break
      results.push(next)
    }
    return results
  }

  /**
   * sendmmsg(2): the datagrams go to node:dgram together (it sends them in order), with one
   * promise for the batch. Like sendmmsg(2), the count stops at the first that failed, which
   * is thrown when it is the first; a message refused before sending ends the batch there.
   */
  protected override _sendBatch(batch: { data: Buffer; to: SocketAddress | undefined }[], wait: Wait): Promise<number> {
    try {
      let count = 0
      let refused: unknown
      for (const m of batch) {
        try {
          this.#checkSend('sendmmsg', m.to, wait)
        } catch (error) {
          refused = error
          break
        }
        count++
      }
      if (count === 0) throw refused
      const accepted = count === batch.length ? batch : batch.slice(0, count)
      if (!this.#dgram) {
        return this.#ensureBound().then(() => {
          this.assertOpen('sendmmsg')
          return this.#dispatchBatch(accepted)
        })
      }
      return this.#dispatchBatch(accepted)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  #dispatchBatch(batch: { data: Buffer; to: SocketAddress | undefined }[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const failures: (SocketError | undefined)[] = new Array(batch.length)
      let pending = batch.length
      const finish = (): void => {
        this.#sending.delete(reject)
        this.notifier.notify()
        let sent = 0
        while (sent < batch.length && failures[sent] === undefined) sent++
        if (sent === 0) reject(failures[0])
        else resolve(sent)
      }
      this.#sending.set(reject, 'sendmmsg')
      for (let i = 0; i < batch.length; i++) {
        const { data, to } = batch[i] as { data: Buffer; to: SocketAddress | undefined }
        const ip = to as InetAddress | Inet6Address | undefined
        this.#handOver(data, ip, (err) => {
          if (err) failures[i] = fromNodeError(err, { syscall: 'sendmmsg', address: ip?.address, port: ip?.port })
          if (--pending === 0) finish()
        })
      }
    })
  }

  /** The next datagram (or EOF after SHUT_RD), cut to `maxBytes`; `undefined` when none waits. */
  #take(maxBytes: number, peek: boolean, wantLength: boolean): RecvResult | undefined {
    if (this.#error) {
      const error = this.#error
      if (!peek) this.#error = undefined
      throw error
    }
    if (this.#readShut && this.#queueHead >= this.#queue.length) return { data: Buffer.alloc(0), truncated: false }
    const d = this.#queue[this.#queueHead]
    if (d === undefined) return undefined
    if (!peek) this.#dequeue()
    const truncated = d.data.length > maxBytes
    const data = truncated ? Buffer.from(d.data.subarray(0, maxBytes)) : d.data
    // Two literals rather than a spread: one object per datagram.
    return wantLength ? { data, from: d.from, truncated, fullLength: d.data.length } : { data, from: d.from, truncated }
  }

  /**
   * poll(2) as Node shows it, after datagram_poll in Linux's net/core/datagram.c: POLLIN while
   * a datagram is queued (or after SHUT_RD, with POLLRDHUP); POLLOUT unless node:dgram holds
   * datagrams the kernel has not taken yet (its send queue); POLLHUP once both directions are
   * shut down; POLLERR while an asynchronous error (an ICMP unreachable) waits to be reported.
   */
  protected override _waitReady(events: readonly PollEvent[], wait: Wait): Promise<PollEvent[]> {
    return waitForReady(this, events, wait, () => {
      const out = new Set<PollEvent>()
      if (this.#queueHead < this.#queue.length || this.#readShut) out.add('POLLIN')
      if (this.#readShut) out.add('POLLRDHUP')
      if ((this.#dgram?.getSendQueueCount() ?? 0) === 0) out.add('POLLOUT')
      if (this.#readShut && this.#writeShut) out.add('POLLHUP')
      if (this.#error) out.add('POLLERR')
      return out
    })
  }

  protected async _shutdown(how: ShutdownHow): Promise<void> {
    if (!this.#remote) throw errnoError('ENOTCONN', 'shutdown', 'the socket is not connected')
    if (how !== 'SHUT_RD') this.#writeShut = true
    if (how !== 'SHUT_WR') this.#readShut = true
    this.notifier.notify()
  }

  protected async _close(): Promise<void> {
    const dgram = this.#dgram
    this.#dgram = undefined
    this.#clearQueue()
    if (dgram) {
      try {
        dgram.close()
      } catch {
        // Already closed by Node after an error: nothing left to release.
      }
    }
    for (const [reject, syscall] of this.#sending) {
      reject(new SocketError('EBADF', { syscall, message: `${syscall} EBADF: socket is closed` }))
    }
    this.#sending.clear()
    this.notifier.closed()
  }

  protected _localAddress(): SocketAddress {
    return this.#local ?? fromNode(this.#ipFamily, wildcardHost(this.#ipFamily), 0)
  }

  protected _remoteAddress(): SocketAddress {
    if (this.#remote) return this.#remote
    throw errnoError('ENOTCONN', 'getpeername', 'the socket is not connected')
  }

  protected _getOption(target: OptionTarget, _rawLength: number): OptionValue {
    return computedOption(target, this) ?? this.#options.get(target, this.#dgram)
  }

  protected _setOption(target: OptionTarget, value: OptionValue): void {
    this.#options.set(target, value, this.#dgram, this.#binding !== undefined || this.#dgram !== undefined)
  }

  /** The implicit bind of connect and send: the wildcard address, an ephemeral port. */
  async #ensureBound(): Promise<void> {
    if (this.#binding) return this.#binding
    if (this.#dgram) return
    return this.#bindTo(wildcardHost(this.#ipFamily), 0)
  }

  #bindTo(host: string, port: number): Promise<void> {
    const dgram = createSocket(this.#options.createOptions())
    dgram.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.#arrive(msg, rinfo))
    const binding = new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        dgram.off('listening', onListening)
        dgram.on('error', () => {})
        try {
          dgram.close()
        } catch {
          // Node may have closed it already.
        }
        reject(fromNodeError(err, { syscall: 'bind', address: host, port }))
      }
      const onListening = (): void => {
        dgram.off('error', onError)
        dgram.on('error', (err: Error) => {
          this.#error ??= fromNodeError(err, { syscall: 'recvmsg' })
          this.notifier.notify()
        })
        resolve()
      }
      dgram.once('error', onError)
      dgram.once('listening', onListening)
      try {
        dgram.bind({ address: host, port, exclusive: true })
      } catch (err) {
        onError(err as Error)
      }
    })
    const bound = binding.then(
      () => {
        this.#binding = undefined
        if (this.closed) {
          dgram.close()
          this.assertOpen('bind')
        }
        this.#dgram = dgram
        const a = dgram.address()
        this.#local = fromNode(this.#ipFamily, a.address, a.port)
        this.#options.apply(dgram)
      },
      (error: unknown) => {
        this.#binding = undefined
        throw error
      },
    )
    this.#binding = bound
    return bound
  }

  #arrive(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.#readShut) return
    const queued = this.#queue.length - this.#queueHead
    if (queued >= UDP_QUEUE_MAX_DATAGRAMS || this.#queuedBytes + msg.length > UDP_QUEUE_MAX_BYTES) {
      this.dropped++
      return
    }
    this.#queue.push({ data: msg, from: fromNode(this.#ipFamily, rinfo.address, rinfo.port) })
    this.#queuedBytes += msg.length
    this.notifier.notify()
  }

  #dequeue(): void {
    const d = this.#queue[this.#queueHead]
    if (!d) return
    this.#queuedBytes -= d.data.length
    this.#queueHead++
    // Compact now and then, so the array does not grow with every datagram ever received.
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#queueHead)
      this.#queueHead = 0
    }
  }

  #clearQueue(): void {
    this.#queue = []
    this.#queueHead = 0
    this.#queuedBytes = 0
  }
}
