import type { Socket, SocketType, UnixAddress } from '@polysocket/core'
import type { CaseContext } from '../../case.js'
import { own } from '../../peers/sockets.js'

/** A Unix socket address. */
export const unix = (path: string): UnixAddress => ({ family: 'unix', path })

/** A socketpair of `type`, both ends closed after the case. */
export async function pair(ctx: CaseContext, type: SocketType = 'SOCK_STREAM'): Promise<[Socket, Socket]> {
  const [a, b] = await ctx.backend.socketpair('AF_UNIX', type)
  own(ctx, a)
  own(ctx, b)
  return [a, b]
}

/** This process's credentials, as SO_PEERCRED and SCM_CREDENTIALS report them. */
export function myCredentials(): { pid: number; uid: number; gid: number } {
  return { pid: process.pid, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }
}
