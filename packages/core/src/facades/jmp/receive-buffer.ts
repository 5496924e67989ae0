/**
 * The memory a Recv without a callback receives into (recv's `into`): its bytes become a JSL
 * string before the Recv answers, so one buffer serves every Recv in turn, and a backend that
 * reads into memory allocates nothing per call (a fresh 64 KiB Buffer per Recv cost an
 * allocation and, at bulk rates, full garbage collections for the memory outside the heap).
 */

/** Largest Recv served from the kept buffer; a longer one gets a Buffer of its own. */
const KEPT_MAX = 1 << 20

let kept: Buffer | undefined
let lent = false

/**
 * The kept buffer for one receive of up to `count` bytes, or `undefined` while another
 * receive holds it (concurrent Recvs on several sockets) or for an empty or outsize read.
 * Give it back with {@link returnReceiveBuffer} once its bytes are converted.
 */
export function lendReceiveBuffer(count: number): Buffer | undefined {
  if (lent || count === 0 || count > KEPT_MAX) return undefined
  if (kept === undefined || kept.length < count) kept = Buffer.allocUnsafeSlow(Math.max(count, 1 << 16))
  lent = true
  return kept
}

/** Ends the loan of {@link lendReceiveBuffer}; the receive has settled, so nothing writes there any more. */
export function returnReceiveBuffer(buffer: Buffer): void {
  if (buffer === kept) lent = false
}
