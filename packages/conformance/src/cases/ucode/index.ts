import type { Case } from '../../case.js'

/** The `ucode` group. */
export const ucodeCases: readonly Case[] = []
