import assert from 'node:assert/strict'
import { decodeJsl, encodeJsl, type JmpRecvfromCallbackList } from '@polysocket/core/jmp'
import type { Case } from '../../case.js'
import { delay } from '../../peers/time.js'
import { connectedPair, Inbox, jmpKit, recvBytes, systemName } from './helpers.js'

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i)
/** Every byte value as a JSL string, `~` included (as `~7e`). */
const ALL_TEXT = encodeJsl(ALL_BYTES)

/** Data over real sockets: the `~xx` convention end to end, datagrams, partial sends. */
export const jmpDataCases: readonly Case[] = [
  {
    id: 'jmp.data.all-bytes.stream',
    title: 'all 256 byte values travel as ~xx strings over TCP, both ways, unchanged',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.deepEqual(await client.send(ALL_TEXT), ['send', 'ok', ''])
      const there = await recvBytes(peer, 256, decodeJsl)
      assert.deepEqual(there, Buffer.from(ALL_BYTES))
      // Echo back the exact string recv gave, as a script would.
      assert.deepEqual(await peer.send(encodeJsl(there)), ['send', 'ok', ''])
      let text = ''
      for (let i = 0; i < 300 && decodeJsl(text).length < 256; i++) {
        const [, st, data] = await client.recv(256 - decodeJsl(text).length)
        assert.equal(st, 'ok')
        if (data === '') break
        text += data
      }
      assert.equal(text, ALL_TEXT)
      // Bytes in (a Uint8Array) are sent as they are.
      assert.deepEqual(await client.send(Uint8Array.of(0x7e, 0x30, 0x30)), ['send', 'ok', ''])
      assert.deepEqual(await recvBytes(peer, 3, decodeJsl), Buffer.from('~00'))
    },
  },
  {
    id: 'jmp.data.all-bytes.dgram',
    title: 'all 256 byte values in one datagram, there and back',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const a = kit.Socket('DGRAM')
      const b = kit.Socket('DGRAM')
      assert.deepEqual(await a.bind(ctx.host, 0), ['bind', 'ok'])
      assert.deepEqual(await b.bind(ctx.host, 0), ['bind', 'ok'])
      const [, , , aPort] = await a.getsockname()
      const [, , , bPort] = await b.getsockname()
      assert.deepEqual(await b.sendto(ALL_TEXT, ctx.host, aPort), ['sendto', 'ok', ''])
      const got = await a.recvfrom(1000)
      assert.deepEqual(got, ['recvfrom', 'ok', ALL_TEXT, ctx.host, bPort])
      assert.deepEqual(await a.sendto(got[2], got[3], got[4]), ['sendto', 'ok', ''])
      assert.deepEqual(await b.recvfrom(1000), ['recvfrom', 'ok', ALL_TEXT, ctx.host, aPort])
    },
  },
  {
    id: 'jmp.dgram.sendto-recvfrom',
    title: 'DGRAM: sendto then recvfrom gives the data and the sender; a too-long datagram is cut to n',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket('DGRAM')
      assert.deepEqual(await server.bind(ctx.host, 0), ['bind', 'ok'])
      const [, , , port] = await server.getsockname()
      // The client never binds: sendto gives it an address the reply can come back to.
      const client = kit.Socket('DGRAM')
      assert.deepEqual(await client.SendTo('hello~0a', ctx.host, Number(port)), ['SendTo', 'ok', ''])
      const [cmd, st, data, address, from] = await server.RecvFrom(100)
      assert.deepEqual([cmd, st, data, address], ['RecvFrom', 'ok', 'hello~0a', ctx.host])
      // sendto bound it to the wildcard address (as the kernel does) and an ephemeral port.
      const [, named, local, localPort] = await client.getsockname()
      assert.equal(named, 'ok')
      // Never bound by name: getsockname gives the reverse lookup of the address, or the number.
      const names = [ctx.host, '0.0.0.0', '::']
      for (const n of [...names]) names.push(await systemName(n))
      assert.ok(names.includes(local), `client bound to ${local}`)
      assert.equal(localPort, from)
      assert.deepEqual(await server.sendto('reply', address, from), ['sendto', 'ok', ''])
      assert.deepEqual(await client.recvfrom(100), ['recvfrom', 'ok', 'reply', ctx.host, port])
      // Datagram boundaries hold; the rest of a datagram longer than n is discarded.
      assert.deepEqual(await client.sendto('0123456789', ctx.host, port), ['sendto', 'ok', ''])
      assert.deepEqual(await client.sendto('next', ctx.host, port), ['sendto', 'ok', ''])
      assert.deepEqual((await server.recvfrom(4)).slice(0, 3), ['recvfrom', 'ok', '0123'])
      assert.deepEqual((await server.recvfrom(100)).slice(0, 3), ['recvfrom', 'ok', 'next'])
      // A connected DGRAM socket may use send.
      assert.deepEqual(await client.connect(ctx.host, port), ['connect', 'ok'])
      assert.deepEqual(await client.send('via send'), ['send', 'ok', ''])
      assert.deepEqual((await server.recvfrom(100)).slice(0, 3), ['recvfrom', 'ok', 'via send'])
    },
  },
  {
    id: 'jmp.dgram.recvfrom-callback',
    title: 'a background recvfrom calls back with data, the socket, and the sender',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket('DGRAM')
      assert.deepEqual(await server.bind(ctx.host, 0), ['bind', 'ok'])
      const [, , , port] = await server.getsockname()
      const inbox = new Inbox<JmpRecvfromCallbackList>()
      assert.deepEqual(await server.recvfrom(100, inbox.push, 5), ['recvfrom', 'ok'])
      const client = kit.Socket('DGRAM')
      assert.deepEqual(await client.sendto('ping', ctx.host, port), ['sendto', 'ok', ''])
      const [, , , clientPort] = await client.getsockname()
      assert.deepEqual(await inbox.next(), ['recvfrom', 'ok', 'ping', server, ctx.host, clientPort])
      assert.deepEqual(await server.recvfrom(100, inbox.push, 0.2), ['recvfrom', 'ok'])
      const [cmd, st, data, socket, address, from] = await inbox.next()
      assert.deepEqual([cmd, data, socket, address, from], ['recvfrom', '', server, '', ''])
      assert.match(st, /^TIMEDOUT: /)
    },
  },
  {
    id: 'jmp.send.unsent-remainder',
    title: 'a non-blocking send returns what it could not send; resending it loses and reorders nothing',
    needs: ['tcp'],
    timeoutMs: 20_000,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      const size = ctx.full ? 8 << 20 : 1 << 20
      const bytes = Buffer.alloc(size)
      for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >> 9)) & 0xff
      assert.deepEqual(await client.ioctl('FIONBIO', 1), ['ioctl', 'ok'])
      const reading = recvBytes(peer, size, decodeJsl)
      let rest = encodeJsl(bytes)
      let sentBytes = 0
      for (let i = 0; i < 20_000 && rest !== ''; i++) {
        const before = decodeJsl(rest)
        const [cmd, st, unsent] = await client.send(rest)
        assert.equal(cmd, 'send')
        if (st === 'ok') {
          const left = decodeJsl(unsent)
          // What is left is exactly the tail of what was offered.
          assert.ok(before.subarray(before.length - left.length).equals(left))
          sentBytes += before.length - left.length
        } else {
          assert.match(st, /^WOULDBLOCK: /)
          assert.equal(unsent, rest)
          await delay(2)
        }
        rest = unsent
      }
      assert.equal(rest, '')
      assert.equal(sentBytes, size)
      const got = await reading
      assert.equal(got.length, size)
      assert.ok(got.equals(bytes), 'the receiver saw other bytes than were sent')
    },
  },
]
