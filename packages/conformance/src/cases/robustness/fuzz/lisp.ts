import { createLisp, type Lisp, LispSocket } from '@polysocket/core/lisp'
import fc from 'fast-check'
import type { Case, CaseContext } from '../../../case.js'
import {
  type Anchors,
  adoptResult,
  type CaseShared,
  caseShared,
  Opened,
  openAnchors,
  pathRef,
  portRef,
  SHORT_TIMEOUT_MS,
} from './fixture.js'
import { type Fixture, FUZZ_CASE_TIMEOUT_MS, runFuzz, type Step } from './harness.js'
import { hostArg, hostileNumber, junk, nonNumericJunk, portArb, ref, unixPath } from './values.js'
import { describeThrown, type Outcome } from './watch.js'

const SOCKET_KEYS = ['fresh', 'bound', 'listener', 'client', 'server', 'udp', 'closed', 'unix', 'foreign'] as const
type SocketKey = (typeof SOCKET_KEYS)[number]

/** Where showbin prints: nowhere (the output is not what is judged). */
const quiet = () => {}

interface LispFixture extends Fixture {
  readonly sockets: Partial<Record<SocketKey, LispSocket>>
  readonly opened: Opened
}

interface LispShared extends CaseShared {
  readonly lisp: Lisp
}

async function setup(shared: LispShared): Promise<LispFixture> {
  const { ctx, lisp } = shared
  const opened = new Opened(ctx)
  const anchors = await openAnchors(shared, opened)
  const s: Partial<Record<SocketKey, LispSocket>> = {}
  const family = ctx.family === 'AF_INET6' ? 'inet6' : 'inet'
  const make = async (type: string, ...keywords: unknown[]) => {
    const socket = await lisp.makeInstance('socket', family, type, 0, ...keywords)
    if (socket === null) throw new Error(`fixture: make-instance failed: ${String(lisp.lastsocketerror)}`)
    opened.add(() => socket.destroy())
    return socket
  }
  s.fresh = await make('stream')
  s.bound = await make('stream', 'address', ctx.host, 'port', 0)
  s.listener = await make('stream', 'address', ctx.host, 'port', 0)
  if ((await s.listener.listen(16)) !== true) throw new Error(`fixture: listen: ${String(lisp.lastsocketerror)}`)
  s.client = await make('stream')
  if ((await s.client.connect(ctx.host, s.listener.port)) !== true)
    throw new Error(`fixture: connect: ${String(lisp.lastsocketerror)}`)
  const server = await s.listener.accept()
  if (server === null) throw new Error(`fixture: accept: ${String(lisp.lastsocketerror)}`)
  s.server = server
  opened.add(() => server.destroy())
  s.udp = await make('dgram', 'address', ctx.host, 'port', 0)
  s.closed = await make('stream')
  await s.closed.destroy()
  if (ctx.backend.supports.unixStream) {
    const unix = await lisp.makeInstance('socket', 'unix', 'stream', 0, 'filename', ctx.unixPath())
    if (unix) {
      s.unix = unix
      opened.add(() => unix.destroy())
    }
  }
  if (shared.other) {
    // A socket object over a contract socket from another backend instance.
    const inner = opened.socket(await shared.other.socket(ctx.family, 'SOCK_DGRAM'))
    s.foreign = new LispSocket(shared.other, inner, { print: quiet })
  }
  const fixture: LispFixture = {
    sockets: s,
    opened,
    lookup: (key) => lookupRef(ctx, anchors, s, key),
    async restore() {
      for (const socket of Object.values(s)) {
        socket.setsockopt(null, 'SO_RCVTIMEO', SHORT_TIMEOUT_MS)
        socket.setsockopt(null, 'SO_SNDTIMEO', SHORT_TIMEOUT_MS)
      }
    },
    dispose: () => opened.dispose(),
  }
  await fixture.restore()
  return fixture
}

