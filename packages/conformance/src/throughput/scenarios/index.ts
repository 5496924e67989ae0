import { facadeScenarios } from '../facades/index.js'
import type { BenchScenario } from '../scenario.js'
import { bulkScenario } from './bulk.js'
import { tcpConnrate } from './connrate.js'
import { tcpPingpong } from './pingpong.js'
import { udpRate } from './udp-rate.js'
import { udpRateBatch } from './udp-rate-batch.js'

/** Every bench scenario, in report order. */
export const allScenarios: readonly BenchScenario[] = [
  bulkScenario('tcp'),
  bulkScenario('unix'),
  udpRate,
  udpRateBatch,
  tcpPingpong,
  tcpConnrate,
  ...facadeScenarios,
]
