import { readFileSync } from 'node:fs'
import type { SocketAddress } from '@polysocket/core'
import type { CaseContext } from '../case.js'
import { startPython } from './python.js'

/**
 * A python3 listener with backlog 0 whose accept queue its own non-blocking clients fill and
 * nobody drains. Linux then drops further SYNs, so a connect to it stays pending (the client
 * retransmits its SYN) without any non-loopback address: the one way found to make a loopback
 * connect hang. A Node listener cannot serve here, because libuv accepts eagerly.
 */
const SCRIPT = `
import time
srv = socket.socket(FAMILY, socket.SOCK_STREAM)
srv.bind((HOST, 0))
srv.listen(0)
port = srv.getsockname()[1]
fill = []
for i in range(4):
    c = socket.socket(FAMILY, socket.SOCK_STREAM)
    c.setblocking(False)
    c.connect_ex((HOST, port))
    fill.append(c)
time.sleep(0.2)
say('PORT', port)
time.sleep(60)
`

/** Starts a stalled listener for the case's IP family and returns its address. */
export async function stalledListener(ctx: CaseContext): Promise<SocketAddress> {
  if (abortsOnOverflow()) ctx.skip('net.ipv4.tcp_abort_on_overflow is 1: a full backlog refuses instead of stalling')
  const peer = await startPython(ctx, SCRIPT, ctx.ipFamily === 6 ? '6' : '4')
  return ctx.addr(Number(await peer.expect('PORT')))
}

/** Whether Linux answers a full accept queue with RST instead of dropping the SYN. */
function abortsOnOverflow(): boolean {
  try {
    return readFileSync('/proc/sys/net/ipv4/tcp_abort_on_overflow', 'utf8').trim() === '1'
  } catch {
    return false
  }
}
