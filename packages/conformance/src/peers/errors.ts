import assert from 'node:assert/strict'
import { SocketError } from '@polysocket/core'

/** What {@link expectSocketError} and {@link expectArgError} accept: a call or a promise. */
export type Attempt = (() => unknown) | Promise<unknown>

/** Runs `attempt` and returns what it threw or rejected with; fails when it succeeds. */
export async function caught(attempt: Attempt, what: string): Promise<unknown> {
  try {
    await (typeof attempt === 'function' ? attempt() : attempt)
  } catch (error) {
    return error
  }
  assert.fail(`${what}: expected an error, but it succeeded`)
}

/**
 * Asserts that `attempt` fails (by throwing or rejecting) with a `SocketError` whose code is
 * one of `codes`, and returns the error.
 */
export async function expectSocketError(
  attempt: Attempt,
  codes: readonly string[],
  what: string,
): Promise<SocketError> {
  const error = await caught(attempt, what)
  if (!(error instanceof SocketError)) {
    assert.fail(`${what}: expected a SocketError ${codes.join(' or ')}, got ${describeError(error)}`)
  }
  assert.ok(codes.includes(error.code), `${what}: expected ${codes.join(' or ')}, got ${error.code} (${error.message})`)
  return error
}

/**
 * Asserts a programmer-mistake error: an instance of `kind` (TypeError or RangeError) whose
 * message names `argument`.
 */
export async function expectArgError(
  attempt: Attempt,
  kind: typeof TypeError | typeof RangeError,
  argument: string,
  what: string,
): Promise<void> {
  const error = await caught(attempt, what)
  assert.ok(error instanceof kind, `${what}: expected a ${kind.name}, got ${describeError(error)}`)
  assert.ok(
    (error as Error).message.includes(argument),
    `${what}: the message should name ${argument}: ${(error as Error).message}`,
  )
}

/**
 * Asserts a `POLYSOCKET_NOT_SUPPORTED` error whose `feature` is one of `features`.
 */
export async function expectNotSupported(attempt: Attempt, features: readonly string[], what: string): Promise<void> {
  const error = await expectSocketError(attempt, ['POLYSOCKET_NOT_SUPPORTED'], what)
  assert.ok(
    error.feature !== undefined && features.includes(error.feature),
    `${what}: feature should be ${features.join(' or ')}, got ${String(error.feature)}`,
  )
}

/** A one-line description of any thrown value, for assertion messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code
    return `${error.name}${code === undefined ? '' : ` ${String(code)}`}: ${error.message}`
  }
  return String(error)
}
