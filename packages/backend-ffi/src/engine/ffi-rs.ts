import { createRequire } from 'node:module'
import type * as FfiRs from 'ffi-rs'
import type { FieldType, JsExternal } from 'ffi-rs'
import type { ArgKind, Declaration, Engine, NativeBlock, NativeCallback, RetKind } from './engine.js'

/**
 * The ffi-rs engine: one params object per declaration, reused and mutated for every call
 * (ffi-rs reads the whole object on each call, so reuse is its cheapest style). Pointers
 * travel as `I64` addresses; `buf` arguments as `U8Array`, which ffi-rs passes in place for
 * the synchronous call but about 1.5 µs dearer than an address, hence {@link inPlaceAbove}.
 * errno is read from this thread's `__errno_location()` slot through a view made once.
 * Callbacks are ffi-rs thread-safe functions: they run on the main thread in a callback scope
 * and keep the process alive while they exist.
 */

const LIB = 'polysocket-libc'

/** Loads ffi-rs and binds the engine. @throws when ffi-rs or its binary cannot load here. */
export function createFfiRsEngine(): Engine {
  const require = createRequire(import.meta.url)
  const ffi = require('ffi-rs') as typeof FfiRs
  const version = (require('ffi-rs/package.json') as { version: string }).version
  const { DataType: T, load, open, createExternalBuffer, createPointer, freePointer, unwrapPointer } = ffi
  const ARG: Record<ArgKind, FieldType> = { i32: T.I32, isize: T.I64, ptr: T.I64, buf: T.U8Array }
  const RET: Record<RetKind, FieldType> = { i32: T.I32, isize: T.I64, ptr: T.I64, void: T.Void }
  // The empty path is the process itself: libc and the node binary's libuv resolve.
  open({ library: LIB, path: '' })
  type Params = Parameters<typeof load>[0]

  const params = (symbol: string, retType: FieldType, paramsType: FieldType[]) => ({
    library: LIB,
    funcName: symbol,
    retType,
    paramsType,
    paramsValue: new Array<unknown>(paramsType.length).fill(0),
    freeResultMemory: false,
  })
  const raw = (p: ReturnType<typeof params>) => load(p as Params) as unknown

  const errnoAt = params('__errno_location', T.External, [])
  const errnoView = createExternalBuffer(raw(errnoAt) as JsExternal, 4)
  const pMalloc = params('malloc', T.External, [T.I64])
  // memset(p, 0, 0) returns p: the way to learn the address of an External as a number.
  const pAddress = params('memset', T.I64, [T.External, T.I32, T.I64])
  const pFree = params('free', T.Void, [T.I64])
  const pMemcpy = params('memcpy', T.I64, [T.I64, T.I64, T.I64])
  const addressOf = (ext: JsExternal): number => {
    pAddress.paramsValue[0] = ext
    return raw(pAddress) as number
  }
  const POLL_CB = ffi.funcConstructor({ paramsType: [T.I64, T.I32, T.I32], retType: T.Void })

  const allocate = (size: number): NativeBlock => {
    pMalloc.paramsValue[0] = Math.max(size, 1)
    const ext = raw(pMalloc) as JsExternal
    const address = addressOf(ext)
    if (address === 0) throw new RangeError(`cannot allocate ${size} bytes of native memory`)
    const view = createExternalBuffer(ext, Math.max(size, 1)).subarray(0, size)
    view.fill(0)
    return { address, view }
  }
  let scratch: NativeBlock | undefined

  return {
    name: 'ffi-rs',
    version,
    inPlaceAbove: 16384,
    bind(d: Declaration) {
      const types = d.args.map((a) => ARG[a])
      const p = params(d.symbol, RET[d.ret], types)
      const v = p.paramsValue
      const n = types.length
      // ffi-rs's wrapper replaces paramsType with a sized array type when a U8Array passes;
      // the declared types are put back before every such call.
      const restore = d.args.includes('buf')
      return (...args: (number | Uint8Array)[]) => {
        if (restore) p.paramsType = types
        for (let i = 0; i < n; i++) v[i] = args[i]
        return raw(p) as number
      }
    },
    bindThreaded(d: Declaration) {
      const types = d.args.map((a) => ARG[a])
      return (...args: number[]) =>
        load({ ...params(d.symbol, RET[d.ret], types), paramsValue: args, runInNewThread: true } as Params) as never
    },
    errno: () => errnoView.readInt32LE(0),
    allocate,
    release(block) {
      pFree.paramsValue[0] = block.address
      raw(pFree)
    },
    peek(address, length) {
      scratch ??= allocate(4096)
      const out = Buffer.allocUnsafe(length)
      for (let done = 0; done < length; ) {
        const n = Math.min(length - done, scratch.view.length)
        const v = pMemcpy.paramsValue
        v[0] = scratch.address
        v[1] = address + done
        v[2] = n
        raw(pMemcpy)
        scratch.view.copy(out, done, 0, n)
        done += n
      }
      return out
    },
    pollCallback(fn): NativeCallback {
      // A thread-safe function runs in a callback scope, where a throw is already uncaught.
      const pointer = createPointer({ paramsType: [POLL_CB], paramsValue: [() => fn()] })
      const address = addressOf(unwrapPointer(pointer)[0] as JsExternal)
      return {
        address,
        keepsAlive: true,
        free: () =>
          freePointer({ paramsType: [POLL_CB], paramsValue: pointer, pointerType: ffi.PointerType.RsPointer }),
      }
    },
  }
}
