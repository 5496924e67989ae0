import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Backend } from '@polysocket/core'
import { type CaseContext, type Figure, SkipCase } from './case.js'

/** A context and the function that tears it down. */
export interface OwnedContext {
  readonly ctx: CaseContext
  /** Runs the cleanups (last first), then removes the temp dir; never throws. */
  dispose(): Promise<void>
  /** The figures reported so far, in the order first reported. */
  figures(): Figure[]
}

/**
 * Builds the context of one case run.
 *
 * @param backend - the fresh backend for this case.
 * @param ipFamily - 4 or 6.
 * @param signal - fires at the case's timeout.
 */
export function createContext(backend: Backend, ipFamily: 4 | 6, signal: AbortSignal, full: boolean): OwnedContext {
  const cleanups: (() => unknown)[] = []
  let disposed = false
  const dir = mkdtempSync(join(tmpdir(), 'polysocket-'))
  const host = ipFamily === 6 ? '::1' : '127.0.0.1'
  let serial = 0
  const figures = new Map<string, Figure>()
  const ctx: CaseContext = {
    backend,
    ipFamily,
    family: ipFamily === 6 ? 'AF_INET6' : 'AF_INET',
    host,
    signal,
    tmpdir: dir,
    full,
    addr: (port = 0) =>
      ipFamily === 6 ? { family: 'inet6', address: host, port } : { family: 'inet', address: host, port },
    unixPath: (name) => join(dir, name ?? `s${serial++}.sock`),
    abstractName: () => `\0polysocket-${process.pid}-${randomBytes(6).toString('hex')}`,
    onCleanup: (fn) => {
      // A case that outlived its time limit may still open sockets after the teardown ran:
      // release those at once instead of leaking them.
      if (disposed)
        void Promise.resolve()
          .then(fn)
          .catch(() => {})
      else cleanups.push(fn)
    },
    skip: (reason) => {
      throw new SkipCase(reason)
    },
    report: (name, value, unit) => {
      if (typeof name !== 'string' || name === '') throw new TypeError('ctx.report: name must be a non-empty string')
      if (typeof unit !== 'string' || unit === '') throw new TypeError('ctx.report: unit must be a non-empty string')
      if (typeof value !== 'number') throw new TypeError(`ctx.report: the value of ${name} must be a number`)
      if (!Number.isFinite(value)) throw new RangeError(`ctx.report: the value of ${name} must be finite, not ${value}`)
      figures.set(name, { name, value, unit })
    },
  }
  return {
    ctx,
    figures: () => [...figures.values()],
    async dispose() {
      disposed = true
      for (const fn of cleanups.reverse()) {
        try {
          await fn()
        } catch {
          // A failing cleanup must not hide the case's own result or stop the others.
        }
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
