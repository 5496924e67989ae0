import type { Socket as NetSocket } from 'node:net'
import type { PollEvent, SocketError } from '@polysocket/core'
import { ByteQueue } from './byte-queue.js'
import { errnoError, fromNodeError } from './errors.js'

/** Receive queue size, in bytes, past which the Node stream is paused (the slow-reader bound). */
export const RECV_HIGH_WATER = 1 << 20
/** Receive queue size, in bytes, under which a paused stream resumes. */
export const RECV_LOW_WATER = 256 << 10
/** Piece size, in bytes, of non-blocking and timed sends (see {@link Connection.writeWhileRoom}). */
export const WRITE_CHUNK = 64 << 10
/** How long, in milliseconds, a closed socket may keep flushing Node's write buffer. */
export const CLOSE_FLUSH_MS = 30_000

/**
 * The data path of one connected (or connecting) node:net socket: a receive queue filled by
 * `'data'` events, EOF, the first error, and the write side. Every change calls `notify`, so
 * the contract socket's waiters re-check.
 */
export class Connection {
  readonly socket: NetSocket
  readonly queue = new ByteQueue()
  connected: boolean
  /** The peer's FIN arrived (`'end'`). */
  eof = false
  /** The first error Node reported on this socket. */
  error: SocketError | undefined
  /** The error was reported once by recv or send (the kernel's sk_err is read once). */
  errorReported = false
  /** shutdown(SHUT_WR) or close began the write side's end. */
  writeShut = false
  /** shutdown(SHUT_RD): reads see EOF and incoming bytes are dropped. */
  readShut = false
  /** A recv with MSG_WAITALL needs more than the high-water mark; do not pause meanwhile. */
  wantAll = 0
  readonly #notify: () => void
  /** A 'drain' listener is on: only a write can need one. */
  #drainWatched = false

  /**
   * @param beforeRelease - runs just before Node closes the handle, while getsockname(2) still
   * answers (Node drops the name it read then).
   */
  constructor(socket: NetSocket, notify: () => void, connected: boolean, beforeRelease: () => void) {
    this.socket = socket
    this.connected = connected
    this.#notify = notify
    const destroy = socket._destroy
    socket._destroy = (error, callback) => {
      beforeRelease()
      destroy.call(socket, error, callback)
    }
    // Reading starts once connected: a stream that flows before, Node makes wait for 'connect'
    // with a listener of its own.
    if (connected) this.#receive()
    else {
      socket.on('connect', () => {
        this.connected = true
        this.#receive()
        notify()
      })
    }
    socket.on('end', () => this.#ended())
    // Always listened to: an 'error' without a listener would crash the process.
    socket.on('error', (err: Error) => {
      this.error ??= fromNodeError(err, { syscall: 'recv' })
      notify()
    })
    socket.on('close', notify)
  }

  /** Queues what Node reads, up to the high-water mark. */
  #receive(): void {
    const socket = this.socket
    socket.on('data', (chunk: Buffer) => {
      if (this.readShut) return
      this.queue.push(chunk)
      if (this.queue.length >= Math.max(RECV_HIGH_WATER, this.wantAll)) socket.pause()
      this.#notify()
    })
  }

  /** Before a write: Node's buffer may pass its high-water mark, and its 'drain' must wake waiters. */
  #watchDrain(): void {
    if (this.#drainWatched) return
    this.#drainWatched = true
    this.socket.on('drain', this.#notify)
  }

  /**
   * libuv reports EOF, not ECONNRESET, when the peer's RST arrives right after a partial read
   * (POLLHUP short-cut in uv__stream_io), so a reset would pass for an orderly end. A
   * zero-length write tells them apart: the kernel fails it with the pending error on a reset
   * socket and accepts it on a half-closed one. Only when Node holds no unwritten bytes, so the
   * probe never waits behind data a peer is not reading.
   */
  #ended(): void {
    const s = this.socket
    if (this.writeShut || s.destroyed || !s.writable || s.writableLength > 0) {
      this.eof = true
      this.#notify()
      return
    }
    s.write(Buffer.alloc(0), (err) => {
      if (err) this.error ??= fromNodeError(err, { syscall: 'recv' })
      this.eof = true
      this.#notify()
    })
  }

  /** Pauses or resumes the Node stream as the queue's size asks. */
  flow(): void {
    const s = this.socket
    if (s.destroyed) return
    if (s.isPaused() && this.queue.length < Math.max(RECV_LOW_WATER, this.wantAll)) s.resume()
  }

  /** The pending error, reported once; `undefined` when there is none or it was reported. */
  takeError(): SocketError | undefined {
    if (this.error === undefined || this.errorReported) return undefined
    this.errorReported = true
    return this.error
  }

  /**
   * recv(2) on the queue.
   * @returns the bytes (empty at EOF), or `undefined` while it would block.
   * @throws the connection's error (ECONNRESET, …) once, before EOF is reported.
   */
  read(maxBytes: number, peek: boolean, waitAll: boolean): Buffer | undefined {
    if (this.readShut) return Buffer.alloc(0)
    const q = this.queue
    const finished = this.eof || this.error !== undefined || this.socket.destroyed
    if (maxBytes === 0) return Buffer.alloc(0)
    if (q.length > 0 && (!waitAll || q.length >= maxBytes || finished)) {
      const data = q.read(maxBytes, !peek)
      this.wantAll = 0
      this.flow()
      return data
    }
    if (q.length === 0 && finished) {
      // EPIPE is the write side's failure; the read side just sees the end.
      if (this.error !== undefined && this.error.code !== 'EPIPE' && !peek) {
        const error = this.takeError()
        if (error) throw error
      }
      return Buffer.alloc(0)
    }
    if (waitAll) {
      this.wantAll = maxBytes
      this.flow()
    }
    return undefined
  }

