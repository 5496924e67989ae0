import type { Case } from '../../case.js'

/** The `interop` group. */
export const interopCases: readonly Case[] = []
