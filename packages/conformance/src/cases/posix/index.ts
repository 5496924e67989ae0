import type { Case } from '../../case.js'
import { ancillaryCases } from './ancillary.js'
import { batchCases } from './batch.js'
import { interopCases } from './interop.js'
import { livenessCases } from './liveness.js'
import { optionTableCases } from './options.js'
import { rawCases } from './raw.js'
import { semanticsCases } from './semantics.js'
import { unixDgramCases } from './unix-dgram.js'

/**
 * The `posix` group (`posix.*` ids): what only a backend on real kernel sockets can show —
 * Unix datagram and seqpacket, socketpair, ancillary data, peer credentials, kernel option
 * semantics, event-loop liveness, fd hygiene and fd passing with python3. Each case needs a
 * capability backend-node lacks, so it skips there with the reason.
 */
export const posixCases: readonly Case[] = [
  ...unixDgramCases,
  ...ancillaryCases,
  ...semanticsCases,
  ...optionTableCases,
  ...batchCases,
  ...livenessCases,
  ...rawCases,
  ...interopCases,
]