function lookupRef(
  ctx: CaseContext,
  anchors: Anchors,
  s: Partial<Record<SocketKey, LispSocket>>,
  key: string,
): unknown {
  const port = portRef(anchors, key)
  if (port !== undefined) return port
  const path = pathRef(ctx, key, anchors.unixPath)
  if (path !== undefined) return path
  if (key.startsWith('s.')) return s[key.slice(2) as SocketKey] ?? null
  if (key === 'class') return LispSocket
  throw new Error(`unknown ref ${key}`)
}

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })
const none: fc.Arbitrary<unknown[]> = fc.constant([])
const socketRef = ref(...SOCKET_KEYS.map((k) => `s.${k}`))
const count = fc.oneof(fc.constantFrom(0, 1, 10, 4096, 64 * 1024 * 1024, 2 ** 31, -1), hostileNumber, junk)
const buffer = fc.oneof({ weight: 3, arbitrary: fc.uint8Array({ maxLength: 4096 }) }, junk)
const flags = fc.oneof(
  fc.constantFrom(0, 2, 64, 0x4000, 0x40000000, 'MSG_PEEK', 'msg_dontwait', 'MSG_BOGUS', ['MSG_PEEK', 'MSG_DONTWAIT']),
  hostileNumber,
  junk,
)
/** recv/send keywords: `'length', n, 'flags', f` pairs, one object, or a malformed list. */
const keywords: fc.Arbitrary<unknown[]> = fc.oneof(
  fc
    .array(
      fc.oneof(
        fc.tuple(fc.constantFrom('length', "'length", ':LENGTH'), count),
        fc.tuple(fc.constant('flags'), flags),
        fc.tuple(fc.constant('bogus'), junk),
      ),
      { maxLength: 2 },
    )
    .map((pairs) => pairs.flat()),
  fc.record({ length: count, flags }, { requiredKeys: [] }).map((o) => [o]),
  fc.array(junk, { maxLength: 3 }),
)
const levels = fc.oneof(fc.constantFrom(null, 'SOL_SOCKET', 'IPPROTO_TCP', 'tcp', 'SOL_BOGUS', 1, 6, 999), junk)
const optionNames = fc.oneof(
  fc.constantFrom(
    'SO_RCVTIMEO',
    'SO_SNDTIMEO',
    'SO_RVCTIMEO',
    'SO_LINGER',
    'SO_PEERCRED',
    'SO_KEEPALIVE',
    'SO_RCVBUF',
    'TCP_NODELAY',
    'IP_ADD_MEMBERSHIP',
    'IP_TTL',
    "'so_reuseaddr",
    2,
    9999,
  ),
  junk,
)
const optionValue = fc.oneof(
  fc.constantFrom(true, null, 0, 1, 10.5, -1, [1, 0], [true, 2 ** 40], ['224.0.0.1', 'x'], 'on'),
  hostileNumber,
  junk,
)
const port = fc.oneof(portArb(), fc.constantFrom('no-such-service', "'no-such-service", '0'))
const codePoint = fc.oneof(fc.constantFrom(65, 0, 0x20ac, 0x1f600, 0xd800, 0x110000, -1), hostileNumber, junk)

/** Arguments of each method of a socket object. */
const methods: Record<string, fc.Arbitrary<unknown[]>> = {
  accept: none,
  charInBuffer: fc.oneof(none, fc.tuple(junk)),
  clearInput: none,
  connect: fc.tuple(fc.oneof(hostArg, unixPath), maybe(port)),
  eof: none,
  fread: fc.tuple(buffer, maybe(count)),
  fwrite: fc.tuple(buffer, maybe(count)),
  getsockopt: fc.tuple(levels, optionNames),
  listen: fc.tuple(maybe(fc.oneof(fc.constantFrom(0, 1, 2 ** 31, -1), hostileNumber, junk))),
  readChar: none,
  readLine: none,
  readString: none,
  recv: fc.tuple(buffer, keywords).map(([b, k]) => [b, ...k]),
  recvFrom: fc.tuple(buffer, keywords).map(([b, k]) => [b, ...k]),
  send: fc.tuple(buffer, keywords).map(([b, k]) => [b, ...k]),
  sendTo: fc.tuple(buffer, fc.oneof(hostArg, unixPath), port, keywords).map(([b, h, p, k]) => [b, h, p, ...k]),
  setsockopt: fc.tuple(levels, optionNames, maybe(optionValue)),
  showbin: fc.array(junk, { maxLength: 2 }),
  unreadChar: none,
  writeChar: fc.tuple(codePoint),
  writeLine: fc.tuple(fc.oneof(fc.string({ maxLength: 64 }), junk)),
  writeString: fc.tuple(fc.oneof(fc.string({ maxLength: 64 }), junk)),
  fileno: none,
  destroy: none,
  toString: none,
}

/**
 * make-instance keywords. make-instance also gets a loopback `'address` in front of them (see
 * `functions`): without one it binds the wildcard address, which the project's cases never bind.
 */
const makeKeywords: fc.Arbitrary<unknown[]> = fc.oneof(
  fc
    .record(
      {
        maxstring: fc.oneof(fc.constantFrom(1, 4096, 64 * 1024 * 1024, 0, 2 ** 31), hostileNumber, junk),
        filename: fc.oneof(unixPath, junk),
        address: fc.constantFrom('127.0.0.1', 'localhost', '::1', ''),
        port: port,
        bogus: junk,
      },
      { requiredKeys: [] },
    )
    .map((o) => ('port' in o && !('address' in o) ? { ...o, address: '127.0.0.1' } : o))
    .chain((o) => fc.constantFrom([o], Object.entries(o).flat())),
  fc.constantFrom<unknown[]>(['maxstring'], ['address'], ['filename', null, 'maxstring']),
)
/**
 * select's timeout, in milliseconds. Left out: nil (no limit), which may wait for ever on idle
 * sockets, and any time longer than a call may take.
 */
