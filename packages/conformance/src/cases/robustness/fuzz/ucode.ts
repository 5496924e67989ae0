import { createUcode, type UcodeModule, type UcodeSocket } from '@polysocket/core/ucode'
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
import { type HANDLE_KEYS, ucodeStep } from './ucode-args.js'
import { describeThrown, type Outcome } from './watch.js'

type HandleKey = (typeof HANDLE_KEYS)[number]

interface UcodeFixture extends Fixture {
  readonly handles: Partial<Record<HandleKey, UcodeSocket>>
  readonly opened: Opened
  /** The module whose error slot a handle reports to (the foreign one for `foreign`). */
  moduleOf(target: string): UcodeModule
}

interface UcodeShared extends CaseShared {
  readonly mod: UcodeModule
  readonly otherMod: UcodeModule | undefined
}

async function setup(shared: UcodeShared): Promise<UcodeFixture> {
  const { ctx, mod } = shared
  const opened = new Opened(ctx)
  const anchors = await openAnchors(shared, opened)
  const h: Partial<Record<HandleKey, UcodeSocket>> = {}
  const need = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`fixture: ${what} failed: ${String(mod.error())}`)
    adoptResult(opened, value)
    return value
  }
  const af = ctx.family === 'AF_INET6' ? mod.AF_INET6 : mod.AF_INET
  const host = ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host
  h.fresh = need(await mod.create(af, mod.SOCK_STREAM), 'create')
  h.bound = need(await mod.create(af, mod.SOCK_STREAM), 'create')
  need(await h.bound.bind(`${host}:0`), 'bind')
  h.listener = need(await mod.create(af, mod.SOCK_STREAM), 'create')
  need(await h.listener.bind(`${host}:0`), 'bind')
  need(await h.listener.listen(16), 'listen')
  h.client = need(await mod.create(af, mod.SOCK_STREAM), 'create')
  const listenerName = need(h.listener.sockname(), 'sockname')
  need(await h.client.connect(listenerName), 'connect')
  h.server = need(await h.listener.accept(), 'accept')
  h.closed = need(await mod.create(af, mod.SOCK_STREAM), 'create')
  await h.closed.close()
  h.udp = need(await mod.create(af, mod.SOCK_DGRAM), 'create')
  need(await h.udp.bind(`${host}:0`), 'bind')
  h.nonblocking = need(await mod.create(af, mod.SOCK_STREAM | mod.SOCK_NONBLOCK), 'create')
  if (ctx.backend.supports.socketpair) {
    const pair = need(await mod.pair(mod.SOCK_STREAM), 'pair')
    h.pairA = pair[0]
    h.pairB = pair[1]
  }
  if (shared.otherMod) {
    const foreign = await shared.otherMod.create(af, mod.SOCK_DGRAM)
    if (foreign) h.foreign = need(foreign, 'create on the other backend')
  }
  const fileFd = opened.fileFd()
  const fixture: UcodeFixture = {
    handles: h,
    opened,
    moduleOf: (target) => (target === 'foreign' && shared.otherMod ? shared.otherMod : mod),
    lookup: (key) => lookupRef(ctx, anchors, h, fileFd, key),
    async restore() {
      for (const handle of Object.values(h)) {
        const timeout = { sec: 0, usec: SHORT_TIMEOUT_MS * 1000 }
        handle.setopt(mod.SOL_SOCKET, mod.SO_RCVTIMEO, timeout)
        handle.setopt(mod.SOL_SOCKET, mod.SO_SNDTIMEO, timeout)
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
  h: Partial<Record<HandleKey, UcodeSocket>>,
  fileFd: number,
  key: string,
): unknown {
  const port = portRef(anchors, key)
  if (port !== undefined) return port
  const path = pathRef(ctx, key, anchors.unixPath)
  if (path !== undefined) return path
  if (key.startsWith('h.')) return h[key.slice(2) as HandleKey] ?? null
  const host = ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host
  switch (key) {
    case 'u.listener':
      return `${host}:${anchors.listenerPort}`
    case 'u.closed':
      return `${host}:${anchors.closedPort}`
    case 'u.udp':
      return `${host}:${anchors.udpPort}`
    case 'u.unix':
      return anchors.unixPath ?? ctx.unixPath()
    case 'fd.file':
      return fileFd
    case 'fd.client':
      return h.client?.fileno() ?? -1
    default:
      throw new Error(`unknown ref ${key}`)
  }
}

function invoke(shared: UcodeShared, f: UcodeFixture, st: Step, args: readonly unknown[]): unknown {
  const self = st.target === 'module' ? shared.mod : f.handles[st.target as HandleKey]
  if (self === undefined) return ABSENT
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

/** What a call on a handle the backend could not make answers (nothing was called). */
const ABSENT = Symbol('absent on this backend')

/** ucode's convention: never a throw; a value, or `null` with `error()` a string (`error(true)` its number). */
function judge(st: Step, args: readonly unknown[], outcome: Outcome, f: UcodeFixture): string | undefined {
  if (outcome.kind === 'hang') return `no answer within ${outcome.ms} ms`
  if (outcome.kind === 'error') return `threw: ${describeThrown(outcome.error)}`
  const mod = f.moduleOf(st.target)
  const text = mod.error()
  if (outcome.value !== null) {
    // A call that succeeded cleared the slot (README: every call but error() clears it; printing
    // a handle is no call).
    if (st.method === 'error' || st.method === 'toString' || outcome.value === ABSENT || text === null) return undefined
    return `returned ${describeThrown(outcome.value)} but error() still says ${JSON.stringify(text)}`
  }
  const code = mod.error(true)
  // Documented nulls without an error: recv() with a length below 1 (ucode's own check), and
  // error() itself when the slot is empty.
  if (st.method === 'error') return undefined
  if (st.method === 'recv' && st.target !== 'module' && text === null && Number(args[0]) < 1) return undefined
  if (typeof text !== 'string' || text === '') return `null with error() ${JSON.stringify(text)}`
  if (typeof code !== 'number') return `null with error(true) ${JSON.stringify(code)} (error() ${text})`
  return undefined
}

/** `robustness.fuzz.ucode`: every function and socket method of the ucode facade with hostile arguments. */
export const ucodeFuzzCase: Case = {
  id: 'robustness.fuzz.ucode',
  title:
    'every ucode module function and socket method, called with hostile arguments, returns a value or null with error() set, never throws, hangs or leaks',
  needs: ['tcp', 'udp'],
  timeoutMs: FUZZ_CASE_TIMEOUT_MS,
  async run(ctx: CaseContext) {
    const base = await caseShared(ctx)
    const shared: UcodeShared = {
      ...base,
      mod: createUcode(ctx.backend),
      otherMod: base.other && createUcode(base.other),
    }
    await runFuzz(ctx, {
      id: 'robustness.fuzz.ucode',
      step: ucodeStep,
      setup: () => setup(shared),
      invoke: (f, st, args) => invoke(shared, f, st, args),
      judge,
      refused: (value) => value === null,
    })
  },
}
