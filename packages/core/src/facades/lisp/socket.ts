import { formatAddress, type SocketAddress } from '../../contract/address.js'
import type { Backend } from '../../contract/backend.js'
import type { MsgFlag, SocketType } from '../../contract/names.js'
import type { Socket } from '../../contract/socket.js'
import { isSocketError, SocketError } from '../../errors.js'
import { binary, integer, parseFlags, parseKeywords, span, text } from './arguments.js'
import { isFatal, recordError } from './faults.js'
import { fromOptionValue, type LispOptionValue, resolveOption, toOptionValue } from './options.js'
import { Reader } from './reader.js'
import { Readiness } from './readiness.js'
import { addressParts, resolveTarget } from './resolve.js'
import { describeSocket } from './showbin.js'
import { encodeCodePoint } from './utf8.js'
import { EOF, type Eof, isTrue, type Nil, type T, tOrNil } from './values.js'

/** The keywords of send, send-to, recv and recv-from (one list, not one per call). */
const DATA_KEYWORDS: readonly string[] = ['length', 'flags']

/** Default size of the input buffer in bytes ("the -t switch … or 4096"). */
export const DEFAULT_MAXSTRING = 4096
/** Largest `maxstring` accepted, in bytes (one real read of the input buffer). */
export const MAX_MAXSTRING = 64 * 1024 * 1024

/** Options of the {@link LispSocket} constructor. */
export interface LispSocketOptions {
  /** Size of the input buffer in bytes, 1 to {@link MAX_MAXSTRING}; default 4096. */
  readonly maxstring?: number
  /** The Unix socket file the socket was bound to, shown as the `filename` property. */
  readonly filename?: string
  /** Where `showbin` prints; default `process.stdout`. */
  readonly print?: (text: string) => void
}

/** The family symbol of a socket object. */
export type LispFamily = 'unix' | 'inet' | 'inet6'
/** The type symbol of a socket object. */
export type LispType = 'stream' | 'dgram' | 'seqpacket' | 'raw'

const FAMILY_SYMBOLS = { AF_UNIX: 'unix', AF_INET: 'inet', AF_INET6: 'inet6' } as const
const TYPE_SYMBOLS: Readonly<Record<SocketType, LispType>> = {
  SOCK_STREAM: 'stream',
  SOCK_DGRAM: 'dgram',
  SOCK_SEQPACKET: 'seqpacket',
  SOCK_RAW: 'raw',
}

/** `select`'s access to a socket's readiness; not part of the public API. */
export const readiness = Symbol('polysocket.lisp.readiness')

/**
 * A socket object of the Lisp `socket` class over a contract {@link Socket}. Each method is
 * the document's method of the same name in camelCase (`read-char` → `readChar`); `t` is
 * `true`, `nil` is `null`, the end of a stream is {@link EOF}. No method throws: a failure
 * returns nil and stores the system message in `*lastsocketerror*` (see `getLastSocketError`).
 * Methods that wait return Promises; SO_RCVTIMEO bounds accept and the reads, SO_SNDTIMEO
 * connect and the writes.
 *
 * Source: Lisp socket class (each method's section is named in its comment).
 */
export class LispSocket {
  /** The contract socket underneath, for what the class does not cover (the document's FFI escape). */
  readonly socket: Socket
  readonly backend: Backend
  readonly family: LispFamily
  readonly type: LispType
  readonly protocol: number
  /** Size of the input buffer in bytes. */
  readonly maxstring: number
  /** The Unix socket file given to the constructor, or nil. */
  readonly filename: string | null
  /** Local address (IP text or Unix path) once bound or connected, else nil. */
  address: string | null = null
  /** Local port once bound or connected (nil for unix). */
  port: number | null = null
  /** The peer's address: set by connect, accept and recv-from. */
  remoteaddress: string | null = null
  /** The peer's port: set by connect, accept and recv-from (nil for unix). */
  remoteport: number | null = null
  readonly #reader: Reader
  readonly #print: (text: string) => void
  readonly #readiness: Readiness

