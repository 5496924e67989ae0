import { linux } from '@polysocket/core'

/**
 * Struct layouts and the few constants the backend needs beyond core's `constants-linux.ts`.
 * Offsets and sizes are in bytes, for LP64 Linux with glibc; x86_64 and arm64 share every
 * value except `struct epoll_event`, which is packed on x86_64 only.
 * Source: glibc <bits/socket.h>, <netinet/in.h>, <sys/un.h>, <sys/epoll.h>, <netdb.h>;
 * verified on x86_64 with Python's `socket` and `ctypes` (CMSG_LEN(0) = 16, CMSG_SPACE(4) = 24).
 */
export interface Layout {
  readonly sockaddrStorage: number
  readonly sockaddrIn: number
  readonly sockaddrIn6: number
  /** `sizeof(struct sockaddr_un)`; the path starts at 2 and holds `sunPath` bytes. */
  readonly sockaddrUn: number
  readonly sunPath: number
  /** `struct msghdr`: name ptr, namelen u32, iov ptr, iovlen size_t, control ptr, controllen size_t, flags int. */
  readonly msghdr: {
    size: number
    name: number
    namelen: number
    iov: number
    iovlen: number
    control: number
    controllen: number
    flags: number
  }
  /** `struct iovec`: base ptr, len size_t. */
  readonly iovec: { size: number; base: number; len: number }
  /** `struct cmsghdr`: len size_t, level int, type int; data after the aligned header. */
  readonly cmsghdr: { len: number; level: number; type: number; header: number; align: number }
  /** `struct epoll_event`: events u32, data u64 (packed on x86_64). */
  readonly epollEvent: { size: number; events: number; data: number }
  /** `struct addrinfo`. */
  readonly addrinfo: {
    size: number
    flags: number
    family: number
    socktype: number
    protocol: number
    addrlen: number
    addr: number
    canonname: number
    next: number
  }
}

const common = {
  sockaddrStorage: 128,
  sockaddrIn: 16,
  sockaddrIn6: 28,
  sockaddrUn: 110,
  sunPath: 108,
  msghdr: { size: 56, name: 0, namelen: 8, iov: 16, iovlen: 24, control: 32, controllen: 40, flags: 48 },
  iovec: { size: 16, base: 0, len: 8 },
  cmsghdr: { len: 0, level: 8, type: 12, header: 16, align: 8 },
  addrinfo: {
    size: 48,
    flags: 0,
    family: 4,
    socktype: 8,
    protocol: 12,
    addrlen: 16,
    addr: 24,
    canonname: 32,
    next: 40,
  },
} as const

/** Linux x86_64: `struct epoll_event` is `__attribute__((packed))`, 12 bytes. */
export const LINUX_X64: Layout = Object.freeze({ ...common, epollEvent: { size: 12, events: 0, data: 4 } })
/** Linux arm64: `struct epoll_event` is naturally aligned, 16 bytes. */
export const LINUX_ARM64: Layout = Object.freeze({ ...common, epollEvent: { size: 16, events: 0, data: 8 } })

/** Linux numbers the backend uses that core's table does not hold (same on x86_64 and arm64). */
export const LINUX_EXTRA = Object.freeze({
  O_NONBLOCK: 0o4000,
  F_GETFL: 3,
  F_SETFL: 4,
  F_GETFD: 1,
  F_SETFD: 2,
  FD_CLOEXEC: 1,
  EPOLL_CLOEXEC: 0o2000000,
  EPOLL_CTL_ADD: 1,
  EPOLL_CTL_DEL: 2,
  EPOLLIN: 0x1,
  EPOLLPRI: 0x2,
  EPOLLOUT: 0x4,
  EPOLLERR: 0x8,
  EPOLLHUP: 0x10,
  EPOLLRDHUP: 0x2000,
  EPOLLET: 0x80000000,
  /** poll(2)'s bits; Linux gives each the value of its EPOLL* twin. */
  POLLIN: 0x1,
  POLLPRI: 0x2,
  POLLOUT: 0x4,
  POLLERR: 0x8,
  POLLHUP: 0x10,
  POLLNVAL: 0x20,
  POLLRDHUP: 0x2000,
  SO_ERROR: 4,
  SO_TYPE: 3,
  SO_DOMAIN: 39,
  SO_PROTOCOL: 38,
  SO_PEERCRED: 17,
  /** libuv's `UV_POLL` handle type and `UV_READABLE` event (uv.h). */
  UV_POLL: 8,
  UV_READABLE: 1,
  NI_MAXHOST: 1025,
  NI_MAXSERV: 32,
})

/**
 * macOS values written from its headers (darwin xnu `bsd/sys/socket.h`, `bsd/netinet/in.h`),
 * **unverified**: no macOS machine ran them. The backend refuses to start on darwin until
 * they are checked; they are kept here so that the port starts from a reviewed table.
 * Differences that matter: `sockaddr_*` begin with a `sin_len` byte and a one-byte family;
 * `cmsg_len` is a `socklen_t` and CMSG alignment is 4; `sun_path` holds 104 bytes; there is
 * no SOCK_NONBLOCK/SOCK_CLOEXEC (use fcntl), no MSG_NOSIGNAL (use SO_NOSIGPIPE), no epoll
 * (use kqueue), no SO_PEERCRED (use getpeereid / LOCAL_PEERCRED).
 */
export const DARWIN_UNVERIFIED = Object.freeze({
  AF_UNIX: 1,
  AF_INET: 2,
  AF_INET6: 30,
  SOL_SOCKET: 0xffff,
  SO_REUSEADDR: 0x4,
  SO_REUSEPORT: 0x200,
  SO_KEEPALIVE: 0x8,
  SO_BROADCAST: 0x20,
  SO_LINGER: 0x80,
  SO_LINGER_SEC: 0x1080,
  SO_SNDBUF: 0x1001,
  SO_RCVBUF: 0x1002,
  SO_RCVTIMEO: 0x1006,
  SO_SNDTIMEO: 0x1005,
  SO_ERROR: 0x1007,
  SO_TYPE: 0x1008,
  SO_NOSIGPIPE: 0x1022,
  MSG_OOB: 0x1,
  MSG_PEEK: 0x2,
  MSG_DONTWAIT: 0x80,
  MSG_WAITALL: 0x40,
  MSG_TRUNC: 0x10,
  MSG_CTRUNC: 0x20,
  SCM_RIGHTS: 1,
  SCM_CREDS: 3,
  sunPath: 104,
  cmsgAlign: 4,
})

/** The layout of the running platform. @throws Error on a platform without a verified table. */
export function currentLayout(): Layout {
  if (process.platform !== 'linux') {
    throw new Error(`@polysocket/backend-ffi supports Linux only for now (this is ${process.platform})`)
  }
  if (process.arch === 'x64') return LINUX_X64
  if (process.arch === 'arm64') return LINUX_ARM64
  throw new Error(`@polysocket/backend-ffi has no struct table for linux/${process.arch}`)
}

export const { AF, SOCK, MSG, SHUT, SCM, SOL, AI, NI } = linux
