import { describe, expect, it } from 'vitest'
import { SocketError } from '../../src/errors.js'
import { type Outcome, startBackground } from '../../src/facades/jmp/background.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An attempt that waits for `release` or rejects with the signal's reason, as the contract does. */
function gate<T>() {
  let release: (value: T) => void = () => {}
  let calls = 0
  const attempt = (signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      calls++
      release = resolve
      signal.addEventListener('abort', () => reject(signal.reason), { once: true })
    })
  return { attempt, release: (v: T) => release(v), calls: () => calls }
}

function collector<T>() {
  const outcomes: Outcome<T>[] = []
  return { outcomes, settle: (o: Outcome<T>) => void outcomes.push(o) }
}

describe('jmp background operations (no sockets: the attempt is a plain promise)', () => {
  it('delivers the value once and never before the next turn', async () => {
    const g = gate<string>()
    const c = collector<string>()
    startBackground({ attempt: g.attempt, nonBlocking: () => false, timeoutMs: 1_000, settle: c.settle })
    expect(c.outcomes).toEqual([])
    g.release('data')
    await sleep(5)
    expect(c.outcomes).toEqual([{ kind: 'value', value: 'data' }])
    await sleep(1_100)
    expect(c.outcomes).toHaveLength(1)
  })

  it('times out by aborting the wait', async () => {
    const g = gate<string>()
    const c = collector<string>()
    const started = performance.now()
    startBackground({ attempt: g.attempt, nonBlocking: () => false, timeoutMs: 50, settle: c.settle })
    await sleep(150)
    expect(c.outcomes).toEqual([{ kind: 'timeout' }])
    expect(performance.now() - started).toBeGreaterThanOrEqual(45)
  })

  it('prefers data that settles in the same turn as the timeout', async () => {
    const c = collector<string>()
    // An attempt that ignores the abort and resolves a moment later: the value wins, not lost.
    startBackground({
      attempt: () => new Promise<string>((resolve) => setTimeout(() => resolve('late'), 60)),
      nonBlocking: () => false,
      timeoutMs: 40,
      settle: c.settle,
    })
    await sleep(150)
    expect(c.outcomes).toEqual([{ kind: 'value', value: 'late' }])
  })

  it('cancel delivers nothing and discards a value that arrives afterwards', async () => {
    const discarded: string[] = []
    const c = collector<string>()
    const handle = startBackground({
      attempt: () => new Promise<string>((resolve) => setTimeout(() => resolve('accepted'), 30)),
      nonBlocking: () => false,
      timeoutMs: 20,
      settle: c.settle,
      discard: (v) => void discarded.push(v),
    })
    handle.cancel()
    handle.cancel()
    await sleep(100)
    expect(c.outcomes).toEqual([])
    expect(discarded).toEqual(['accepted'])
  })

  it('polls a non-blocking attempt on EAGAIN until it succeeds', async () => {
    let calls = 0
    const c = collector<number>()
    startBackground({
      attempt: async () => {
        calls++
        if (calls < 4) throw new SocketError('EAGAIN')
        return calls
      },
      nonBlocking: () => true,
      timeoutMs: undefined,
      settle: c.settle,
    })
    await sleep(200)
    expect(c.outcomes).toEqual([{ kind: 'value', value: 4 }])
  })

  it('times out while polling, and stops polling', async () => {
    let calls = 0
    const c = collector<number>()
    startBackground({
      attempt: async () => {
        calls++
        throw new SocketError('EAGAIN')
      },
      nonBlocking: () => true,
      timeoutMs: 60,
      settle: c.settle,
    })
    await sleep(120)
    expect(c.outcomes).toEqual([{ kind: 'timeout' }])
    const seen = calls
    await sleep(150)
    expect(calls).toBe(seen)
  })

  it('passes other errors through, and survives a settle that throws', async () => {
    const error = new SocketError('ECONNRESET')
    const got: Outcome<never>[] = []
    startBackground<never>({
      attempt: () => Promise.reject(error),
      nonBlocking: () => false,
      timeoutMs: undefined,
      settle: (o) => {
        got.push(o)
        throw new Error('settle failed')
      },
    })
    await sleep(10)
    expect(got).toEqual([{ kind: 'error', error }])
  })
})
