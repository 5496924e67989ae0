import type { Case } from '../../case.js'
import { ucodeExampleCases } from './examples.js'
import { ucodeMessageCases } from './messages.js'
import { ucodeMethodCases } from './methods.js'
import { ucodeModuleCases } from './module-functions.js'
import { ucodeOptionCases } from './options.js'
import { ucodePollCases } from './poll.js'
import { ucodeReadinessCases } from './readiness.js'

/** The `ucode` group: the facade of `@polysocket/core/ucode` held to ucode's documented behaviour. */
export const ucodeCases: readonly Case[] = [
  ...ucodeExampleCases,
  ...ucodeModuleCases,
  ...ucodeMethodCases,
  ...ucodeOptionCases,
  ...ucodePollCases,
  ...ucodeReadinessCases,
  ...ucodeMessageCases,
]
