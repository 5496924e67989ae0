import type { Case } from '../../case.js'

/** The `posix` group. */
export const posixCases: readonly Case[] = []
