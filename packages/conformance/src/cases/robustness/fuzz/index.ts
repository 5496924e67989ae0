import type { Case } from '../../../case.js'
import { contractFuzzCase } from './contract.js'
import { jmpFuzzCase } from './jmp.js'
import { lispFuzzCase } from './lisp.js'
import { ucodeFuzzCase } from './ucode.js'

/** The `robustness.fuzz.*` cases: property-based bad input, one case per API surface. */
export const fuzzCases: readonly Case[] = [contractFuzzCase, ucodeFuzzCase, jmpFuzzCase, lispFuzzCase]
