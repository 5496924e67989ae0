import { createJmp, type Jmp, type JmpSocket } from '@polysocket/core/jmp'
import fc from 'fast-check'
import type { Case, CaseContext } from '../../../case.js'
import { type Anchors, type CaseShared, caseShared, Opened, openAnchors, portRef } from './fixture.js'
import { type Fixture, FUZZ_CASE_TIMEOUT_MS, runFuzz, type Step } from './harness.js'
import { hostArg, hostileNumber, junk, portArb, ref } from './values.js'
import { describeThrown, type Outcome } from './watch.js'

const SOCKET_KEYS = [
  'fresh',
  'dgram',
  'bound',
  'listener',
  'client',
  'server',
  'udp',
  'closed',
  'raw',
  'foreign',
] as const
type SocketKey = (typeof SOCKET_KEYS)[number]

/** A JMP status: `"ok"` or `"NAME: description. "` (JMP Socket messages). */
const STATUS = /^[A-Z_]+: .+\. $/

interface JmpFixture extends Fixture {
  readonly sockets: Partial<Record<SocketKey, JmpSocket>>
  readonly opened: Opened
  /** What background callbacks saw that breaks the convention. */
  readonly callbackFaults: string[]
}

interface JmpShared extends CaseShared {
  readonly jmp: Jmp
  readonly otherJmp: Jmp | undefined
  /** Callback failures reported through `onCallbackError`. */
  readonly callbackErrors: string[]
}

/** Checks one list against the convention; `undefined` when it is right. */
function listFault(list: unknown, command: string): string | undefined {
  if (!Array.isArray(list)) return `not a list: ${describeThrown(list)}`
  if (list[0] !== command) return `first item ${JSON.stringify(list[0])}, expected ${JSON.stringify(command)}`
  const status = list[1]
  if (status === 'ok') return undefined
  if (typeof status !== 'string' || !STATUS.test(status))
    return `status ${JSON.stringify(status)} is not "ok" nor "NAME: description. "`
  return undefined
}

async function setup(shared: JmpShared): Promise<JmpFixture> {
  const { ctx, jmp } = shared
  const opened = new Opened(ctx)
  const anchors = await openAnchors(shared, opened)
  const s: Partial<Record<SocketKey, JmpSocket>> = {}
  const make = (type?: string, from: Jmp = jmp) => {
    const socket = from.Socket(type)
    opened.add(() => socket.close())
    return socket
  }
  const ok = (list: unknown[], what: string) => {
    if (list[1] !== 'ok') throw new Error(`fixture: ${what}: ${String(list[1])}`)
    return list
  }
  s.fresh = make()
  s.dgram = make('DGRAM')
  s.bound = make()
  ok(await s.bound.bind(ctx.host, 0), 'bind')
  s.listener = make()
  ok(await s.listener.bind(ctx.host, 0), 'bind')
  ok(await s.listener.listen(), 'listen')
  const [, , , port] = ok(await s.listener.getsockname(), 'getsockname')
  s.client = make()
  ok(await s.client.connect(ctx.host, Number(port)), 'connect')
  const accepted = ok(await s.listener.accept(), 'accept')
  s.server = accepted[3] as JmpSocket
  opened.add(() => s.server?.close())
  s.udp = make('DGRAM')
  ok(await s.udp.bind(ctx.host, 0), 'bind')
  s.closed = make()
  await s.closed.close()
  s.raw = make('RAW')
  if (shared.otherJmp) {
    s.foreign = make('DGRAM', shared.otherJmp)
    ok(await s.foreign.bind(ctx.host, 0), 'bind on the other backend')
  }
  const callbackFaults: string[] = []
  const fixture: JmpFixture = {
    sockets: s,
    opened,
    callbackFaults,
    lookup: (key) => lookupRef(anchors, callbackFaults, opened, key),
    async restore() {
      // Blocking messages (recv, accept) must not wait: back to FIONBIO on every socket that has
      // a system socket; the others answer NOTCONN, which is fine.
      for (const socket of Object.values(s)) if (!socket.closed) await socket.ioctl('FIONBIO', 1)
    },
    dispose: () => opened.dispose(),
  }
  await fixture.restore()
  return fixture
}

function lookupRef(anchors: Anchors, faults: string[], opened: Opened, key: string): unknown {
  const port = portRef(anchors, key)
  if (port !== undefined) return port
  switch (key) {
    case 'cb':
      // A background callback: checks its list, closes the socket it may carry.
      return (list: unknown) => {
        const command = Array.isArray(list) ? String(list[0]) : '?'
        const fault = listFault(list, command)
        if (fault !== undefined) faults.push(`callback of ${command}: ${fault}`)
        if (Array.isArray(list)) {
          for (const item of list) {
            if (item && typeof item === 'object' && typeof (item as JmpSocket).close === 'function') {
              opened.add(() => (item as JmpSocket).close())
            }
          }
        }
      }
    case 'cb.throws':
      return () => {
        throw new Error('a callback that throws')
      }
    default:
      throw new Error(`unknown ref ${key}`)
  }
}

const none: fc.Arbitrary<unknown[]> = fc.constant([])
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })
const count = fc.oneof(fc.constantFrom(0, 1, 100, 4096, 1 << 20, (1 << 20) + 1, 2 ** 31, -1), hostileNumber, junk)
const data = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.constantFrom('~', '~0', '~zz', '~0d~0a', '~7E'),
  fc.uint8Array({ maxLength: 2048 }),
  junk,
)
const callback = fc.oneof({ weight: 3, arbitrary: ref('cb') }, ref('cb.throws'), junk)
/** Seconds; fractions allowed. A background wait without a limit is fine: close cancels it. */
const timeout = maybe(fc.oneof(fc.constantFrom(0, 0.01, 0.05, 1), hostileNumber, junk))
const port = fc.oneof(portArb(), fc.constantFrom('no-such-service', '0', '65536'))

