import type { BenchContext, Measurement } from '../scenario.js'
import { latencySummary } from '../stats.js'

/** Bytes per request and per response of the ping-pong scenarios. */
export const PINGPONG_BYTES = 64
/** Round trips excluded from the figures, to let both ends warm up. */
export const WARMUP_ROUNDS = 200
/** Upper bound on measured round trips, whatever the duration. */
export const MAX_ROUNDS = 200_000
/** Bytes per write of the bulk scenarios. */
export const BULK_CHUNK = 64 * 1024
/** Upper bound on writes in one bulk run, whatever the duration (64 GiB at 64 KiB). */
export const MAX_WRITES = 1_000_000

/**
 * Times `roundTrip` for the context's duration (at most {@link MAX_ROUNDS} after a warm-up of
 * {@link WARMUP_ROUNDS}, or of a fifth of the duration if that ends first); p50 round trip in
 * µs, with p99, mean and the count as extras.
 */
export async function timeRoundTrips(
  ctx: Omit<BenchContext, 'backend'>,
  roundTrip: () => Promise<void>,
): Promise<Measurement> {
  const samples: number[] = []
  const started = performance.now()
  const deadline = started + ctx.durationMs
  // Warm-up ends after WARMUP_ROUNDS or a fifth of the duration, whichever comes first, so
  // that a short run on a slow (or busy) machine still measures something.
  const warmUntil = started + ctx.durationMs / 5
  let warming = true
  for (let i = 0; i < MAX_ROUNDS + WARMUP_ROUNDS && performance.now() < deadline && !ctx.signal.aborted; i++) {
    const t0 = performance.now()
    await roundTrip()
    if (warming && (i >= WARMUP_ROUNDS || t0 >= warmUntil)) warming = false
    if (!warming) samples.push((performance.now() - t0) * 1000)
  }
  const { p50, p99, mean } = latencySummary(samples)
  return { value: p50, extra: { p99, mean, rounds: samples.length } }
}

/** The two halves of a bulk transfer, written with whatever API a scenario measures. */
export interface BulkEnds {
  /** Writes one chunk of {@link BULK_CHUNK} bytes, all of it. */
  write(): Promise<void>
  /** Ends the writing side, so that the reader sees EOF. */
  finish(): Promise<void>
  /** Reads what is there (up to a chunk); 0 at EOF. */
  read(): Promise<number>
}

/**
 * Writes for the context's duration while reading until EOF; MB/s (10^6 bytes per second)
 * counted at the receiver, over the time until the last byte arrived.
 */
export async function measureBulk(ctx: Omit<BenchContext, 'backend'>, ends: BulkEnds): Promise<Measurement> {
  const started = performance.now()
  const deadline = started + ctx.durationMs
  const writer = (async () => {
    try {
      for (let i = 0; i < MAX_WRITES && performance.now() < deadline && !ctx.signal.aborted; i++) await ends.write()
    } finally {
      await ends.finish()
    }
  })()
  let received = 0
  try {
    for (;;) {
      const n = await ends.read()
      if (n === 0) break
      received += n
    }
  } finally {
    // A reader that failed must not leave the writer's rejection unhandled.
    await writer.catch(() => {})
  }
  await writer
  const seconds = (performance.now() - started) / 1000
  return { value: received / 1e6 / seconds, extra: { bytes: received } }
}
