import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'

/** The lines a peer process prints, taken one at a time. */
export interface LineReader {
  /** The next line, waiting at most `timeoutMs` milliseconds (default 5,000). @throws Error when the peer ended or stayed silent. */
  line(timeoutMs?: number): Promise<string>
  /** The next line, which must be `key` or start with `key `; resolves with what follows (`''` for none). */
  expect(key: string, timeoutMs?: number): Promise<string>
}

/**
 * Reads `stdout` line by line for a peer's conversation with a case.
 * @param who - how errors name the peer (`python peer`, `peer`).
 * @param exitText - awaited when the output ended first: how the peer exited (`code 1`).
 * @param stderr - the peer's standard error so far, for error messages.
 */
export function readLines(
  stdout: Readable,
  who: string,
  exitText: () => Promise<string>,
  stderr: () => string,
): LineReader {
  const lines: string[] = []
  let ended = false
  let wake: (() => void) | undefined
  const rl = createInterface({ input: stdout })
  rl.on('line', (l) => {
    lines.push(l)
    wake?.()
  })
  rl.on('close', () => {
    ended = true
    wake?.()
  })

  const line = async (timeoutMs = 5000): Promise<string> => {
    const deadline = performance.now() + timeoutMs
    // Each turn takes a line or ends; the deadline bounds the waiting.
    for (;;) {
      const next = lines.shift()
      if (next !== undefined) return next
      if (ended) {
        const how = await exitText()
        throw new Error(`${who} exited (${how}) before printing a line; stderr: ${stderr().trim()}`)
      }
      const left = deadline - performance.now()
      if (left <= 0) throw new Error(`${who} printed nothing for ${timeoutMs} ms; stderr: ${stderr().trim()}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        wake = () => {
          clearTimeout(timer)
          wake = undefined
          resolve()
        }
      })
    }
  }

  return {
    line,
    async expect(key, timeoutMs) {
      const l = await line(timeoutMs)
      if (l === key) return ''
      if (!l.startsWith(`${key} `)) throw new Error(`${who} said ${JSON.stringify(l)}, expected ${key} …`)
      return l.slice(key.length + 1)
    },
  }
}
