import fc from 'fast-check'
import type { Step } from './harness.js'
import {
  badAddressText,
  hostArg,
  hostileNumber,
  junk,
  nonNumericJunk,
  portArb,
  ref,
  scalarJunk,
  unixPath,
} from './values.js'

// The arguments robustness.fuzz.ucode passes: per function and method, an arbitrary of argument lists.

/** The fixture's handles, by state (`foreign` comes from a module over another backend instance). */
export const HANDLE_KEYS = [
  'fresh',
  'bound',
  'listener',
  'client',
  'server',
  'closed',
  'udp',
  'nonblocking',
  'pairA',
  'pairB',
  'foreign',
] as const

const int = (values: number[]) => fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...values) }, hostileNumber, junk)
const none: fc.Arbitrary<unknown[]> = fc.constant([])
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })

/**
 * ucode address forms: texts, dictionaries and byte arrays, all on loopback or malformed. Never
 * a dictionary without an address (ucode reads it as the wildcard) nor an array of four small
 * integers other than 127.0.0.1.
 */
const address: fc.Arbitrary<unknown> = fc.oneof(
  ref('u.listener', 'u.closed', 'u.udp', 'u.unix'),
  fc.constantFrom('127.0.0.1', '127.0.0.1:0', '[::1]:0', '::1', '::1%lo'),
  badAddressText,
  unixPath,
  fc.record({
    family: fc.constantFrom(2, 10, 0, 1, 17, 999),
    address: fc.constantFrom('127.0.0.1', '::1', '1.2.3', 'x'.repeat(60)),
    port: portArb(),
  }),
  fc.record(
    {
      address: fc.constantFrom('127.0.0.1', '::1'),
      port: portArb(),
      flowinfo: hostileNumber,
      interface: fc.oneof(fc.constantFrom('lo', 'nosuchif0', 1), hostileNumber),
    },
    { requiredKeys: ['address'] },
  ),
  fc.record({ path: fc.oneof(unixPath, scalarJunk) }),
  fc.constantFrom(
    [127, 0, 0, 1],
    [1, 2, 3],
    [300, 0, 0, 1],
    [127, 0, 0, -1],
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  ),
  scalarJunk,
)
const handleRef = ref(...HANDLE_KEYS.map((k) => `h.${k}`))
const bytes = fc.oneof(fc.string({ maxLength: 64 }), fc.uint8Array({ maxLength: 2048 }))
const data = fc.oneof(bytes, junk)
const msgFlags = int([0, 1, 2, 64, 256, 0x4000, 0x8000, 0x40000000, -1])
const levels = int([1, 0, 6, 17, 41, 263, 999])
const optionNames = int([1, 2, 3, 4, 7, 8, 9, 13, 15, 17, 20, 21, 25, 26, 30, 33, 35, 999])
const optionValue = fc.oneof(
  fc.constantFrom(
    true,
    false,
    0,
    1,
    -1,
    2.5,
    'yes',
    '1',
    { sec: 0, usec: 1000 },
    { sec: -1, usec: 2 ** 40 },
    { onoff: 1, linger: 0 },
    { onoff: 'on' },
  ),
  junk,
)
const ancillary = fc.oneof(
  fc.array(
    fc.record({
      level: int([1, 0, 999]),
      type: int([1, 2, 3]),
      data: fc.oneof(
        fc.array(fc.oneof(handleRef, ref('fd.file', 'fd.client'), hostileNumber), { maxLength: 2 }),
        bytes,
        fc.record({ pid: hostileNumber, uid: hostileNumber, gid: hostileNumber }),
        junk,
      ),
    }),
    { maxLength: 2 },
  ),
  fc.uint8Array({ maxLength: 48 }),
  junk,
)

/** Arguments of each socket method. `bind()` always gets an address: without one it binds the wildcard. */
const methods: Record<string, fc.Arbitrary<unknown[]>> = {
  connect: fc.tuple(address, maybe(portArb())),
  bind: fc.tuple(address.filter((a) => a !== null && a !== undefined)),
  listen: fc.tuple(maybe(int([0, 1, 128, -1, 2 ** 31]))),
  accept: fc.tuple(maybe(fc.oneof(fc.constant({}), scalarJunk)), maybe(int([0, 2048, 524288]))),
  send: fc.tuple(data, maybe(msgFlags), maybe(address)),
  sendmsg: fc.tuple(
    fc.oneof(fc.array(bytes, { maxLength: 3 }), data),
    maybe(ancillary),
    maybe(address),
    maybe(msgFlags),
  ),
  recv: fc.tuple(
    maybe(int([0, -1, 1, 4096, 2 ** 31, 0x7fff_f000])),
    maybe(msgFlags),
    maybe(fc.oneof(fc.constant({}), scalarJunk)),
  ),
  recvmsg: fc.tuple(
    maybe(fc.oneof(fc.array(int([0, 1, 16, 4096]), { maxLength: 3 }), int([0, 64]))),
    maybe(int([0, 64, 1 << 20, (1 << 20) + 1])),
    maybe(msgFlags),
  ),
  setopt: fc.tuple(levels, optionNames, optionValue),
  getopt: fc.tuple(levels, optionNames),
  fileno: none,
  shutdown: fc.tuple(maybe(int([0, 1, 2, 3]))),
  peercred: none,
  peername: none,
  sockname: none,
  close: none,
  error: fc.tuple(maybe(junk)),
  toString: none,
}

