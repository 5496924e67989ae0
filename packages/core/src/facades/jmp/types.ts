/**
 * The lists JMP's socket messages return (JMP Socket reference, "Returns" of each
 * message). `status` is `"ok"` or `"NAME: description. "`. Where we add items the documents do
 * not have, they only ever come after the documented ones, so destructuring the documented
 * items keeps working.
 */

/** connect, close, bind, listen, ioctl, and the immediate answer of a background message. */
export type JmpStatusList = [command: string, status: string]

/** send, sendto: the third item is what could not be sent (`""` when all of it went). */
export type JmpSendList = [command: string, status: string, unsent: string]

/** recv without callback: the data as a JSL string (`""` on error, and at end of stream). */
export type JmpRecvList = [command: string, status: string, data: string]

/** recv with callback: the socket the recv was sent to, fourth. */
export type JmpRecvCallbackList = [command: string, status: string, data: string, socket: JmpSocket]

/** recvfrom without callback: the sender's numeric address and port appended (`""` if none). */
export type JmpRecvfromList = [command: string, status: string, data: string, address: string, port: string]

/** recvfrom with callback: the socket fourth, then the sender's address and port. */
export type JmpRecvfromCallbackList = [
  command: string,
  status: string,
  data: string,
  socket: JmpSocket,
  address: string,
  port: string,
]

/** accept: on success the peer's machine name and the new socket; on failure only two items. */
export type JmpAcceptList = [command: string, status: string, host: string, socket: JmpSocket] | JmpStatusList

/** getpeername, getsockname: numeric address and port, both strings (`""` on error). */
export type JmpNameList = [command: string, status: string, address: string, port: string]

/** A background callback; what it returns is ignored (a rejected promise is reported). */
export type JmpCallback<L> = (list: L) => unknown

/**
 * A JMP socket: JSL's `skt << message(…)` is `await skt.message(…)`. Every message resolves
 * to a list and never rejects, whatever the arguments. Each message also exists under the
 * capitalised spelling of the documents (`Close`, `Accept`, `GetPeerName`, …), which echoes
 * that spelling as the first item, as JSL echoes the command it was sent.
 */
export interface JmpSocket {
  /** `"STREAM"` or `"DGRAM"` (what `Socket()` was given; `"STREAM"` also for an unknown type). */
  readonly type: 'STREAM' | 'DGRAM'
  /** True once close was sent. */
  readonly closed: boolean
  /** Connects to `host` (a name, resolved, or a numeric address) at `port` (number or service). */
  connect(host: string, port: number | string): Promise<JmpStatusList>
  /** Closes the socket; a pending background operation is cancelled without calling back. */
  close(): Promise<JmpStatusList>
  /** Sends data (a JSL string with `~xx` escapes, or bytes). Blocking: all of it. */
  send(data: string | Uint8Array): Promise<JmpSendList>
  /** Sends a datagram to `host`:`port` (on a STREAM socket, the address is ignored). */
  sendto(data: string | Uint8Array, host: string, port: number | string): Promise<JmpSendList>
  /** Receives up to `n` bytes; blocks unless FIONBIO is on. */
  recv(n: number): Promise<JmpRecvList>
  /** Receives in the background; `timeout` in seconds, absent or 0 for none. */
  recv(n: number, callback: JmpCallback<JmpRecvCallbackList>, timeout?: number): Promise<JmpStatusList>
  /** Receives one datagram of up to `n` bytes (the rest of a longer one is discarded). */
  recvfrom(n: number): Promise<JmpRecvfromList>
  recvfrom(n: number, callback: JmpCallback<JmpRecvfromCallbackList>, timeout?: number): Promise<JmpStatusList>
  /** `ioctl("FIONBIO", 1)`: non-blocking; `0`: blocking again. Needs a bound or connected socket. */
  ioctl(request: 'FIONBIO' | string, value: number | boolean): Promise<JmpStatusList>
  /** Binds to a local `host` and `port` (0 lets the system choose). */
  bind(host: string, port: number | string): Promise<JmpStatusList>
  /** Starts listening; needs bind first. */
  listen(backlog?: number): Promise<JmpStatusList>
  /** Accepts a connection; with a callback, in the background (`timeout` 0: never times out). */
  accept(): Promise<JmpAcceptList>
  accept(callback: JmpCallback<JmpAcceptList>, timeout?: number): Promise<JmpStatusList>
  /** The peer's numeric address and port. */
  getpeername(): Promise<JmpNameList>
  /** This end's numeric address and port. */
  getsockname(): Promise<JmpNameList>

  Connect(host: string, port: number | string): Promise<JmpStatusList>
  Close(): Promise<JmpStatusList>
  Send(data: string | Uint8Array): Promise<JmpSendList>
  SendTo(data: string | Uint8Array, host: string, port: number | string): Promise<JmpSendList>
  Recv(n: number): Promise<JmpRecvList>
  Recv(n: number, callback: JmpCallback<JmpRecvCallbackList>, timeout?: number): Promise<JmpStatusList>
  RecvFrom(n: number): Promise<JmpRecvfromList>
  RecvFrom(n: number, callback: JmpCallback<JmpRecvfromCallbackList>, timeout?: number): Promise<JmpStatusList>
  Ioctl(request: 'FIONBIO' | string, value: number | boolean): Promise<JmpStatusList>
  Bind(host: string, port: number | string): Promise<JmpStatusList>
  Listen(backlog?: number): Promise<JmpStatusList>
  Accept(): Promise<JmpAcceptList>
  Accept(callback: JmpCallback<JmpAcceptList>, timeout?: number): Promise<JmpStatusList>
  GetPeerName(): Promise<JmpNameList>
  GetSockName(): Promise<JmpNameList>
}

/** Options of `createJmp`. */
export interface JmpOptions {
  /**
   * Called when a background callback throws or its promise rejects (JMP writes such errors
   * to its log). Default: `process.emitWarning`.
   */
  readonly onCallbackError?: (error: unknown, command: string) => void
  /** Longest wait for accept's reverse lookup, in milliseconds, before the numeric address is used. Default 2000. */
  readonly reverseLookupMs?: number
}

/** What `createJmp` returns. */
export interface Jmp {
  /**
   * JSL's `Socket()`: a new socket, `"STREAM"` (default) or `"DGRAM"` (any letter case). It is
   * created synchronously; the system socket is made by the first message that needs one. An
   * unknown type gives a socket whose every message answers SOCKTNOSUPPORT.
   */
  Socket(type?: 'STREAM' | 'DGRAM' | string): JmpSocket
}
