import type { Case } from '../case.js'
import { contractCases } from './contract/index.js'
import { interopCases } from './interop/index.js'
import { jmpCases } from './jmp/index.js'
import { linkCases } from './link/index.js'
import { lispCases } from './lisp/index.js'
import { posixCases } from './posix/index.js'
import { robustnessCases } from './robustness/index.js'
import { ucodeCases } from './ucode/index.js'

/** Every conformance case, group by group. */
export const allCases: readonly Case[] = [
  ...contractCases,
  ...posixCases,
  ...interopCases,
  ...ucodeCases,
  ...jmpCases,
  ...lispCases,
  ...robustnessCases,
  ...linkCases,
]
