import assert from 'node:assert/strict'
import type { JmpSocket } from '@polysocket/core/jmp'
import type { Case } from '../../case.js'
import { delay } from '../../peers/time.js'
import { INVAL, NOTCONN } from './examples.js'
import { connectedPair, jmpKit, listenOn, WOULDBLOCK } from './helpers.js'

const INVAL_ARG = /^INVAL: [A-Z][^\n]*\. $/

/** Messages sent in the wrong state, non-blocking mode, and arguments a script gets wrong. */
export const jmpStateCases: readonly Case[] = [
  {
    id: 'jmp.recv.wouldblock',
    title: 'after ioctl("FIONBIO", 1), recv with nothing there returns WOULDBLOCK at once, then data',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.deepEqual(await peer.ioctl('FIONBIO', 1), ['ioctl', 'ok'])
      const started = performance.now()
      const [cmd, st, data] = await peer.recv(100)
      assert.equal(cmd, 'recv')
      assert.match(st, WOULDBLOCK)
      assert.equal(data, '')
      assert.ok(performance.now() - started < 2_000, 'a non-blocking recv waited')
      assert.deepEqual(await client.send('late~00'), ['send', 'ok', ''])
      let got: string[] = []
      for (let i = 0; i < 400; i++) {
        got = await peer.recv(100)
        if (got[1] === 'ok') break
        assert.match(got[1] as string, WOULDBLOCK)
        await delay(10)
      }
      assert.deepEqual(got, ['recv', 'ok', 'late~00'])
      // Blocking again: the next recv waits for data rather than answering WOULDBLOCK.
      assert.deepEqual(await peer.ioctl('FIONBIO', 0), ['ioctl', 'ok'])
      const pending = peer.recv(100)
      await delay(50)
      assert.deepEqual(await client.send('x'), ['send', 'ok', ''])
      assert.deepEqual(await pending, ['recv', 'ok', 'x'])
    },
  },
  {
    id: 'jmp.accept.wouldblock',
    title: 'a non-blocking accept with no client waiting returns WOULDBLOCK',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      await listenOn(ctx, server)
      assert.deepEqual(await server.ioctl('FIONBIO', true), ['ioctl', 'ok'])
      const result = await server.accept()
      assert.equal(result.length, 2)
      assert.equal(result[0], 'accept')
      assert.match(result[1], WOULDBLOCK)
    },
  },
  {
    id: 'jmp.state.order',
    title: 'messages out of order answer NOTCONN or INVAL instead of failing',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const fresh = kit.Socket()
      assert.deepEqual(await fresh.recv(10), ['recv', NOTCONN, ''])
      assert.deepEqual(await fresh.send('x'), ['send', NOTCONN, 'x'])
      assert.deepEqual(await fresh.getpeername(), ['getpeername', NOTCONN, '', ''])
      assert.deepEqual(await fresh.getsockname(), ['getsockname', INVAL, '', ''])
      assert.deepEqual(await fresh.accept(), ['accept', INVAL])
      const bound = kit.Socket()
      assert.deepEqual(await bound.bind(ctx.host, 0), ['bind', 'ok'])
      // accept before listen: "Listen was not invoked prior to accept."
      assert.deepEqual(await bound.accept(), ['accept', INVAL])
      assert.deepEqual(await bound.recv(10), ['recv', NOTCONN, ''])
      const dgram = kit.Socket('DGRAM')
      assert.deepEqual(await dgram.recvfrom(10), ['recvfrom', INVAL, '', '', ''])
      assert.equal((await dgram.listen())[1].startsWith('OPNOTSUPP: '), true)
      assert.equal((await dgram.send('x'))[1].startsWith('DESTADDRREQ: '), true)
    },
  },
  {
    id: 'jmp.bind.addrinuse',
    title: 'a second server on a port in use gets ADDRINUSE (at bind, or at listen where bind is deferred)',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const first = kit.Socket()
      const port = await listenOn(ctx, first)
      const second = kit.Socket()
      const bound = await second.bind(ctx.host, port)
      const failed = bound[1] === 'ok' ? await second.listen() : bound
      assert.match(failed[1], /^ADDRINUSE: [A-Z][^\n]*\. $/)
    },
  },
  {
    id: 'jmp.inval.one-text',
    title:
      'every INVAL status carries the documented INVAL text: an empty or malformed host, a bad port, count or request',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const skt = kit.Socket()
      const dgram = kit.Socket('DGRAM')
      const lists: [string, Promise<unknown[]>][] = [
        ['connect to ""', skt.connect('', 80)],
        ['connect to "   "', skt.connect('   ', 80)],
        ['connect to a number', skt.connect(42 as unknown as string, 80)],
        ['bind to ""', skt.bind('', 0)],
        ['connect to port 70000', skt.connect(ctx.host, 70000)],
        ['recv(-1)', skt.recv(-1)],
        ['ioctl FIONREAD', skt.ioctl('FIONREAD', 1)],
        ['sendto ""', dgram.sendto('x', '', 9)],
        ['recv with a callback that is not a function', skt.recv(10, 'no' as unknown as () => void)],
      ]
      for (const [what, list] of lists) assert.equal((await list)[1], INVAL, what)
    },
  },
  {
    id: 'jmp.args.never-throw',
    title: 'wrong arguments and unknown types give INVAL or SOCKTNOSUPPORT lists, never an exception',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const skt = kit.Socket() as unknown as Record<string, (...args: unknown[]) => Promise<unknown[]>>
      const junk: unknown[] = [undefined, null, -1, Number.NaN, Number.POSITIVE_INFINITY, {}, [], () => 1, Symbol('x')]
      const calls: [string, unknown[]][] = []
      for (const j of junk) {
        calls.push(['connect', [j, 80]], ['connect', [ctx.host, j]], ['bind', [j, 0]], ['bind', [ctx.host, j]])
        calls.push(['send', [j]], ['sendto', [j, ctx.host, 9]], ['sendto', ['x', j, 9]], ['recv', [j]])
        calls.push(['recvfrom', [j]], ['ioctl', [j, 1]], ['ioctl', ['FIONBIO', j]])
      }
      calls.push(['recv', [10, 'not a function']], ['recv', [10, () => 1, -5]], ['accept', [42]])
      calls.push(['connect', [ctx.host, 70000]], ['connect', [ctx.host, 1.5]], ['ioctl', ['FIONREAD', 1]])
      calls.push(['listen', [-3]], ['listen', ['many']])
      for (const [name, args] of calls) {
        const fn = skt[name]
        assert.ok(fn !== undefined)
        const list = await fn.apply(skt, args)
        assert.ok(Array.isArray(list), `${name} gave no list`)
        assert.equal(list[0], name)
        assert.equal(typeof list[1], 'string')
        assert.notEqual(list[1], 'ok', `${name}(${args.map(String).join(', ')}) said ok`)
        assert.match(list[1] as string, /^[A-Z_]+: [^\n]*\. $/, `${name}: ${String(list[1])}`)
      }
      assert.match((await skt.connect?.(ctx.host, 70000))?.[1] as string, INVAL_ARG)
      assert.match((await skt.recv?.(-1))?.[1] as string, INVAL_ARG)
      const raw = kit.Socket('RAW')
      const status = 'SOCKTNOSUPPORT: The socket type is not supported; use "STREAM" or "DGRAM". '
      assert.deepEqual(await raw.bind(ctx.host, 0), ['bind', status])
      assert.deepEqual(await raw.connect(ctx.host, 9), ['connect', status])
      assert.deepEqual(await raw.close(), ['close', 'ok'])
      assert.equal(kit.Socket('dgram').type, 'DGRAM')
      assert.deepEqual(await (kit.Socket(42 as unknown as string) as JmpSocket).listen(), ['listen', status])
    },
  },
]
