import assert from 'node:assert/strict'
import type { Socket } from '@polysocket/core'
import type { Case, CaseContext } from '../../../case.js'
import { expectSocketError } from '../../../peers/errors.js'
import { readExactly, sendAll } from '../../../peers/io.js'
import { own } from '../../../peers/sockets.js'
import { delay } from '../../../peers/time.js'
import { startEchoServer } from './echo-server.js'

/** Sockets opened at most while looking for a reused fd number. */
const REUSE_ATTEMPTS = 64

/**
 * Opens stream sockets until one gets `fd` (Linux gives the lowest free number, so holes below
 * it are filled by the sockets kept open meanwhile, at most {@link REUSE_ATTEMPTS}). Without
 * the `fd` capability the number cannot be seen: the first new socket is B.
 */
async function reopenOn(ctx: CaseContext, fd: number | undefined): Promise<Socket> {
  const spare: Socket[] = []
  try {
    for (let i = 0; i < REUSE_ATTEMPTS; i++) {
      const s = own(ctx, await ctx.backend.socket(ctx.family, 'SOCK_STREAM'))
      if (fd === undefined || s.fd === fd) return s
      spare.push(s)
    }
  } finally {
    await Promise.all(spare.map((s) => s.close()))
  }
  return assert.fail(`none of ${REUSE_ATTEMPTS} new sockets got the closed socket's fd ${fd}`)
}

/** Every call of the contract on a closed socket, each of which must fail with EBADF. */
function callsOn(a: Socket, ctx: CaseContext): [string, () => unknown][] {
  return [
    ['fd', () => a.fd],
    ['bind', () => a.bind(ctx.addr(0))],
    ['listen', () => a.listen(1)],
    ['accept', () => a.accept()],
    ['connect', () => a.connect(ctx.addr(1))],
    ['send', () => a.send('stale')],
    ['recv', () => a.recv(16)],
    ['sendmsg', () => a.sendmsg(['stale'])],
    ['recvmsg', () => a.recvmsg()],
    ['sendBatch', () => a.sendBatch([{ data: 'stale' }])],
    ['recvBatch', () => a.recvBatch(1)],
    ['shutdown', () => a.shutdown('SHUT_RDWR')],
    ['getOption', () => a.getOption('SOL_SOCKET', 'SO_KEEPALIVE')],
    ['setOption', () => a.setOption('SOL_SOCKET', 'SO_KEEPALIVE', true)],
    ['localAddress', () => a.localAddress()],
    ['remoteAddress', () => a.remoteAddress()],
    ['peerCredentials', () => a.peerCredentials()],
    ['setNonBlocking', () => a.setNonBlocking(true)],
  ]
}

/** A closed handle never reaches the fd number a newer socket got. */
export const fdReuseCases: readonly Case[] = [
  {
    id: 'robustness.security.fd_reuse',
    title:
      "a closed socket A never acts on its old fd number once B holds it (with the fd capability B is opened until it gets A's number): A's pending recv ends with EBADF, every call on A fails with EBADF, a second close of A leaves B open, B echoes",
    needs: ['tcp'],
    async run(ctx) {
      const server = await startEchoServer(ctx, { backlog: 8, maxConnections: 8, signal: ctx.signal })
      const a = own(ctx, await ctx.backend.socket(ctx.family, 'SOCK_STREAM'))
      await a.connect(server.address, { signal: ctx.signal })
      const number = ctx.backend.supports.fd ? a.fd : undefined
      // A recv waiting at close: it must end with EBADF, not later read from whatever holds the number.
      const pending = a.recv(64)
      pending.catch(() => {})
      await delay(20)
      await a.close()
      await expectSocketError(pending, ['EBADF'], "A's recv pending at close")

      const b = await reopenOn(ctx, number)
      for (const [name, call] of callsOn(a, ctx)) await expectSocketError(call, ['EBADF'], `${name} on closed A`)
      await a.close()
      assert.equal(b.closed, false, 'B is still open')
      if (number !== undefined) assert.equal(b.fd, number, "B still holds A's old number")
      // Nothing done to A reached B: its option and mode are as a new socket's, and it still works.
      assert.equal(b.getOption('SOL_SOCKET', 'SO_KEEPALIVE'), false, "A's setOption did not reach B")
      assert.equal(b.nonBlocking, false, "A's setNonBlocking did not reach B")
      await b.connect(server.address, { signal: ctx.signal })
      const payload = Buffer.from('through B, which holds the number A had')
      await sendAll(b, payload)
      assert.deepEqual(await readExactly(b, payload.length), payload, 'B echoes')
    },
  },
  {
    id: 'robustness.security.fd_reuse.listener',
    title:
      "a listener A closed with an accept pending never accepts on its old fd number: once listener B holds it, B accepts the next connection and A's accept has ended with EBADF",
    needs: ['tcp'],
    async run(ctx) {
      const a = own(ctx, await ctx.backend.socket(ctx.family, 'SOCK_STREAM'))
      await a.bind(ctx.addr(0))
      await a.listen(4)
      const number = ctx.backend.supports.fd ? a.fd : undefined
      const pending = a.accept()
      pending.catch(() => {})
      await delay(20)
      await a.close()
      await expectSocketError(pending, ['EBADF'], "A's accept pending at close")

      const b = await reopenOn(ctx, number)
      await b.bind(ctx.addr(0))
      await b.listen(4)
      const accepting = b.accept({ signal: ctx.signal })
      const client = own(ctx, await ctx.backend.socket(ctx.family, 'SOCK_STREAM'))
      await client.connect(b.localAddress(), { signal: ctx.signal })
      const { socket } = await accepting
      own(ctx, socket)
      await expectSocketError(() => a.accept(), ['EBADF'], 'accept on closed A')
      await client.send('to B')
      assert.equal((await readExactly(socket, 4)).toString(), 'to B', "B's accepted socket carries the data")
    },
  },
]
