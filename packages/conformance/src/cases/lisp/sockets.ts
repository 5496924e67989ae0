import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { closedPort } from '../../peers/sockets.js'
import { delay } from '../../peers/time.js'
import { connectedPair, lispKit } from './helpers.js'

/** Families, types, Unix sockets, errors and `*lastsocketerror*`. */
export const lispSocketCases: readonly Case[] = [
  {
    id: 'lisp.unix.filename',
    title: "a unix socket made with 'filename is bound to that file; connect takes the file name",
    needs: ['unixStream'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const path = ctx.unixPath()
      const server = await kit.make('unix', 'stream', 0, 'filename', path)
      assert.equal(server.filename, path)
      assert.equal(server.family, 'unix')
      assert.equal(server.address, path)
      assert.equal(server.port, null)
      assert.equal(await server.listen(5), true)
      const client = await kit.make('local', 'stream')
      const [connected, accepted] = await Promise.all([client.connect(path, 'ignored'), server.accept()])
      assert.equal(connected, true, `connect: ${kit.lisp.lastsocketerror}`)
      assert.equal(client.remoteaddress, path)
      assert.equal(client.remoteport, null)
      const peer = kit.track(accepted)
      assert.equal(await client.writeLine('over unix'), 'over unix')
      assert.equal(await peer.readString(), 'over unix\n')
      // The file exists now: a second socket on it fails with the system message.
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.makeInstance('socket', 'unix', 'stream', 0, 'filename', path), null)
      assert.equal(kit.lisp.lastsocketerror, 'Address already in use')
    },
  },
  {
    id: 'lisp.unix.recv-from',
    title: 'recv-from on a unix datagram socket stores the sender file name, port nil',
    needs: ['unixDgram'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const a = await kit.make('unix', 'dgram', 0, 'filename', ctx.unixPath())
      const b = await kit.make('unix', 'dgram', 0, 'filename', ctx.unixPath())
      assert.equal(await a.sendTo(Buffer.from('dg'), b.filename, null), 2)
      const buffer = new Uint8Array(8)
      assert.equal(await b.recvFrom(buffer), 2)
      assert.equal(b.remoteaddress, a.filename)
      assert.equal(b.remoteport, null)
    },
  },
  {
    id: 'lisp.unix.seqpacket',
    title: 'seqpacket sockets work where the backend has them, and fail with nil and a clear message elsewhere',
    needs: [],
    async run(ctx) {
      const kit = lispKit(ctx)
      const path = ctx.unixPath()
      kit.lisp.lastsocketerror = null
      const server = await kit.lisp.makeInstance('socket', 'unix', 'seqpacket', 0, 'filename', path)
      if (!ctx.backend.supports.unixSeqpacket) {
        assert.equal(server, null)
        assert.match(kit.lisp.lastsocketerror ?? '', /not supported/)
        return
      }
      kit.track(server)
      assert.ok(server)
      assert.equal(await server.listen(5), true)
      const client = await kit.make('unix', 'seqpacket')
      const [connected, accepted] = await Promise.all([client.connect(path), server.accept()])
      assert.equal(connected, true)
      const peer = kit.track(accepted)
      await client.writeString('one')
      await client.writeString('two')
      const buffer = new Uint8Array(16)
      assert.equal(await peer.recv(buffer), 3)
      assert.equal(await peer.recv(buffer), 3)
      assert.equal(Buffer.from(buffer.subarray(0, 3)).toString(), 'two')
    },
  },
  {
    id: 'lisp.not-supported.family',
    title: 'families the document lists but no backend implements give nil and "Address family not supported"',
    needs: [],
    async run(ctx) {
      const kit = lispKit(ctx)
      for (const family of ['ipx', 'netlink', 'x25', 'ax25', 'atmpvc', 'appletalk', 'packet']) {
        kit.lisp.lastsocketerror = null
        assert.equal(await kit.lisp.makeInstance('socket', family, 'stream', 0), null, family)
        assert.match(kit.lisp.lastsocketerror ?? '', /^Address family not supported by protocol: family \w+ is not/)
      }
    },
  },
  {
    id: 'lisp.not-supported.type',
    title: 'type rdm gives nil and "Socket type not supported"; a bad protocol name "Protocol not supported"',
    needs: [],
    async run(ctx) {
      const kit = lispKit(ctx)
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.makeInstance('socket', 'inet', 'rdm', 0), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Socket type not supported: type rdm/)
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.makeInstance('socket', 'inet', 'stream', 'nonesuch'), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Protocol not supported/)
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.makeInstance('file', 'inet', 'stream', 0), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Invalid argument/)
    },
  },
  {
    id: 'lisp.protocol.name',
    title: 'the protocol may be a name or a number: tcp, 6 and 0 make the same stream socket',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      for (const protocol of ['tcp', 6, 0, null]) {
        const sock = await kit.make('inet', 'stream', protocol)
        assert.equal(sock.type, 'stream')
      }
      const udp = await kit.make('inet', 'dgram', 'udp', 'address', '127.0.0.1')
      assert.equal(udp.type, 'dgram')
    },
  },
  {
    id: 'lisp.returns.nil',
    title: 'the documented nil returns: accept before listen, listen on a datagram socket, send-to an unknown service',
    needs: ['tcp', 'udp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const stream = await kit.make('inet', 'stream', 0, 'address', '127.0.0.1')
      kit.lisp.lastsocketerror = null
      assert.equal(await stream.accept(), null)
      assert.equal(kit.lisp.lastsocketerror, 'Invalid argument')
      const dgram = await kit.make('inet', 'dgram', 0, 'address', '127.0.0.1')
      kit.lisp.lastsocketerror = null
      assert.equal(await dgram.listen(5), null)
      assert.equal(kit.lisp.lastsocketerror, 'Operation not supported')
      kit.lisp.lastsocketerror = null
      assert.equal(await dgram.sendTo(Buffer.from('x'), '127.0.0.1', 'no-such-service'), null)
      assert.match(
        kit.lisp.lastsocketerror ?? '',
        /^(Servname not supported for ai_socktype|Name or service not known)$/,
      )
      // Each failure left the socket usable.
      assert.equal(stream.eof(), null)
      assert.equal(dgram.eof(), null)
    },
  },
  {
    id: 'lisp.connect.refused',
    title: 'connect to a port nobody listens on returns nil and lastsocketerror "Connection refused"',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = lispKit(ctx)
      const sock = await kit.make(kit.inet, 'stream')
      kit.lisp.lastsocketerror = null
      assert.equal(await sock.connect(ctx.host, await closedPort(ctx)), null)
      assert.equal(kit.lisp.lastsocketerror, 'Connection refused')
      // The program resets it after use; it stays nil until the next failure.
      kit.lisp.lastsocketerror = null
      assert.equal(sock.eof(), null)
      assert.equal(kit.lisp.lastsocketerror, null)
    },
  },
  {
    id: 'lisp.lastsocketerror.tasks',
    title: "lastsocketerror is per task: two concurrent tasks never see each other's error",
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { lisp } = kit
      const port = await closedPort(ctx)
      let release: () => void = () => {}
      const bothFailed = new Promise<void>((r) => {
        release = r
      })
      let failed = 0
      const arrive = async (): Promise<void> => {
        if (++failed === 2) release()
        await bothFailed
      }
      lisp.lastsocketerror = null
      const [a, b] = await Promise.all([
        lisp.withOwnLastSocketError(async () => {
          const sock = await kit.make('inet', 'stream')
          assert.equal(lisp.lastsocketerror, null)
          assert.equal(await sock.connect('127.0.0.1', port), null)
          await arrive()
          await delay(10)
          return lisp.lastsocketerror
        }),
        lisp.withOwnLastSocketError(async () => {
          const sock = await kit.make('inet', 'stream')
          assert.equal(sock.getsockopt(null, 'SO_RVCTIMEO'), null)
          await arrive()
          await delay(10)
          return lisp.lastsocketerror
        }),
      ])
      assert.equal(a, 'Connection refused')
      assert.match(b ?? '', /^Protocol not available/)
      assert.equal(lisp.lastsocketerror, null)
    },
  },
  {
    id: 'lisp.fileno',
    title: 'fileno gives the descriptor where the backend has one',
    needs: ['tcp', 'fd'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client } = await connectedPair(ctx, kit)
      const fd = kit.lisp.fileno(client)
      assert.equal(typeof fd, 'number')
      assert.ok((fd as number) >= 0)
      assert.equal(client.fileno(), fd)
      await client.destroy()
      kit.lisp.lastsocketerror = null
      assert.equal(client.fileno(), null)
      assert.equal(kit.lisp.lastsocketerror, 'Bad file descriptor')
    },
  },
  {
    id: 'lisp.destroy.during-read',
    title: 'destroying a socket while a read waits on it makes that read return EOF',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client } = await connectedPair(ctx, kit)
      const reading = client.readChar()
      const receiving = client.recv(new Uint8Array(4))
      await delay(20)
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.destroyInstance(client), true)
      assert.equal(await reading, kit.lisp.EOF)
      assert.equal(await receiving, kit.lisp.EOF)
      assert.equal(kit.lisp.lastsocketerror, null)
      assert.equal(client.eof(), true)
    },
  },
  {
    id: 'lisp.send.after-peer-reset',
    title: 'writes to a connection the peer closed end in EOF or nil, eof t, never an exception',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.destroy()
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      let last: unknown = 0
      // The first writes may still be accepted; the reset arrives within a few.
      for (let i = 0; i < 200 && typeof last === 'number'; i++) {
        last = await client.send(chunk)
        if (typeof last === 'number') await delay(5)
      }
      assert.ok(last === kit.lisp.EOF || last === null, `send kept returning ${String(last)}`)
      assert.equal(client.eof(), true)
      assert.match(kit.lisp.lastsocketerror ?? '', /^(Broken pipe|Connection reset by peer)$/)
    },
  },
]
