import { isIP } from 'node:net'
import { describe } from './address.js'
import type { OptionSpec, OptionValue } from './options.js'
import { checkInteger, checkMilliseconds } from './validate.js'

/**
 * Checks a value for setsockopt against the option's kind and returns it canonical
 * (`number` for `bool` options passed as 0/1 becomes a boolean).
 *
 * @param spec - the typed option, or `undefined` for a raw numeric one (value: bytes).
 * @throws TypeError / RangeError naming what is wrong.
 */
export function checkOptionValue(spec: OptionSpec | undefined, value: unknown): OptionValue {
  const what = spec ? spec.name : 'a raw option'
  const fail = (expected: string): never => {
    throw new TypeError(`${what} takes ${expected}, got ${describe(value)}`)
  }
  if (!spec) {
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    if (typeof value === 'number') return checkInteger(value, `${what} value`, -(2 ** 31), 2 ** 31 - 1)
    return fail('a Uint8Array or an integer')
  }
  const v = value as Record<string, unknown>
  switch (spec.kind) {
    case 'bool':
      if (typeof value === 'boolean') return value
      if (value === 0 || value === 1) return value === 1
      return fail('a boolean')
    case 'int':
      return checkInteger(value, `${what} value`, -(2 ** 31), 2 ** 31 - 1)
    case 'timeout':
      if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
        return {
          sec: checkInteger(v.sec, `${what}.sec`, -(2 ** 53 - 1), 2 ** 53 - 1),
          usec: checkInteger(v.usec, `${what}.usec`, -(2 ** 53 - 1), 2 ** 53 - 1),
        }
      }
      return checkMilliseconds(value, `${what} value`)
    case 'linger':
      if (typeof value !== 'object' || value === null || typeof v.onoff !== 'boolean') {
        return fail('{ onoff: boolean, linger: seconds }')
      }
      return { onoff: v.onoff as boolean, linger: checkInteger(v.linger, `${what}.linger`, 0, 2 ** 31 - 1) }
    case 'string':
      if (typeof value !== 'string' || value.includes('\0')) return fail('a string without NUL')
      return value
    case 'inaddr':
      if (typeof value !== 'string' || isIP(value) !== 4) return fail('an IPv4 address string')
      return value
    case 'mreq':
      if (typeof value !== 'object' || value === null || typeof v.multiaddr !== 'string' || isIP(v.multiaddr) !== 4) {
        return fail('{ multiaddr: IPv4 string, address?, ifindex? }')
      }
      if (v.address !== undefined && (typeof v.address !== 'string' || isIP(v.address) !== 4))
        return fail('address as an IPv4 string')
      return {
        multiaddr: v.multiaddr as string,
        ...(v.address === undefined ? {} : { address: v.address as string }),
        ...(v.ifindex === undefined ? {} : { ifindex: checkInteger(v.ifindex, `${what}.ifindex`, 0, 2 ** 31 - 1) }),
      }
    case 'mreq6':
      if (typeof value !== 'object' || value === null || typeof v.multiaddr !== 'string' || isIP(v.multiaddr) !== 6) {
        return fail('{ multiaddr: IPv6 string, ifindex? }')
      }
      return {
        multiaddr: v.multiaddr as string,
        ...(v.ifindex === undefined ? {} : { ifindex: checkInteger(v.ifindex, `${what}.ifindex`, 0, 2 ** 31 - 1) }),
      }
    case 'ucred':
    case 'bytes':
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
      return fail('a Uint8Array')
  }
}
