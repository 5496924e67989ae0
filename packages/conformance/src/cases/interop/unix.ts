import type { Case } from '../../case.js'
import { ourClientPythonServer, pythonClientOurServer } from './stream.js'

/** Unix stream sockets against python3's socket module. */
export const interopUnixCases: readonly Case[] = [
  {
    id: 'interop.unix.client',
    title: 'our Unix stream client talks to a python3 server on a path',
    needs: ['unixStream'],
    timeoutMs: 20_000,
    run: (ctx) => ourClientPythonServer(ctx, { kind: 'unix', path: ctx.unixPath() }, 256 * 1024),
  },
  {
    id: 'interop.unix.server',
    title: 'a python3 Unix stream client talks to our server on a path',
    needs: ['unixStream'],
    timeoutMs: 20_000,
    run: (ctx) => pythonClientOurServer(ctx, { kind: 'unix', path: ctx.unixPath() }, 256 * 1024),
  },
  {
    id: 'interop.unix.abstract',
    title: 'our Unix stream client talks to a python3 server on a Linux abstract name',
    needs: ['unixStream', 'abstractNamespace'],
    timeoutMs: 20_000,
    run: (ctx) => ourClientPythonServer(ctx, { kind: 'unix', path: ctx.abstractName() }, 64 * 1024),
  },
  {
    id: 'interop.unix.abstract.server',
    title: 'a python3 Unix stream client talks to our server on a Linux abstract name',
    needs: ['unixStream', 'abstractNamespace'],
    timeoutMs: 20_000,
    run: (ctx) => pythonClientOurServer(ctx, { kind: 'unix', path: ctx.abstractName() }, 64 * 1024),
  },
]
