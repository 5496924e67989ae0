import type { ArgKind, Declaration } from '../engine/engine.js'

/**
 * Every C function backend-ffi calls, declared once for every engine. Each returns what C
 * returns (-1 on failure, errno then in `Engine.errno()`). Pointers are addresses of memory
 * the backend owns (`ptr`) or Buffers passed in place for the call (`buf`). Source: the
 * functions' man pages (socket(2), send(2), recvmmsg(2), epoll_ctl(2), getaddrinfo(3), …) and
 * libuv's uv_poll_t documentation.
 */
export const DECLARATIONS = {
  socket: { symbol: 'socket', ret: 'i32', args: ['i32', 'i32', 'i32'] },
  socketpair: { symbol: 'socketpair', ret: 'i32', args: ['i32', 'i32', 'i32', 'ptr'] },
  bind: { symbol: 'bind', ret: 'i32', args: ['i32', 'ptr', 'i32'] },
  connect: { symbol: 'connect', ret: 'i32', args: ['i32', 'ptr', 'i32'] },
  listen: { symbol: 'listen', ret: 'i32', args: ['i32', 'i32'] },
  accept4: { symbol: 'accept4', ret: 'i32', args: ['i32', 'ptr', 'ptr', 'i32'] },
  // send(2) and recv(2) where no address travels: four arguments cost less than six on ffi-rs.
  send: { symbol: 'send', ret: 'isize', args: ['i32', 'ptr', 'isize', 'i32'] },
  sendBuffer: { symbol: 'send', ret: 'isize', args: ['i32', 'buf', 'isize', 'i32'] },
  sendto: { symbol: 'sendto', ret: 'isize', args: ['i32', 'ptr', 'isize', 'i32', 'ptr', 'i32'] },
  sendtoBuffer: { symbol: 'sendto', ret: 'isize', args: ['i32', 'buf', 'isize', 'i32', 'ptr', 'i32'] },
  recv: { symbol: 'recv', ret: 'isize', args: ['i32', 'ptr', 'isize', 'i32'] },
  recvBuffer: { symbol: 'recv', ret: 'isize', args: ['i32', 'buf', 'isize', 'i32'] },
  recvfrom: { symbol: 'recvfrom', ret: 'isize', args: ['i32', 'ptr', 'isize', 'i32', 'ptr', 'ptr'] },
  recvfromBuffer: { symbol: 'recvfrom', ret: 'isize', args: ['i32', 'buf', 'isize', 'i32', 'ptr', 'ptr'] },
  sendmsg: { symbol: 'sendmsg', ret: 'isize', args: ['i32', 'ptr', 'i32'] },
  recvmsg: { symbol: 'recvmsg', ret: 'isize', args: ['i32', 'ptr', 'i32'] },
  sendmmsg: { symbol: 'sendmmsg', ret: 'i32', args: ['i32', 'ptr', 'i32', 'i32'] },
  // The timeout pointer stays NULL: the fd is non-blocking and waits go through readiness.
  recvmmsg: { symbol: 'recvmmsg', ret: 'i32', args: ['i32', 'ptr', 'i32', 'i32', 'ptr'] },
  shutdown: { symbol: 'shutdown', ret: 'i32', args: ['i32', 'i32'] },
  close: { symbol: 'close', ret: 'i32', args: ['i32'] },
  getsockopt: { symbol: 'getsockopt', ret: 'i32', args: ['i32', 'i32', 'i32', 'ptr', 'ptr'] },
  setsockopt: { symbol: 'setsockopt', ret: 'i32', args: ['i32', 'i32', 'i32', 'ptr', 'i32'] },
  getsockname: { symbol: 'getsockname', ret: 'i32', args: ['i32', 'ptr', 'ptr'] },
  getpeername: { symbol: 'getpeername', ret: 'i32', args: ['i32', 'ptr', 'ptr'] },
  fcntl: { symbol: 'fcntl', ret: 'i32', args: ['i32', 'i32', 'i32'] },
  poll: { symbol: 'poll', ret: 'i32', args: ['ptr', 'isize', 'i32'] },
  strlen: { symbol: 'strlen', ret: 'isize', args: ['ptr'] },
  epollCreate1: { symbol: 'epoll_create1', ret: 'i32', args: ['i32'] },
  epollCtl: { symbol: 'epoll_ctl', ret: 'i32', args: ['i32', 'i32', 'i32', 'ptr'] },
  epollWait: { symbol: 'epoll_wait', ret: 'i32', args: ['i32', 'ptr', 'i32', 'i32'] },
  freeaddrinfo: { symbol: 'freeaddrinfo', ret: 'void', args: ['ptr'] },
  // Resolution may block on DNS: on a worker thread, as Node's dns.lookup does.
  getaddrinfo: { symbol: 'getaddrinfo', ret: 'i32', args: ['ptr', 'ptr', 'ptr', 'ptr'], threaded: true },
  getnameinfo: {
    symbol: 'getnameinfo',
    ret: 'i32',
    args: ['ptr', 'i32', 'ptr', 'i32', 'ptr', 'i32', 'i32'],
    threaded: true,
  },
  // libuv, exported by the node binary: one uv_poll watches the epoll fd on the main loop.
  uvDefaultLoop: { symbol: 'uv_default_loop', ret: 'ptr', args: [] },
  uvHandleSize: { symbol: 'uv_handle_size', ret: 'isize', args: ['i32'] },
  uvPollInit: { symbol: 'uv_poll_init', ret: 'i32', args: ['ptr', 'ptr', 'i32'] },
  uvPollStart: { symbol: 'uv_poll_start', ret: 'i32', args: ['ptr', 'i32', 'ptr'] },
  uvPollStop: { symbol: 'uv_poll_stop', ret: 'i32', args: ['ptr'] },
} as const satisfies Record<string, Declaration>

type Table = typeof DECLARATIONS
type Arg<K> = K extends 'buf' ? Uint8Array : number
type Args<A extends readonly ArgKind[]> = { -readonly [I in keyof A]: Arg<A[I]> }
type Callable<D> = D extends { args: infer A extends readonly ArgKind[]; ret: infer R }
  ? D extends { threaded: true }
    ? (...args: Args<A>) => Promise<number>
    : (...args: Args<A>) => R extends 'void' ? void : number
  : never

/** The declarations bound to one engine: `libc.send(fd, address, length, flags)`. */
export type Libc = { readonly [K in keyof Table]: Callable<Table[K]> }
