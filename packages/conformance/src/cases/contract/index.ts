import type { Case } from '../../case.js'

/** The `contract` group. */
export const contractCases: readonly Case[] = []