  /**
   * Wraps a contract socket (makeInstance creates one and calls this).
   * @throws RangeError for a `maxstring` outside 1–{@link MAX_MAXSTRING}: the one place a
   * TypeScript caller, not a Lisp program, gets an exception.
   */
  constructor(backend: Backend, socket: Socket, options: LispSocketOptions = {}) {
    const maxstring = options.maxstring ?? DEFAULT_MAXSTRING
    if (!Number.isInteger(maxstring) || maxstring < 1 || maxstring > MAX_MAXSTRING) {
      throw new RangeError(`maxstring must be an integer from 1 to ${MAX_MAXSTRING} bytes, got ${maxstring}`)
    }
    this.backend = backend
    this.socket = socket
    this.family = FAMILY_SYMBOLS[socket.family]
    this.type = TYPE_SYMBOLS[socket.type]
    this.protocol = socket.protocol
    this.maxstring = maxstring
    this.filename = options.filename ?? null
    this.#print = options.print ?? ((t) => void process.stdout.write(t))
    this.#reader = new Reader(socket, maxstring)
    this.#readiness = new Readiness(socket, this.#reader)
    this.#refreshLocal()
  }

  /** socket-accept: the next connection as a new socket object (same maxstring and timeouts), or nil. */
  accept(): Promise<LispSocket | Nil> {
    return this.#io(async () => {
      const { socket, address } = await this.socket.accept()
      try {
        // The contract hands the listener's SO_RCVTIMEO / SO_SNDTIMEO down, as Linux does.
        const child = new LispSocket(this.backend, socket, { maxstring: this.maxstring, print: this.#print })
        child.#setRemote(address)
        return child
      } catch (error) {
        await socket.close()
        throw error
      }
    })
  }

  /**
   * socket-char-in-buffer: t when a character was unread and the next read gives it back.
   * With a second argument, sets the flag for the next read (non-nil: t); the result is the
   * state before.
   */
  charInBuffer(...flag: [] | [unknown]): T | Nil {
    const before = this.#reader.charInBuffer
    if (flag.length > 0) this.#reader.charInBuffer = isTrue(flag[0])
    return tOrNil(before)
  }

  /** socket-clear-input: forgets the input buffer (and an unread character). Returns nil. */
  clearInput(): Nil {
    this.#reader.invalidate()
    return null
  }