const selectTimeout = fc.oneof(
  fc.constantFrom(0, 5, 20, 0.5, Number.NaN, -1, '10', Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  nonNumericJunk.filter((v) => v !== null && v !== undefined),
)
const socketList = fc.oneof(
  fc.array(fc.oneof({ weight: 4, arbitrary: socketRef }, junk), { maxLength: 4 }),
  socketRef,
  fc.constant(null),
  junk,
)
const functions: Record<string, fc.Arbitrary<unknown[]>> = {
  makeInstance: fc
    .tuple(
      fc.oneof(fc.constantFrom('socket', "'socket", ':SOCKET', 'file'), ref('class'), junk),
      fc.oneof(fc.constantFrom('inet', 'inet6', 'unix', 'local', 'ipx', "'INET"), junk),
      fc.oneof(fc.constantFrom('stream', 'dgram', 'seqpacket', 'raw', 'rdm', 'packet'), junk),
      maybe(fc.oneof(fc.constantFrom(0, null, 'tcp', 'udp', 'IPPROTO_TCP', 'bogus', 6, 17, 255), hostileNumber, junk)),
      makeKeywords,
    )
    // A loopback 'address first: the constructor binds, and without one it would bind the
    // wildcard. Keywords that follow may replace it (the last value of a keyword counts).
    .map(([c, f, t, p, k]) => [c, f, t, p, 'address', f === 'inet6' ? '::1' : '127.0.0.1', ...k]),
  destroyInstance: fc.tuple(fc.oneof(socketRef, junk)),
  select: fc.tuple(socketList, socketList, selectTimeout),
  fileno: fc.tuple(fc.oneof(socketRef, junk)),
}

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(...Object.keys(functions))
      .chain((m) => (functions[m] as fc.Arbitrary<unknown[]>).map((args) => ({ target: 'module', method: m, args }))),
  },
  {
    weight: 7,
    arbitrary: fc
      .tuple(fc.constantFrom(...SOCKET_KEYS), fc.constantFrom(...Object.keys(methods)))
      .chain(([target, m]) => (methods[m] as fc.Arbitrary<unknown[]>).map((args) => ({ target, method: m, args }))),
  },
)

function invoke(shared: LispShared, f: LispFixture, st: Step, args: readonly unknown[]): unknown {
  const self = st.target === 'module' ? shared.lisp : f.sockets[st.target as SocketKey]
  if (self === undefined) return true
  shared.lisp.lastsocketerror = null
  const fn = (self as unknown as Record<string, (...a: unknown[]) => unknown>)[st.method] as (
    ...a: unknown[]
  ) => unknown
  const result = fn.apply(self, args as unknown[])
  if (result instanceof Promise) {
    return result.then((value) => {
      adoptResult(f.opened, value)
      return value
    })
  }
  adoptResult(f.opened, result)
  return result
}

/** Methods whose nil is an answer, not a failure (the state before, "no", a flag option that is off). */
const NIL_ANSWERS = new Set(['charInBuffer', 'clearInput', 'eof', 'unreadChar', 'getsockopt', 'readString'])
/**
 * Methods that answer EOF at the end of the stream or on a destroyed object (fread answers 0,
 * and the write methods other than send and send-to nil).
 */
const EOF_ANSWERS = new Set(['readChar', 'readLine', 'recv', 'recvFrom', 'send', 'sendTo'])

/** Lisp's convention: a value, or nil / EOF with `*lastsocketerror*` set; never a throw. */
function judge(shared: LispShared, st: Step, _args: readonly unknown[], outcome: Outcome): string | undefined {
  if (outcome.kind === 'hang') return `no answer within ${outcome.ms} ms`
  if (outcome.kind === 'error') return `threw: ${describeThrown(outcome.error)}`
  const error = shared.lisp.lastsocketerror
  if (error !== null && (typeof error !== 'string' || error === ''))
    return `lastsocketerror is ${describeThrown(error)}`
  const v = outcome.value
  if (v === shared.lisp.EOF)
    return EOF_ANSWERS.has(st.method) || error !== null ? undefined : 'EOF from a method that has none'
  if (v !== null && v !== undefined) return undefined
  if (error !== null || NIL_ANSWERS.has(st.method)) return undefined
  return `nil without lastsocketerror`
}

/** `robustness.fuzz.lisp`: every Lisp socket function and method with hostile arguments. */
export const lispFuzzCase: Case = {
  id: 'robustness.fuzz.lisp',
  title:
    'every Lisp socket function and method, called with hostile arguments, returns a value, or nil/EOF with lastsocketerror set, never throws, hangs or leaks',
  needs: ['tcp', 'udp'],
  timeoutMs: FUZZ_CASE_TIMEOUT_MS,
  async run(ctx: CaseContext) {
    const base = await caseShared(ctx)
    const lisp = createLisp(ctx.backend, { print: quiet })
    const shared: LispShared = { ...base, lisp }
    // Its own *lastsocketerror*, as a Lisp thread has: nothing else in the process sees or sets it.
    await lisp.withOwnLastSocketError(() =>
      runFuzz(ctx, {
        id: 'robustness.fuzz.lisp',
        step,
        setup: () => setup(shared),
        invoke: (f, st, args) => invoke(shared, f, st, args),
        judge: (st, args, outcome) => judge(shared, st, args, outcome),
        refused: (value) => value === null || value === lisp.EOF,
      }),
    )
  },
}
