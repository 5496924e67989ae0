import assert from 'node:assert/strict'
import { decodeJsl, type JmpAcceptList, type JmpRecvCallbackList, type JmpSocket } from '@polysocket/core/jmp'
import type { Case } from '../../case.js'
import { delay, within } from '../../peers/time.js'
import { connectedPair, Inbox, jmpKit, listenOn, recvBytes, TIMEDOUT, WOULDBLOCK } from './helpers.js'

/** Background recv, recvfrom and accept: a callback, a timeout in seconds, several at once. */
export const jmpBackgroundCases: readonly Case[] = [
  {
    id: 'jmp.recv.callback-timeout',
    title: 'recv(n, callback, timeout) returns at once and calls back with TIMEDOUT after timeout seconds',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { peer } = await connectedPair(ctx, kit)
      const inbox = new Inbox<JmpRecvCallbackList>()
      const started = performance.now()
      assert.deepEqual(await peer.recv(10, inbox.push, 0.3), ['recv', 'ok'])
      assert.ok(performance.now() - started < 250, 'a background recv did not return at once')
      const [cmd, st, data, socket] = await inbox.next(5_000)
      const elapsed = performance.now() - started
      assert.equal(cmd, 'recv')
      assert.match(st, TIMEDOUT)
      assert.equal(data, '')
      assert.equal(socket, peer)
      assert.ok(elapsed >= 250, `timed out after ${elapsed.toFixed(0)} ms, before 0.3 s`)
      assert.deepEqual(kit.callbackErrors, [])
    },
  },
  {
    id: 'jmp.recv.callback-data',
    title: 'a background recv calls back with {"recv", "ok", data, socket} when data arrives',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      const inbox = new Inbox<JmpRecvCallbackList>()
      assert.deepEqual(await peer.Recv(100, inbox.push, 5), ['Recv', 'ok'])
      await delay(30)
      assert.equal(inbox.pending, 0)
      assert.deepEqual(await client.send('hi there~0a'), ['send', 'ok', ''])
      assert.deepEqual(await inbox.next(), ['Recv', 'ok', 'hi there~0a', peer])
      // One background operation per socket at a time.
      assert.deepEqual(await peer.recv(10, inbox.push), ['recv', 'ok'])
      const [cmd, st] = await peer.recv(10, inbox.push)
      assert.deepEqual([cmd, st], ['recv', 'ALREADY: Another operation is already in progress on this socket. '])
      assert.equal((await peer.recv(10))[1], 'ALREADY: Another operation is already in progress on this socket. ')
      assert.deepEqual(await client.send('z'), ['send', 'ok', ''])
      assert.deepEqual(await inbox.next(), ['recv', 'ok', 'z', peer])
    },
  },
  {
    id: 'jmp.recv.callback-nonblocking',
    title: 'a background recv on a socket set to FIONBIO still waits for its data',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.deepEqual(await peer.ioctl('FIONBIO', 1), ['ioctl', 'ok'])
      const inbox = new Inbox<JmpRecvCallbackList>()
      assert.deepEqual(await peer.recv(100, inbox.push, 5), ['recv', 'ok'])
      await delay(60)
      assert.deepEqual(await client.send('polled'), ['send', 'ok', ''])
      assert.deepEqual(await inbox.next(), ['recv', 'ok', 'polled', peer])
      assert.deepEqual(await peer.recv(100, inbox.push, 0.2), ['recv', 'ok'])
      assert.match((await inbox.next())[1], TIMEDOUT)
    },
  },
  {
    id: 'jmp.background.several',
    title: 'background recvs on several sockets are pending at once and each gets its own data',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const a = await connectedPair(ctx, kit)
      const b = await connectedPair(ctx, kit)
      const inbox = new Inbox<JmpRecvCallbackList>()
      assert.deepEqual(await a.peer.recv(100, inbox.push, 5), ['recv', 'ok'])
      assert.deepEqual(await b.peer.recv(100, inbox.push, 5), ['recv', 'ok'])
      assert.deepEqual(await b.client.send('to b'), ['send', 'ok', ''])
      assert.deepEqual(await inbox.next(), ['recv', 'ok', 'to b', b.peer])
      assert.deepEqual(await a.client.send('to a'), ['send', 'ok', ''])
      assert.deepEqual(await inbox.next(), ['recv', 'ok', 'to a', a.peer])
    },
  },
  {
    id: 'jmp.background.close-cancels',
    title: 'closing a socket cancels its background recv: no callback, no unhandled rejection',
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { peer, server } = await connectedPair(ctx, kit)
      const rejections: unknown[] = []
      const onRejection = (reason: unknown): void => {
        rejections.push(reason)
      }
      process.on('unhandledRejection', onRejection)
      ctx.onCleanup(() => process.off('unhandledRejection', onRejection))
      const inbox = new Inbox<unknown>()
      assert.deepEqual(await peer.recv(100, inbox.push), ['recv', 'ok'])
      assert.deepEqual(await server.accept(inbox.push, 0.2), ['accept', 'ok'])
      assert.deepEqual(await peer.close(), ['close', 'ok'])
      assert.deepEqual(await server.close(), ['close', 'ok'])
      await delay(400)
      assert.equal(inbox.pending, 0, 'a cancelled operation called back')
      assert.deepEqual(rejections, [])
      assert.deepEqual(kit.callbackErrors, [])
    },
  },
  {
    id: 'jmp.background.close-releases-timers',
    title: "closing sockets with pending timed background operations leaves none of the facade's timers behind",
    needs: ['tcp'],
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { peer, server } = await connectedPair(ctx, kit)
      const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
      const before = timers()
      const inbox = new Inbox<unknown>()
      assert.deepEqual(await peer.recv(100, inbox.push, 30), ['recv', 'ok'])
      assert.deepEqual(await server.accept(inbox.push, 30), ['accept', 'ok'])
      // Each timed operation holds its deadline timer while it waits…
      assert.ok(timers() >= before + 2, `timers: ${before} before, ${timers()} while waiting`)
      assert.deepEqual(await peer.close(), ['close', 'ok'])
      assert.deepEqual(await server.close(), ['close', 'ok'])
      await delay(20)
      // …and none once their sockets are closed, so nothing of ours keeps the process alive.
      assert.ok(timers() <= before, `timers: ${before} before, ${timers()} after close`)
      assert.equal(inbox.pending, 0)
    },
  },
  {
    id: 'jmp.background.leaves-nonblocking',
    title:
      'a socket used in a background recv or accept is non-blocking afterwards: plain recv and accept answer WOULDBLOCK at once',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer, server, port } = await connectedPair(ctx, kit)
      const inbox = new Inbox<JmpRecvCallbackList>()
      assert.deepEqual(await peer.recv(100, inbox.push, 5), ['recv', 'ok'])
      // A background operation on a socket set non-blocking still waits for its data.
      await delay(30)
      assert.deepEqual(await client.send('first'), ['send', 'ok', ''])
      assert.deepEqual(await inbox.next(), ['recv', 'ok', 'first', peer])
      // Nothing is pending: the plain recv answers at once instead of waiting.
      const started = performance.now()
      const [cmd, st, data] = await within(1_000, peer.recv(100), 'a plain recv after a background one')
      assert.ok(performance.now() - started < 250, 'recv did not answer at once')
      assert.deepEqual([cmd, data], ['recv', ''])
      assert.match(st, WOULDBLOCK)
      // ioctl("FIONBIO", 0) makes it blocking again.
      assert.deepEqual(await peer.ioctl('FIONBIO', 0), ['ioctl', 'ok'])
      const waiting = peer.recv(100)
      await delay(50)
      assert.deepEqual(await client.send('second'), ['send', 'ok', ''])
      assert.deepEqual(await waiting, ['recv', 'ok', 'second'])

      // The same for a listener after a background accept.
      const accepted = new Inbox<JmpAcceptList>()
      assert.deepEqual(await server.accept(accepted.push, 5), ['accept', 'ok'])
      const other = kit.Socket()
      assert.deepEqual(await other.connect(ctx.host, port), ['connect', 'ok'])
      const list = await accepted.next()
      assert.equal(list[1], 'ok')
      if (list.length === 4) kit.track(list[3])
      const plain = await within(1_000, server.accept(), 'a plain accept after a background one')
      assert.equal(plain.length, 2)
      assert.match(plain[1], WOULDBLOCK)
      assert.deepEqual(kit.callbackErrors, [])
    },
  },
  {
    id: 'jmp.accept.callback-timeout',
    title: 'accept(callback, timeout) times out with TIMEDOUT; timeout 0 waits for a client',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      const port = await listenOn(ctx, server)
      const inbox = new Inbox<JmpAcceptList>()
      assert.deepEqual(await server.accept(inbox.push, 0.2), ['accept', 'ok'])
      const timedOut = await inbox.next()
      assert.equal(timedOut.length, 2)
      assert.equal(timedOut[0], 'accept')
      assert.match(timedOut[1], TIMEDOUT)
      assert.deepEqual(await server.accept(inbox.push, 0), ['accept', 'ok'])
      await delay(400)
      assert.equal(inbox.pending, 0, 'timeout 0 timed out')
      const client = kit.Socket()
      assert.deepEqual(await client.connect(ctx.host, port), ['connect', 'ok'])
      const accepted = await inbox.next()
      assert.equal(accepted[1], 'ok')
      assert.equal(accepted.length, 4)
      kit.track(accepted[3] as JmpSocket)
    },
  },
  {
    id: 'jmp.accept.echo-server',
    title: 'an echo server whose accept callback serves several clients, in turn and at once',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 20_000,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      const port = await listenOn(ctx, server)
      const problems: string[] = []
      let served = 0
      // The JSL way: each callback sends its message again to keep the work going.
      const onData = async ([, st, data, skt]: JmpRecvCallbackList): Promise<void> => {
        if (st !== 'ok') problems.push(`recv: ${st}`)
        if (st !== 'ok' || data === '') {
          await skt.close()
          return
        }
        const [, sent] = await skt.send(data)
        if (sent !== 'ok') problems.push(`send: ${sent}`)
        await skt.recv(1000, onData, 5)
      }
      const onClient = async (list: JmpAcceptList): Promise<void> => {
        if (list[1] !== 'ok' || list.length !== 4) {
          problems.push(`accept: ${list[1]}`)
          return
        }
        served++
        const client = kit.track(list[3])
        await client.recv(1000, onData, 5)
        await server.accept(onClient, 0)
      }
      assert.deepEqual(await server.accept(onClient, 0), ['accept', 'ok'])

      const talk = async (i: number): Promise<void> => {
        const skt = kit.Socket()
        assert.deepEqual(await skt.connect(ctx.host, port), ['connect', 'ok'])
        for (const line of [`hello ${i}~0d~0a`, `~00~ff~7e ${i}`]) {
          assert.deepEqual(await skt.send(line), ['send', 'ok', ''])
          const want = decodeJsl(line)
          const got = await recvBytes(skt, want.length, decodeJsl)
          assert.deepEqual(got, want)
        }
        assert.deepEqual(await skt.close(), ['close', 'ok'])
      }
      await talk(1)
      await talk(2)
      await Promise.all([talk(3), talk(4), talk(5)])
      for (let i = 0; i < 100 && served < 5; i++) await delay(10)
      assert.equal(served, 5)
      assert.deepEqual(problems, [])
      assert.deepEqual(kit.callbackErrors, [])
    },
  },
]
