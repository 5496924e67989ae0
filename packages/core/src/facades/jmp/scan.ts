/**
 * The search at the heart of the `~xx` codec on received data: the first byte that JSL text
 * does not carry as itself (outside 0x20–0x7d). On a bulk `Recv` it runs over every byte, so it
 * is most of what the codec costs beside the string itself: a regular expression over the
 * latin1 string took three to four times as long as a JavaScript loop reading four bytes at a
 * time, which took about three times as long as a WebAssembly loop (copy into its memory
 * included), 16 bytes per instruction with SIMD. Where WebAssembly is missing (`--jitless`), a
 * byte loop does it.
 */

/**
 * The WebAssembly module, 366 bytes: one page of memory (`mem`) and `scan(n)`, the index of the
 * first byte of `mem[0..n)` outside 0x20–0x7d, or -1. Its text:
 *
 * ```wat
 * (func (export "scan") (param $n i32) (result i32) (local $i i32)
 *   (block $tail (loop $vec                      ;; 128 bytes a turn
 *     (br_if $tail (i32.gt_u (i32.add (local.get $i) (i32.const 128)) (local.get $n)))
 *     ;; byte + 2 maps 0x20–0x7d to 0x22–0x7f and every other byte below 0x22 as a signed
 *     ;; byte, so one signed minimum over the eight loads (offsets 0, 16, … 112) tells
 *     (br_if $tail (v128.any_true (i8x16.lt_s
 *       (i8x16.min_s (i8x16.min_s (i8x16.min_s (i8x16.add (v128.load offset=0 (local.get $i))
 *                                                         (v128.const i8x16 2 …)) …) …) …)
 *       (v128.const i8x16 0x22 …))))
 *     (local.set $i (i32.add (local.get $i) (i32.const 128)))
 *     (br $vec)))
 *   (block $done (loop $byte                     ;; the rest, and the 128 bytes that held a hit
 *     (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
 *     (if (i32.gt_u (i32.sub (i32.load8_u (local.get $i)) (i32.const 0x20)) (i32.const 0x5d))
 *       (then (return (local.get $i))))
 *     (local.set $i (i32.add (local.get $i) (i32.const 1)))
 *     (br $byte)))
 *   (i32.const -1))
 * ```
 *
 * An add and a minimum per 16 bytes, one test per 128, take half the time of the earlier
 * subtract, unsigned compare and or per 16 bytes with a test per 64 (about 1.1 µs against
 * 2.2 µs per 64 KiB here, without the copy).
 */
const SCAN_MODULE =
  'AGFzbQEAAAABBgFgAX8BfwMCAQAFAwEAAQcOAgNtZW0CAARzY2FuAAAKwgIBvwIBAX8CQANAIAFBgAFqIABLDQEgAf0ABAD9DAICAgICAgICAgIC' +
  'AgICAgL9biAB/QAEEP0MAgICAgICAgICAgICAgICAv1u/XYgAf0ABCD9DAICAgICAgICAgICAgICAgL9biAB/QAEMP0MAgICAgICAgICAgICAgIC' +
  'Av1u/Xb9diAB/QAEQP0MAgICAgICAgICAgICAgICAv1uIAH9AARQ/QwCAgICAgICAgICAgICAgIC/W79diAB/QAEYP0MAgICAgICAgICAgICAgIC' +
  'Av1uIAH9AARw/QwCAgICAgICAgICAgICAgIC/W79dv12/Xb9DCIiIiIiIiIiIiIiIiIiIiL9Jf1TDQEgAUGAAWohAQwACwsCQANAIAEgAE8NASAB' +
  'LQAAQSBrQd0ASwRAIAEPCyABQQFqIQEMAAsLQX8L'

/** The module's memory: one WebAssembly page. */
const PAGE = 65536

/** Below this length the byte loop is cheaper than a copy and a call into WebAssembly. */
const SCAN_FROM = 256

interface Scanner {
  readonly memory: Uint8Array
  readonly scan: (n: number) => number
}

/** The lib settings hold no WebAssembly types; this is the little the scanner uses. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown
  Instance: new (module: unknown) => { exports: { mem: { buffer: ArrayBuffer }; scan: (n: number) => number } }
}

let scanner: Scanner | null | undefined

/** The WebAssembly scanner, made on first use; `null` where WebAssembly or its SIMD is missing. */
function wasmScanner(): Scanner | null {
  if (scanner !== undefined) return scanner
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly
    if (wasm === undefined) throw new Error('no WebAssembly')
    const { exports } = new wasm.Instance(new wasm.Module(Buffer.from(SCAN_MODULE, 'base64')))
    // The module never grows its memory, so this view stays valid.
    scanner = { memory: new Uint8Array(exports.mem.buffer), scan: exports.scan }
  } catch {
    scanner = null
  }
  return scanner
}

/**
 * The index of the first byte of `bytes` outside 0x20–0x7d (the bytes the `~xx` codec
 * escapes), or -1 when there is none.
 */
export function firstEscape(bytes: Uint8Array): number {
  const n = bytes.length
  const s = n >= SCAN_FROM ? wasmScanner() : null
  if (s !== null) {
    // A page at a time: copied into the module's memory, then scanned there.
    for (let start = 0; start < n; start += PAGE) {
      const end = Math.min(n, start + PAGE)
      s.memory.set(start === 0 && end === n ? bytes : bytes.subarray(start, end))
      const at = s.scan(end - start)
      if (at !== -1) return start + at
    }
    return -1
  }
  return firstEscapeByLoop(bytes)
}

/** {@link firstEscape} one byte at a time, as it runs without WebAssembly (and for tests). */
export function firstEscapeByLoop(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number
    if (b < 0x20 || b > 0x7d) return i
  }
  return -1
}

/** Which search {@link firstEscape} uses on long data here (for tests). */
export function scannerKind(): 'wasm' | 'loop' {
  return wasmScanner() === null ? 'loop' : 'wasm'
}
