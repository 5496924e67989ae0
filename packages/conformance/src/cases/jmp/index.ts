import type { Case } from '../../case.js'
import { jmpBackgroundCases } from './background.js'
import { jmpDataCases } from './data.js'
import { jmpExampleCases } from './examples.js'
import { jmpReadinessCases } from './readiness.js'
import { jmpStateCases } from './states.js'

/**
 * The `jmp` group: JMP's JSL `Socket()` messages through `@polysocket/core/jmp`, every example
 * of JMP's Socket messages and its Socket reference, with the documented lists and
 * status strings, on real loopback sockets.
 */
export const jmpCases: readonly Case[] = [
  ...jmpExampleCases,
  ...jmpStateCases,
  ...jmpBackgroundCases,
  ...jmpDataCases,
  ...jmpReadinessCases,
]
