import ffi, { type FieldType, type JsExternal } from 'ffi-rs'

/**
 * The ffi-rs function table: one params object per C function, reused and mutated for every
 * call (the cheapest ffi-rs calling style measured: research/perf-baselines.md §6). Pointers
 * travel as `I64` addresses into native memory this module owns (the arena, or a `malloc`ed
 * block held until the call returns), never into garbage-collected memory, except the
 * `*U8` variants, where ffi-rs passes a Buffer's memory for the length of the synchronous call.
 *
 * Every call here is synchronous on the calling thread: errno is read from this thread's
 * `__errno_location()` slot right after a call returned -1, before any other call can touch it.
 */
const { DataType: T, load, open, createExternalBuffer } = ffi

const LIB = 'polysocket-libc'
// The empty path is the process itself: libc and libuv (exported by the node binary) resolve.
open({ library: LIB, path: '' })

interface Params {
  library: string
  funcName: string
  retType: FieldType
  paramsType: FieldType[]
  paramsValue: unknown[]
  freeResultMemory: boolean
}

function fn(funcName: string, retType: FieldType, paramsType: FieldType[]): Params {
  return {
    library: LIB,
    funcName,
    retType,
    paramsType,
    paramsValue: new Array(paramsType.length).fill(0),
    freeResultMemory: false,
  }
}

const call = (p: Params): number => load(p as Parameters<typeof load>[0]) as number

const { I32, I64, External, U8Array, Void } = T

const pErrno = fn('__errno_location', External, [])
const errnoView = createExternalBuffer(load(pErrno as Parameters<typeof load>[0]) as JsExternal, 4)
/** This thread's errno; meaningful only right after a call returned -1. */
export const errno = (): number => errnoView.readInt32LE(0)

const pMalloc = fn('malloc', External, [I64])
const pAddr = fn('memset', I64, [External, I32, I64])
const pFree = fn('free', Void, [I64])
const pMemcpy = fn('memcpy', I64, [I64, I64, I64])
const pStrlen = fn('strlen', I64, [I64])

/** A native block: its address and a Buffer view on it (the view does not own the memory). */
export interface NativeBlock {
  readonly address: number
  readonly view: Buffer
}

/** malloc(3) a zeroed block. @throws RangeError when the allocation fails. */
export function allocate(size: number): NativeBlock {
  pMalloc.paramsValue[0] = Math.max(size, 1)
  const ext = load(pMalloc as Parameters<typeof load>[0]) as JsExternal
  pAddr.paramsValue[0] = ext
  pAddr.paramsValue[1] = 0
  pAddr.paramsValue[2] = 0
  const address = call(pAddr)
  if (address === 0) throw new RangeError(`cannot allocate ${size} bytes of native memory`)
  const view = createExternalBuffer(ext, Math.max(size, 1)).subarray(0, size)
  view.fill(0)
  return { address, view }
}

/** free(3) a block from {@link allocate}. */
export function release(block: NativeBlock): void {
  pFree.paramsValue[0] = block.address
  call(pFree)
}

/** Copies `length` bytes at native address `from` into a new Buffer (memcpy through the arena). */
export function peek(from: number, length: number, scratch: NativeBlock): Buffer {
  const out = Buffer.allocUnsafe(length)
  for (let done = 0; done < length; ) {
    const n = Math.min(length - done, scratch.view.length)
    memcpy(scratch.address, from + done, n)
    scratch.view.copy(out, done, 0, n)
    done += n
  }
  return out
}

export function memcpy(to: number, from: number, n: number): void {
  const v = pMemcpy.paramsValue
  v[0] = to
  v[1] = from
  v[2] = n
  call(pMemcpy)
}

export function strlen(address: number): number {
  pStrlen.paramsValue[0] = address
  return call(pStrlen)
}

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

const pEpollCreate1 = fn('epoll_create1', I32, [I32])
export function epollCreate1(flags: number): number {
  pEpollCreate1.paramsValue[0] = flags
  return call(pEpollCreate1)
}

const pEpollCtl = fn('epoll_ctl', I32, [I32, I32, I32, I64])
export function epollCtl(epfd: number, op: number, fd: number, event: number): number {
  const v = pEpollCtl.paramsValue
  v[0] = epfd
  v[1] = op
  v[2] = fd
  v[3] = event
  return call(pEpollCtl)
}

const pEpollWait = fn('epoll_wait', I32, [I32, I64, I32, I32])
export function epollWait(epfd: number, events: number, max: number, timeout: number): number {
  const v = pEpollWait.paramsValue
  v[0] = epfd
  v[1] = events
  v[2] = max
  v[3] = timeout
  return call(pEpollWait)
}

const pGetaddrinfo = fn('getaddrinfo', I32, [I64, I64, I64, I64])
/** getaddrinfo(3) on a libuv pool thread (it may block on DNS); every pointer is caller-owned native memory. */
export function getaddrinfoAsync(node: number, service: number, hints: number, res: number): Promise<number> {
  return load({
    library: LIB,
    funcName: 'getaddrinfo',
    retType: I32,
    paramsType: pGetaddrinfo.paramsType,
    paramsValue: [node, service, hints, res],
    runInNewThread: true,
  } as Parameters<typeof load>[0]) as unknown as Promise<number>
}

const pFreeaddrinfo = fn('freeaddrinfo', Void, [I64])
export function freeaddrinfo(res: number): void {
  pFreeaddrinfo.paramsValue[0] = res
  call(pFreeaddrinfo)
}

/** getnameinfo(3) on a libuv pool thread (reverse DNS may block); pointers are caller-owned native memory. */
export function getnameinfoAsync(
  addr: number,
  addrLen: number,
  host: number,
  hostLen: number,
  serv: number,
  servLen: number,
  flags: number,
): Promise<number> {
  return load({
    library: LIB,
    funcName: 'getnameinfo',
    retType: I32,
    paramsType: [I64, I32, I64, I32, I64, I32, I32],
    paramsValue: [addr, addrLen, host, hostLen, serv, servLen, flags],
    runInNewThread: true,
  } as Parameters<typeof load>[0]) as unknown as Promise<number>
}

// libuv, exported by the node binary (DESIGN.md, backend-ffi notes).
const pUvDefaultLoop = fn('uv_default_loop', I64, [])
export const uvDefaultLoop = (): number => call(pUvDefaultLoop)
const pUvHandleSize = fn('uv_handle_size', I64, [I32])
export function uvHandleSize(type: number): number {
  pUvHandleSize.paramsValue[0] = type
  return call(pUvHandleSize)
}
const pUvPollInit = fn('uv_poll_init', I32, [I64, I64, I32])
export function uvPollInit(loop: number, handle: number, fd: number): number {
  const v = pUvPollInit.paramsValue
  v[0] = loop
  v[1] = handle
  v[2] = fd
  return call(pUvPollInit)
}
const pUvPollStart = fn('uv_poll_start', I32, [I64, I32, External])
export function uvPollStart(handle: number, events: number, cb: JsExternal): number {
  const v = pUvPollStart.paramsValue
  v[0] = handle
  v[1] = events
  v[2] = cb
  return call(pUvPollStart)
}
const pUvPollStop = fn('uv_poll_stop', I32, [I64])
export function uvPollStop(handle: number): number {
  pUvPollStop.paramsValue[0] = handle
  return call(pUvPollStop)
}