/**
 * Module functions. Left out, because they block legitimately: `poll()` with a negative timeout
 * (no limit) or one longer than a call may take and `connect()` without a timeout to a peer that never answers; `listen()` without a
 * host (the wildcard address). Service names would reach well-known ports, so only a name that
 * does not exist is used.
 */
const pollHandle = fc.oneof(
  handleRef,
  fc.tuple(handleRef, int([1, 4, 0, -1, 65536])),
  ref('fd.client', 'fd.file'),
  junk,
)
const hints = maybe(
  fc.oneof(
    fc.record(
      {
        flags: int([0, 1, 4, 1024]),
        family: int([0, 2, 10, 1, 17]),
        socktype: int([0, 1, 2, 5, 3]),
        protocol: int([0, 6, 17]),
      },
      { requiredKeys: [] },
    ),
    junk,
  ),
)
const service = maybe(fc.oneof(portArb(), fc.constantFrom('no-such-service', '0', '-5')))
const functions: Record<string, fc.Arbitrary<unknown[]>> = {
  create: fc.tuple(
    maybe(int([1, 2, 10, 17, 999])),
    maybe(int([1, 2, 3, 5, 2049, 524289, 999])),
    maybe(int([0, 6, 17, 255])),
  ),
  pair: fc.tuple(maybe(int([1, 2, 5, 2049, 999]))),
  // Never a small number: the descriptor could be one this process lives on (stdio, the runner's pipes).
  open: fc.tuple(
    fc.oneof(
      ref('fd.file'),
      fc.constantFrom(-1, -5, 1.5, 2 ** 31 - 1, 2 ** 31, 1_000_000, '7', null),
      junk.filter((v) => typeof v !== 'number'),
    ),
  ),
  sockaddr: fc.tuple(
    fc.oneof(address, junk, fc.array(fc.integer({ min: -1, max: 256 }), { minLength: 4, maxLength: 4 })),
  ),
  // IPv4 loopback has a name in /etc/hosts; anything else reverse-resolves through DNS, so only numerically.
  nameinfo: fc.oneof(
    fc.tuple(
      fc.oneof(ref('u.listener', 'u.closed'), badAddressText, scalarJunk, fc.constant('/tmp/x')),
      maybe(int([0, 1, 2, 8, 16, 999])),
    ),
    fc.tuple(fc.constantFrom('[::1]:80', '::1'), fc.constant(1)),
  ),
  addrinfo: fc.tuple(hostArg, service, hints),
  poll: fc
    .tuple(
      fc.oneof(fc.constantFrom(0, 1, 10, 50), fc.constantFrom(1.5, Number.NaN, 2 ** 40, '5', null), nonNumericJunk),
      fc.array(pollHandle, { maxLength: 4 }),
    )
    .map(([t, hs]) => [t, ...hs]),
  error: fc.tuple(maybe(junk)),
  strerror: fc.tuple(fc.oneof(int([0, 1, 4, 22, 111, -2, -8, 9999]), junk)),
  connect: fc.tuple(
    fc.oneof(hostArg, address),
    service,
    hints,
    fc.oneof(fc.constantFrom(0, 1, 50, 200), fc.constantFrom(1.5, 'x', Number.NaN, true)),
  ),
  listen: fc.tuple(
    fc.oneof(
      fc.constantFrom('127.0.0.1', 'localhost', '::1', '[::1]'),
      ref('path.fresh', 'path.tooLong', 'path.missingDir'),
      badAddressText,
    ),
    service,
    hints,
    maybe(int([0, 1, 128, -1, 2 ** 31])),
    maybe(junk),
  ),
}

/** One call: a module function, or a method of one of the fixture's handles. */
export const ucodeStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(...Object.keys(functions))
      .chain((m) => (functions[m] as fc.Arbitrary<unknown[]>).map((args) => ({ target: 'module', method: m, args }))),
  },
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom(...HANDLE_KEYS), fc.constantFrom(...Object.keys(methods)))
      .chain(([target, m]) => (methods[m] as fc.Arbitrary<unknown[]>).map((args) => ({ target, method: m, args }))),
  },
)
