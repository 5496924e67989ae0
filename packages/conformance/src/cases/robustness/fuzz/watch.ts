/** What a call came to: a value, a throw or rejection, or no answer within the call's time limit. */
export type Outcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'hang'; readonly ms: number }

/**
 * Runs `call` and settles with its outcome, or with `hang` after `ms` milliseconds. A synchronous
 * throw counts as an error outcome like a rejection (the contract's sync methods throw).
 */
export async function outcomeOf(call: () => unknown, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang', ms }), ms)
  })
  const attempt = (async (): Promise<Outcome> => {
    try {
      return { kind: 'value', value: await call() }
    } catch (error) {
      return { kind: 'error', error }
    }
  })()
  try {
    return await Promise.race([attempt, hang])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Catches what escapes the API under test: an unhandled rejection or an uncaught exception while
 * the case runs. `stop()` removes the listeners; `take()` returns and clears what was seen.
 */
export function watchEscapes(): { take(): string[]; stop(): void } {
  let seen: string[] = []
  const onRejection = (reason: unknown) => {
    seen.push(`unhandled rejection: ${describeThrown(reason)}`)
  }
  const onException = (error: unknown) => {
    seen.push(`uncaught exception: ${describeThrown(error)}`)
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return {
    take() {
      const out = seen
      seen = []
      return out
    },
    stop() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
    },
  }
}

/** One line naming a thrown value: its class, code and message, with the first stack frame. */
export function describeThrown(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    const frame = value.stack?.split('\n')[1]?.trim()
    return `${value.name}${code === undefined ? '' : ` ${String(code)}`}: ${value.message}${frame ? ` (${frame})` : ''}`
  }
  return `${typeof value} ${String(value)}`
}
