import assert from 'node:assert/strict'
import type { UnixAddress } from '@polysocket/core'
import type { Case, CaseContext } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { readExactly, readToEnd, sendAll } from '../../peers/io.js'
import { connectedPair, listen, openSocket } from '../../peers/sockets.js'

const unix = (path: string): UnixAddress => ({ family: 'unix', path })

/** Echo both ways over a Unix stream connection on `path`, and check the addresses. */
async function echoOn(ctx: CaseContext, path: string): Promise<void> {
  const { client, server, listener } = await connectedPair(ctx, unix(path))
  assert.deepEqual(listener.address, unix(path), "the listener's localAddress() is its path")
  assert.deepEqual(client.remoteAddress(), unix(path), "the client's peer is the listener's path")
  const message = Buffer.from(`over ${path.startsWith('\0') ? 'an abstract name' : 'a path'}\n`)
  await sendAll(client, message)
  assert.deepEqual(await readExactly(server, message.length), message)
  await sendAll(server, message)
  assert.deepEqual(await readExactly(client, message.length), message)
}

/** Unix domain stream sockets on filesystem paths and Linux abstract names. */
export const unixCases: readonly Case[] = [
  {
    id: 'unix.echo.path',
    title: 'echo over a Unix stream socket on a filesystem path',
    needs: ['unixStream'],
    run: (ctx) => echoOn(ctx, ctx.unixPath()),
  },
  {
    id: 'unix.echo.abstract',
    title: 'echo over a Unix stream socket on a Linux abstract name',
    needs: ['unixStream', 'abstractNamespace'],
    run: (ctx) => echoOn(ctx, ctx.abstractName()),
  },
  {
    id: 'unix.connect.enoent',
    title: 'connecting to a Unix path that does not exist fails with ENOENT',
    needs: ['unixStream'],
    async run(ctx) {
      const client = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
      await expectSocketError(client.connect(unix(ctx.unixPath('missing.sock'))), ['ENOENT'], 'connect')
    },
  },
  {
    id: 'unix.connect.abstract.refused',
    title: 'connecting to an abstract name nobody listens on fails with ECONNREFUSED',
    needs: ['unixStream', 'abstractNamespace'],
    async run(ctx) {
      const client = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
      await expectSocketError(client.connect(unix(ctx.abstractName())), ['ECONNREFUSED'], 'connect')
    },
  },
  {
    id: 'unix.bind.addrinuse',
    title: 'binding a Unix path a listener holds fails with EADDRINUSE',
    needs: ['unixStream'],
    async run(ctx) {
      const holder = await listen(ctx, unix(ctx.unixPath()))
      const second = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
      await expectSocketError(
        async () => {
          await second.bind(holder.address)
          await second.listen(1)
        },
        ['EADDRINUSE'],
        'bind + listen on a held path',
      )
    },
  },
  {
    id: 'unix.halfclose',
    title: 'shutdown(SHUT_WR) on a Unix stream socket: the peer reads EOF and can still reply',
    needs: ['unixStream'],
    async run(ctx) {
      const { client, server } = await connectedPair(ctx, unix(ctx.unixPath()))
      await sendAll(client, Buffer.from('ping'))
      await client.shutdown('SHUT_WR')
      assert.equal((await readToEnd(server)).toString(), 'ping')
      await sendAll(server, Buffer.from('pong'))
      await server.close()
      assert.equal((await readToEnd(client)).toString(), 'pong')
    },
  },
]
