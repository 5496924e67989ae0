/** Address families of the contract (`socket(2)` domain). */
export type Family = 'AF_INET' | 'AF_INET6' | 'AF_UNIX'

/** Socket types of the contract (`socket(2)` type, without SOCK_NONBLOCK / SOCK_CLOEXEC). */
export type SocketType = 'SOCK_STREAM' | 'SOCK_DGRAM' | 'SOCK_SEQPACKET' | 'SOCK_RAW'

/** `shutdown(2)` directions. */
export type ShutdownHow = 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR'

/** `send(2)` / `recv(2)` flags by name; backends translate them to their platform's bits. */
export type MsgFlag =
  | 'MSG_OOB'
  | 'MSG_PEEK'
  | 'MSG_DONTROUTE'
  | 'MSG_DONTWAIT'
  | 'MSG_EOR'
  | 'MSG_WAITALL'
  | 'MSG_CONFIRM'
  | 'MSG_MORE'
  | 'MSG_TRUNC'
  | 'MSG_CMSG_CLOEXEC'

/** Every {@link Family} the contract knows, for validation and listings. Source: socket(2). */
export const FAMILIES: readonly Family[] = ['AF_INET', 'AF_INET6', 'AF_UNIX']
/** Every {@link SocketType} the contract knows. Source: socket(2). */
export const SOCKET_TYPES: readonly SocketType[] = ['SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_RAW']
/** Every {@link ShutdownHow}. Source: shutdown(2). */
export const SHUTDOWN_HOWS: readonly ShutdownHow[] = ['SHUT_RD', 'SHUT_WR', 'SHUT_RDWR']
/** Every {@link MsgFlag} a caller may pass; backends map each to their platform's bit. Source: send(2), recv(2). */
export const MSG_FLAGS: readonly MsgFlag[] = [
  'MSG_OOB',
  'MSG_PEEK',
  'MSG_DONTROUTE',
  'MSG_DONTWAIT',
  'MSG_EOR',
  'MSG_WAITALL',
  'MSG_CONFIRM',
  'MSG_MORE',
  'MSG_TRUNC',
  'MSG_CMSG_CLOEXEC',
]

/** The address `family` tag that goes with a socket family. */
export function addressFamilyOf(family: Family): 'inet' | 'inet6' | 'unix' {
  return family === 'AF_INET' ? 'inet' : family === 'AF_INET6' ? 'inet6' : 'unix'
}
