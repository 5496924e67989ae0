import { ENGINE_NAMES, type Engine, type EngineName } from './engine.js'
import { createFfiRsEngine } from './ffi-rs.js'
import { createKoffiEngine } from './koffi.js'

const CREATE: Record<EngineName, () => Engine> = { koffi: createKoffiEngine, 'ffi-rs': createFfiRsEngine }

/** An engine that loaded, or why it did not. Each engine is loaded at most once per process. */
export type EngineStatus =
  | { readonly name: EngineName; readonly engine: Engine }
  | { readonly name: EngineName; readonly error: Error }

const loaded = new Map<EngineName, EngineStatus>()

/** Loads one engine (once); never throws. */
export function loadEngine(name: EngineName): EngineStatus {
  let status = loaded.get(name)
  if (status === undefined) {
    try {
      status = { name, engine: CREATE[name]() }
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      status = { name, error: new Error(`the ${name} engine cannot load here: ${reason}`, { cause }) }
    }
    loaded.set(name, status)
  }
  return status
}

/** Every engine and whether it loads here, in {@link ENGINE_NAMES} order. */
export function engineStatuses(): EngineStatus[] {
  return ENGINE_NAMES.map(loadEngine)
}

/** Whether one engine loads here, as reports show it. */
export interface EngineInfo {
  readonly name: EngineName
  /** The library's version, when it loaded. */
  readonly version?: string
  /** Why it cannot load, when it did not. */
  readonly error?: string
}

/**
 * Every engine backend-ffi knows and whether it loads in this process, in the order
 * `createBackend()` tries them. Loading is attempted once per engine and process.
 */
export function listEngines(): EngineInfo[] {
  return engineStatuses().map((s) =>
    'engine' in s ? { name: s.name, version: s.engine.version } : { name: s.name, error: s.error.message },
  )
}
