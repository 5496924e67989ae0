import type { SocketAddress } from '../../contract/address.js'
import type { Accepted, RecvResult } from '../../contract/socket.js'
import { checkCallback, checkCount, checkData, checkHost, checkPort, checkTimeout } from './args.js'
import { decodeForSend, encode, settleSendBytes } from './codec.js'
import { KeptBuffer } from './kept-buffer.js'
import { familyOf, machineName, resolve } from './resolve.js'
import { addressStrings, fault, ignore, type JmpState, whenReadable } from './state.js'
import { failureStatus, OK, status, statusOf } from './status.js'
import type {
  JmpAcceptList,
  JmpRecvCallbackList,
  JmpRecvfromCallbackList,
  JmpRecvfromList,
  JmpRecvList,
  JmpSendList,
  JmpStatusList,
} from './types.js'

/**
 * The memory a Recv without a callback receives into (recv's `into`), up to 1 MiB: its bytes
 * become a JSL string before the Recv answers, so one buffer serves every Recv in turn, and a
 * backend that reads into memory allocates nothing per call.
 */
const receiveMemory = new KeptBuffer(1 << 20)

// Messages that move data or connections: send, sendto, recv, recvfrom, accept. Each resolves
// to its list and never rejects (JmpState.guard).

export type RecvAny = JmpRecvList | JmpRecvCallbackList | JmpRecvfromList | JmpRecvfromCallbackList | JmpStatusList
export type AcceptAny = JmpAcceptList | JmpStatusList

/**
 * send(data) (JMP Socket reference, send): the third item is what was not sent. Written with
 * its own try/catch rather than JmpState.guard, and as one reaction on the contract's promise
 * rather than an async function: send is the data path, and this way it builds no closures
 * of its own per call and adds no promise hop.
 */
export function send(st: JmpState, cmd: string, data: unknown): Promise<JmpSendList> {
  let bytes: Uint8Array | undefined
  try {
    // A string goes into the codec's kept send buffer when it can (decodeForSend).
    bytes = typeof data === 'string' ? decodeForSend(data) : checkData(data)
    const kind = st.usable()
    const sock = st.socket
    if (sock === undefined || !st.connected) throw fault(kind === 'SOCK_DGRAM' ? 'EDESTADDRREQ' : 'ENOTCONN')
    const out = bytes
    return sock.send(out).then(
      (count): JmpSendList => {
        // Everything sent, the usual case: nothing left to encode.
        const list: JmpSendList = [cmd, OK, count === out.length ? '' : encode(out.subarray(count))]
        settleSendBytes(out, true)
        return list
      },
      (error: unknown): JmpSendList => {
        const list: JmpSendList = [cmd, failureStatus(error), encode(out)]
        settleSendBytes(out, false)
        return list
      },
    )
  } catch (error) {
    const list: JmpSendList = [cmd, failureStatus(error), bytes === undefined ? '' : encode(bytes)]
    if (bytes !== undefined) settleSendBytes(bytes, false)
    return Promise.resolve(list)
  }
}

/** sendto(data, host, port) (JMP Socket reference, sendto). */
export function sendto(st: JmpState, cmd: string, data: unknown, host: unknown, port: unknown): Promise<JmpSendList> {
  let bytes: Uint8Array | undefined
  return st.guard<JmpSendList>(
    (s) => [cmd, s, bytes === undefined ? '' : encode(bytes)],
    async () => {
      bytes = checkData(data)
      const h = checkHost(host)
      const p = checkPort(port)
      const kind = st.usable()
      if (kind === 'SOCK_STREAM') {
        // A connected stream has one destination; the address is ignored, as sendto(2) does.
        const sock = st.socket
        if (sock === undefined || !st.connected) throw fault('ENOTCONN')
        return [cmd, OK, encode(bytes.subarray(await sock.send(bytes)))]
      }
      const [address] = await resolve(st.shared.backend, h, p, kind, st.family())
      if (address === undefined) throw fault('EAI_NONAME')
      const sock = await st.ensure(familyOf(address))
      const sent = await sock.send(bytes, { to: address })
      // The system bound the socket to an ephemeral port: replies can now be received.
      st.bound = true
      return [cmd, OK, encode(bytes.subarray(sent))]
    },
  )
}

/**
 * recv / recvfrom, blocking or in the background (JMP Socket reference, recv and
 * recvfrom). recvfrom appends the sender's address and port after the documented items.
 */
