import type { FieldType } from 'ffi-rs'
import { call, fn, I32, I64, U8Array } from './ffi-call.js'

/**
 * The socket calls of libc, one reused params object per function (see ffi-call.ts). Each
 * returns what C returns (-1 on failure, errno then in {@link errno}).
 */
export * from './ffi-call.js'
export * from './libc-poll.js'

const pSocket = fn('socket', I32, [I32, I32, I32])
export function socket(domain: number, type: number, protocol: number): number {
  const v = pSocket.paramsValue
  v[0] = domain
  v[1] = type
  v[2] = protocol
  return call(pSocket)
}

const pSocketpair = fn('socketpair', I32, [I32, I32, I32, I64])
export function socketpair(domain: number, type: number, protocol: number, sv: number): number {
  const v = pSocketpair.paramsValue
  v[0] = domain
  v[1] = type
  v[2] = protocol
  v[3] = sv
  return call(pSocketpair)
}

const pBind = fn('bind', I32, [I32, I64, I32])
export function bind(fd: number, addr: number, len: number): number {
  const v = pBind.paramsValue
  v[0] = fd
  v[1] = addr
  v[2] = len
  return call(pBind)
}

const pConnect = fn('connect', I32, [I32, I64, I32])
export function connect(fd: number, addr: number, len: number): number {
  const v = pConnect.paramsValue
  v[0] = fd
  v[1] = addr
  v[2] = len
  return call(pConnect)
}

const pListen = fn('listen', I32, [I32, I32])
export function listen(fd: number, backlog: number): number {
  pListen.paramsValue[0] = fd
  pListen.paramsValue[1] = backlog
  return call(pListen)
}

const pAccept4 = fn('accept4', I32, [I32, I64, I64, I32])
export function accept4(fd: number, addr: number, lenPtr: number, flags: number): number {
  const v = pAccept4.paramsValue
  v[0] = fd
  v[1] = addr
  v[2] = lenPtr
  v[3] = flags
  return call(pAccept4)
}

const pSend = fn('send', I64, [I32, I64, I64, I32])
/** send(2): four arguments cost less through ffi-rs than sendto's six. */
export function send(fd: number, buf: number, len: number, flags: number): number {
  const v = pSend.paramsValue
  v[0] = fd
  v[1] = buf
  v[2] = len
  v[3] = flags
  return call(pSend)
}

const pRecv = fn('recv', I64, [I32, I64, I64, I32])
/** recv(2), for sockets whose sender address is not wanted. */
export function recv(fd: number, buf: number, len: number, flags: number): number {
  const v = pRecv.paramsValue
  v[0] = fd
  v[1] = buf
  v[2] = len
  v[3] = flags
  return call(pRecv)
}

const pSendto = fn('sendto', I64, [I32, I64, I64, I32, I64, I32])
export function sendto(fd: number, buf: number, len: number, flags: number, addr: number, addrLen: number): number {
  const v = pSendto.paramsValue
  v[0] = fd
  v[1] = buf
  v[2] = len
  v[3] = flags
  v[4] = addr
  v[5] = addrLen
  return call(pSendto)
}

const SEND_U8: FieldType[] = [I32, U8Array, I64, I32]
const pSendU8 = fn('send', I64, SEND_U8)
/** send(2) straight from a Buffer's memory: no copy for large writes. */
export function sendBuffer(fd: number, buf: Buffer, flags: number): number {
  pSendU8.paramsType = SEND_U8
  const v = pSendU8.paramsValue
  v[0] = fd
  v[1] = buf
  v[2] = buf.length
  v[3] = flags
  return call(pSendU8)
}

const RECV_U8: FieldType[] = [I32, U8Array, I64, I32]
const pRecvU8 = fn('recv', I64, RECV_U8)
/** recv(2) straight into a Buffer's memory: no copy for large reads. */
export function recvBuffer(fd: number, buf: Buffer, flags: number): number {
  pRecvU8.paramsType = RECV_U8
  const v = pRecvU8.paramsValue
  v[0] = fd
  v[1] = buf
  v[2] = buf.length
  v[3] = flags
  return call(pRecvU8)
}

const SENDTO_U8: FieldType[] = [I32, U8Array, I64, I32, I64, I32]
const pSendtoU8 = fn('sendto', I64, SENDTO_U8)
/** sendto(2) straight from a Buffer's memory (for data larger than the arena). */
export function sendtoBuffer(fd: number, buf: Buffer, flags: number, addr: number, addrLen: number): number {
  // ffi-rs's wrapper replaces paramsType with a sized array type; restore it for this length.
  pSendtoU8.paramsType = SENDTO_U8
  const v = pSendtoU8.paramsValue
  v[0] = fd
  v[1] = buf
  v[2] = buf.length
  v[3] = flags
  v[4] = addr
  v[5] = addrLen
  return call(pSendtoU8)
}

