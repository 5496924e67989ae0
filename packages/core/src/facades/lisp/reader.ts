import type { SocketAddress } from '../../contract/address.js'
import type { MsgFlag } from '../../contract/names.js'
import type { RecvResult, Socket } from '../../contract/socket.js'
import { InputBuffer } from './input-buffer.js'
import { encodeCodePoint, incompleteTail, NEED_MORE, REJECTED, REPLACEMENT, Utf8Decoder } from './utf8.js'
import { EOF, type Eof } from './values.js'

/** One real read: bytes (and their sender on a datagram socket). */
export interface Received {
  readonly data: Buffer
  readonly from?: SocketAddress
}

/**
 * Longest line read-line assembles, in bytes (or `maxstring` when that is larger): a peer that
 * never sends a LF must not make the input buffer grow without bound.
 */
export const LINE_LIMIT = 1024 * 1024

const LF = 0x0a
const CR = 0x0d

/**
 * The input side of a socket object: the input buffer, the last character read and its
 * char-in-buffer flag and the end-of-file flag. Read methods run
 * one at a time (a queue), so concurrent tasks reading one socket never reorder its bytes.
 * Errors (timeouts included) are thrown; the socket object turns them into nil.
 * Source: Lisp socket class, socket-read-char, -read-string, -fread, -recv,
 * -clear-input, -unread-char, -char-in-buffer.
 */
export class Reader {
  readonly buffer = new InputBuffer()
  /** The last character read-char returned ("always stored internally"). */
  lastChar: number | undefined
  #charInBuffer = false
  /** End of stream seen, an irrecoverable error met, or the socket destroyed. */
  eof = false
  readonly #socket: Socket
  readonly #maxstring: number
  /** Stream-like sockets read zero bytes only at the end; a datagram may be empty. */
  readonly #streamLike: boolean
  /** Whether a read runs now; the reads queued behind it wait in {@link #waiting}. */
  #busy = false
  readonly #waiting: (() => void)[] = []

  constructor(socket: Socket, maxstring: number) {
    this.#socket = socket
    this.#maxstring = maxstring
    this.#streamLike = socket.type === 'SOCK_STREAM' || socket.type === 'SOCK_SEQPACKET'
  }

  /** The char-in-buffer flag: t only while a character can be given back. */
  get charInBuffer(): boolean {
    return this.#charInBuffer && this.lastChar !== undefined
  }

  set charInBuffer(on: boolean) {
    this.#charInBuffer = on
  }

  /** Whether a read would return at once (data, a pending error or the end), for `select`. */
  get readyNow(): boolean {
    return this.charInBuffer || !this.buffer.isEmpty || this.eof || this.#socket.closed
  }