/** Arguments of each message (lower-case spelling; the capitalised one takes the same). */
const messages: Record<string, fc.Arbitrary<unknown[]>> = {
  connect: fc.tuple(hostArg, port),
  close: none,
  send: fc.tuple(data),
  sendto: fc.tuple(data, hostArg, port),
  recv: fc.oneof(fc.tuple(count), fc.tuple(count, callback, timeout)),
  recvfrom: fc.oneof(fc.tuple(count), fc.tuple(count, callback, timeout)),
  ioctl: fc.tuple(
    fc.oneof(fc.constantFrom('FIONBIO', 'fionbio', 'FIONREAD', 'SIOCATMARK'), junk),
    fc.oneof(fc.constantFrom(1, 0, true, false, 2, -1), junk),
  ),
  bind: fc.tuple(hostArg, port),
  listen: fc.tuple(maybe(fc.oneof(fc.constantFrom(0, 1, 5, 2 ** 31, -1), hostileNumber, junk))),
  accept: fc.oneof(none, fc.tuple(callback, timeout)),
  getpeername: none,
  getsockname: none,
}
const CAPITALISED: Record<string, string> = {
  connect: 'Connect',
  close: 'Close',
  send: 'Send',
  sendto: 'SendTo',
  recv: 'Recv',
  recvfrom: 'RecvFrom',
  ioctl: 'Ioctl',
  bind: 'Bind',
  listen: 'Listen',
  accept: 'Accept',
  getpeername: 'GetPeerName',
  getsockname: 'GetSockName',
}

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .tuple(maybe(fc.oneof(fc.constantFrom('STREAM', 'DGRAM', 'dgram', 'RAW', ''), junk)))
      .map((args) => ({ target: 'module', method: 'Socket', args })),
  },
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.constantFrom(...SOCKET_KEYS), fc.constantFrom(...Object.keys(messages)), fc.boolean())
      .chain(([target, m, capital]) =>
        (messages[m] as fc.Arbitrary<unknown[]>).map((args) => ({
          target,
          method: capital ? (CAPITALISED[m] ?? m) : m,
          args,
        })),
      ),
  },
)

function invoke(shared: JmpShared, f: JmpFixture, st: Step, args: readonly unknown[]): unknown {
  if (st.target === 'module') {
    const socket = shared.jmp.Socket(...(args as [string]))
    f.opened.add(() => socket.close())
    return socket
  }
  const socket = f.sockets[st.target as SocketKey]
  if (socket === undefined) return [st.method, 'ok']
  const fn = (socket as unknown as Record<string, (...a: unknown[]) => unknown>)[st.method] as (
    ...a: unknown[]
  ) => unknown
  return Promise.resolve(fn.apply(socket, args as unknown[])).then((list) => {
    // accept hands out a socket: close it with the run.
    if (Array.isArray(list) && list[3] && typeof (list[3] as JmpSocket).close === 'function') {
      f.opened.add(() => (list[3] as JmpSocket).close())
    }
    return list
  })
}

/** JMP's convention: a list `[command, status, …]`, status "ok" or "NAME: description. "; never a rejection. */
function judge(
  shared: JmpShared,
  st: Step,
  _args: readonly unknown[],
  outcome: Outcome,
  f: JmpFixture,
): string | undefined {
  if (outcome.kind === 'hang') return `no answer within ${outcome.ms} ms`
  if (outcome.kind === 'error') return `rejected: ${describeThrown(outcome.error)}`
  const late = [
    ...f.callbackFaults.splice(0),
    ...shared.callbackErrors.splice(0).filter((e) => !e.includes('a callback that throws')),
  ]
  if (late.length > 0) return late.join('; ')
  if (st.target === 'module') {
    const s = outcome.value as JmpSocket
    return typeof s?.recv === 'function' ? undefined : `Socket() gave ${describeThrown(s)}`
  }
  return listFault(outcome.value, st.method)
}

/** `robustness.fuzz.jmp`: every JMP socket message, in both spellings, with hostile arguments. */
export const jmpFuzzCase: Case = {
  id: 'robustness.fuzz.jmp',
  title:
    'every JMP Socket message, sent with hostile arguments, answers a list whose status is "ok" or "NAME: description. ", never rejects, hangs or leaks',
  needs: ['tcp', 'udp'],
  timeoutMs: FUZZ_CASE_TIMEOUT_MS,
  async run(ctx: CaseContext) {
    const base = await caseShared(ctx)
    const callbackErrors: string[] = []
    const options = {
      reverseLookupMs: 200,
      onCallbackError: (error: unknown, command: string) => {
        callbackErrors.push(`${command} callback: ${describeThrown(error)}`)
      },
    }
    const shared: JmpShared = {
      ...base,
      jmp: createJmp(ctx.backend, options),
      otherJmp: base.other && createJmp(base.other, options),
      callbackErrors,
    }
    await runFuzz(ctx, {
      id: 'robustness.fuzz.jmp',
      step,
      setup: () => setup(shared),
      invoke: (f, st, args) => invoke(shared, f, st, args),
      judge: (st, args, outcome, f) => judge(shared, st, args, outcome, f),
      refused: (value) => Array.isArray(value) && value[1] !== 'ok',
    })
  },
}
