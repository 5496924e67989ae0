import type { Data } from '../../contract/socket.js'
import { ucodeToString } from './tostring.js'

/** Bytes to send: a string as UTF-8, bytes as they are, anything else as ucode prints it. */
export function dataBytes(value: unknown): Data {
  if (typeof value === 'string' || value instanceof Uint8Array) return value
  return ucodeToString(value)
}
