import type { Case } from '../../case.js'

/** The `robustness` group. */
export const robustnessCases: readonly Case[] = []