  /**
   * Runs `fn` after every read queued before it, so reads never interleave. With no read
   * running, `fn` starts at once: the usual single reader pays no queue hop and no promise
   * for the queue.
   */
  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    if (!this.#busy) {
      this.#busy = true
      return this.#run(fn)
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve)).then(() => this.#run(fn))
  }

  /**
   * Runs `fn` and hands the next queued read its turn when `fn` settles. The caller gets `fn`'s
   * own promise (no promise wrapped around it, one hop less per read); the hand-over is a
   * reaction registered on it first, so it runs before the caller resumes.
   */
  #run<R>(fn: () => Promise<R>): Promise<R> {
    let run: Promise<R>
    try {
      run = fn()
    } catch (error) {
      run = Promise.reject(error)
    }
    run.then(this.#next, this.#next)
    return run
  }

  /** The next queued read starts, or the reader is idle. */
  readonly #next = (): void => {
    const next = this.#waiting.shift()
    if (next) next()
    else this.#busy = false
  }

  /** clear-input (and recv, recv-from): forget the buffer and the unread character. */
  invalidate(): void {
    this.buffer.clear()
    this.#charInBuffer = false
  }

  /**
   * One real read of up to `maxBytes` bytes from the socket, into `into` when given (recv's
   * `into`: the caller's binary, filled without a copy on a backend that reads into memory).
   * @returns the bytes, or EOF when a stream-like socket reached its end (sets `eof`).
   */
  // Not async: one reaction on the contract's promise, no async function's hops around it.
  receive(maxBytes: number, flags?: readonly MsgFlag[], into?: Uint8Array): Promise<Received | Eof> {
    if (this.#socket.closed) {
      // Destroyed: "returns EOF if the input buffer is empty and the socket is closed".
      this.eof = true
      return Promise.resolve(EOF)
    }
    // Without flags or memory (every read but recv's) the contract gets no options to check.
    const plain = flags === undefined || flags.length === 0
    const reading =
      into === undefined
        ? plain
          ? this.#socket.recv(maxBytes)
          : this.#socket.recv(maxBytes, { flags })
        : this.#socket.recv(maxBytes, plain ? { into } : { flags, into })
    // The contract's result as it is: it carries `data` and `from`, which is all a Received is.
    return reading.then(
      (result) => (this.#atEnd(result, maxBytes) ? EOF : result),
      (error: unknown) => {
        this.#cutOff(error)
        return EOF
      },
    )
  }

  /** Whether `result` is the end of a stream-like socket's data (sets `eof`). */
  #atEnd(result: RecvResult, maxBytes: number): boolean {
    if (result.data.length !== 0 || maxBytes === 0 || !this.#streamLike) return false
    this.eof = true
    return true
  }

  /**
   * A read that failed: destroyed while it waited, it ends like a read on a destroyed socket
   * (`eof` set, the caller answers EOF); any other error is thrown on.
   */
  #cutOff(error: unknown): void {
    if (!this.#socket.closed) throw error
    this.eof = true
  }

  /** Reads up to maxstring more bytes into the buffer; false at the end of the stream. */
  async #fill(): Promise<boolean> {
    const got = await this.receive(this.#maxstring)
    if (got === EOF) return false
    this.buffer.append(got.data)
    return true
  }

  /** Gives the unread character back to the buffer, for the byte-oriented reads. */
  #restoreUnread(): void {
    if (this.charInBuffer) this.buffer.prepend(encodeCodePoint(this.lastChar as number))
    this.#charInBuffer = false
  }

  #keep(codePoint: number): number {
    this.lastChar = codePoint
    return codePoint
  }

  /**
   * read-char: the next UTF-8 character as a code point; EOF at the end. A timeout or error in
   * the middle of a sequence throws, and the bytes taken so far are gone (the document's
   * "loss of the sequence"). An ill-formed sequence gives U+FFFD.
   */
  async readChar(): Promise<number | Eof> {
    if (this.charInBuffer) {
      this.#charInBuffer = false
      return this.lastChar as number
    }
    this.#charInBuffer = false
    const decoder = new Utf8Decoder()
    for (;;) {
      const byte = this.buffer.peek()
      if (byte === undefined) {
        if (await this.#fill()) continue
        // The end of the stream in the middle of a sequence: the sequence is ill-formed.
        return decoder.pending ? this.#keep(REPLACEMENT) : EOF
      }
      const result = decoder.push(byte)
      if (result === REJECTED) return this.#keep(REPLACEMENT)
      this.buffer.skip()
      if (result !== NEED_MORE) return this.#keep(result)
    }
  }

  /**
   * read-string: everything in the buffer up to just after its last complete character,
   * reading once when the buffer is empty; a trailing incomplete UTF-8 sequence stays in the
   * buffer for the next read (and is completed first when it is all the buffer holds).
   * @returns the text, or `null` at the end of the stream (`eof` is then set).
   */
  async readString(): Promise<string | null> {
    this.#restoreUnread()
    if (this.buffer.isEmpty && !(await this.#fill())) return null
    let ended = false
    // At most three more reads: each adds a byte to a sequence of at most four.
    for (let round = 0; round < 3; round++) {
      const tail = incompleteTail(this.buffer.view())
      if (tail === 0 || tail < this.buffer.length) break
      if (!(await this.#fill())) {
        ended = true
        break
      }
    }
    const keep = ended ? 0 : incompleteTail(this.buffer.view())
    const bytes = this.buffer.take(this.buffer.length - keep)
    return new TextDecoder().decode(bytes)
  }

  /**
   * read-line: the characters up to the next LF, decoded as read-char decodes them, without
   * the LF and without a CR just before it. The buffer is read first; the socket only while no
   * LF is buffered. The end of the stream ends the last line (EOF when nothing is left at all).
   * Nothing is consumed until the line is complete, so a timeout or an error (thrown) leaves
   * the unfinished line in the buffer for the next read. A line longer than
   * `max(LINE_LIMIT, maxstring)` bytes comes back in pieces of that size, cut between
   * characters. The LF (at the end of the stream: the line's last character) becomes the last
   * character read, for unread-char.
   */
  async readLine(): Promise<string | Eof> {
    this.#restoreUnread()
    const limit = Math.max(LINE_LIMIT, this.#maxstring)
    let scanned = 0
    for (;;) {
      const view = this.buffer.view()
      const lf = view.indexOf(LF, scanned)
      if (lf !== -1 && lf < limit) return this.#takeLine(lf, true)
      if (view.length >= limit) {
        return this.#takeLine(limit - incompleteTail(view.subarray(0, limit)), false)
      }
      // Only the bytes a fill adds need searching next time: a long line is scanned once.
      scanned = view.length
      if (!(await this.#fill())) {
        return this.buffer.isEmpty ? EOF : this.#takeLine(this.buffer.length, false)
      }
    }
  }

  /** Consumes `length` bytes (and the LF after them when `newline`) and decodes the line. */
  #takeLine(length: number, newline: boolean): string {
    const bytes = this.buffer.take(newline ? length + 1 : length)
    let end = length
    if (newline && end > 0 && bytes[end - 1] === CR) end--
    const line = new TextDecoder().decode(bytes.subarray(0, end))
    if (newline) this.lastChar = LF
    else if (line !== '') this.lastChar = lastCodePoint(line)
    return line
  }

  /**
   * fread: up to `length` bytes into `target`: the unread character and the buffer first,
   * without touching the socket; only an exhausted buffer reads the socket, straight into
   * `target` (recv's `into`: a backend that reads into memory makes no copy). @returns the count; 0 at the end of the stream (then `eof` is set), as the
   * section promises an integer or nil and names no EOF.
   */
  fread(target: Uint8Array, length: number): Promise<number> {
    if (length === 0) return Promise.resolve(0)
    this.#restoreUnread()
    if (!this.buffer.isEmpty) {
      const chunk = this.buffer.take(length)
      target.set(chunk)
      return Promise.resolve(chunk.length)
    }
    if (this.#socket.closed) {
      this.eof = true
      return Promise.resolve(0)
    }
    // What receive does, as one reaction on the contract's promise rather than two async
    // functions awaiting each other: fread is the bulk read path, and each hop is a microtask.
    return this.#socket.recv(length, { into: target }).then(
      (result) => (this.#atEnd(result, length) ? 0 : result.data.length),
      (error: unknown) => {
        this.#cutOff(error)
        return 0
      },
    )
  }
}

/** The last code point of a non-empty string (a surrogate pair counts as one). */
function lastCodePoint(text: string): number {
  const last = text.codePointAt(text.length - 1) as number
  if (last >= 0xdc00 && last <= 0xdfff && text.length >= 2) {
    const pair = text.codePointAt(text.length - 2) as number
    if (pair > 0xffff) return pair
  }
  return last
}
