import assert from 'node:assert/strict'
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ControlMessage, Socket } from '@polysocket/core'
import type { Case, CaseContext } from '../../case.js'
import { openSocket, own } from '../../peers/sockets.js'
import { myCredentials, pair, unix } from './helpers.js'

/** The fds of the SCM_RIGHTS messages in `control`. */
export function rightsOf(control: readonly ControlMessage[]): number[] {
  return control.flatMap((m) => (m.type === 'SCM_RIGHTS' ? [...m.fds] : []))
}

/**
 * Takes received fds from the socket they came on (which would otherwise close them with
 * itself) and registers them for closing, so that a failing assertion leaks none.
 */
export function closeLater(ctx: CaseContext, from: Socket, fds: readonly number[]): void {
  assert.deepEqual(from.detachFds(fds), [...fds], 'the receiving socket held every received fd')
  for (const fd of fds) ctx.onCleanup(() => closeSync(fd))
}

/** Reads up to `n` bytes at offset 0 from a file descriptor. */
export function readFd(fd: number, n = 100): string {
  const b = Buffer.alloc(n)
  return b.toString('utf8', 0, readSync(fd, b, 0, n, 0))
}

/** A Unix stream listener on a fresh path with one accepted connection. */
export async function unixConnection(ctx: CaseContext): Promise<{ client: Socket; server: Socket; path: string }> {
  const path = ctx.unixPath()
  const listener = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
  await listener.bind(unix(path))
  await listener.listen(4)
  const client = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
  const accepting = listener.accept({ signal: ctx.signal })
  await client.connect(unix(path))
  return { client, server: own(ctx, (await accepting).socket), path }
}

