/**
 * The seam between backend-ffi and the library that calls C for it. Everything above this
 * folder (sockets, readiness, sockaddr and msghdr code) talks to an {@link Engine} through the
 * declarations of `libc/declarations.ts` and never learns which library runs.
 */

/** The FFI libraries backend-ffi can run on. */
export type EngineName = 'koffi' | 'ffi-rs'

/** Every engine, in the order `createBackend()` tries them. */
export const ENGINE_NAMES: readonly EngineName[] = Object.freeze(['koffi', 'ffi-rs'])

/**
 * How one C argument travels: `i32` an `int`; `isize` a `size_t`/`ssize_t`/`long`; `ptr` a
 * native address held as a JS number (memory the backend owns: the arena or a malloc'ed
 * block); `buf` a Buffer whose own memory the C function reads or writes during the call.
 */
export type ArgKind = 'i32' | 'isize' | 'ptr' | 'buf'

/** What one C function returns; `ptr` comes back as a number (0 for NULL). */
export type RetKind = 'i32' | 'isize' | 'ptr' | 'void'

/** One C function as the engines see it. */
export interface Declaration {
  /** The symbol, looked up in the process (libc and the node binary's libuv). */
  readonly symbol: string
  readonly ret: RetKind
  readonly args: readonly ArgKind[]
  /** Run on a worker thread and settle a promise (for calls that may block, like DNS). */
  readonly threaded?: boolean
}

/** A block of native memory: its address, and a Buffer that views it without owning it. */
export interface NativeBlock {
  readonly address: number
  readonly view: Buffer
}

/** uv_poll_cb without its arguments: the reactor needs none of them. */
export type PollCallback = () => void

/** A C function pointer made from a JS function. */
export interface NativeCallback {
  /** The function pointer, to hand to C. */
  readonly address: number
  /**
   * Whether it keeps the process alive as long as it exists (ffi-rs's thread-safe function
   * does; a koffi registered callback does not).
   */
  readonly keepsAlive: boolean
  /** Frees it; C must never call it again after this. */
  free(): void
}

/** A bound C function. Arguments are numbers, except `buf` ones (Uint8Array). */
export type NativeFunction = (...args: (number | Uint8Array)[]) => number
/** A bound C function that runs on another thread. */
export type ThreadedFunction = (...args: number[]) => Promise<number>

/** What backend-ffi needs of an FFI library. */
export interface Engine {
  readonly name: EngineName
  /** The library's version, for reports. */
  readonly version: string
  /** Turns a declaration into a callable, synchronous on the calling thread. */
  bind(declaration: Declaration): NativeFunction
  /** Turns a declaration into a callable run on a worker thread. */
  bindThreaded(declaration: Declaration): ThreadedFunction
  /** This thread's errno; meaningful only right after a call returned -1. */
  errno(): number
  /** malloc(3)s a zeroed block. @throws RangeError when the allocation fails. */
  allocate(size: number): NativeBlock
  /** free(3)s a block from {@link allocate}. */
  release(block: NativeBlock): void
  /** Copies `length` bytes at a native address into a new Buffer. */
  peek(address: number, length: number): Buffer
  /**
   * A function pointer for libuv's `uv_poll_cb` that runs `fn` on the main thread. An
   * exception `fn` throws is reported as an uncaught exception, never lost.
   */
  pollCallback(fn: PollCallback): NativeCallback
  /**
   * Above this many bytes, data passes in place (a `buf` argument) rather than being copied
   * through the arena: where passing a Buffer costs more than copying a small one.
   */
  readonly inPlaceAbove: number
}
