import type { Case } from '../../case.js'
import { ourClientPythonServer, pythonClientOurServer } from './stream.js'

/** TCP against python3's socket module. */
export const interopTcpCases: readonly Case[] = [
  {
    id: 'interop.tcp.client',
    title: 'our TCP client sends 1 MiB to a python3 server, half-closes, and gets its answer intact',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 20_000,
    run: (ctx) => ourClientPythonServer(ctx, { kind: 'ip' }, 1024 * 1024),
  },
  {
    id: 'interop.tcp.server',
    title: 'a python3 TCP client sends 1 MiB to our server and gets our answer intact',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 20_000,
    run: (ctx) => pythonClientOurServer(ctx, { kind: 'ip' }, 1024 * 1024),
  },
]
