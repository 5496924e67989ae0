import type { Case } from '../../../case.js'
import { concurrentCase } from './concurrent.js'
import { credentialsCases } from './credentials.js'
import { cyclesCase } from './cycles.js'
import { fdReuseCases } from './fd-reuse.js'
import { readinessLoadCase } from './readiness.js'
import { scmRightsCases } from './scm-rights.js'

/** The `robustness.load.*` and `robustness.security.*` cases (see this folder's README). */
export const loadCases: readonly Case[] = [
  concurrentCase,
  cyclesCase,
  readinessLoadCase,
  ...fdReuseCases,
  ...scmRightsCases,
  ...credentialsCases,
]
