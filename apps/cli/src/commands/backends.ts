import {
  type AvailableBackend,
  BACKEND_NAMES,
  type BackendSelection,
  discoverBackends,
  type EngineSelection,
} from '../backends.js'
import { CliError, EXIT } from '../errors.js'
import type { Io } from '../io.js'
import { capabilityTable, missingBackendLines } from '../report/text.js'

/**
 * `polysocket backends`: the capability manifests of the installed backends as one table
 * (rows: capabilities, columns: backends, one per engine of backend-ffi), then a line for each
 * backend or engine that cannot run here, and the engine each backend-ffi fell back to.
 *
 * @returns {@link EXIT}.OK when at least one backend can run.
 * @throws CliError when none can (each one's reason in the message).
 */
export async function backendsCommand(
  options: { readonly backend: BackendSelection; readonly engine: EngineSelection },
  io: Io,
): Promise<number> {
  const entries = await discoverBackends(options.backend, options.engine)
  const available = entries.filter((e): e is AvailableBackend => e.status === 'available')
  const missing = missingBackendLines(entries)
  if (available.length === 0) {
    throw new CliError(`none of the backends (${BACKEND_NAMES.join(', ')}) can run here:\n  ${missing.join('\n  ')}`)
  }
  io.stdout.write(`${capabilityTable(available)}\n`)
  for (const line of missing) io.stdout.write(`${line}\n`)
  return EXIT.OK
}
