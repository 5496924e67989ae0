import type { BenchScenario } from '../scenario.js'
import { tcpBulkJmp, tcpPingpongJmp } from './jmp.js'
import { tcpBulkLisp, tcpPingpongLisp } from './lisp.js'
import { tcpBulkUcode, tcpPingpongUcode } from './ucode.js'

/** The facade variants of `tcp.bulk` and `tcp.pingpong`, each written with its facade's own calls. */
export const facadeScenarios: readonly BenchScenario[] = [
  tcpBulkUcode,
  tcpBulkJmp,
  tcpBulkLisp,
  tcpPingpongUcode,
  tcpPingpongJmp,
  tcpPingpongLisp,
]
