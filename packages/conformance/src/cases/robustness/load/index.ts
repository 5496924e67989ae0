import type { Case } from '../../../case.js'
import { concurrentCase } from './concurrent.js'
import { cyclesCase } from './cycles.js'

/** The `robustness.load.*` and `robustness.security.*` cases (see this folder's README). */
export const loadCases: readonly Case[] = [concurrentCase, cyclesCase]
