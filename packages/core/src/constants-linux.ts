// Linux numeric values (x86_64 and arm64 agree on every one here), from <sys/socket.h>,
// <netinet/in.h>, <netinet/tcp.h>, <netdb.h>, <poll.h> and <asm-generic/socket.h>.
// Facades that expose numbers (ucode) and backends that call libc (ffi) read them from here.

/** Address families. */
export const AF = { AF_UNSPEC: 0, AF_UNIX: 1, AF_INET: 2, AF_INET6: 10, AF_PACKET: 17 } as const
/** Socket types and the flags that may be or-ed into them. */
export const SOCK = {
  SOCK_STREAM: 1,
  SOCK_DGRAM: 2,
  SOCK_RAW: 3,
  SOCK_RDM: 4,
  SOCK_SEQPACKET: 5,
  SOCK_PACKET: 10,
  SOCK_NONBLOCK: 0o4000,
  SOCK_CLOEXEC: 0o2000000,
} as const
/** Option levels. */
export const SOL = {
  SOL_SOCKET: 1,
  SOL_IP: 0,
  SOL_IPV6: 41,
  SOL_TCP: 6,
  SOL_UDP: 17,
  SOL_PACKET: 263,
  SOL_RAW: 255,
} as const
/** Protocol numbers. */
export const IPPROTO = {
  IPPROTO_IP: 0,
  IPPROTO_ICMP: 1,
  IPPROTO_IGMP: 2,
  IPPROTO_TCP: 6,
  IPPROTO_UDP: 17,
  IPPROTO_IPV6: 41,
  IPPROTO_ICMPV6: 58,
  IPPROTO_RAW: 255,
} as const
/** send/recv flags. */
export const MSG = {
  MSG_OOB: 0x1,
  MSG_PEEK: 0x2,
  MSG_DONTROUTE: 0x4,
  MSG_CTRUNC: 0x8,
  MSG_PROXY: 0x10,
  MSG_TRUNC: 0x20,
  MSG_DONTWAIT: 0x40,
  MSG_EOR: 0x80,
  MSG_WAITALL: 0x100,
  MSG_FIN: 0x200,
  MSG_SYN: 0x400,
  MSG_CONFIRM: 0x800,
  MSG_RST: 0x1000,
  MSG_ERRQUEUE: 0x2000,
  MSG_NOSIGNAL: 0x4000,
  MSG_MORE: 0x8000,
  MSG_WAITFORONE: 0x10000,
  MSG_FASTOPEN: 0x20000000,
  MSG_CMSG_CLOEXEC: 0x40000000,
} as const
/** shutdown(2) directions. */
export const SHUT = { SHUT_RD: 0, SHUT_WR: 1, SHUT_RDWR: 2 } as const
/** Ancillary message types at SOL_SOCKET. */
export const SCM = { SCM_RIGHTS: 1, SCM_CREDENTIALS: 2, SCM_TIMESTAMP: 29 } as const
/** poll(2) events. */
export const POLL = {
  POLLIN: 0x1,
  POLLPRI: 0x2,
  POLLOUT: 0x4,
  POLLERR: 0x8,
  POLLHUP: 0x10,
  POLLNVAL: 0x20,
  POLLRDNORM: 0x40,
  POLLRDBAND: 0x80,
  POLLWRNORM: 0x100,
  POLLWRBAND: 0x200,
  POLLRDHUP: 0x2000,
} as const
/** getaddrinfo(3) flags. */
export const AI = {
  AI_PASSIVE: 0x1,
  AI_CANONNAME: 0x2,
  AI_NUMERICHOST: 0x4,
  AI_V4MAPPED: 0x8,
  AI_ALL: 0x10,
  AI_ADDRCONFIG: 0x20,
  AI_NUMERICSERV: 0x400,
} as const
/** getnameinfo(3) flags. */
export const NI = {
  NI_NUMERICHOST: 1,
  NI_NUMERICSERV: 2,
  NI_NOFQDN: 4,
  NI_NAMEREQD: 8,
  NI_DGRAM: 16,
} as const
