import {
  type Capability,
  type Family,
  linux,
  notSupported,
  type OptionTarget,
  type OptionValue,
  SocketError,
  type SocketType,
} from '@polysocket/core'

/** What the computed read-only options need to know about a socket. */
export interface OptionSubject {
  readonly family: Family
  readonly type: SocketType
  /** The protocol the kernel would report: 6 for TCP, 17 for UDP, 0 for Unix. */
  readonly protocolNumber: number
  readonly listening: boolean
  /** Returns and clears the pending error's errno (0 for none), as SO_ERROR does. */
  takeError(): number
}

/**
 * The read-only options every socket answers from what it knows: SO_TYPE, SO_DOMAIN,
 * SO_PROTOCOL, SO_ACCEPTCONN, SO_ERROR (socket(7)).
 * @returns the value, or `undefined` when `target` is not one of them.
 */
export function computedOption(target: OptionTarget, subject: OptionSubject): OptionValue | undefined {
  switch (target.spec?.level === 'SOL_SOCKET' ? target.spec.name : undefined) {
    case 'SO_TYPE':
      return linux.SOCK[subject.type]
    case 'SO_DOMAIN':
      return linux.AF[subject.family]
    case 'SO_PROTOCOL':
      return subject.protocolNumber
    case 'SO_ACCEPTCONN':
      return subject.listening
    case 'SO_ERROR':
      return subject.takeError()
    default:
      return undefined
  }
}

/** The key under which a socket stores an option's value: its canonical `LEVEL/NAME`. */
export function optionKey(target: OptionTarget): string {
  return target.spec ? `${target.spec.level}/${target.spec.name}` : `${target.level}/${target.name}`
}

/**
 * The error for an option this backend cannot reach through Node: untyped numeric options
 * need `rawOptions`; typed ones name the option.
 */
export function unmappedOption(target: OptionTarget, syscall: 'getsockopt' | 'setsockopt'): SocketError {
  if (!target.spec) return notSupported('rawOptions', syscall)
  const capability = OPTION_CAPABILITY[target.spec.name]
  return notSupported(capability ?? `option ${target.spec.name} on this socket type`, syscall)
}

/** Options that stand for a whole capability this backend lacks. */
const OPTION_CAPABILITY: Record<string, Capability> = {
  SO_REUSEPORT: 'reusePort',
  SO_PEERCRED: 'peerCredentials',
  SO_PASSCRED: 'ancillaryCredentials',
  SO_OOBINLINE: 'oob',
}

/** `ENOPROTOOPT`: the option does not exist for this socket's protocol (TCP_NODELAY on UDP). */
export function noProtoOpt(target: OptionTarget, syscall: 'getsockopt' | 'setsockopt'): SocketError {
  const name = target.spec ? target.spec.name : `${target.level}/${target.name}`
  return new SocketError('ENOPROTOOPT', {
    syscall,
    message: `${syscall} ENOPROTOOPT: ${name} does not apply to this socket`,
  })
}

/** `EINVAL` for an option value the kernel would refuse. */
export function invalidOption(name: string, detail: string): SocketError {
  return new SocketError('EINVAL', { syscall: 'setsockopt', message: `setsockopt EINVAL: ${name} ${detail}` })
}
