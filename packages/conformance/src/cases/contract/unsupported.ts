import type { Capability } from '@polysocket/core'
import type { Case, CaseContext } from '../../case.js'
import { expectNotSupported } from '../../peers/errors.js'
import { connectedPair, openSocket } from '../../peers/sockets.js'

/**
 * A case for a capability the backend lacks: it runs only when `supports[feature]` is false
 * (`without`: the runner skips it, saying so, where it is true) and asserts POLYSOCKET_NOT_SUPPORTED naming the feature.
 */
function lacking(
  feature: Capability,
  needs: readonly Capability[],
  title: string,
  attempt: (ctx: CaseContext) => Promise<void>,
): Case {
  return {
    id: `lifecycle.unsupported.${feature}`,
    title: `without ${feature}: ${title}`,
    needs,
    without: [feature],
    run: attempt,
  }
}

/** Creates a socket that should not exist; one that does is closed after the case. */
const create =
  (ctx: CaseContext, family: 'AF_INET' | 'AF_UNIX', type: 'SOCK_DGRAM' | 'SOCK_SEQPACKET' | 'SOCK_RAW') => async () => {
    const socket = await ctx.backend.socket(family, type)
    ctx.onCleanup(() => socket.close())
  }

/** What a backend lacks fails with a clear not-supported error, never a crash. */
export const unsupportedCases: readonly Case[] = [
  lacking('unixDgram', [], 'an AF_UNIX SOCK_DGRAM socket is not supported', (ctx) =>
    expectNotSupported(create(ctx, 'AF_UNIX', 'SOCK_DGRAM'), ['unixDgram'], 'socket(AF_UNIX, SOCK_DGRAM)'),
  ),
  lacking('unixSeqpacket', [], 'an AF_UNIX SOCK_SEQPACKET socket is not supported', (ctx) =>
    expectNotSupported(create(ctx, 'AF_UNIX', 'SOCK_SEQPACKET'), ['unixSeqpacket'], 'socket(AF_UNIX, SOCK_SEQPACKET)'),
  ),
  lacking('raw', [], 'a SOCK_RAW socket is not supported', (ctx) =>
    expectNotSupported(create(ctx, 'AF_INET', 'SOCK_RAW'), ['raw'], 'socket(AF_INET, SOCK_RAW)'),
  ),
  lacking('socketpair', [], 'socketpair() is not supported', (ctx) =>
    expectNotSupported(
      async () => {
        const pair = await ctx.backend.socketpair('AF_UNIX', 'SOCK_STREAM')
        for (const s of pair) ctx.onCleanup(() => s.close())
      },
      ['socketpair'],
      'socketpair',
    ),
  ),
  lacking('peerCredentials', ['unixStream'], 'peerCredentials() is not supported', async (ctx) => {
    const { client } = await connectedPair(ctx, { family: 'unix', path: ctx.unixPath() })
    await expectNotSupported(() => client.peerCredentials(), ['peerCredentials'], 'peerCredentials')
  }),
  lacking('fd', ['tcp'], 'Socket.fd and Backend.adopt are not supported', async (ctx) => {
    const socket = await openSocket(ctx, 'SOCK_STREAM')
    await expectNotSupported(() => socket.fd, ['fd'], 'fd')
    await expectNotSupported(() => ctx.backend.adopt(0), ['fd'], 'adopt')
  }),
  lacking('scatterGather', ['tcp'], 'sendmsg and recvmsg with several buffers are not supported', async (ctx) => {
    const { client, server } = await connectedPair(ctx)
    await expectNotSupported(() => client.sendmsg(['a', 'b']), ['scatterGather'], 'sendmsg')
    await expectNotSupported(() => server.recvmsg({ sizes: [1, 1] }), ['scatterGather'], 'recvmsg')
  }),
  lacking('ancillaryRights', ['unixStream'], 'sending SCM_RIGHTS is not supported', async (ctx) => {
    const { client } = await connectedPair(ctx, { family: 'unix', path: ctx.unixPath() })
    // A backend without sendmsg at all may name that first.
    const features = ctx.backend.supports.scatterGather ? ['ancillaryRights'] : ['ancillaryRights', 'scatterGather']
    await expectNotSupported(
      () => client.sendmsg(['x'], { control: [{ type: 'SCM_RIGHTS', fds: [0] }] }),
      features,
      'sendmsg SCM_RIGHTS',
    )
  }),
  lacking('msgPeek', ['tcp'], 'recv with MSG_PEEK is not supported', async (ctx) => {
    const { client, server } = await connectedPair(ctx)
    await client.send('peek')
    await expectNotSupported(() => server.recv(4, { flags: ['MSG_PEEK'] }), ['msgPeek'], 'recv MSG_PEEK')
  }),
  lacking('rawOptions', ['tcp'], 'an untyped numeric option is not supported', async (ctx) => {
    const socket = await openSocket(ctx, 'SOCK_STREAM')
    // SOL_SOCKET (1) / 99: no typed option has that number.
    await expectNotSupported(() => socket.getOption(1, 99, 4), ['rawOptions'], 'getsockopt(1, 99)')
  }),
  lacking(
    'abstractNamespace',
    ['unixStream'],
    'binding or connecting to a Linux abstract name is not supported',
    async (ctx) => {
      const name = { family: 'unix' as const, path: ctx.abstractName() }
      const server = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
      // A backend that defers the bind may report it at listen().
      await expectNotSupported(
        async () => {
          await server.bind(name)
          await server.listen(1)
        },
        ['abstractNamespace'],
        'bind to an abstract name',
      )
      const client = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
      await expectNotSupported(() => client.connect(name), ['abstractNamespace'], 'connect to an abstract name')
    },
  ),
  lacking('oob', ['tcp'], 'sending with MSG_OOB is not supported', async (ctx) => {
    const { client } = await connectedPair(ctx)
    await expectNotSupported(() => client.send('!', { flags: ['MSG_OOB'] }), ['oob'], 'send MSG_OOB')
  }),
  lacking('reusePort', ['tcp'], 'SO_REUSEPORT is not supported', async (ctx) => {
    const socket = await openSocket(ctx, 'SOCK_STREAM')
    await expectNotSupported(() => socket.setOption('SOL_SOCKET', 'SO_REUSEPORT', true), ['reusePort'], 'SO_REUSEPORT')
  }),
  lacking('ancillaryCredentials', ['unixStream'], 'sending SCM_CREDENTIALS is not supported', async (ctx) => {
    const { client } = await connectedPair(ctx, { family: 'unix', path: ctx.unixPath() })
    const credentials = { type: 'SCM_CREDENTIALS' as const, pid: process.pid, uid: 0, gid: 0 }
    const features = ctx.backend.supports.scatterGather
      ? ['ancillaryCredentials']
      : ['ancillaryCredentials', 'scatterGather']
    await expectNotSupported(
      () => client.sendmsg(['x'], { control: [credentials] }),
      features,
      'sendmsg SCM_CREDENTIALS',
    )
  }),
]
