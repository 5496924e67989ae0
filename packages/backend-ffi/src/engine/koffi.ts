import { createRequire } from 'node:module'
import type * as Koffi from 'koffi'
import type { ArgKind, Declaration, Engine, NativeBlock, NativeCallback, RetKind } from './engine.js'

/**
 * The koffi engine: each declaration becomes a koffi function once, whose call costs tens of
 * nanoseconds; `buf` arguments pass a Buffer's memory in place for the synchronous call.
 *
 * koffi facts this relies on (koffi's documentation, "Callbacks" and "Pointers"): symbols of
 * the process, the node binary's libuv among them, resolve through `load(null)`; a registered
 * callback runs synchronously on the main thread inside the C callback, outside any Node
 * callback scope, and an exception it throws would be swallowed, so {@link pollCallback}
 * catches everything and rethrows it on the next tick; a registered callback does not keep
 * the process alive.
 */

const ARG: Record<ArgKind, string> = { i32: 'int', isize: 'intptr_t', ptr: 'intptr_t', buf: 'void *' }
const RET: Record<RetKind, string> = { i32: 'int', isize: 'intptr_t', ptr: 'intptr_t', void: 'void' }

/** Loads koffi and binds the engine. @throws when koffi or its binary cannot load here. */
export function createKoffiEngine(): Engine {
  const require = createRequire(import.meta.url)
  const koffi = require('koffi') as typeof Koffi & { version: string }
  const version = koffi.version
  const self = koffi.load(null)
  const func = (d: Declaration) =>
    self.func(
      d.symbol,
      RET[d.ret],
      d.args.map((a) => ARG[a]),
    )
  const malloc = self.func('malloc', 'intptr_t', ['intptr_t']) as (size: number) => number
  const free = self.func('free', 'void', ['intptr_t']) as (address: number) => void
  const pollProto = koffi.pointer(koffi.proto(null, 'void', ['intptr_t', 'int', 'int']))

  const view = (address: number, length: number): Buffer => Buffer.from(koffi.view(BigInt(address), length), 0, length)

  return {
    name: 'koffi',
    version,
    inPlaceAbove: 0,
    bind: (d) => func(d) as (...args: (number | Uint8Array)[]) => number,
    bindThreaded: (d) => {
      const f = func(d)
      return (...args: number[]) =>
        new Promise<number>((resolve, reject) => {
          f.async(...args, (error: unknown, result: number) => (error ? reject(error) : resolve(result)))
        })
    },
    errno: () => koffi.errno(),
    allocate(size: number): NativeBlock {
      const address = malloc(Math.max(size, 1))
      if (address === 0) throw new RangeError(`cannot allocate ${size} bytes of native memory`)
      const block = { address, view: view(address, Math.max(size, 1)).subarray(0, size) }
      block.view.fill(0)
      return block
    },
    release: (block) => free(block.address),
    peek: (address, length) => (length === 0 ? Buffer.alloc(0) : Buffer.from(view(address, length))),
    pollCallback(fn): NativeCallback {
      const handler = () => {
        try {
          fn()
        } catch (error) {
          process.nextTick(() => {
            throw error
          })
        }
      }
      const slot = koffi.register(handler, pollProto)
      return {
        address: Number(koffi.address(slot)),
        keepsAlive: false,
        free: () => koffi.unregister(slot),
      }
    },
  }
}
