import { isSocketError, type Socket } from '@polysocket/core'
import type { Case, CaseContext } from '../../../case.js'
import { contractStep, GETTERS, type CONTRACT_SOCKET_KEYS as SOCKET_KEYS } from './contract-args.js'
import { adoptResult, type CaseShared, caseShared, Opened, pathRef, SHORT_TIMEOUT_MS } from './fixture.js'
import { type Fixture, FUZZ_CASE_TIMEOUT_MS, runFuzz, type Step } from './harness.js'
import { describeThrown } from './watch.js'

interface ContractFixture extends Fixture {
  readonly sockets: Partial<Record<(typeof SOCKET_KEYS)[number], Socket>>
  readonly opened: Opened
}

async function setup(shared: CaseShared): Promise<ContractFixture> {
  const { ctx, other } = shared
  const b = ctx.backend
  const opened = new Opened(ctx)
  const s: Partial<Record<(typeof SOCKET_KEYS)[number], Socket>> = {}
  s.fresh = opened.socket(await b.socket(ctx.family, 'SOCK_STREAM'))
  s.bound = opened.socket(await b.socket(ctx.family, 'SOCK_STREAM'))
  await s.bound.bind(ctx.addr(0))
  s.listener = opened.socket(await b.socket(ctx.family, 'SOCK_STREAM'))
  await s.listener.bind(ctx.addr(0))
  await s.listener.listen(16)
  const listenAddr = s.listener.localAddress()
  s.client = opened.socket(await b.socket(ctx.family, 'SOCK_STREAM'))
  const accepting = s.listener.accept({ signal: ctx.signal })
  await s.client.connect(listenAddr, { signal: ctx.signal })
  s.server = opened.socket((await accepting).socket)
  s.closed = opened.socket(await b.socket(ctx.family, 'SOCK_STREAM'))
  await s.closed.close()
  s.udp = opened.socket(await b.socket(ctx.family, 'SOCK_DGRAM'))
  await s.udp.bind(ctx.addr(0))
  s.udpFresh = opened.socket(await b.socket(ctx.family, 'SOCK_DGRAM'))
  let unixPathOfListener: string | undefined
  if (b.supports.unixStream) {
    unixPathOfListener = ctx.unixPath()
    s.unixListener = opened.socket(await b.socket('AF_UNIX', 'SOCK_STREAM'))
    await s.unixListener.bind({ family: 'unix', path: unixPathOfListener })
    await s.unixListener.listen(4)
  }
  if (b.supports.socketpair) {
    const [a, c] = await b.socketpair('AF_UNIX', 'SOCK_STREAM')
    s.pairA = opened.socket(a)
    s.pairB = opened.socket(c)
  }
  if (other) {
    s.foreign = opened.socket(await other.socket(ctx.family, 'SOCK_STREAM'))
    s.foreignClient = opened.socket(await other.socket(ctx.family, 'SOCK_STREAM'))
    const accepting2 = s.listener.accept({ signal: ctx.signal })
    await s.foreignClient.connect(listenAddr, { signal: ctx.signal })
    opened.socket((await accepting2).socket)
  }
  // Some sockets in non-blocking mode, the others blocking with short timeouts (restore()).
  s.client.setNonBlocking(true)
  s.pairA?.setNonBlocking(true)
  const udpAddr = s.udp.localAddress()
  const fileFd = opened.fileFd()

  const fixture: ContractFixture = {
    sockets: s,
    opened,
    lookup(key) {
      const socket = s[key.replace(/^sock\./, '') as keyof typeof s]
      if (key.startsWith('sock.')) return socket
      const path = pathRef(ctx, key, unixPathOfListener)
      if (path !== undefined) return path
      switch (key) {
        case 'port.listener':
          return (listenAddr as { port: number }).port
        case 'port.udp':
          return (udpAddr as { port: number }).port
        case 'port.closed':
          return shared.closedPort
        case 'addr.listener':
          return listenAddr
        case 'addr.udp':
          return udpAddr
        case 'addr.closed':
          return ctx.addr(shared.closedPort)
        case 'addr.any':
          return ctx.addr(0)
        case 'addr.v6':
          return { family: 'inet6', address: '::1', port: 0 }
        case 'addr.unixListener':
          return unixPathOfListener === undefined ? undefined : { family: 'unix', path: unixPathOfListener }
        case 'addr.unixFresh':
          return { family: 'unix', path: ctx.unixPath() }
        case 'fd.file':
          return fileFd
        case 'signal.aborted':
          return AbortSignal.abort(new FuzzAbort())
        case 'signal.soon':
          return AbortSignal.timeout(5)
        default:
          throw new Error(`unknown ref ${key}`)
      }
    },
    async restore() {
      for (const socket of Object.values(s)) {
        if (socket.closed) continue
        try {
          socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', SHORT_TIMEOUT_MS)
          socket.setOption('SOL_SOCKET', 'SO_SNDTIMEO', SHORT_TIMEOUT_MS)
        } catch {
          // A socket the fuzzer broke in some other way still gets judged by its next call.
        }
      }
    },
    dispose: () => opened.dispose(),
  }
  await fixture.restore()
  return fixture
}

