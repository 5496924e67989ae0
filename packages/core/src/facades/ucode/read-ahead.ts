import type { SocketAddress } from '../../contract/address.js'
import type { Data, RecvResult } from '../../contract/socket.js'
import type { SocketState } from './state.js'
import { ucodeToString } from './tostring.js'

/** Bytes to send: a string as UTF-8, bytes as they are, anything else as ucode prints it. */
export function dataBytes(value: unknown): Data {
  if (typeof value === 'string' || value instanceof Uint8Array) return value
  return ucodeToString(value)
}

/** Hands out what poll() read ahead; `undefined` when nothing is stashed. */
export function takeStash(state: SocketState, max: number, peek: boolean): RecvResult | undefined {
  const first = state.stash[0]
  if (!first) return undefined
  if ('error' in first) {
    if (!peek) state.stash.shift()
    throw first.error
  }
  const { result } = first
  const stream = state.inner?.type === 'SOCK_STREAM'
  const data = result.data.subarray(0, max)
  if (!peek) {
    if (stream && data.length < result.data.length) {
      state.stash[0] = { result: { ...result, data: result.data.subarray(data.length) } }
    } else state.stash.shift()
  }
  const out: { data: Buffer; truncated: boolean; from?: SocketAddress } = {
    data: Buffer.from(data),
    truncated: !stream && result.data.length > max,
  }
  if (result.from) out.from = result.from
  return out
}

/** Spreads received bytes over buffers of the given sizes, in order. */
export function split(data: Buffer, sizes: readonly number[]): Buffer[] {
  let at = 0
  return sizes.map((size) => {
    const part = data.subarray(at, at + size)
    at += part.length
    return Buffer.from(part)
  })
}
