import { setMaxListeners } from 'node:events'
import type { Backend, Capability } from '@polysocket/core'
import { type CaseResult, type Figure, SkipCase } from './case.js'
import { createContext } from './context.js'
import type { PlannedRun } from './run-suite.js'

/** Default time limit of a case, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000

/** The capabilities a run needs that the backend lacks (the IPv6 run also needs `inet6`). */
export function missingCapabilities(run: PlannedRun, backend: Backend): Capability[] {
  const needs: Capability[] = [...run.case.needs]
  if (run.ipFamily === 6) needs.push('inet6')
  return needs.filter((n) => !backend.supports[n])
}

/**
 * Why a run cannot run on a backend, or `undefined` when it can: a capability it needs that the
 * backend lacks (`backend node lacks unixDgram`), or one it must run without that the backend
 * has (`needs a backend without scatterGather (ffi has it)`).
 */
export function skipReason(run: PlannedRun, backend: Backend): string | undefined {
  const missing = missingCapabilities(run, backend)
  if (missing.length > 0) return `backend ${backend.name} lacks ${missing.join(', ')}`
  const present = (run.case.without ?? []).filter((c) => backend.supports[c])
  if (present.length > 0) {
    const them = present.length === 1 ? 'it' : 'them'
    return `needs a backend without ${present.join(', ')} (${backend.name} has ${them})`
  }
  return undefined
}

/**
 * Runs one planned case on a backend with its own context and time limit; the result says
 * pass, fail (with the error) or skip (with the reason).
 */
export async function runOne(run: PlannedRun, backend: Backend, options: { full: boolean }): Promise<CaseResult> {
  const started = performance.now()
  const base = { id: run.id, title: run.case.title, backend: backend.name }
  let figures: Figure[] = []
  const done = (status: CaseResult['status'], extra: { reason?: string; error?: unknown } = {}): CaseResult => ({
    ...base,
    status,
    ...extra,
    durationMs: performance.now() - started,
    ...(figures.length > 0 ? { figures } : {}),
  })
  const skip = skipReason(run, backend)
  if (skip !== undefined) return done('skip', { reason: skip })

  const timeoutMs = run.case.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const controller = new AbortController()
  // Cases pass ctx.signal to every wait; a case with a hundred pending recvs is not a leak.
  setMaxListeners(0, controller.signal)
  const owned = createContext(backend, run.ipFamily, controller.signal, options.full)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`timed out after ${timeoutMs} ms`)
      controller.abort(error)
      reject(error)
    }, timeoutMs)
  })
  try {
    await Promise.race([run.case.run(owned.ctx), timeout])
    figures = owned.figures()
    return done('pass')
  } catch (error) {
    figures = owned.figures()
    if (error instanceof SkipCase) return done('skip', { reason: error.message })
    return done('fail', { reason: error instanceof Error ? error.message : String(error), error })
  } finally {
    clearTimeout(timer)
    if (!controller.signal.aborted) controller.abort(new Error('case finished'))
    await owned.dispose()
  }
}
