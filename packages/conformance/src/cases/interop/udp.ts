import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { Case } from '../../case.js'
import { startPython } from '../../peers/python.js'
import { endpoint, openSocket } from '../../peers/sockets.js'

/** Python UDP echo: three datagrams, each answered to its sender with a `py:` prefix. */
const PY_ECHO = `
s = socket.socket(FAMILY, socket.SOCK_DGRAM)
s.bind((HOST, 0))
say('PORT', s.getsockname()[1])
for i in range(3):
    data, peer = s.recvfrom(65536)
    s.sendto(b'py:' + data, peer)
    say('FROM', peer[1], len(data))
`

/** Python UDP client: sends three datagrams to argv[2] and checks each `ours:` answer and its source. */
const PY_CLIENT = `
s = socket.socket(FAMILY, socket.SOCK_DGRAM)
s.bind((HOST, 0))
say('PORT', s.getsockname()[1])
dest = target()
for msg in (b'one', b'two' * 300, os.urandom(9000)):
    s.sendto(msg, dest)
    data, peer = s.recvfrom(65536)
    if peer[1] != dest[1]:
        raise SystemExit('answer from port %d' % peer[1])
    if data != b'ours:' + msg:
        raise SystemExit('bad answer of %d bytes' % len(data))
say('OK')
`

const family = (ipFamily: 4 | 6) => (ipFamily === 6 ? '6' : '4')

/** UDP against python3's socket module. */
export const interopUdpCases: readonly Case[] = [
  {
    id: 'interop.udp.client',
    title: 'our UDP socket exchanges three datagrams with a python3 echo, each whole and from the right port',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const peer = await startPython(ctx, PY_ECHO, family(ctx.ipFamily))
      const python = ctx.addr(Number(await peer.expect('PORT')))
      const socket = await openSocket(ctx, 'SOCK_DGRAM')
      await socket.bind(ctx.addr(0))
      const ourPort = endpoint(socket.localAddress()).port
      for (const message of [Buffer.from('a'), Buffer.alloc(1400, 7), randomBytes(9000)]) {
        await socket.send(message, { to: python })
        const got = await socket.recv(65536)
        assert.deepEqual(got.data, Buffer.concat([Buffer.from('py:'), message]))
        assert.deepEqual(endpoint(got.from ?? socket.localAddress()), endpoint(python), 'the answer comes from python')
        assert.equal(await peer.expect('FROM'), `${ourPort} ${message.length}`, 'python saw our port and length')
      }
      await peer.success()
    },
  },
  {
    id: 'interop.udp.server',
    title: 'a python3 UDP client exchanges three datagrams with our socket, answered to `from`',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const socket = await openSocket(ctx, 'SOCK_DGRAM')
      await socket.bind(ctx.addr(0))
      const ourPort = String(endpoint(socket.localAddress()).port)
      const peer = await startPython(ctx, PY_CLIENT, family(ctx.ipFamily), [ourPort])
      const pythonPort = Number(await peer.expect('PORT'))
      for (const length of [3, 900, 9000]) {
        const got = await socket.recv(65536)
        assert.equal(got.data.length, length, 'datagram length')
        assert.ok(got.from, 'from is set')
        assert.equal(endpoint(got.from).port, pythonPort, "from is python's port")
        await socket.send(Buffer.concat([Buffer.from('ours:'), got.data]), { to: got.from })
      }
      assert.equal(await peer.line(), 'OK')
      await peer.success()
    },
  },
]