function invoke(shared: CaseShared, f: ContractFixture, st: Step, args: readonly unknown[]): unknown {
  if (st.target === 'backend') {
    const b = shared.ctx.backend as unknown as Record<string, (...a: unknown[]) => unknown>
    return track(f, (b[st.method] as (...a: unknown[]) => unknown).apply(shared.ctx.backend, args as unknown[]))
  }
  const socket = f.sockets[st.target as keyof ContractFixture['sockets']]
  if (socket === undefined) return 'absent on this backend'
  if (GETTERS.has(st.method)) return (socket as unknown as Record<string, unknown>)[st.method]
  const method = (socket as unknown as Record<string, (...a: unknown[]) => unknown>)[st.method] as (
    ...a: unknown[]
  ) => unknown
  return track(f, method.apply(socket, args as unknown[]))
}

/** Registers what a call hands back (new sockets, received fds) for closing, and passes it on. */
function track(f: ContractFixture, result: unknown): unknown {
  if (result instanceof Promise) {
    return result.then((value) => {
      adoptResult(f.opened, value)
      return value
    })
  }
  adoptResult(f.opened, result)
  return result
}

/** The reason of the signals the fuzzer aborts; the contract rejects with a signal's reason. */
class FuzzAbort extends Error {
  constructor() {
    super('aborted by the fuzzer')
    this.name = 'FuzzAbort'
  }
}

/**
 * The contract's convention: a value, or a SocketError / TypeError / RangeError; or, when the
 * call was given an aborted signal, that signal's reason (ConnectOptions.signal).
 */
function judgeContract(st: Step, _args: readonly unknown[], outcome: import('./watch.js').Outcome): string | undefined {
  if (outcome.kind === 'value') return undefined
  if (outcome.kind === 'hang') return `no answer within ${outcome.ms} ms`
  const e = outcome.error
  if (isSocketError(e)) {
    if (e.code === 'POLYSOCKET_BACKEND_FAILURE') return `backend failure: ${describeThrown(e)}`
    if (!/^(E[A-Z0-9_]+|POLYSOCKET_NOT_SUPPORTED)$/.test(e.code))
      return `SocketError with an odd code: ${describeThrown(e)}`
    return undefined
  }
  if (e instanceof TypeError || e instanceof RangeError) return undefined
  if (e instanceof FuzzAbort && JSON.stringify(st.args).includes('<signal.aborted>')) return undefined
  if (e instanceof DOMException && e.name === 'TimeoutError' && JSON.stringify(st.args).includes('<signal.soon>')) {
    return undefined
  }
  return `threw outside the convention: ${describeThrown(e)}`
}

/** `robustness.fuzz.contract`: every Backend and Socket method with hostile arguments, on sockets in every state. */
export const contractFuzzCase: Case = {
  id: 'robustness.fuzz.contract',
  title:
    'Backend and Socket methods, called with random and hostile arguments on fresh, bound, listening, connected, closed and foreign sockets, return or fail with SocketError/TypeError/RangeError, never hang or leak',
  needs: ['tcp', 'udp'],
  timeoutMs: FUZZ_CASE_TIMEOUT_MS,
  async run(ctx: CaseContext) {
    const shared = await caseShared(ctx)
    await runFuzz(ctx, {
      id: 'robustness.fuzz.contract',
      step: contractStep,
      setup: () => setup(shared),
      invoke: (f, st, args) => invoke(shared, f, st, args),
      judge: judgeContract,
    })
  },
}