  /**
   * Whether send(2) can hand data to Node now.
   * @returns false while Node's write buffer is above its high-water mark.
   * @throws EPIPE after shutdown or close of the write side; the connection's error once.
   */
  writable(): boolean {
    const error = this.takeError()
    if (error) throw error.code === 'EPIPE' || error.code === 'ECONNRESET' ? error : errnoError('EPIPE', 'send')
    if (this.writeShut || this.error !== undefined || this.socket.destroyed || !this.socket.writable) {
      throw errnoError('EPIPE', 'send', 'the connection cannot send any more')
    }
    return !this.socket.writableNeedDrain
  }

  /**
   * The poll(2) events this connection shows, as tcp_poll in Linux's net/ipv4/tcp.c derives
   * them from the state Node exposes: POLLIN for queued bytes or the end of input (the
   * peer's FIN, SHUT_RD, a reset); POLLRDHUP for that end; POLLOUT while Node's write buffer
   * is under its high-water mark (or the write side is shut, so that a send fails at once);
   * POLLHUP once both directions are over; POLLERR while an error is pending (not yet reported
   * by recv, send or SO_ERROR). No POLLPRI: Node never shows urgent data.
   */
  events(): Set<PollEvent> {
    const out = new Set<PollEvent>()
    const s = this.socket
    const failed = this.error !== undefined && this.error.code !== 'EPIPE'
    const inputOver = this.eof || this.readShut || failed || s.destroyed
    const outputOver = this.writeShut || this.error !== undefined || s.destroyed || !s.writable
    if (this.queue.length > 0 || inputOver) out.add('POLLIN')
    if (inputOver) out.add('POLLRDHUP')
    if (outputOver || !s.writableNeedDrain) out.add('POLLOUT')
    if (inputOver && outputOver) out.add('POLLHUP')
    if (this.error !== undefined && !this.errorReported) out.add('POLLERR')
    return out
  }

  /** Node holds no unwritten bytes: the kernel has taken everything written so far. */
  get drained(): boolean {
    return this.socket.writableLength === 0
  }

  /**
   * send(2) without waiting: writes copies of `data` in {@link WRITE_CHUNK}-byte pieces while
   * the kernel takes each one at once, and stops after the first that has to wait in Node.
   * So user space holds at most one chunk beyond the kernel's buffer, and the caller may
   * reuse its buffer at once.
   * @returns the bytes accepted (the last chunk may still be on its way).
   */
  writeWhileRoom(data: Buffer): number {
    this.#watchDrain()
    let offset = 0
    while (offset < data.length) {
      const end = Math.min(offset + WRITE_CHUNK, data.length)
      this.socket.write(Buffer.from(data.subarray(offset, end)), this.#notify)
      offset = end
      if (this.socket.writableLength > 0) break
    }
    return offset
  }

  /**
   * Writes `data` for a blocking send(2), without a copy (the caller waits meanwhile). Node
   * writes to the kernel synchronously when its buffer is empty, and then holds nothing
   * (`writableLength` 0, not destroyed) right after `write()` returns: send(2) would have
   * returned by then, so the count comes back at once, saving a promise and a tick per send on
   * request/response traffic. Otherwise the caller gets a promise of the write callback.
   * @returns the byte count at once, or a promise of it.
   * @throws SocketError EPIPE, ECONNRESET (the promise rejects) when the write fails.
   */
  writeSoon(data: Buffer): number | Promise<number> {
    if (data.length === 0) return 0
    this.#watchDrain()
    let settle: ((err: Error | null | undefined) => void) | undefined
    let early: { err: Error | null | undefined } | undefined
    this.socket.write(data, (err) => {
      this.#notify()
      if (settle) settle(err)
      else early = { err }
    })
    const s = this.socket
    if (early === undefined && !s.destroyed && s.writableLength === 0) return data.length
    return new Promise<number>((resolve, reject) => {
      settle = (err) => (err ? reject(this.#writeFailure(err)) : resolve(data.length))
      if (early !== undefined) settle(early.err)
    })
  }

  #writeFailure(err: Error): SocketError {
    const error = fromNodeError(err, { syscall: 'send' })
    if (this.error?.code === error.code) this.errorReported = true
    return error
  }

  /** shutdown(SHUT_WR): the FIN follows the data Node still holds. */
  endWrite(): void {
    if (this.writeShut) return
    this.writeShut = true
    if (!this.socket.destroyed) this.socket.end()
    this.#notify()
  }

  /** shutdown(SHUT_RD), emulated: queued and later bytes are dropped; reads see EOF. */
  endRead(): void {
    this.readShut = true
    this.queue.clear()
    if (this.socket.isPaused() && !this.socket.destroyed) this.socket.resume()
    this.#notify()
  }

  /**
   * close(2): flushes what Node still buffers, then FIN, like the kernel's close; sends RST
   * instead when unread bytes remain or `reset` asks (SO_LINGER with a zero timeout).
   */
  close(reset: boolean): void {
    const s = this.socket
    this.readShut = true
    if (s.destroyed) return
    if ((reset || this.queue.length > 0) && this.connected) {
      this.queue.clear()
      s.resetAndDestroy()
      return
    }
    this.queue.clear()
    if (!this.connected || s.writableLength === 0) {
      s.destroy()
      return
    }
    this.writeShut = true
    const timer = setTimeout(() => s.destroy(), CLOSE_FLUSH_MS)
    timer.unref()
    s.once('close', () => clearTimeout(timer))
    s.once('finish', () => s.destroy())
    s.resume()
    s.end()
  }
}
