import type { Case } from '../../case.js'
import { lispExampleCases } from './examples.js'
import { lispInputCases } from './input.js'
import { lispLineCases } from './lines.js'
import { lispReadinessCases } from './readiness.js'
import { lispReturnCases } from './returns.js'
import { lispSelectCases } from './select.js'
import { lispSocketCases } from './sockets.js'

/**
 * The `lisp` group: the Lisp `socket` class through `@polysocket/core/lisp`, every example of
 * the Lisp socket class reference and the documented returns (t, nil, EOF, `*lastsocketerror*`), on
 * real loopback sockets.
 */
export const lispCases: readonly Case[] = [
  ...lispExampleCases,
  ...lispInputCases,
  ...lispLineCases,
  ...lispReturnCases,
  ...lispSocketCases,
  ...lispSelectCases,
  ...lispReadinessCases,
]
