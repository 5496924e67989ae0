import type { Case } from '../../case.js'

/** The `jmp` group. */
export const jmpCases: readonly Case[] = []