export function receive(
  st: JmpState,
  cmd: string,
  withFrom: boolean,
  n: unknown,
  callback: unknown,
  timeout: unknown,
): Promise<RecvAny> {
  const background = callback !== undefined && callback !== null
  // A blocking recv on a stream, the data path, takes the short way (no closures, no guard).
  if (!background && !withFrom) return receivePlain(st, cmd, n, timeout)
  return st.guard<RecvAny>(
    (s) => (background ? [cmd, s] : withFrom ? [cmd, s, '', '', ''] : [cmd, s, '']),
    async () => {
      const count = checkCount(n)
      const cb = checkCallback(callback)
      const timeoutMs = checkTimeout(timeout)
      const kind = st.usable()
      const sock = st.socket
      if (sock === undefined || (kind === 'SOCK_STREAM' && !st.connected)) {
        // A datagram socket that never bound nor sent has no address to receive on.
        throw fault(kind === 'SOCK_STREAM' ? 'ENOTCONN' : 'EINVAL')
      }
      if (st.background !== undefined) throw fault('EALREADY')
      const list = (s: string, data: string, from: SocketAddress | undefined): RecvAny => {
        if (!withFrom) return cb === undefined ? [cmd, s, data] : [cmd, s, data, st.self]
        const [address, port] = addressStrings(from ?? (st.connected ? st.peer(sock) : undefined))
        return cb === undefined ? [cmd, s, data, address, port] : [cmd, s, data, st.self, address, port]
      }
      if (cb === undefined) {
        const into = receiveMemory.lend(count)
        try {
          const r = await (into === undefined ? sock.recv(count) : sock.recv(count, { into }))
          return list(OK, encode(r.data), r.from)
        } finally {
          if (into !== undefined) receiveMemory.giveBack(into)
        }
      }
      st.enterBackground(sock)
      st.startBackground<RecvResult>(cmd, cb, {
        attempt: (signal) => whenReadable(sock, signal, (o) => sock.recv(count, { ...o, flags: ['MSG_DONTWAIT'] })),
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

/**
 * recv(n) without a callback: what {@link receive} does for it, with its own try/catch and as
 * one reaction on the contract's promise. The checks run in the same order, so every failure
 * gets the same status.
 */
function receivePlain(st: JmpState, cmd: string, n: unknown, timeout: unknown): Promise<RecvAny> {
  try {
    const count = checkCount(n)
    // Unused without a callback, but a bad one is still INVAL, as in the long way.
    checkTimeout(timeout)
    const kind = st.usable()
    const sock = st.socket
    if (sock === undefined || (kind === 'SOCK_STREAM' && !st.connected)) {
      throw fault(kind === 'SOCK_STREAM' ? 'ENOTCONN' : 'EINVAL')
    }
    if (st.background !== undefined) throw fault('EALREADY')
    const into = receiveMemory.lend(count)
    const reading = into === undefined ? sock.recv(count) : sock.recv(count, { into })
    return reading.then(
      (r): RecvAny => {
        const list: RecvAny = [cmd, OK, encode(r.data)]
        if (into !== undefined) receiveMemory.giveBack(into)
        return list
      },
      (error: unknown): RecvAny => {
        if (into !== undefined) receiveMemory.giveBack(into)
        return [cmd, failureStatus(error), '']
      },
    )
  } catch (error) {
    return Promise.resolve([cmd, failureStatus(error), ''])
  }
}

/** accept, blocking or in the background (JMP Socket reference, Accept). */
export function accept(st: JmpState, cmd: string, callback: unknown, timeout: unknown): Promise<AcceptAny> {
  return st.guard<AcceptAny>(
    (s) => [cmd, s],
    async () => {
      const cb = checkCallback(callback)
      const timeoutMs = checkTimeout(timeout)
      const kind = st.usable()
      if (kind === 'SOCK_DGRAM') throw fault('EOPNOTSUPP')
      const sock = st.socket
      // "Listen was not invoked prior to accept" is one of INVAL's documented reasons.
      if (sock === undefined || !st.listening) throw fault('EINVAL')
      if (st.background !== undefined) throw fault('EALREADY')
      const accepted = async (a: Accepted): Promise<JmpAcceptList> => {
        const host = await machineName(st.shared.backend, a.address, st.shared.reverseLookupMs)
        return [cmd, OK, host, st.shared.adopt(a.socket, host)]
      }
      if (cb === undefined) return accepted(await sock.accept())
      st.enterBackground(sock)
      st.startBackground<Accepted>(cmd, cb, {
        // accept has no MSG_DONTWAIT: the socket is non-blocking here (enterBackground), unless
        // the script made it blocking again, when accept waits as it would in JMP.
        attempt: (signal) => whenReadable(sock, signal, (o) => sock.accept(o)),
        nonBlocking: () => sock.nonBlocking,
        timeoutMs,
        settle: async (outcome) => {
          if (outcome.kind === 'value') return accepted(outcome.value)
          return [cmd, outcome.kind === 'timeout' ? status('TIMEDOUT') : statusOf(outcome.error)]
        },
        // A connection accepted just as the listener closed belongs to nobody: close it.
        discard: (value) => void value.socket.close().catch(ignore),
      })
      return [cmd, OK]
    },
  )
}
