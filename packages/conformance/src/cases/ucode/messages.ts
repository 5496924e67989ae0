import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { assertError, hostPort, recvAll, tcpPair, type UcodeKit, ucodeKit, udpSocket } from './helpers.js'

// sendmsg / recvmsg: several buffers, ancillary data (ucode lib/socket.c, uc_socket_inst_sendmsg
// and uc_socket_inst_recvmsg).

/** A connected AF_UNIX stream pair from pair(). */
async function unixPair(kit: UcodeKit) {
  const pair = await kit.socket.pair()
  assert.ok(pair, String(kit.socket.error()))
  const [a, b] = pair.map((s) => kit.track(s))
  assert.ok(a && b)
  return { a, b }
}

export const ucodeMessageCases: readonly Case[] = [
  {
    id: 'ucode.msg.gather',
    title: 'sendmsg(array) sends one datagram from several buffers; null items add nothing, others are printed',
    needs: ['udp', 'scatterGather'],
    ip: true,
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: receiver, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      const target = socket.sockaddr(hostPort(ctx, port))
      assert.equal(await sender.sendmsg(['ab', 'cd', null, 5, [1]], null, target), 10)
      assert.deepEqual(await receiver.recv(), Buffer.from('abcd5[ 1 ]'))
      assert.equal(await sender.sendmsg(Buffer.from([0, 1, 2]), null, target), 3)
      assert.deepEqual(await receiver.recv(), Buffer.from([0, 1, 2]))
      assert.equal(await sender.sendmsg(null, null, target), 0)
      const empty = await receiver.recvmsg(10)
      assert.ok(empty, String(socket.error()))
      assert.equal(empty.length, 0)
      assertError(
        kit,
        await sender.sendmsg('x', null, hostPort(ctx, port)),
        'Argument address is not an object: Invalid argument',
        22,
      )
      assertError(
        kit,
        await sender.sendmsg('x', 5),
        'Ancillary data must be string or array value: Invalid argument',
        22,
      )
      assertError(
        kit,
        await sender.sendmsg('x', null, null, '0'),
        'Argument flags is not an integer value: Invalid argument',
        22,
      )
    },
  },
  {
    id: 'ucode.msg.scatter',
    title: 'recvmsg(sizes): an integer gives one Buffer, an array one Buffer per size; recvmsg() reads 0 bytes',
    needs: ['udp', 'scatterGather'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock: receiver, port } = await udpSocket(ctx, kit)
      const { sock: sender } = await udpSocket(ctx, kit)
      const to = hostPort(ctx, port)
      assert.equal(await sender.send('0123456789', 0, to), 10)
      const one = await receiver.recvmsg(4)
      assert.ok(one)
      assert.deepEqual(one.data, Buffer.from('0123'))
      assert.equal(one.flags & socket.MSG_TRUNC, socket.MSG_TRUNC)
      assert.deepEqual(one.address, sender.sockname())
      assert.equal(await sender.send('abcdef', 0, to), 6)
      const parts = await receiver.recvmsg([2, 3, 10])
      assert.ok(parts)
      assert.deepEqual(parts.data, [Buffer.from('ab'), Buffer.from('cde'), Buffer.from('f')])
      assert.equal(parts.length, 6)
      assert.equal(parts.flags, 0)
      // Without sizes the datagram is read into a 0-byte buffer: consumed and gone.
      assert.equal(await sender.send('discarded', 0, to), 9)
      const none = await receiver.recvmsg()
      assert.ok(none)
      assert.deepEqual(none.data, Buffer.alloc(0))
      assert.equal(none.flags & socket.MSG_TRUNC, socket.MSG_TRUNC)
      assert.equal(await sender.send('next', 0, to), 4)
      assert.deepEqual(await receiver.recv(), Buffer.from('next'))
      assertError(kit, await receiver.recvmsg(-1), 'Invalid length value: Numerical result out of range', 34)
      assertError(kit, await receiver.recvmsg(['x']), 'Invalid length value: Invalid argument', 22)
      assertError(
        kit,
        await receiver.recvmsg(10, -1),
        'Invalid ancillary data length: Numerical result out of range',
        34,
      )
      assertError(
        kit,
        await receiver.recvmsg(10, '1'),
        'Argument ancillary length is not an integer value: Invalid argument',
        22,
      )
    },
  },
  {
    id: 'ucode.msg.stream',
    title: 'recvmsg on a TCP stream: no address key, no ancillary key; MSG_DONTWAIT with nothing queued is EAGAIN',
    needs: ['tcp', 'scatterGather'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      assertError(
        kit,
        await peer.recvmsg(10, 0, socket.MSG_DONTWAIT),
        'recvmsg(): Resource temporarily unavailable',
        11,
      )
      assert.equal(await client.sendmsg(['Hello, ', 'world']), 12)
      const parts: Buffer[] = []
      for (let i = 0; i < 100 && Buffer.concat(parts).length < 12; i++) {
        const msg = await peer.recvmsg([5, 100], 256)
        assert.ok(msg, String(socket.error()))
        assert.equal('address' in msg, false)
        assert.equal('ancillary' in msg, false)
        parts.push(...(msg.data as Buffer[]))
      }
      assert.equal(Buffer.concat(parts).toString(), 'Hello, world')
    },
  },
  {
    id: 'ucode.msg.rights',
    title: 'SCM_RIGHTS: a socket sent with sendmsg arrives as a usable socket handle',
    needs: ['udp', 'socketpair', 'ancillaryRights', 'scatterGather'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { a, b } = await unixPair(kit)
      const { sock: udp } = await udpSocket(ctx, kit)
      const sent = await a.sendmsg('fd', [{ level: socket.SOL_SOCKET, type: socket.SCM_RIGHTS, data: [udp] }])
      assert.equal(sent, 2, String(socket.error()))
      const msg = await b.recvmsg(10, 64)
      assert.ok(msg, String(socket.error()))
      assert.deepEqual(msg.data, Buffer.from('fd'))
      assert.equal(msg.ancillary?.length, 1)
      const [cmsg] = msg.ancillary ?? []
      assert.equal(cmsg?.level, socket.SOL_SOCKET)
      assert.equal(cmsg?.type, socket.SCM_RIGHTS)
      assert.ok(cmsg && Array.isArray(cmsg.data))
      const [copy] = cmsg.data as ReturnType<typeof kit.track>[]
      const received = kit.track(copy ?? null, 'received socket')
      assert.deepEqual(received.sockname(), udp.sockname())
      assert.notEqual(received.fileno(), udp.fileno())
      assert.equal(received.getopt(socket.SOL_SOCKET, socket.SO_TYPE), socket.SOCK_DGRAM)
      // A closed socket cannot be sent.
      const closed = await socket.create(socket.AF_INET, socket.SOCK_DGRAM)
      assert.equal(await closed?.close(), true)
      assertError(
        kit,
        await a.sendmsg('x', [{ level: socket.SOL_SOCKET, type: socket.SCM_RIGHTS, data: [closed] }]),
        'Socket is closed: Bad file descriptor',
        9,
      )
      assertError(
        kit,
        await a.sendmsg('x', [{ level: socket.SOL_SOCKET, type: socket.SCM_RIGHTS, data: ['x'] }]),
        'Invalid file descriptor number: Bad file descriptor',
        9,
      )
    },
  },
  {
    id: 'ucode.msg.credentials',
    title:
      'SCM_CREDENTIALS: with SO_PASSCRED the receiver gets {pid, uid, gid}; explicit credentials are sent as given',
    needs: ['socketpair', 'ancillaryCredentials', 'scatterGather'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { a, b } = await unixPair(kit)
      const own = { pid: process.pid, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }
      assert.equal(b.setopt(socket.SOL_SOCKET, socket.SO_PASSCRED, true), true)
      assert.equal(b.getopt(socket.SOL_SOCKET, socket.SO_PASSCRED), true)
      assert.equal(await a.send('implicit'), 8)
      const first = await b.recvmsg(8, 256)
      assert.ok(first, String(socket.error()))
      const creds = first.ancillary?.find((c) => c.level === socket.SOL_SOCKET && c.type === socket.SCM_CREDENTIALS)
      assert.deepEqual(creds?.data, own)
      assert.equal(
        await a.sendmsg('explicit', [{ level: socket.SOL_SOCKET, type: socket.SCM_CREDENTIALS, data: own }]),
        8,
        String(socket.error()),
      )
      const second = await b.recvmsg(8, 256)
      assert.ok(second)
      assert.deepEqual(second.data, Buffer.from('explicit'))
      assert.deepEqual(second.ancillary?.find((c) => c.type === socket.SCM_CREDENTIALS)?.data, own)
    },
  },
  {
    id: 'ucode.msg.rights-over-unix-stream',
    title: 'descriptors passed over a Unix stream socket made with listen/connect reach the peer',
    needs: ['unixStream', 'socketpair', 'ancillaryRights', 'scatterGather'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const path = ctx.unixPath()
      const server = kit.track(await socket.listen({ path }, null, { socktype: socket.SOCK_STREAM }), 'listen')
      const accepting = server.accept()
      const client = kit.track(await socket.connect(path), 'connect')
      const peer = kit.track(await accepting, 'accept')
      const { a, b } = await unixPair(kit)
      assert.equal(
        await client.sendmsg(['one ', 'fd'], [{ level: socket.SOL_SOCKET, type: socket.SCM_RIGHTS, data: [a] }]),
        6,
      )
      const msg = await peer.recvmsg([3, 3], 64)
      assert.ok(msg, String(socket.error()))
      assert.deepEqual(msg.data, [Buffer.from('one'), Buffer.from(' fd')])
      const rights = msg.ancillary?.[0]
      assert.ok(rights && Array.isArray(rights.data), JSON.stringify(msg.ancillary))
      const passed = (rights.data as ReturnType<typeof kit.track>[])[0]
      const copy = kit.track(passed ?? null, 'passed socket')
      assert.equal(await copy.send('via copy'), 8)
      assert.equal((await recvAll(kit, b, 8)).toString(), 'via copy')
    },
  },
  {
    id: 'ucode.unsupported.rights',
    title: 'without SCM_RIGHTS support, sendmsg() with descriptors returns null naming what is missing',
    needs: ['tcp'],
    without: ['ancillaryRights'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { client, peer } = await tcpPair(ctx, kit)
      const result = await client.sendmsg('x', [{ level: socket.SOL_SOCKET, type: socket.SCM_RIGHTS, data: [peer] }])
      assert.equal(result, null)
      assert.equal(socket.error(true), 95)
      assert.match(
        String(socket.error()),
        /^sendmsg\(\): .+ is not supported by the .+ backend: Operation not supported$/,
      )
    },
  },
  {
    id: 'ucode.unsupported.sendmsg',
    title: 'without scatter/gather support, sendmsg() and recvmsg() return null naming the missing feature',
    needs: ['udp'],
    without: ['scatterGather'],
    async run(ctx) {
      const kit = ucodeKit(ctx)
      const { socket } = kit
      const { sock, port } = await udpSocket(ctx, kit)
      assert.equal(await sock.sendmsg(['a', 'b'], null, socket.sockaddr(hostPort(ctx, port))), null)
      assert.equal(socket.error(true), 95)
      assert.equal(
        socket.error(),
        `sendmsg(): scatterGather is not supported by the ${ctx.backend.name} backend: Operation not supported`,
      )
      assert.equal(await sock.recvmsg(10, 0, socket.MSG_DONTWAIT), null)
      assert.equal(socket.error(true), 95)
    },
  },
]
