import type { Backend, Capabilities } from '@polysocket/core'
import { messageOf } from './errors.js'

/** The backends the CLI knows, by their short name. */
export const BACKEND_NAMES = Object.freeze(['node', 'ffi'] as const)

/** A backend's short name, as `--backend` takes it. */
export type BackendName = (typeof BACKEND_NAMES)[number]

/** What `--backend` accepts: one backend, or every installed one. */
export type BackendSelection = BackendName | 'all'

/** The FFI engines backend-ffi offers, as `--engine` takes them. */
export const ENGINE_NAMES = Object.freeze(['koffi', 'ffi-rs'] as const)

/** What `--engine` accepts: one engine of backend-ffi, or every installed one. */
export type EngineSelection = (typeof ENGINE_NAMES)[number] | 'all'

/** The package each backend lives in; each exports `createBackend(options?)`. */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = Object.freeze({
  node: '@polysocket/backend-node',
  ffi: '@polysocket/backend-ffi',
})

/** Makes a fresh backend, as the backend package's `createBackend()` does. */
export type BackendFactory = () => Promise<Backend>

/** A backend whose package loaded and whose `createBackend()` returned a backend. */
export interface AvailableBackend {
  readonly name: BackendName
  /** The engine it runs on, for a backend that offers several (backend-ffi). */
  readonly engine?: string
  /** How reports name it: `node`, `ffi/koffi`. */
  readonly label: string
  readonly package: string
  readonly status: 'available'
  /** The manifest of the probe backend made during discovery. */
  readonly supports: Capabilities
  readonly factory: BackendFactory
}

/**
 * A backend that cannot run here: its package is not installed, or it is installed but failed
 * to load or to create a backend (for example ffi-rs has no build for this platform).
 */
export interface MissingBackend {
  readonly name: BackendName
  readonly engine?: string
  readonly label: string
  readonly package: string
  readonly status: 'not-installed' | 'unavailable'
  /** Why, in words: the loader's or the backend's own error message. */
  readonly reason: string
}

export type BackendEntry = AvailableBackend | MissingBackend

/** Loads a module by specifier; a parameter so that discovery can be pointed at another package. */
export type ModuleLoader = (specifier: string) => Promise<unknown>

// A specifier held in a variable keeps TypeScript from resolving the backends at build time:
// the CLI must build and run whichever of them is installed.
const defaultLoader: ModuleLoader = (specifier) => import(specifier)

/**
 * Finds out whether one backend can run here: imports its package, calls `createBackend()` once
 * and checks the result's shape. A package that exports `listEngines()` (backend-ffi) gives
 * one entry per engine, made with `createBackend({ engine })`, kept when `engines` selects it.
 * Never throws: every failure becomes a {@link MissingBackend}.
 *
 * @param specifier - the package to import (default: the backend's own package).
 */
export async function discoverBackend(
  name: BackendName,
  specifier: string = BACKEND_PACKAGES[name],
  load: ModuleLoader = defaultLoader,
  engines: EngineSelection = 'all',
): Promise<BackendEntry[]> {
  const missing = (status: MissingBackend['status'], reason: string, engine?: string): MissingBackend => ({
    name,
    ...(engine === undefined ? {} : { engine }),
    label: labelOf(name, engine),
    package: specifier,
    status,
    reason,
  })
  let loaded: unknown
  try {
    loaded = await load(specifier)
  } catch (error) {
    if (isPackageNotFound(error, specifier)) return [missing('not-installed', `cannot find package ${specifier}`)]
    if (messageOf(error).includes(`/${specifier}/dist/`)) {
      return [missing('unavailable', `${specifier} is installed but not built (run npm run build)`)]
    }
    return [missing('unavailable', `${specifier} failed to load: ${messageOf(error)}`)]
  }
  const exports = loaded as { createBackend?: unknown; listEngines?: unknown } | null
  const createBackend = exports?.createBackend
  if (typeof createBackend !== 'function') {
    return [missing('unavailable', `${specifier} does not export a createBackend function`)]
  }
  const probe = async (engine?: string): Promise<BackendEntry> => {
    const factory: BackendFactory = async () =>
      checkBackend(await (engine === undefined ? createBackend() : createBackend({ engine })), specifier)
    try {
      const made = await factory()
      return {
        name,
        ...(engine === undefined ? {} : { engine }),
        label: labelOf(name, engine),
        package: specifier,
        status: 'available',
        supports: made.supports,
        factory,
      }
    } catch (error) {
      return missing('unavailable', messageOf(error), engine)
    }
  }
  if (typeof exports?.listEngines !== 'function') return [await probe()]
  const listed = (exports.listEngines as () => { name: string; error?: string }[])()
  const chosen = listed.filter((e) => engines === 'all' || e.name === engines)
  if (chosen.length === 0) return [missing('unavailable', `${specifier} has no engine named ${engines}`, engines)]
  return Promise.all(
    chosen.map((e) => (e.error === undefined ? probe(e.name) : missing('unavailable', e.error, e.name))),
  )
}

/** How reports name a backend and, where it has several, its engine: `node`, `ffi/koffi`. */
export function labelOf(name: string, engine?: string): string {
  return engine === undefined ? name : `${name}/${engine}`
}

/** Discovers the selected backends (and engines), in {@link BACKEND_NAMES} order. */
export async function discoverBackends(
  selection: BackendSelection,
  engines: EngineSelection = 'all',
): Promise<BackendEntry[]> {
  const names = selection === 'all' ? BACKEND_NAMES : [selection]
  const found = await Promise.all(names.map((name) => discoverBackend(name, undefined, undefined, engines)))
  return found.flat()
}

function checkBackend(value: unknown, specifier: string): Backend {
  const candidate = value as Partial<Backend> | null
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.name !== 'string' ||
    typeof candidate.supports !== 'object' ||
    candidate.supports === null
  ) {
    throw new TypeError(`${specifier}: createBackend() did not return a backend (no name or supports)`)
  }
  return candidate as Backend
}

// Node says ERR_MODULE_NOT_FOUND both for a package that is absent and for a module missing
// inside an installed one (an unbuilt dist, an absent ffi-rs); only the first is "not installed".
function isPackageNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') {
    // vitest's loader reports an absent package without Node's code.
    return messageOf(error).includes(`Cannot find package '${specifier}'`)
  }
  return messageOf(error).includes(`'${specifier}'`)
}
