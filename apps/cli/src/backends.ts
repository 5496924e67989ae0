import type { Backend, Capabilities } from '@polysocket/core'
import { messageOf } from './errors.js'

/** The backends the CLI knows, by their short name. */
export const BACKEND_NAMES = Object.freeze(['node', 'ffi'] as const)

/** A backend's short name, as `--backend` takes it. */
export type BackendName = (typeof BACKEND_NAMES)[number]

/** What `--backend` accepts: one backend, or every installed one. */
export type BackendSelection = BackendName | 'all'

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
 * and checks the result's shape. Never throws: every failure becomes a {@link MissingBackend}.
 *
 * @param specifier - the package to import (default: the backend's own package).
 */
export async function discoverBackend(
  name: BackendName,
  specifier: string = BACKEND_PACKAGES[name],
  load: ModuleLoader = defaultLoader,
): Promise<BackendEntry> {
  const missing = (status: MissingBackend['status'], reason: string): MissingBackend => ({
    name,
    package: specifier,
    status,
    reason,
  })
  let loaded: unknown
  try {
    loaded = await load(specifier)
  } catch (error) {
    if (isPackageNotFound(error, specifier)) return missing('not-installed', `cannot find package ${specifier}`)
    if (messageOf(error).includes(`/${specifier}/dist/`)) {
      return missing('unavailable', `${specifier} is installed but not built (run npm run build)`)
    }
    return missing('unavailable', `${specifier} failed to load: ${messageOf(error)}`)
  }
  const createBackend = (loaded as { createBackend?: unknown } | null)?.createBackend
  if (typeof createBackend !== 'function') {
    return missing('unavailable', `${specifier} does not export a createBackend function`)
  }
  const factory: BackendFactory = async () => checkBackend(await createBackend(), specifier)
  try {
    const probe = await factory()
    return { name, package: specifier, status: 'available', supports: probe.supports, factory }
  } catch (error) {
    return missing('unavailable', messageOf(error))
  }
}

/** Discovers the selected backends, in {@link BACKEND_NAMES} order. */
export async function discoverBackends(selection: BackendSelection): Promise<BackendEntry[]> {
  const names = selection === 'all' ? BACKEND_NAMES : [selection]
  return Promise.all(names.map((name) => discoverBackend(name)))
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
