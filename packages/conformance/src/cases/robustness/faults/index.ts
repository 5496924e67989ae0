import type { Case } from '../../../case.js'
import { backlogCases } from './backlog.js'
import { emfileCases } from './emfile.js'
import { halfCloseCases } from './half-close.js'
import { killedCases } from './killed.js'
import { ownershipCases } from './ownership.js'
import { resetCases } from './reset.js'
import { stalledReaderCases } from './stalled-reader.js'

/**
 * The `robustness.faults.*` cases: the peer resets or dies mid-transfer, half-close each way,
 * a reader that stalls, a full backlog, and EMFILE, each followed by proof that the process
 * still works and holds no leaked socket.
 */
export const faultsCases: readonly Case[] = [
  ...resetCases,
  ...killedCases,
  ...halfCloseCases,
  ...stalledReaderCases,
  ...backlogCases,
  ...emfileCases,
  ...ownershipCases,
]
