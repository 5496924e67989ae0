import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * `*lastsocketerror*`: the system message of the last failure, until the program resets it to
 * nil. The document makes it a thread-local variable; the asynchronous counterpart of a thread
 * here is a task started with {@link withOwnLastSocketError}, whose async continuations all share
 * one slot that no other task sees. Code outside every such task shares the root slot (the
 * "main thread"). Source: Lisp socket class, introduction.
 */

interface Slot {
  value: string | null
}

const storage = new AsyncLocalStorage<Slot>()
const root: Slot = { value: null }

function slot(): Slot {
  return storage.getStore() ?? root
}

/** The current task's `*lastsocketerror*`: a system message such as `"Connection refused"`, or `null`. */
export function getLastSocketError(): string | null {
  return slot().value
}

/**
 * Sets the current task's `*lastsocketerror*`; programs reset it with `null` after reading it.
 * Any value other than a string stores `null`, so no Lisp value can make this throw.
 */
export function setLastSocketError(value: unknown): void {
  slot().value = typeof value === 'string' ? value : null
}

/**
 * Runs `fn` as a task with its own `*lastsocketerror*`, starting at nil, like a new Lisp
 * thread: errors recorded inside it (in any of its async continuations) are invisible to
 * every other task, and the other tasks' errors are invisible to it.
 *
 * @returns what `fn` returns (a Promise for an async function).
 */
export function withOwnLastSocketError<R>(fn: () => R): R {
  return storage.run({ value: null }, fn)
}
