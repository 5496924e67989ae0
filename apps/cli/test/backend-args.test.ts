import { createBackend as createFfiBackend } from '@polysocket/backend-ffi'
import { createBackend as createNodeBackend } from '@polysocket/backend-node'
import type { Backend, Socket } from '@polysocket/core'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'

// Both backends must accept and refuse exactly the same Backend arguments: the same inputs go
// to backend-node and backend-ffi, and each call is judged as refused (TypeError or RangeError,
// by class and message) or passed (a value, or a SocketError from the system or a missing
// feature). Hosts are numeric or loopback names only, so no lookup leaves the machine.

const node = createNodeBackend()
const ffi = createFfiBackend()

type Verdict = { readonly refused: 'TypeError' | 'RangeError'; readonly message: string } | { readonly passed: true }

/** Sockets a passed call created, closed after each comparison. */
const opened: Socket[] = []

function keep(value: unknown): void {
  const list = Array.isArray(value) ? value : [value]
  for (const v of list) {
    if (v !== null && typeof v === 'object' && typeof (v as Socket).close === 'function') opened.push(v as Socket)
  }
}

async function verdict(call: () => unknown): Promise<Verdict> {
  try {
    keep(await call())
    return { passed: true }
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) {
      return { refused: error instanceof RangeError ? 'RangeError' : 'TypeError', message: error.message }
    }
    return { passed: true }
  }
}

async function closeOpened(): Promise<void> {
  for (const s of opened.splice(0)) await s.close().catch(() => {})
}

/** Calls `method` with `args` on both backends and asserts the same verdict. */
async function same(method: keyof Backend, args: readonly unknown[]): Promise<void> {
  const invoke = (b: Backend) => () => (b[method] as (...a: unknown[]) => unknown).apply(b, [...args])
  const onNode = await verdict(invoke(node))
  const onFfi = await verdict(invoke(ffi))
  await closeOpened()
  expect({ method, args, verdict: onNode }).toEqual({ method, args, verdict: onFfi })
}

/** Values of the wrong kind or out of range, for any argument. */
const odd = fc.oneof(
  fc.constantFrom(undefined, null, true, '', 'x', -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, 2 ** 53),
  fc.constantFrom({}, [], new Uint8Array(2), Symbol.for('polysocket')),
  fc.integer(),
  fc.string({ maxLength: 8 }),
)
const family = fc.oneof(fc.constantFrom('AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_PACKET', 'af_inet', 2, 10), odd)
const type = fc.oneof(fc.constantFrom('SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_RAW', 'SOCK_BOGUS'), odd)
const protocol = fc.oneof(fc.constantFrom(0, 6, 17, 255, 256, 2 ** 31 - 1), odd)
const createOptions = fc.oneof(fc.record({ nonBlocking: fc.oneof(fc.boolean(), odd) }, { requiredKeys: [] }), odd)
const aiFlag = fc.constantFrom('AI_PASSIVE', 'AI_CANONNAME', 'AI_V4MAPPED', 'AI_ALL', 'AI_ADDRCONFIG', 'AI_NUMERICSERV')
/** Hints that always carry AI_NUMERICHOST, whatever else they hold. */
const numericHints = fc.record(
  {
    family: fc.oneof(fc.constantFrom('AF_INET', 'AF_INET6', 'AF_UNSPEC', 'AF_UNIX'), odd),
    type,
    protocol,
    flags: fc
      .array(fc.oneof(aiFlag, fc.constantFrom('AI_BOGUS', 'ai_passive')), { maxLength: 3 })
      .map((f) => ['AI_NUMERICHOST', ...f]),
  },
  { requiredKeys: ['flags'] },
)
const service = fc.oneof(
  fc.constantFrom(null, 0, 80, 65535, 65536, -1, 1.5, '80', 'http', 'no-such-service', ''),
  odd.filter((v) => typeof v !== 'string'),
)

describe('backend-node and backend-ffi accept and refuse the same Backend arguments', () => {
  afterAll(closeOpened)

  it('socket(family, type, protocol, options)', async () => {
    await fc.assert(
      fc.asyncProperty(family, type, protocol, createOptions, (f, t, p, o) => same('socket', [f, t, p, o])),
      { numRuns: 300 },
    )
  })

  it('socketpair(family, type, options)', async () => {
    await fc.assert(
      fc.asyncProperty(family, type, createOptions, (f, t, o) => same('socketpair', [f, t, o])),
      { numRuns: 200 },
    )
  })

  it('lookup(host, service, hints): loopback names, or any text with AI_NUMERICHOST', async () => {
    const local = fc.tuple(
      fc.constantFrom('127.0.0.1', '::1', 'localhost', null),
      service,
      fc.oneof(
        numericHints,
        fc.constant(undefined),
        odd.filter((v) => v !== undefined && typeof v !== 'object'),
      ),
    )
    const numeric = fc.tuple(
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('999.0.0.1', '[::1]', '::1%lo', '1.2.3.4.5'), odd),
      service,
      numericHints,
    )
    await fc.assert(
      fc.asyncProperty(fc.oneof(local, numeric), (args) => same('lookup', args)),
      { numRuns: 300 },
    )
  })

  it('nameinfo(address, flags): 127.0.0.1 from /etc/hosts, anything else with NI_NUMERICHOST', async () => {
    const niFlag = fc.constantFrom('NI_NUMERICSERV', 'NI_NOFQDN', 'NI_NAMEREQD', 'NI_DGRAM', 'NI_BOGUS', 'ni_dgram')
    const port = fc.oneof(fc.constantFrom(0, 80, 65535, 65536, -1), odd)
    const loopback4 = fc.tuple(
      fc.record({ family: fc.constant('inet'), address: fc.constant('127.0.0.1'), port }),
      fc.oneof(fc.array(niFlag, { maxLength: 3 }), odd),
    )
    const numericOnly = fc.tuple(
      fc.oneof(
        fc.record({
          family: fc.constantFrom('inet', 'inet6', 'unix', 'bogus'),
          address: fc.constantFrom('127.0.0.1', '::1', '1.2.3', ''),
          port,
        }),
        fc.record(
          { family: fc.constant('inet6'), address: fc.constant('::1'), port, flowinfo: odd, scopeId: odd },
          { requiredKeys: ['family', 'address', 'port'] },
        ),
        odd,
      ),
      fc.array(niFlag, { maxLength: 2 }).map((f) => ['NI_NUMERICHOST', ...f]),
    )
    await fc.assert(
      fc.asyncProperty(fc.oneof(loopback4, numericOnly), (args) => same('nameinfo', args)),
      { numRuns: 300 },
    )
  })

  it('adopt(fd): never a descriptor this process uses', async () => {
    // Valid-looking numbers are far above any open descriptor: both then fail with a SocketError.
    const open = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1_000_000
    const fd = fc.oneof(
      fc.constantFrom(-1, 1.5, 2 ** 31 - 1, 2 ** 31, 1_000_000, '3'),
      odd.filter((v) => !open(v)),
    )
    await fc.assert(
      fc.asyncProperty(fd, (f) => same('adopt', [f])),
      { numRuns: 100 },
    )
  })

  it('tells a refusal from a pass (the comparison can fail)', async () => {
    expect(await verdict(() => node.socket('AF_BOGUS' as never, 'SOCK_STREAM'))).toHaveProperty('refused', 'TypeError')
    expect(await verdict(() => ffi.socket('AF_INET', 'SOCK_STREAM', -1))).toHaveProperty('refused', 'RangeError')
    expect(await verdict(() => ffi.adopt(1_000_000))).toEqual({ passed: true })
  })
})
