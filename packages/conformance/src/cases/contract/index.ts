import type { Case } from '../../case.js'
import { argCases } from './args.js'
import { blockingCases } from './blocking.js'
import { lifecycleCases } from './lifecycle.js'
import { optionCases } from './options.js'
import { readinessCases } from './readiness.js'
import { recvIntoCases } from './recv-into.js'
import { tcpBasicCases } from './tcp-basic.js'
import { tcpErrorCases } from './tcp-errors.js'
import { tcpStreamCases } from './tcp-stream.js'
import { udpCases } from './udp.js'
import { unixCases } from './unix.js'
import { unsupportedCases } from './unsupported.js'

/**
 * The `contract` group: the socket contract on any backend, ids by area (`tcp.*`, `udp.*`,
 * `unix.*`, `options.*`, `lifecycle.*`).
 */
export const contractCases: readonly Case[] = [
  ...tcpBasicCases,
  ...tcpErrorCases,
  ...tcpStreamCases,
  ...recvIntoCases,
  ...udpCases,
  ...unixCases,
  ...optionCases,
  ...lifecycleCases,
  ...blockingCases,
  ...readinessCases,
  ...argCases,
  ...unsupportedCases,
]
