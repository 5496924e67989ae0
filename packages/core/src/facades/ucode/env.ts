import type { Backend } from '../../contract/backend.js'
import { type ErrorSlot, toFailure } from './error-slot.js'

/** What every function of one ucode module object shares: its backend and its error slot. */
export interface UcodeEnv {
  readonly backend: Backend
  readonly slot: ErrorSlot
}

/**
 * Runs one public ucode call: its value on success (the slot cleared), `null` on any failure
 * (the slot set). Nothing thrown inside escapes. `context` names the failure when the code
 * below did not name it (`"recv()"`).
 */
export async function runAsync<T>(env: UcodeEnv, context: string, body: () => Promise<T>): Promise<T | null> {
  try {
    const value = await body()
    env.slot.clear()
    return value
  } catch (error) {
    return failed(env, context, error)
  }
}

/**
 * Records a failure in the slot and gives the call's `null`: the catch of a method that runs
 * its body inline (the data calls, which skip {@link runAsync}'s closure and promise hop).
 */
export function failed(env: UcodeEnv, context: string, error: unknown): null {
  const failure = toFailure(error, context, env.backend.name)
  env.slot.set(failure.code, failure.context)
  return null
}

/** {@link runAsync} for calls that do not block. */
export function runSync<T>(env: UcodeEnv, context: string, body: () => T): T | null {
  try {
    const value = body()
    env.slot.clear()
    return value
  } catch (error) {
    const failure = toFailure(error, context, env.backend.name)
    env.slot.set(failure.code, failure.context)
    return null
  }
}

/** Calls into the contract, naming any failure with `context` (`"bind()"`, `"setsockopt()"`). */
export async function sys<T>(env: UcodeEnv, context: string, call: () => Promise<T> | T): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toFailure(error, context, env.backend.name)
  }
}

/** {@link sys} for synchronous contract calls. */
export function sysSync<T>(env: UcodeEnv, context: string, call: () => T): T {
  try {
    return call()
  } catch (error) {
    throw toFailure(error, context, env.backend.name)
  }
}
