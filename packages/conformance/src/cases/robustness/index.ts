import type { Case } from '../../case.js'
import { faultsCases } from './faults/index.js'
import { fuzzCases } from './fuzz/index.js'
import { loadCases } from './load/index.js'

/** The `robustness` group: bad input, faults, load and security, on every backend. */
export const robustnessCases: readonly Case[] = [...fuzzCases, ...faultsCases, ...loadCases]
