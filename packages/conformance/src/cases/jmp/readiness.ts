import assert from 'node:assert/strict'
import type { JmpAcceptList, JmpRecvCallbackList } from '@polysocket/core/jmp'
import type { Case } from '../../case.js'
import { connectedPair, Inbox, jmpKit, listenOn, TIMEDOUT } from './helpers.js'

/**
 * Background recv and accept wait for readiness and take nothing before their data or
 * connection is there: one that times out leaves the socket as it was (JMP Socket messages,
 * recv and Accept with a callback and a timeout).
 */
export const jmpReadinessCases: readonly Case[] = [
  {
    id: 'jmp.background.timeout-leaves-data',
    title: 'after a background recv times out, data sent later is all there for the next recv',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      const inbox = new Inbox<JmpRecvCallbackList>()
      assert.deepEqual(await peer.recv(100, inbox.push, 0.2), ['recv', 'ok'])
      const [, st] = await inbox.next(5_000)
      assert.match(st, TIMEDOUT)
      assert.deepEqual(await client.send('after'), ['send', 'ok', ''])
      assert.deepEqual(await peer.ioctl('FIONBIO', 0), ['ioctl', 'ok'])
      assert.deepEqual(await peer.recv(100), ['recv', 'ok', 'after'])
      // A background recv started with data already queued answers with it at once.
      assert.deepEqual(await client.send('queued'), ['send', 'ok', ''])
      await peer.recv(3, inbox.push, 5)
      assert.deepEqual(await inbox.next(5_000), ['recv', 'ok', 'que', peer])
      assert.deepEqual(await peer.ioctl('FIONBIO', 0), ['ioctl', 'ok'])
      assert.deepEqual(await peer.recv(100), ['recv', 'ok', 'ued'], 'only what was asked for was taken')
      assert.deepEqual(kit.callbackErrors, [])
    },
  },
  {
    id: 'jmp.background.accept-timeout-leaves-queue',
    title: 'after a background accept times out, a later connection waits for the next accept',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = jmpKit(ctx)
      const server = kit.Socket()
      const port = await listenOn(ctx, server)
      const inbox = new Inbox<JmpAcceptList>()
      assert.deepEqual(await server.accept(inbox.push, 0.2), ['accept', 'ok'])
      const [, st] = await inbox.next(5_000)
      assert.match(st, TIMEDOUT)
      const client = kit.Socket()
      assert.deepEqual(await client.connect(ctx.host, port), ['connect', 'ok'])
      assert.deepEqual(await server.ioctl('FIONBIO', 0), ['ioctl', 'ok'])
      const accepted = await server.accept()
      assert.equal(accepted[1], 'ok', String(accepted[1]))
      kit.track(accepted[3] as Parameters<typeof kit.track>[0])
      assert.deepEqual(kit.callbackErrors, [])
    },
  },
]
