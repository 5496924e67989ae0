import type { SocketAddress } from '../../contract/address.js'
import type { Backend } from '../../contract/backend.js'
import type { Socket } from '../../contract/socket.js'
import { isSocketError, SocketError, type SocketErrorCode } from '../../errors.js'
import { type BackgroundHandle, type Outcome, startBackground } from './background.js'
import { statusOf } from './status.js'
import type { JmpSocket } from './types.js'

/** What every socket of one `createJmp` shares. */
export interface Shared {
  readonly backend: Backend
  readonly onCallbackError: (error: unknown, command: string) => void
  readonly reverseLookupMs: number
  /**
   * Wraps a connected contract socket (from accept) as a new JMP socket; `peerName` is the
   * machine name accept reported, which its getpeername gives back.
   */
  readonly adopt: (socket: Socket, peerName?: string) => JmpSocket
}

export type Kind = 'SOCK_STREAM' | 'SOCK_DGRAM'
export type IpFamily = 'AF_INET' | 'AF_INET6'

/** A `SocketError` with just a code: the status table supplies the text. */
export const fault = (code: SocketErrorCode): SocketError => new SocketError(code)
export const ignore = (): void => {}

/** An address as the two strings JMP lists carry: numeric address and decimal port. */
export function addressStrings(address: SocketAddress | undefined): [string, string] {
  if (address === undefined) return ['', '']
  if (address.family === 'unix') return [address.path, '']
  return [address.address, String(address.port)]
}

/** Pause, in milliseconds, before waiting again when what was ready was taken by another call. */
const TAKEN_PAUSE_MS = 5

/**
 * Waits until `sock` is readable (POLLIN; POLLERR or POLLHUP count too: the call then reports
 * them) with the contract's waitReady, then makes `call` without waiting. Nothing is read or
 * accepted before the data or connection is there, so a background operation that times out
 * or is cancelled leaves the socket's queue as it was. Should another message have taken what
 * was ready (`EAGAIN`), it waits again.
 * @throws the signal's reason when `signal` aborts; the call's own errors.
 */
export async function whenReadable<T>(
  sock: Socket,
  signal: AbortSignal,
  call: (options: { signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  for (;;) {
    await sock.waitReady(['POLLIN'], { signal })
    try {
      return await call({ signal })
    } catch (error) {
      if (!isSocketError(error, 'EAGAIN', 'EWOULDBLOCK') || signal.aborted) throw error
    }
    await new Promise((resolve) => setTimeout(resolve, TAKEN_PAUSE_MS))
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * The state of one JMP socket: its contract socket (made lazily, because only the first
 * address a script names tells the family), and what the documents define on top of the
 * system's, kept here so that every backend answers alike: bound, connected, listening (ioctl
 * needs bound or connected, listen needs bind, accept needs listen), and the one background
 * operation a socket may have.
 */
export class JmpState {
  readonly shared: Shared
  /** `undefined` for a type `Socket()` did not know: every message answers SOCKTNOSUPPORT. */
  readonly kind: Kind | undefined
  /** The public object this state belongs to (the fourth item of callback lists). */
  self!: JmpSocket
  socket: Socket | undefined
  creating: { readonly family: IpFamily; readonly promise: Promise<Socket> } | undefined
  closed = false
  bound = false
  connected = false
  listening = false
  background: BackgroundHandle | undefined
  /** The machine name the script connected to (or accept reported), for getpeername. */
  peerName: string | undefined
  /** The machine name the script bound to, for getsockname. */
  localName: string | undefined

  constructor(shared: Shared, kind: Kind | undefined, accepted?: Socket) {
    this.shared = shared
    this.kind = kind
    if (accepted !== undefined) {
      this.socket = accepted
      this.bound = true
      this.connected = true
    }
  }

  /** Runs a message body; anything thrown becomes the failure list with its status. */
  async guard<L>(fail: (status: string) => L, body: () => Promise<L>): Promise<L> {
    try {
      return await body()
    } catch (error) {
      let text: string
      try {
        text = statusOf(error)
      } catch {
        // An error whose own properties throw still becomes a status.
        text = 'INTERNAL: The socket layer failed unexpectedly. '
      }
      return fail(text)
    }
  }

  /** The socket type, once the socket is known to be usable. @throws EBADF, ESOCKTNOSUPPORT */
  usable(): Kind {
    if (this.closed) throw fault('EBADF')
    if (this.kind === undefined) throw fault('ESOCKTNOSUPPORT')
    return this.kind
  }

  /** The family of the contract socket, made or being made; `undefined` before. */
  family(): IpFamily | undefined {
    const f = this.socket?.family ?? this.creating?.family
    return f === 'AF_INET' || f === 'AF_INET6' ? f : undefined
  }

  /** Whether no contract socket exists or is being made. */
  fresh(): boolean {
    return this.socket === undefined && this.creating === undefined
  }

  peer(sock: Socket): SocketAddress | undefined {
    try {
      return sock.remoteAddress()
    } catch {
      return undefined
    }
  }

  /** The contract socket, made on first need with the family of the address at hand. */
  ensure(family: IpFamily): Promise<Socket> {
    const existing = this.socket
    if (existing !== undefined) {
      return existing.family === family ? Promise.resolve(existing) : Promise.reject(fault('EAFNOSUPPORT'))
    }
    let creating = this.creating
    if (creating === undefined) {
      const promise = (async () => {
        const sock = await this.shared.backend.socket(family, this.usable())
        if (this.closed) {
          // close() came first: the script is done with this socket.
          await sock.close().catch(ignore)
          throw fault('EBADF')
        }
        this.socket = sock
        return sock
      })()
      const entry = { family, promise }
      creating = entry
      this.creating = entry
      promise
        .finally(() => {
          if (this.creating === entry) this.creating = undefined
        })
        .catch(ignore)
    }
    return creating.promise.then((sock) => (sock.family === family ? sock : Promise.reject(fault('EAFNOSUPPORT'))))
  }

  /** Drops a socket made for an attempt that failed; the next message makes a fresh one. */
  async discard(sock: Socket): Promise<void> {
    if (this.socket === sock) this.socket = undefined
    await sock.close().catch(ignore)
  }

  /**
   * Starts a background operation and reports its list to the callback. The slot is freed
   * before the callback runs, so that the callback can send the same message again (the usual
   * way to keep a server accepting).
   */
  startBackground<T>(
    cmd: string,
    callback: (list: never) => unknown,
    spec: {
      attempt: (signal: AbortSignal) => Promise<T>
      nonBlocking: () => boolean
      timeoutMs: number | undefined
      /** Builds the callback's list from the outcome. */
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
        if (this.background === slot.handle) this.background = undefined
        spec.settle(outcome).then(
          (list) => this.#call(callback as (list: unknown) => unknown, list, cmd),
          (error: unknown) => this.#report(error, cmd),
        )
      },
    })
    this.background = slot.handle
  }

  /**
   * A socket used in a background recv, recvfrom or accept becomes non-blocking and stays so
   * (JMP Socket messages, ioctl): a later plain recv or accept with nothing pending answers
   * WOULDBLOCK at once. `ioctl("FIONBIO", 0)` makes it blocking again.
   */
  enterBackground(sock: Socket): void {
    sock.setNonBlocking(true)
  }

  /** Cancels the pending background operation, if any (its callback is not called). */
  cancelBackground(): void {
    this.background?.cancel()
    this.background = undefined
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
      this.shared.onCallbackError(error, cmd)
    } catch {
      // The reporter failing must not become an unhandled error either.
    }
  }
}
