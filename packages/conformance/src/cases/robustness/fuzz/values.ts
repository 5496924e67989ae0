import fc from 'fast-check'

/**
 * A value known only once the fixture exists (a port the case listens on, a fresh Unix path,
 * one of the fixture's sockets). Arbitraries produce refs; {@link resolveRefs} swaps them for the
 * real values just before a call, so fast-check can still print and shrink the arguments.
 */
export class Ref {
  readonly key: string
  constructor(key: string) {
    this.key = key
  }
  toString(): string {
    return `<${this.key}>`
  }
  toJSON(): string {
    return `<${this.key}>`
  }
}

/** An arbitrary of refs to the given keys. */
export function ref(...keys: string[]): fc.Arbitrary<Ref> {
  return fc.constantFrom(...keys).map((k) => new Ref(k))
}

/**
 * Replaces every {@link Ref} in `value` (in arrays and plain objects too) by `lookup(key)`.
 * Other values, Uint8Arrays included, are returned as they are.
 */
export function resolveRefs(value: unknown, lookup: (key: string) => unknown): unknown {
  if (value instanceof Ref) return lookup(value.key)
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, lookup))
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, lookup)]))
  }
  return value
}

/** Numbers a script might pass by mistake: NaN, infinities, -0, fractions, huge and negative values. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    -1,
    1,
    0.5,
    1.5,
    -1.5,
    65535,
    65536,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31),
    -(2 ** 31) - 1,
    2 ** 32,
    2 ** 53,
    -(2 ** 53),
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.EPSILON,
  ),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.double(),
)

/** Strings a script might pass where something else was meant (never a host name: see {@link safeHost}). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '1.5',
    'NaN',
    '1e400',
    '0x10',
    '\0',
    'a\0b',
    '~',
    '~zz',
    'é€😀',
    'x'.repeat(5000),
  ),
  fc.string({ maxLength: 24 }),
)

/** Small values of every kind a script can pass, nested one level. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, false),
  hostileNumber,
  hostileString,
  fc.uint8Array({ maxLength: 32 }),
)

/**
 * Anything a script could pass: strings, numbers, booleans, null/undefined, arrays, objects and
 * Uint8Arrays. Arrays never hold only small integers and objects never carry address keys, so
 * junk is never read as an address (ucode takes `[a, b, c, d]` and `{port}` as IP addresses,
 * and the project's cases must not reach any address but loopback).
 */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: leaf },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(hostileString, fc.constantFrom(null, true, Number.NaN)), { maxLength: 3 }),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.string({ maxLength: 6 }).map((k) => `k_${k}`),
      leaf,
      { maxKeys: 3 },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom({}, [], new Uint8Array(0)) },
)

/**
 * Host names that never leave the machine: loopback in several spellings, and malformed forms
 * that fail before any query (NUL, empty). A random string would go to the DNS server.
 */
export const safeHost: fc.Arbitrary<string> = fc.constantFrom(
  'localhost',
  '127.0.0.1',
  '::1',
  '127.1',
  '0x7f.0.0.1',
  '::ffff:127.0.0.1',
  '',
  '127.0.0.1\0evil',
)

/** Malformed address texts: bad octets, bad ports, unbalanced brackets, unknown scopes. */
export const badAddressText: fc.Arbitrary<string> = fc.constantFrom(
  '999.0.0.1',
  '127.0.0.1:99999',
  '127.0.0.1:-1',
  '127.0.0.1:',
  '127.0.0.1:http',
  '1.2.3',
  '[::1',
  '[::1]:',
  '[::1]:70000',
  ':::',
  '::1%nosuchif0',
  '[zz::1]:80',
  'garbage',
  '@',
  '',
)

/** Port values that stay on this case's own sockets, or are invalid: never a stranger's port. */
export function portArb(): fc.Arbitrary<unknown> {
  return fc.oneof(
    ref('port.listener', 'port.closed', 'port.udp'),
    fc.constantFrom(0, -1, 65536, 70000, 1.5, -0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '', 'abc', '-1'),
    fc.constantFrom(null, undefined, true, [], {}),
  )
}

/** Unix paths: fresh ones in the temp dir, too long, with NUL, in a missing directory, abstract. */
export const unixPath: fc.Arbitrary<unknown> = fc.oneof(
  ref('path.fresh', 'path.listener', 'path.missingDir', 'path.abstract', 'path.tooLong', 'path.nul'),
  fc.constantFrom('\0'.padEnd(200, 'a'), '', '/'),
)

/**
 * Like {@link junk} without objects: for arguments that a facade reads as an address, where an
 * object with no address key means the wildcard address (ucode's `{}`), which the project's
 * cases never bind.
 */
export const scalarJunk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: leaf },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(hostileString, fc.constantFrom(null, true, Number.NaN)), { maxLength: 3 }),
  },
)

/** A host argument of a facade that resolves names: a safe host, or a value that is not a string. */
export const hostArg: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: safeHost },
  { weight: 1, arbitrary: scalarJunk.filter((v) => typeof v !== 'string' && !Array.isArray(v)) },
)

/**
 * Junk that is not a number and does not read as one: for time limits, where any number above
 * the call's time limit (or a negative one meaning "no limit") waits legitimately.
 */
export const nonNumericJunk: fc.Arbitrary<unknown> = junk.filter((v) =>
  typeof v === 'string' ? v.trim() === '' || Number.isNaN(Number(v)) : typeof v !== 'number' && typeof v !== 'boolean',
)