const pRecvfrom = fn('recvfrom', I64, [I32, I64, I64, I32, I64, I64])
export function recvfrom(fd: number, buf: number, len: number, flags: number, addr: number, lenPtr: number): number {
  const v = pRecvfrom.paramsValue
  v[0] = fd
  v[1] = buf
  v[2] = len
  v[3] = flags
  v[4] = addr
  v[5] = lenPtr
  return call(pRecvfrom)
}

const RECVFROM_U8: FieldType[] = [I32, U8Array, I64, I32, I64, I64]
const pRecvfromU8 = fn('recvfrom', I64, RECVFROM_U8)
/** recvfrom(2) straight into a Buffer's memory (for requests larger than the arena). */
export function recvfromBuffer(fd: number, buf: Buffer, flags: number, addr: number, lenPtr: number): number {
  pRecvfromU8.paramsType = RECVFROM_U8
  const v = pRecvfromU8.paramsValue
  v[0] = fd
  v[1] = buf
  v[2] = buf.length
  v[3] = flags
  v[4] = addr
  v[5] = lenPtr
  return call(pRecvfromU8)
}

const pSendmsg = fn('sendmsg', I64, [I32, I64, I32])
export function sendmsg(fd: number, msg: number, flags: number): number {
  const v = pSendmsg.paramsValue
  v[0] = fd
  v[1] = msg
  v[2] = flags
  return call(pSendmsg)
}

const pRecvmsg = fn('recvmsg', I64, [I32, I64, I32])
export function recvmsg(fd: number, msg: number, flags: number): number {
  const v = pRecvmsg.paramsValue
  v[0] = fd
  v[1] = msg
  v[2] = flags
  return call(pRecvmsg)
}

const pSendmmsg = fn('sendmmsg', I32, [I32, I64, I32, I32])
export function sendmmsg(fd: number, msgs: number, count: number, flags: number): number {
  const v = pSendmmsg.paramsValue
  v[0] = fd
  v[1] = msgs
  v[2] = count
  v[3] = flags
  return call(pSendmmsg)
}

const pRecvmmsg = fn('recvmmsg', I32, [I32, I64, I32, I32, I64])
/** recvmmsg(2) with no timeout (the fd is non-blocking; waits go through readiness). */
export function recvmmsg(fd: number, msgs: number, count: number, flags: number): number {
  const v = pRecvmmsg.paramsValue
  v[0] = fd
  v[1] = msgs
  v[2] = count
  v[3] = flags
  v[4] = 0
  return call(pRecvmmsg)
}

const pShutdown = fn('shutdown', I32, [I32, I32])
export function shutdown(fd: number, how: number): number {
  pShutdown.paramsValue[0] = fd
  pShutdown.paramsValue[1] = how
  return call(pShutdown)
}

const pClose = fn('close', I32, [I32])
export function close(fd: number): number {
  pClose.paramsValue[0] = fd
  return call(pClose)
}

const pGetsockopt = fn('getsockopt', I32, [I32, I32, I32, I64, I64])
export function getsockopt(fd: number, level: number, name: number, val: number, lenPtr: number): number {
  const v = pGetsockopt.paramsValue
  v[0] = fd
  v[1] = level
  v[2] = name
  v[3] = val
  v[4] = lenPtr
  return call(pGetsockopt)
}

const pSetsockopt = fn('setsockopt', I32, [I32, I32, I32, I64, I32])
export function setsockopt(fd: number, level: number, name: number, val: number, len: number): number {
  const v = pSetsockopt.paramsValue
  v[0] = fd
  v[1] = level
  v[2] = name
  v[3] = val
  v[4] = len
  return call(pSetsockopt)
}

const pGetsockname = fn('getsockname', I32, [I32, I64, I64])
export function getsockname(fd: number, addr: number, lenPtr: number): number {
  const v = pGetsockname.paramsValue
  v[0] = fd
  v[1] = addr
  v[2] = lenPtr
  return call(pGetsockname)
}

const pGetpeername = fn('getpeername', I32, [I32, I64, I64])
export function getpeername(fd: number, addr: number, lenPtr: number): number {
  const v = pGetpeername.paramsValue
  v[0] = fd
  v[1] = addr
  v[2] = lenPtr
  return call(pGetpeername)
}

const pFcntl = fn('fcntl', I32, [I32, I32, I32])
export function fcntl(fd: number, cmd: number, arg: number): number {
  const v = pFcntl.paramsValue
  v[0] = fd
  v[1] = cmd
  v[2] = arg
  return call(pFcntl)
}
