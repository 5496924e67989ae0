import {
  AbstractSocket,
  type Accepted,
  type OptionTarget,
  type OptionValue,
  type RecvResult,
  type SocketAddress,
  SocketError,
  type Wait,
} from '../../src/index.js'

/** One scripted outcome of a recv: bytes (with an optional sender), or an error to reject with. */
export type Step = Buffer | string | SocketError | { data: Buffer | string; from: SocketAddress }

/**
 * A contract socket whose reads follow a script and whose writes are recorded: the Lisp
 * facade's buffering and error handling can be checked byte by byte without timing. Not a
 * model of the OS: the conformance cases run the facade on real sockets.
 */
export class ScriptedSocket extends AbstractSocket {
  readonly script: Step[]
  readonly sent: Buffer[] = []
  readonly recvCalls: number[] = []
  options = new Map<string, OptionValue>()

  constructor(script: Step[], type: 'SOCK_STREAM' | 'SOCK_DGRAM' = 'SOCK_STREAM') {
    super({ family: 'AF_INET', type })
    this.script = script
  }

  protected async _bind(): Promise<void> {}
  protected async _listen(): Promise<void> {}
  protected async _accept(): Promise<Accepted> {
    throw new SocketError('EINVAL', { syscall: 'accept' })
  }
  protected async _connect(): Promise<void> {}
  protected async _send(data: Buffer): Promise<number> {
    this.sent.push(Buffer.from(data))
    return data.length
  }
  protected async _recv(maxBytes: number, _flags: readonly string[], _wait: Wait): Promise<RecvResult> {
    this.recvCalls.push(maxBytes)
    const step = this.script.shift()
    if (step === undefined) return { data: Buffer.alloc(0), truncated: false }
    if (step instanceof SocketError) throw step
    const [data, from] =
      typeof step === 'string' || Buffer.isBuffer(step)
        ? [Buffer.from(step), undefined]
        : [Buffer.from(step.data), step.from]
    if (data.length > maxBytes) {
      // A stream keeps the rest for the next read.
      if (this.type === 'SOCK_STREAM') this.script.unshift(data.subarray(maxBytes))
      return { data: data.subarray(0, maxBytes), truncated: this.type !== 'SOCK_STREAM' }
    }
    return from === undefined ? { data, truncated: false } : { data, from, truncated: false }
  }
  protected async _shutdown(): Promise<void> {}
  protected async _close(): Promise<void> {}
  protected _getOption(t: OptionTarget): OptionValue {
    return this.options.get(t.spec?.name ?? 'raw') ?? 0
  }
  protected _setOption(t: OptionTarget, v: OptionValue): void {
    this.options.set(t.spec?.name ?? 'raw', v)
  }
  protected _localAddress(): SocketAddress {
    return { family: 'inet', address: '127.0.0.1', port: 4000 }
  }
  protected _remoteAddress(): SocketAddress {
    throw new SocketError('ENOTCONN')
  }
}

/** The contract's timeout error (SO_RCVTIMEO elapsed). */
export const timeout = (): SocketError => new SocketError('EAGAIN', { syscall: 'recv' })
