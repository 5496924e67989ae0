/**
 * The Lisp values the facade speaks: `t` is `true`, `nil` is `null`, and the end of a stream
 * is the {@link EOF} sentinel. Source: Lisp socket class, every method's "Return Value".
 */

/**
 * The end-of-file sentinel, returned by `readChar`, `recv`, `recvFrom`, `fread` and the
 * write methods when the connection is closed. It is a registered symbol, so two copies of
 * `@polysocket/core` agree on it; compare with `===`.
 */
export const EOF: unique symbol = Symbol.for('polysocket.lisp.EOF')

/** The type of {@link EOF}. */
export type Eof = typeof EOF

/** Lisp `nil`. */
export type Nil = null

/** Lisp `t`. */
export type T = true

/** A Lisp "binary": a byte block the methods read into or write from. */
export type Binary = Uint8Array

/**
 * Lisp truth: everything but `nil` is true. `undefined` (an argument left out) and `false`
 * (what TypeScript callers write) count as `nil` too.
 */
export function isTrue(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false
}

/** Turns a JS boolean into `t` / `nil`. */
export function tOrNil(value: boolean): T | Nil {
  return value ? true : null
}
