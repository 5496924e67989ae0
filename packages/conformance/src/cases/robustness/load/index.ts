import type { Case } from '../../../case.js'

/** The `robustness.load.*` cases. */
export const loadCases: readonly Case[] = []
