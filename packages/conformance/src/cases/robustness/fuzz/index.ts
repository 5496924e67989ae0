import type { Case } from '../../../case.js'

/** The `robustness.fuzz.*` cases. */
export const fuzzCases: readonly Case[] = []