/** SCM_RIGHTS, SCM_CREDENTIALS and SO_PEERCRED between sockets of this process. */
export const ancillaryCases: readonly Case[] = [
  {
    id: 'posix.scm_rights.file',
    title: 'SCM_RIGHTS passes the fd of an open file; the receiver reads the file through its new fd',
    needs: ['socketpair', 'ancillaryRights', 'scatterGather'],
    async run(ctx) {
      const file = join(ctx.tmpdir, 'passed.txt')
      writeFileSync(file, 'contents of the passed file')
      const fd = openSync(file, 'r')
      ctx.onCleanup(() => closeSync(fd))
      const [a, b] = await pair(ctx, 'SOCK_STREAM')
      assert.equal(await a.sendmsg(['x'], { control: [{ type: 'SCM_RIGHTS', fds: [fd] }] }), 1)
      const got = await b.recvmsg({ sizes: [16], controlSize: 64, signal: ctx.signal })
      const fds = rightsOf(got.control)
      closeLater(ctx, b, fds)
      assert.equal(got.buffers[0]?.toString(), 'x')
      assert.equal(fds.length, 1, 'one fd arrives')
      assert.notEqual(fds[0], fd, 'as a new descriptor')
      assert.equal(readFd(fds[0] as number), 'contents of the passed file')
      assert.equal(got.controlTruncated, false)
    },
  },
  {
    id: 'posix.scm_rights.socket',
    title: 'SCM_RIGHTS passes a socket fd; the adopted socket talks to the original peer',
    needs: ['socketpair', 'ancillaryRights', 'scatterGather', 'fd'],
    async run(ctx) {
      const [p, q] = await pair(ctx, 'SOCK_STREAM')
      const [a, b] = await pair(ctx, 'SOCK_DGRAM')
      await a.sendmsg(['fd'], { control: [{ type: 'SCM_RIGHTS', fds: [p.fd] }] })
      const got = await b.recvmsg({ sizes: [8], controlSize: 64, signal: ctx.signal })
      const [received] = rightsOf(got.control)
      assert.equal(typeof received, 'number', 'an fd arrives')
      const adopted = own(ctx, await ctx.backend.adopt(received as number))
      assert.deepEqual(b.detachFds([received as number]), [], 'adopt took the fd from the socket it came on')
      assert.equal(adopted.family, 'AF_UNIX')
      assert.equal(adopted.type, 'SOCK_STREAM')
      await adopted.send('through the passed socket')
      assert.equal((await q.recv(100, { signal: ctx.signal })).data.toString(), 'through the passed socket')
      await q.send('and back')
      assert.equal((await adopted.recv(100, { signal: ctx.signal })).data.toString(), 'and back')
    },
  },
  {
    id: 'posix.scm_rights.ctrunc',
    title: 'SCM_RIGHTS with too little control room reports controlTruncated',
    needs: ['socketpair', 'ancillaryRights', 'scatterGather'],
    async run(ctx) {
      const [a, b] = await pair(ctx, 'SOCK_DGRAM')
      const fds = [0, 1, 2, 0, 1, 2, 0, 1]
      await a.sendmsg(['many'], { control: [{ type: 'SCM_RIGHTS', fds }] })
      // Room for the header and two fds only: the kernel closes the others and sets MSG_CTRUNC.
      const got = await b.recvmsg({ sizes: [8], controlSize: 24, signal: ctx.signal })
      const kept = rightsOf(got.control)
      closeLater(ctx, b, kept)
      assert.equal(got.controlTruncated, true)
      assert.ok(kept.length < fds.length, `fewer fds than sent (${kept.length})`)
    },
  },
  {
    id: 'posix.scm_credentials',
    title: "SCM_CREDENTIALS with SO_PASSCRED reports this process's pid, uid and gid",
    needs: ['socketpair', 'ancillaryCredentials', 'scatterGather'],
    async run(ctx) {
      const [a, b] = await pair(ctx, 'SOCK_DGRAM')
      b.setOption('SOL_SOCKET', 'SO_PASSCRED', true)
      assert.equal(b.getOption('SOL_SOCKET', 'SO_PASSCRED'), true)
      const me = myCredentials()
      await a.sendmsg(['explicit'], { control: [{ type: 'SCM_CREDENTIALS', ...me }] })
      await a.send('implicit')
      for (const text of ['explicit', 'implicit']) {
        const got = await b.recvmsg({ sizes: [16], controlSize: 64, signal: ctx.signal })
        assert.equal(got.buffers[0]?.toString(), text)
        const cred = got.control.find((m) => m.type === 'SCM_CREDENTIALS')
        assert.ok(cred, `${text}: credentials arrive`)
        const { pid, uid, gid } = cred as { pid: number; uid: number; gid: number }
        assert.deepEqual({ pid, uid, gid }, me, `${text}: they are this process's`)
      }
    },
  },
  {
    id: 'posix.so_peercred',
    title: "SO_PEERCRED on both ends of a Unix connection reports this process's credentials",
    needs: ['unixStream', 'peerCredentials'],
    async run(ctx) {
      const { client, server } = await unixConnection(ctx)
      assert.deepEqual(client.peerCredentials(), myCredentials())
      assert.deepEqual(server.peerCredentials(), myCredentials())
      assert.deepEqual(server.getOption('SOL_SOCKET', 'SO_PEERCRED'), myCredentials())
    },
  },
  {
    id: 'posix.scatter_gather',
    title: 'sendmsg gathers several buffers; recvmsg scatters one message over several',
    needs: ['socketpair', 'unixDgram', 'scatterGather'],
    async run(ctx) {
      const [a, b] = await pair(ctx, 'SOCK_DGRAM')
      assert.equal(await a.sendmsg(['abc', Buffer.from('defg'), 'hi']), 9)
      const got = await b.recvmsg({ sizes: [2, 4, 8], signal: ctx.signal })
      assert.equal(got.bytes, 9)
      assert.deepEqual(
        got.buffers.map((x) => x.toString()),
        ['ab', 'cdef', 'ghi'],
      )
      assert.equal(got.truncated, false)
    },
  },
]
