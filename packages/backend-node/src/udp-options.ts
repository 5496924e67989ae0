import type { Socket as DgramSocket, SocketOptions } from 'node:dgram'
import { readFileSync } from 'node:fs'
import { type MulticastRequest, type OptionTarget, type OptionValue, SocketError } from '@polysocket/core'
import { fromNodeError } from './errors.js'
import { invalidOption, noProtoOpt, optionKey, unmappedOption } from './options.js'

/** The kernel's default buffer size in bytes, from /proc (212992 on most Linux systems). */
function kernelDefault(file: 'rmem_default' | 'wmem_default'): number {
  try {
    return Number.parseInt(readFileSync(`/proc/sys/net/core/${file}`, 'utf8'), 10) || 212992
  } catch {
    return 212992
  }
}

/** Defaults the kernel reports before anything is set (ip(7), socket(7)). */
const DEFAULTS: Record<string, OptionValue | (() => OptionValue)> = {
  'SOL_SOCKET/SO_BROADCAST': false,
  'SOL_SOCKET/SO_REUSEADDR': false,
  'SOL_SOCKET/SO_RCVBUF': () => kernelDefault('rmem_default'),
  'SOL_SOCKET/SO_SNDBUF': () => kernelDefault('wmem_default'),
  'IPPROTO_IP/IP_TTL': 64,
  'IPPROTO_IPV6/IPV6_UNICAST_HOPS': 64,
  'IPPROTO_IP/IP_MULTICAST_TTL': 1,
  'IPPROTO_IPV6/IPV6_MULTICAST_HOPS': 1,
  'IPPROTO_IP/IP_MULTICAST_LOOP': true,
  'IPPROTO_IPV6/IPV6_MULTICAST_LOOP': true,
  'IPPROTO_IP/IP_MULTICAST_IF': '0.0.0.0',
  'IPPROTO_IPV6/IPV6_V6ONLY': false,
}

/**
 * The options of a UDP socket mapped onto node:dgram. Node's setters need a bound socket, so
 * values are stored and applied right after the bind (explicit or implicit); those that only
 * exist at creation (SO_REUSEADDR, IPV6_V6ONLY, buffer sizes) go into `createSocket`.
 */
export class UdpOptions {
  readonly #family: 'AF_INET' | 'AF_INET6'
  readonly #stored = new Map<string, OptionValue>()
  readonly #groups = new Map<string, MulticastRequest>()

  constructor(family: 'AF_INET' | 'AF_INET6') {
    this.#family = family
  }

