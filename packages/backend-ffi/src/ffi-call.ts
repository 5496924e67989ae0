import ffi, { type FieldType, type JsExternal } from 'ffi-rs'

/**
 * The ffi-rs function table: one params object per C function, reused and mutated for every
 * call (the cheapest ffi-rs calling style measured: research/perf-baselines.md §6). Pointers
 * travel as `I64` addresses into native memory this module owns (the arena, or a `malloc`ed
 * block held until the call returns), never into garbage-collected memory, except the
 * `*U8` variants, where ffi-rs passes a Buffer's memory for the length of the synchronous call.
 *
 * Every call here is synchronous on the calling thread: errno is read from this thread's
 * `__errno_location()` slot right after a call returned -1, before any other call can touch it.
 */
const { DataType: T, load, open, createExternalBuffer } = ffi

export const LIB = 'polysocket-libc'
// The empty path is the process itself: libc and libuv (exported by the node binary) resolve.
open({ library: LIB, path: '' })

export interface Params {
  library: string
  funcName: string
  retType: FieldType
  paramsType: FieldType[]
  paramsValue: unknown[]
  freeResultMemory: boolean
}

export function fn(funcName: string, retType: FieldType, paramsType: FieldType[]): Params {
  return {
    library: LIB,
    funcName,
    retType,
    paramsType,
    paramsValue: new Array(paramsType.length).fill(0),
    freeResultMemory: false,
  }
}

export const call = (p: Params): number => load(p as Parameters<typeof load>[0]) as number

export const { I32, I64, External, U8Array, Void } = T
export { load }

const pErrno = fn('__errno_location', External, [])
const errnoView = createExternalBuffer(load(pErrno as Parameters<typeof load>[0]) as JsExternal, 4)
/** This thread's errno; meaningful only right after a call returned -1. */
export const errno = (): number => errnoView.readInt32LE(0)

const pMalloc = fn('malloc', External, [I64])
const pAddr = fn('memset', I64, [External, I32, I64])
const pFree = fn('free', Void, [I64])
const pMemcpy = fn('memcpy', I64, [I64, I64, I64])
const pStrlen = fn('strlen', I64, [I64])

/** A native block: its address and a Buffer view on it (the view does not own the memory). */
export interface NativeBlock {
  readonly address: number
  readonly view: Buffer
}

/** malloc(3) a zeroed block. @throws RangeError when the allocation fails. */
export function allocate(size: number): NativeBlock {
  pMalloc.paramsValue[0] = Math.max(size, 1)
  const ext = load(pMalloc as Parameters<typeof load>[0]) as JsExternal
  pAddr.paramsValue[0] = ext
  pAddr.paramsValue[1] = 0
  pAddr.paramsValue[2] = 0
  const address = call(pAddr)
  if (address === 0) throw new RangeError(`cannot allocate ${size} bytes of native memory`)
  const view = createExternalBuffer(ext, Math.max(size, 1)).subarray(0, size)
  view.fill(0)
  return { address, view }
}

/** free(3) a block from {@link allocate}. */
export function release(block: NativeBlock): void {
  pFree.paramsValue[0] = block.address
  call(pFree)
}

/** Copies `length` bytes at native address `from` into a new Buffer (memcpy through the arena). */
export function peek(from: number, length: number, scratch: NativeBlock): Buffer {
  const out = Buffer.allocUnsafe(length)
  for (let done = 0; done < length; ) {
    const n = Math.min(length - done, scratch.view.length)
    memcpy(scratch.address, from + done, n)
    scratch.view.copy(out, done, 0, n)
    done += n
  }
  return out
}

export function memcpy(to: number, from: number, n: number): void {
  const v = pMemcpy.paramsValue
  v[0] = to
  v[1] = from
  v[2] = n
  call(pMemcpy)
}

export function strlen(address: number): number {
  pStrlen.paramsValue[0] = address
  return call(pStrlen)
}
