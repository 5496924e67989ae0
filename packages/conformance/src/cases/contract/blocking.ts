import assert from 'node:assert/strict'
import type { Socket } from '@polysocket/core'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { readExactly } from '../../peers/io.js'
import { connectedPair, listen, openSocket, own } from '../../peers/sockets.js'
import { delay, since } from '../../peers/time.js'

/** The most a case pushes at a peer that does not read, in bytes: far past any socket buffer. */
const FLOOD_LIMIT = 128 * 1024 * 1024
const CHUNK = 1024 * 1024

/**
 * Sends 1 MiB chunks at a peer that does not read, until one send is short or fails with
 * EAGAIN. Returns the bytes the socket accepted and how long the last call took.
 * @throws Error when {@link FLOOD_LIMIT} bytes are accepted without either (no backpressure).
 */
async function flood(socket: Socket): Promise<{ accepted: number; lastMs: number; how: string }> {
  const chunk = Buffer.alloc(CHUNK, 0x5a)
  let accepted = 0
  while (accepted < FLOOD_LIMIT) {
    const start = performance.now()
    try {
      const n = await socket.send(chunk)
      accepted += n
      if (n < CHUNK) return { accepted, lastMs: since(start), how: `a short send of ${n} bytes` }
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw error
      return { accepted, lastMs: since(start), how: code }
    }
  }
  throw new Error(`${FLOOD_LIMIT} bytes were accepted while the peer read nothing: no backpressure`)
}

/** What blocking means: the event loop runs on, full buffers block or fail, nothing is lost. */
export const blockingCases: readonly Case[] = [
  {
    id: 'lifecycle.eventloop',
    title: 'timers keep firing while a blocking recv waits',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      let ticks = 0
      const interval = setInterval(() => ticks++, 10)
      ctx.onCleanup(() => clearInterval(interval))
      setTimeout(() => void server.send('wake').catch(() => {}), 400)
      const start = performance.now()
      assert.equal((await client.recv(16)).data.toString(), 'wake')
      clearInterval(interval)
      assert.ok(since(start) >= 350, `recv returned after ${since(start).toFixed(0)} ms, before the data was sent`)
      // About 40 on an idle machine; a blocked loop gets one at most. 8 leaves room for a loaded CI box.
      assert.ok(ticks >= 8, `only ${ticks} ticks of a 10 ms timer in about 400 ms: the event loop was blocked`)
    },
  },
  {
    id: 'lifecycle.sndtimeo.send',
    title: 'with SO_SNDTIMEO 200 ms, sending to a peer that does not read ends short or with EAGAIN, losing nothing',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 30_000,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      client.setOption('SOL_SOCKET', 'SO_SNDTIMEO', 200)
      const { accepted, lastMs, how } = await flood(client)
      assert.ok(lastMs >= 150 && lastMs < 3000, `${how} came after ${lastMs.toFixed(0)} ms, expected about 200`)
      const got = await readExactly(server, accepted, 1024 * 1024)
      assert.ok(
        got.every((b) => b === 0x5a),
        'the bytes the sender accepted arrive intact',
      )
      await client.shutdown('SHUT_WR')
      assert.equal((await server.recv(16)).data.length, 0, 'nothing beyond the accepted bytes arrives')
    },
  },
  {
    id: 'lifecycle.nonblocking.send',
    title: 'a non-blocking send to a peer that does not read ends short or with EAGAIN at once, losing nothing',
    needs: ['tcp'],
    ip: true,
    timeoutMs: 30_000,
    async run(ctx) {
      const { client, server } = await connectedPair(ctx)
      client.setNonBlocking(true)
      const { accepted, lastMs, how } = await flood(client)
      assert.ok(lastMs < 100, `${how} took ${lastMs.toFixed(0)} ms, expected at once`)
      assert.ok(accepted > 0, 'an empty connection takes some bytes')
      const got = await readExactly(server, accepted, 1024 * 1024)
      assert.equal(got.length, accepted)
      client.setNonBlocking(false)
      await client.shutdown('SHUT_WR')
      assert.equal((await server.recv(16)).data.length, 0, 'nothing beyond the accepted bytes arrives')
    },
  },
  {
    id: 'lifecycle.nonblocking.connect',
    title: 'a non-blocking connect fails with EINPROGRESS at once; repeating it reports EALREADY until it completes',
    needs: ['tcp', 'nonBlockingConnect'],
    ip: true,
    async run(ctx) {
      const listener = await listen(ctx)
      const client = await openSocket(ctx, 'SOCK_STREAM')
      client.setNonBlocking(true)
      const start = performance.now()
      await expectSocketError(client.connect(listener.address), ['EINPROGRESS'], 'non-blocking connect')
      assert.ok(since(start) < 100, `EINPROGRESS took ${since(start).toFixed(1)} ms`)
      // Repeating connect reports the progress, as on Linux: EALREADY while pending; once done,
      // success the first time (the kernel's 0) or EISCONN.
      let done = false
      for (let i = 0; i < 400 && !done; i++) {
        try {
          await client.connect(listener.address)
          done = true
        } catch (error) {
          const code = (error as { code?: string }).code
          if (code === 'EISCONN') done = true
          else if (code === 'EALREADY') await delay(5)
          else throw error
        }
      }
      assert.ok(done, 'the connection never completed')
      const accepted = own(ctx, (await listener.socket.accept({ signal: ctx.signal })).socket)
      client.setNonBlocking(false)
      await client.send('through')
      assert.equal((await readExactly(accepted, 7)).toString(), 'through')
    },
  },
]
