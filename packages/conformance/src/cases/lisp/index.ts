import type { Case } from '../../case.js'

/** The `lisp` group. */
export const lispCases: readonly Case[] = []
