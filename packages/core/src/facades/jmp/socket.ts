import type { Socket } from '../../contract/socket.js'
import { bind, close, connect, ioctl, listen, name } from './messages-connection.js'
import { accept, receive, send, sendto } from './messages-data.js'
import { JmpState, type Kind, type Shared } from './state.js'
import type { JmpSocket } from './types.js'

/**
 * One JMP socket: the object a script sends messages to. Its state is private; each message
 * is a function of messages-connection.ts or messages-data.ts, called with the name the
 * script used, because JSL echoes the command as it was sent (`Close()` gives `"Close"`).
 */
class JmpSocketImpl {
  readonly #st: JmpState

  constructor(shared: Shared, kind: Kind | undefined, accepted?: Socket, peerName?: string) {
    this.#st = new JmpState(shared, kind, accepted)
    if (peerName !== undefined) this.#st.peerName = peerName
    this.#st.self = this as unknown as JmpSocket
  }

  get type(): 'STREAM' | 'DGRAM' {
    return this.#st.kind === 'SOCK_DGRAM' ? 'DGRAM' : 'STREAM'
  }

  get closed(): boolean {
    return this.#st.closed
  }

  connect(host: unknown, port: unknown) {
    return connect(this.#st, 'connect', host, port)
  }
  close() {
    return close(this.#st, 'close')
  }
  send(data: unknown) {
    return send(this.#st, 'send', data)
  }
  sendto(data: unknown, host: unknown, port: unknown) {
    return sendto(this.#st, 'sendto', data, host, port)
  }
  recv(n: unknown, callback?: unknown, timeout?: unknown) {
    return receive(this.#st, 'recv', false, n, callback, timeout)
  }
  recvfrom(n: unknown, callback?: unknown, timeout?: unknown) {
    return receive(this.#st, 'recvfrom', true, n, callback, timeout)
  }
  ioctl(request: unknown, value: unknown) {
    return ioctl(this.#st, 'ioctl', request, value)
  }
  bind(host: unknown, port: unknown) {
    return bind(this.#st, 'bind', host, port)
  }
  listen(backlog?: unknown) {
    return listen(this.#st, 'listen', backlog)
  }
  accept(callback?: unknown, timeout?: unknown) {
    return accept(this.#st, 'accept', callback, timeout)
  }
  getpeername() {
    return name(this.#st, 'getpeername', true)
  }
  getsockname() {
    return name(this.#st, 'getsockname', false)
  }

  // The documents' capitalised spellings.
  Connect(host: unknown, port: unknown) {
    return connect(this.#st, 'Connect', host, port)
  }
  Close() {
    return close(this.#st, 'Close')
  }
  Send(data: unknown) {
    return send(this.#st, 'Send', data)
  }
  SendTo(data: unknown, host: unknown, port: unknown) {
    return sendto(this.#st, 'SendTo', data, host, port)
  }
  Recv(n: unknown, callback?: unknown, timeout?: unknown) {
    return receive(this.#st, 'Recv', false, n, callback, timeout)
  }
  RecvFrom(n: unknown, callback?: unknown, timeout?: unknown) {
    return receive(this.#st, 'RecvFrom', true, n, callback, timeout)
  }
  Ioctl(request: unknown, value: unknown) {
    return ioctl(this.#st, 'Ioctl', request, value)
  }
  Bind(host: unknown, port: unknown) {
    return bind(this.#st, 'Bind', host, port)
  }
  Listen(backlog?: unknown) {
    return listen(this.#st, 'Listen', backlog)
  }
  Accept(callback?: unknown, timeout?: unknown) {
    return accept(this.#st, 'Accept', callback, timeout)
  }
  GetPeerName() {
    return name(this.#st, 'GetPeerName', true)
  }
  GetSockName() {
    return name(this.#st, 'GetSockName', false)
  }
}

/**
 * Makes a JMP socket. The class's method signatures take `unknown` (a script may pass
 * anything); the public {@link JmpSocket} type carries the documented overloads.
 */
export function makeSocket(shared: Shared, kind: Kind | undefined, accepted?: Socket, peerName?: string): JmpSocket {
  return new JmpSocketImpl(shared, kind, accepted, peerName) as unknown as JmpSocket
}
