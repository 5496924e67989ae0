import { isSocketError } from '../../errors.js'
import { checkBacklog, checkHost, checkIoctl, checkPort } from './args.js'
import { familyOf, machineName, resolve } from './resolve.js'
import { addressStrings, fault, type JmpState } from './state.js'
import { OK } from './status.js'
import type { JmpNameList, JmpStatusList } from './types.js'

// Messages that set a socket up or take it down: connect, bind, listen, ioctl, close,
// getpeername, getsockname. Each resolves to its list and never rejects (JmpState.guard).

/** connect(host, port) (JMP Socket reference, Connect). */
export function connect(st: JmpState, cmd: string, host: unknown, port: unknown): Promise<JmpStatusList> {
  return st.guard<JmpStatusList>(
    (s) => [cmd, s],
    async () => {
      const h = checkHost(host)
      const p = checkPort(port)
      const kind = st.usable()
      if (kind === 'SOCK_STREAM' && st.connected) throw fault('EISCONN')
      if (st.listening) throw fault('EINVAL')
      const candidates = await resolve(st.shared.backend, h, p, kind, st.family())
      let last: unknown
      // Each address in turn, as a client does with getaddrinfo's list; a socket made for a
      // failed attempt is dropped so that the next one may be of the other family.
      for (const address of candidates) {
        const fresh = st.fresh()
        const sock = await st.ensure(familyOf(address))
        try {
          await sock.connect(address)
          st.connected = true
          st.peerName = h
          return [cmd, OK]
        } catch (error) {
          if (isSocketError(error, 'EINPROGRESS')) {
            // Non-blocking (FIONBIO after bind): the connection is under way; later messages
            // go to the system, which reports its outcome.
            st.connected = true
            st.peerName = h
            throw error
          }
          last = error
          if (fresh && !st.bound) await st.discard(sock)
        }
      }
      throw last
    },
  )
}

/** close() (JMP Socket reference, Close): also cancels a pending background operation. */
export function close(st: JmpState, cmd: string): Promise<JmpStatusList> {
  return st.guard<JmpStatusList>(
    (s) => [cmd, s],
    async () => {
      st.closed = true
      st.cancelBackground()
      const sock = st.socket
      st.socket = undefined
      // A socket still being made is closed by JmpState.ensure when it arrives.
      if (sock !== undefined) await sock.close()
      return [cmd, OK]
    },
  )
}

/** bind(host, port) (JMP Socket reference, bind). */
export function bind(st: JmpState, cmd: string, host: unknown, port: unknown): Promise<JmpStatusList> {
  return st.guard<JmpStatusList>(
    (s) => [cmd, s],
    async () => {
      const h = checkHost(host)
      const p = checkPort(port)
      const kind = st.usable()
      if (st.bound) throw fault('EINVAL')
      const [address] = await resolve(st.shared.backend, h, p, kind, st.family())
      if (address === undefined) throw fault('EAI_NONAME')
      const fresh = st.fresh()
      const sock = await st.ensure(familyOf(address))
      if (kind === 'SOCK_STREAM') {
        // A restarted server can bind its port while old connections sit in TIME_WAIT, as it
        // can on Windows (where JMP's status names come from) and with Node's own servers.
        try {
          sock.setOption('SOL_SOCKET', 'SO_REUSEADDR', true)
        } catch {
          // Best effort: a backend without the option still binds.
        }
      }
      try {
        await sock.bind(address)
      } catch (error) {
        if (fresh) await st.discard(sock)
        throw error
      }
      st.bound = true
      st.localName = h
      return [cmd, OK]
    },
  )
}

/** listen(backlog?) (JMP Socket reference, Listen): needs bind first. */
export function listen(st: JmpState, cmd: string, backlog: unknown): Promise<JmpStatusList> {
  return st.guard<JmpStatusList>(
    (s) => [cmd, s],
    async () => {
      const b = checkBacklog(backlog)
      const kind = st.usable()
      if (kind === 'SOCK_DGRAM') throw fault('EOPNOTSUPP')
      const sock = st.socket
      // JMP Socket messages, listen: INVAL when bind did not succeed, where Linux
      // itself would quietly pick a port.
      if (sock === undefined || !st.bound || st.connected) throw fault('EINVAL')
      await sock.listen(b)
      st.listening = true
      return [cmd, OK]
    },
  )
}

/** ioctl("FIONBIO", 1 | 0) (JMP Socket reference, ioctl). */
export function ioctl(st: JmpState, cmd: string, request: unknown, value: unknown): Promise<JmpStatusList> {
  return st.guard<JmpStatusList>(
    (s) => [cmd, s],
    async () => {
      const on = checkIoctl(request, value)
      st.usable()
      const sock = st.socket
      // JMP Socket messages, ioctl: NOTCONN until the socket is bound or connected.
      if (sock === undefined || !(st.bound || st.connected)) throw fault('ENOTCONN')
      sock.setNonBlocking(on)
      return [cmd, OK]
    },
  )
}

/**
 * getpeername() / getsockname() (JMP Socket messages): the machine name and the port as a
 * decimal string. The name is the one the script used in connect (getpeername; accept's name
 * for an accepted socket) or in bind (getsockname), as the documents have a client
 * "re-discover" the server's name; otherwise a reverse lookup of the address, and the numeric
 * address when there is no name.
 */
export function name(st: JmpState, cmd: string, peer: boolean): Promise<JmpNameList> {
  return st.guard<JmpNameList>(
    (s) => [cmd, s, '', ''],
    async () => {
      st.usable()
      const sock = st.socket
      if (sock === undefined) throw fault(peer ? 'ENOTCONN' : 'EINVAL')
      const address = peer ? sock.remoteAddress() : sock.localAddress()
      const [, port] = addressStrings(address)
      const known = peer ? st.peerName : st.localName
      const host = known ?? (await machineName(st.shared.backend, address, st.shared.reverseLookupMs))
      return [cmd, OK, host, port]
    },
  )
}
