import type { Declaration, Engine } from '../engine/engine.js'
import { DECLARATIONS, type Libc } from './declarations.js'

/** Binds every declaration to `engine`. @throws when a symbol does not resolve. */
export function bindLibc(engine: Engine): Libc {
  const out: Record<string, unknown> = {}
  for (const [name, d] of Object.entries(DECLARATIONS) as [string, Declaration][]) {
    out[name] = d.threaded ? engine.bindThreaded(d) : engine.bind(d)
  }
  return Object.freeze(out) as unknown as Libc
}