  /**
   * socket-connect: to `host` (unix: a file name) and `port` (integer, service name or
   * symbol; nil is 0; ignored for unix). Sets remoteaddress / remoteport (and the local
   * address and port). Returns t or nil.
   */
  connect(host: unknown, port?: unknown): Promise<T | Nil> {
    return this.#io(async () => {
      const target = await resolveTarget(this.backend, this.socket.family, this.socket.type, host, port)
      // No timeoutMs: the contract bounds connect by SO_SNDTIMEO itself and reports its expiry
      // as Linux does, EINPROGRESS ("Operation now in progress").
      await this.socket.connect(target)
      let remote = target
      try {
        remote = this.socket.remoteAddress()
      } catch {
        // The peer is known from the target itself when getpeername is not available.
      }
      this.#setRemote(remote)
      this.#refreshLocal()
      return true as const
    })
  }

  /** socket-eof: t after the end of the stream, an irrecoverable error, or destruction; else nil. */
  eof(): T | Nil {
    return tOrNil(this.#reader.eof || this.socket.closed)
  }

  /**
   * socket-fread: up to `length` (default: the buffer's length) bytes into `buffer`, from the
   * input buffer first. Returns the count (0 at the end of the stream, when `eof` turns t), or
   * nil on error or timeout.
   */
  fread(buffer: unknown, length?: unknown): Promise<number | Nil> {
    return this.#io(() => {
      const target = binary(buffer)
      const n = span(target, length)
      return this.#reader.exclusive(() => this.#reader.fread(target, n))
    })
  }

  /**
   * socket-fwrite: writes `buffer` (up to `length` bytes). Returns the count written, or nil
   * (a peer that has gone: "Broken pipe" or "Connection reset by peer"; a destroyed object:
   * "Bad file descriptor"; a timeout).
   */
  fwrite(buffer: unknown, length?: unknown): Promise<number | Nil> {
    return this.#io(() => {
      const source = binary(buffer)
      const n = span(source, length)
      // The whole binary, the usual fwrite, goes as it is (no view made per call).
      return this.#writeOrFail(n === source.length ? source : source.subarray(0, n))
    })
  }

  /**
   * socket-getsockopt: `level` nil (SOL_SOCKET), an integer or a name; `name` a keyword as in
   * socket(7). Returns an integer (milliseconds for SO_RCVTIMEO / SO_SNDTIMEO), a string, a
   * list for a struct, t or nil.
   */
  getsockopt(level: unknown, name: unknown): LispOptionValue | Nil {
    return this.#sync(() => {
      const option = resolveOption(level, name)
      return fromOptionValue(this.socket.getOption(option.level, option.name))
    })
  }

  /** socket-listen: listening mode with a queue of `backlog` connections. Returns t or nil. */
  listen(backlog?: unknown): Promise<T | Nil> {
    return this.#io(async () => {
      const n = backlog === null || backlog === undefined ? undefined : integer(backlog, 'the backlog', 0, 2 ** 31 - 1)
      await this.socket.listen(n)
      this.#readiness.listening = true
      this.#refreshLocal()
      return true as const
    })
  }

  /**
   * socket-read-char: the next UTF-8 character as a code point; EOF when the buffer is empty
   * and the stream ended; nil on error or timeout (a sequence cut by a timeout is lost).
   */
  readChar(): Promise<number | Eof | Nil> {
    return this.#io(() => this.#reader.exclusive(() => this.#reader.readChar()))
  }

  /**
   * socket-read-line: the next line as a string, without its LF (and without a CR just before
   * it), decoded from UTF-8 as read-char decodes. It shares the input buffer, the unread
   * character and the conventions of read-char: EOF when the buffer is empty and the stream
   * ended (a last line without LF is returned first), nil on error or timeout (the unfinished
   * line stays buffered for the next read). The document names this method beside read-char
   * and fread without a section of its own; see the README for the whole contract.
   */
  readLine(): Promise<string | Eof | Nil> {
    return this.#io(() => this.#reader.exclusive(() => this.#reader.readLine()))
  }

  /**
   * socket-read-string: the rest of the input buffer as a string (one real read when it is
   * empty); nil at the end of the stream (then `eof` is t), on error or on timeout.
   */
  readString(): Promise<string | Nil> {
    return this.#io(() => this.#reader.exclusive(() => this.#reader.readString()))
  }

  /**
   * socket-recv: invalidates the input buffer, then reads into `buffer` from the socket.
   * Keywords: `length` (bytes), `flags` (MSG_* bits of recv(2), or names). Returns the count,
   * EOF when the stream ended, or nil.
   */
  recv(buffer: unknown, ...keywords: unknown[]): Promise<number | Eof | Nil> {
    return this.#io(() => this.#receive(buffer, keywords, false))
  }

  /** socket-recv-from: as {@link recv}, and stores the sender in remoteaddress / remoteport. */
  recvFrom(buffer: unknown, ...keywords: unknown[]): Promise<number | Eof | Nil> {
    return this.#io(() => this.#receive(buffer, keywords, true))
  }

  /**
   * socket-send: sends `buffer` (keywords `length`, `flags`); the input buffer is kept.
   * Returns the count sent, EOF when the connection is closed, or nil.
   */
  send(buffer: unknown, ...keywords: unknown[]): Promise<number | Eof | Nil> {
    return this.#io(() => {
      const source = binary(buffer)
      const k = parseKeywords(keywords, DATA_KEYWORDS)
      const n = span(source, k.get('length'))
      return this.#write(n === source.length ? source : source.subarray(0, n), parseFlags(k.get('flags')))
    })
  }

  /** socket-send-to: as {@link send}, to `host` and `port` (resolved like connect's). */
  sendTo(buffer: unknown, host: unknown, port: unknown, ...keywords: unknown[]): Promise<number | Eof | Nil> {
    return this.#io(async () => {
      const source = binary(buffer)
      const k = parseKeywords(keywords, DATA_KEYWORDS)
      const flags = parseFlags(k.get('flags'))
      const to = await resolveTarget(this.backend, this.socket.family, this.socket.type, host, port)
      const sent = await this.#write(source.subarray(0, span(source, k.get('length'))), flags, to)
      // The first sendto of an unbound socket binds it to an ephemeral port: show it.
      if (this.address === null) this.#refreshLocal()
      return sent
    })
  }

  /**
   * socket-setsockopt: `level` nil (SOL_SOCKET), an integer or a name; `name` a keyword as in
   * socket(7); `value` an integer, float (timeouts in milliseconds; 0 disables), string, t,
   * nil, or a list for a struct. Returns t or nil.
   */
  setsockopt(level: unknown, name: unknown, value?: unknown): T | Nil {
    return this.#sync(() => {
      const option = resolveOption(level, name)
      this.socket.setOption(option.level, option.name, toOptionValue(option, value))
      return true as const
    })
  }

  /**
   * socket-showbin: prints the object's buffers and flags (the document's C structure) and
   * returns t. The binary and integer arguments of the document are accepted and unused.
   */
  showbin(..._arguments: unknown[]): T {
    try {
      this.#print(this.describeState())
    } catch (error) {
      recordError(error)
    }
    return true
  }

  /** The text `showbin` prints: descriptor, buffer, flags, timeouts and addresses. */
  describeState(): string {
    return describeSocket(this, this.#reader, this.#readiness.listening)
  }

  /** socket-unread-char: the last character read will be read again. Returns nil. */
  unreadChar(): Nil {
    this.#reader.charInBuffer = true
    return null
  }

  /** socket-write-char: writes the code point as UTF-8; returns it, or nil (as fwrite). */
  writeChar(codePoint: unknown): Promise<number | Nil> {
    return this.#io(async () => {
      const cp = integer(codePoint, 'the character', 0, 0x10ffff)
      await this.#writeOrFail(encodeCodePoint(cp))
      return cp
    })
  }

  /** socket-write-line: writes the string and a LF (0x0a); returns the string, or nil (as fwrite). */
  writeLine(line: unknown): Promise<string | Nil> {
    return this.#io(async () => {
      const s = text(line, 'the line')
      await this.#writeOrFail(Buffer.from(`${s}\n`, 'utf8'))
      return s
    })
  }

  /** socket-write-string: writes the string, no newline added; returns it, or nil (as fwrite). */
  writeString(value: unknown): Promise<string | Nil> {
    return this.#io(async () => {
      const s = text(value, 'the string')
      await this.#writeOrFail(Buffer.from(s, 'utf8'))
      return s
    })
  }

  /** file-fileno: the descriptor, or nil (backends without one: "Operation not supported: fd"). */
  fileno(): number | Nil {
    return this.#sync(() => this.socket.fd)
  }

  /** socket-destructor: closes the socket; always t. */
  async destroy(): Promise<T> {
    this.#reader.eof = true
    try {
      await this.socket.close()
    } catch (error) {
      recordError(error)
    }
    return true
  }

  /** For `select` only. */
  get [readiness](): Readiness {
    return this.#readiness
  }

  // Not async: the read queue's promise goes back as it is (a throw here reaches #io's catch).
  #receive(buffer: unknown, keywords: unknown[], from: boolean): Promise<number | Eof> {
    const target = binary(buffer)
    const k = parseKeywords(keywords, DATA_KEYWORDS)
    const n = span(target, k.get('length'))
    const flags = parseFlags(k.get('flags'))
    return this.#reader.exclusive(() => {
      this.#reader.invalidate()
      // Straight into the caller's binary (recv's `into`), as recv fills it.
      return this.#reader.receive(n, flags, target).then((got) => {
        if (got === EOF) return EOF
        if (from && got.from) this.#setRemote(got.from)
        return got.data.length
      })
    })
  }

  /**
   * For the write methods whose sections promise a value or nil and name no EOF (fwrite,
   * write-char, write-line, write-string): a destroyed object or a peer that has gone is an
   * error, recorded in `*lastsocketerror*` by the caller's `#io`.
   */
  // Not async: the contract's promise goes back as it is, and #io reacts to it once.
  #writeOrFail(bytes: Uint8Array): Promise<number> {
    if (this.socket.closed) {
      this.#reader.eof = true
      return Promise.reject(
        new SocketError('EBADF', { syscall: 'send', message: 'send EBADF: the socket object was destroyed' }),
      )
    }
    return this.socket.send(bytes)
  }

  /** For send and send-to, whose sections answer EOF for a closed socket. */
  // Not async: one reaction on the contract's promise, for its failures only.
  #write(bytes: Uint8Array, flags: readonly MsgFlag[], to?: SocketAddress): Promise<number | Eof> {
    if (this.socket.closed) {
      this.#reader.eof = true
      return Promise.resolve(EOF)
    }
    // No flags and no address, the usual send: no options object.
    const options = to !== undefined ? { flags, to } : flags.length > 0 ? { flags } : undefined
    return (options === undefined ? this.socket.send(bytes) : this.socket.send(bytes, options)).then(
      undefined,
      this.#writeFailed,
    )
  }

  /** A send that failed: EOF for a destroyed object or a peer that has gone, else thrown on. */
  readonly #writeFailed = (error: unknown): Eof => {
    if (this.socket.closed) {
      // Destroyed while the write waited.
      this.#reader.eof = true
      return EOF
    }
    // EPIPE: the peer has closed, the document's "returns EOF if the socket is closed".
    if (!isSocketError(error, 'EPIPE')) throw error
    this.#fail(error)
    return EOF
  }

  #setRemote(address: SocketAddress): void {
    const parts = addressParts(address)
    this.remoteaddress = parts.address
    this.remoteport = parts.port
  }

  #refreshLocal(): void {
    try {
      const local = this.socket.localAddress()
      // getsockname of an unbound socket says port 0 (or an empty path): that is nil here.
      if (local.family === 'unix' ? local.path === '' : local.port === 0) return
      const parts = addressParts(local)
      this.address = parts.address
      this.port = parts.port
    } catch {
      // Not bound yet, or no getsockname on this socket: the properties stay nil.
    }
  }

  #fail(error: unknown): void {
    recordError(error)
    if (isFatal(error)) this.#reader.eof = true
  }

  /**
   * Runs a method body; what it throws or rejects with becomes nil. Not async: one reaction on
   * the body's promise instead of an async function awaiting it, and the handler is made once
   * per socket. The reaction is registered in the caller's task, so `*lastsocketerror*` is
   * that task's.
   */
  #io<R>(fn: () => Promise<R>): Promise<R | Nil> {
    let run: Promise<R>
    try {
      run = fn()
    } catch (error) {
      return Promise.resolve(this.#nil(error))
    }
    return run.then(undefined, this.#nil)
  }

  readonly #nil = (error: unknown): Nil => {
    this.#fail(error)
    return null
  }

  #sync<R>(fn: () => R): R | Nil {
    try {
      return fn()
    } catch (error) {
      this.#fail(error)
      return null
    }
  }

  /** `#<socket inet stream 127.0.0.1:80>` for logs. */
  toString(): string {
    const local = this.socket.closed ? 'closed' : this.#describeLocal()
    return `#<socket ${this.family} ${this.type} ${local}>`
  }

  #describeLocal(): string {
    try {
      return formatAddress(this.socket.localAddress())
    } catch {
      return 'unbound'
    }
  }
}
