import type { Case } from '../../../case.js'

/** The `robustness.faults.*` cases. */
export const faultsCases: readonly Case[] = []
