import type { JsExternal } from 'ffi-rs'
import { call, External, fn, I32, I64, LIB, load, Void } from './ffi-call.js'

/** epoll(7), libuv's uv_poll (exported by the node binary) and the resolver calls. */

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