  /** Options for `dgram.createSocket`. */
  createOptions(): SocketOptions {
    const rcv = this.#stored.get('SOL_SOCKET/SO_RCVBUF') as number | undefined
    const snd = this.#stored.get('SOL_SOCKET/SO_SNDBUF') as number | undefined
    return {
      type: this.#family === 'AF_INET' ? 'udp4' : 'udp6',
      reuseAddr: this.#stored.get('SOL_SOCKET/SO_REUSEADDR') === true,
      ...(this.#family === 'AF_INET6' ? { ipv6Only: this.#stored.get('IPPROTO_IPV6/IPV6_V6ONLY') === true } : {}),
      ...(rcv === undefined ? {} : { recvBufferSize: rcv }),
      ...(snd === undefined ? {} : { sendBufferSize: snd }),
    }
  }

  /** Applies every stored value to a freshly bound socket. */
  apply(dgram: DgramSocket): void {
    for (const [key, value] of this.#stored) {
      try {
        this.#push(dgram, key, value)
      } catch {
        // The value was accepted when set; a refusal now (a vanished interface) is not the caller's error.
      }
    }
    for (const group of this.#groups.values()) {
      try {
        dgram.addMembership(group.multiaddr, group.address)
      } catch {
        // Same as above: joining is retried by nobody, as with the kernel's own failures.
      }
    }
  }

  get(target: OptionTarget, dgram: DgramSocket | undefined): OptionValue {
    const key = this.#check(target, 'getsockopt')
    if (key === 'IPPROTO_IP/IP_ADD_MEMBERSHIP' || key === 'IPPROTO_IP/IP_DROP_MEMBERSHIP') {
      throw noProtoOpt(target, 'getsockopt')
    }
    if (dgram && key === 'SOL_SOCKET/SO_RCVBUF') return dgram.getRecvBufferSize()
    if (dgram && key === 'SOL_SOCKET/SO_SNDBUF') return dgram.getSendBufferSize()
    const value = this.#stored.get(key) ?? DEFAULTS[key]
    if (value === undefined) throw unmappedOption(target, 'getsockopt')
    return typeof value === 'function' ? value() : value
  }

  /**
   * @param bound - the Node socket exists (or is being bound): creation-time options are fixed.
   * @throws SocketError `EINVAL` for out-of-range values and for IPV6_V6ONLY after bind.
   */
  set(target: OptionTarget, value: OptionValue, dgram: DgramSocket | undefined, bound: boolean): void {
    const key = this.#check(target, 'setsockopt')
    const name = target.spec?.name ?? key
    if (typeof value === 'number') {
      const [min, max] = RANGES[key] ?? [-(2 ** 31), 2 ** 31 - 1]
      if (value < min || value > max) throw invalidOption(name, `must be from ${min} to ${max}, got ${value}`)
    }
    if (key === 'IPPROTO_IPV6/IPV6_V6ONLY' && bound) throw invalidOption(name, 'cannot change once the socket is bound')
    if (key === 'IPPROTO_IP/IP_ADD_MEMBERSHIP' || key === 'IPPROTO_IP/IP_DROP_MEMBERSHIP') {
      const group = value as MulticastRequest
      const id = `${group.multiaddr}/${group.address ?? ''}`
      if (key.endsWith('ADD_MEMBERSHIP')) {
        guard(() => dgram?.addMembership(group.multiaddr, group.address))
        this.#groups.set(id, group)
      } else {
        if (!this.#groups.has(id)) {
          throw new SocketError('EADDRNOTAVAIL', {
            syscall: 'setsockopt',
            message: `setsockopt EADDRNOTAVAIL: not a member of ${group.multiaddr}`,
          })
        }
        guard(() => dgram?.dropMembership(group.multiaddr, group.address))
        this.#groups.delete(id)
      }
      return
    }
    if (dgram) guard(() => this.#push(dgram, key, value))
    this.#stored.set(key, value)
  }

  /** The option's key, once it is known to exist on a UDP socket of this family. */
  #check(target: OptionTarget, syscall: 'getsockopt' | 'setsockopt'): string {
    if (!target.spec) throw unmappedOption(target, syscall)
    const level = target.spec.level
    if (level === 'IPPROTO_TCP') throw noProtoOpt(target, syscall)
    if (level === 'IPPROTO_IPV6' && this.#family === 'AF_INET') throw noProtoOpt(target, syscall)
    const key = optionKey(target)
    if (!(key in DEFAULTS) && !key.endsWith('_MEMBERSHIP')) throw unmappedOption(target, syscall)
    if (key.startsWith('IPPROTO_IPV6/IPV6_') && key.endsWith('MEMBERSHIP')) throw unmappedOption(target, syscall)
    return key
  }

  #push(dgram: DgramSocket, key: string, value: OptionValue): void {
    switch (key) {
      case 'SOL_SOCKET/SO_BROADCAST':
        dgram.setBroadcast(value as boolean)
        return
      case 'SOL_SOCKET/SO_RCVBUF':
        dgram.setRecvBufferSize(value as number)
        return
      case 'SOL_SOCKET/SO_SNDBUF':
        dgram.setSendBufferSize(value as number)
        return
      // Node's setters pick the IPv4 or IPv6 option from the socket's type.
      case 'IPPROTO_IP/IP_TTL':
      case 'IPPROTO_IPV6/IPV6_UNICAST_HOPS':
        dgram.setTTL(value as number)
        return
      case 'IPPROTO_IP/IP_MULTICAST_TTL':
      case 'IPPROTO_IPV6/IPV6_MULTICAST_HOPS':
        dgram.setMulticastTTL(value as number)
        return
      case 'IPPROTO_IP/IP_MULTICAST_LOOP':
      case 'IPPROTO_IPV6/IPV6_MULTICAST_LOOP':
        dgram.setMulticastLoopback(value as boolean)
        return
      case 'IPPROTO_IP/IP_MULTICAST_IF':
        dgram.setMulticastInterface(value as string)
        return
    }
  }
}

/** Runs a Node setter, turning its exception into a SocketError. */
function guard(fn: () => unknown): void {
  try {
    fn()
  } catch (error) {
    throw fromNodeError(error, { syscall: 'setsockopt' })
  }
}

/** Values the kernel (or Node) accepts, inclusive. */
const RANGES: Record<string, [number, number]> = {
  'IPPROTO_IP/IP_TTL': [1, 255],
  'IPPROTO_IPV6/IPV6_UNICAST_HOPS': [1, 255],
  'IPPROTO_IP/IP_MULTICAST_TTL': [0, 255],
  'IPPROTO_IPV6/IPV6_MULTICAST_HOPS': [0, 255],
  'SOL_SOCKET/SO_RCVBUF': [1, 2 ** 31 - 1],
  'SOL_SOCKET/SO_SNDBUF': [1, 2 ** 31 - 1],
}
