import type { Case } from '../../case.js'
import { interopTcpCases } from './tcp.js'
import { interopUdpCases } from './udp.js'
import { interopUnixCases } from './unix.js'

/**
 * The `interop` group: our sockets against a foreign peer, python3's `socket` module, run as a
 * child process on loopback (skipped with a reason where python3 is missing).
 */
export const interopCases: readonly Case[] = [...interopTcpCases, ...interopUdpCases, ...interopUnixCases]
