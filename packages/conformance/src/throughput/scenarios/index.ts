import { facadeScenarios } from '../facades/index.js'
import type { BenchScenario } from '../scenario.js'
import { bulkScenario, tcpBulk } from './bulk.js'
import { tcpConnrate } from './connrate.js'
import { tcpPingpong } from './pingpong.js'
import { udpRate } from './udp-rate.js'
import { udpRateBatch } from './udp-rate-batch.js'

/** Every bench scenario, in report order. */
export const allScenarios: readonly BenchScenario[] = [
  tcpBulk,
  bulkScenario('unix'),
  udpRate,
  udpRateBatch,
  tcpPingpong,
  tcpConnrate,
  ...facadeScenarios,
]
