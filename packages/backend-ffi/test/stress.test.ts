import { readdirSync } from 'node:fs'
import { isSocketError, type Socket } from '@polysocket/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createBackend } from '../src/index.js'

const backend = createBackend()
const openFds = () => readdirSync('/proc/self/fd').length

type Step =
  | { op: 'send'; end: 0 | 1; size: number }
  | { op: 'recv'; end: 0 | 1; size: number; timeoutMs: number }
  | { op: 'abortRecv'; end: 0 | 1 }
  | { op: 'close'; end: 0 | 1 }
  | { op: 'shutdown'; end: 0 | 1 }
  | { op: 'tick' }

const end = fc.constantFrom<0 | 1>(0, 1)
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('send' as const), end, size: fc.integer({ min: 0, max: 70_000 }) }),
  fc.record({
    op: fc.constant('recv' as const),
    end,
    size: fc.integer({ min: 0, max: 300_000 }),
    timeoutMs: fc.integer({ min: 0, max: 20 }),
  }),
  fc.record({ op: fc.constant('abortRecv' as const), end }),
  fc.record({ op: fc.constant('close' as const), end }),
  fc.record({ op: fc.constant('shutdown' as const), end }),
  fc.constant({ op: 'tick' as const }),
)

/** Only SocketErrors with errno names (and the abort reason) may come out: never anything else. */
function expected(e: unknown): boolean {
  return isSocketError(e) || (e instanceof Error && e.message === 'stop')
}

// Random interleavings of waits, timeouts, aborts, shutdowns and closes on every socket type:
// the process must not crash, every promise must settle with a result or a SocketError, and
// no fd may be left open.
describe('random operation sequences', () => {
  it('never crash, always settle, never leak an fd', async () => {
    const before = openFds()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_SEQPACKET' as const),
        fc.array(step, { maxLength: 25 }),
        async (type, steps) => {
          const ends: Socket[] = await backend.socketpair('AF_UNIX', type)
          for (const s of ends) s.setOption('SOL_SOCKET', 'SO_SNDTIMEO', 20)
          const pending: Promise<unknown>[] = []
          for (const s of steps) {
            if (s.op === 'tick') {
              await new Promise((r) => setTimeout(r, 1))
              continue
            }
            const sock = ends[s.end] as Socket
            const settle = (p: Promise<unknown>) =>
              pending.push(
                p.then(
                  () => undefined,
                  (e) => {
                    if (!expected(e)) throw e
                  },
                ),
              )
            if (s.op === 'send') settle(sock.send(Buffer.alloc(s.size, 1)))
            else if (s.op === 'recv') {
              if (!sock.closed) sock.setOption('SOL_SOCKET', 'SO_RCVTIMEO', s.timeoutMs === 0 ? 1 : s.timeoutMs)
              settle(sock.recv(s.size))
            } else if (s.op === 'abortRecv') {
              const c = new AbortController()
              settle(sock.recv(10, { signal: c.signal }))
              c.abort(new Error('stop'))
            } else if (s.op === 'shutdown') settle(sock.shutdown('SHUT_RDWR'))
            else settle(sock.close())
          }
          for (const s of ends) await s.close()
          await Promise.all(pending)
        },
      ),
      { numRuns: 150 },
    )
    expect(openFds()).toBeLessThanOrEqual(before + 2)
  }, 60_000)
})
