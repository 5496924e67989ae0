import assert from 'node:assert/strict'
import { EOF } from '@polysocket/core/lisp'
import type { Case } from '../../case.js'
import { closedPort } from '../../peers/sockets.js'
import { connectedPair, lispKit, listening, readBytes } from './helpers.js'

/**
 * Every example of the Lisp socket class reference, in the order of the document, adapted to loopback
 * and `await`: `(recv mysock buffer1)` becomes `await mysock.recv(buffer1)`.
 */
export const lispExampleCases: readonly Case[] = [
  {
    id: 'lisp.example.accept',
    title: '(accept mysock) returns a new connected socket object, the listener keeps listening',
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = lispKit(ctx)
      const mysock = await listening(ctx, kit)
      const clients = [await kit.make(kit.inet, 'stream'), await kit.make(kit.inet, 'stream')]
      for (const client of clients) {
        const [connected, accepted] = await Promise.all([client.connect(ctx.host, mysock.port), mysock.accept()])
        assert.equal(connected, true)
        const peer = kit.track(accepted)
        assert.notEqual(peer, mysock)
        assert.equal(peer.family, kit.inet)
        assert.equal(peer.type, 'stream')
        assert.equal(peer.remoteaddress, ctx.host)
        assert.equal(peer.remoteport, client.port)
        assert.equal(peer.port, mysock.port)
        assert.equal(await client.writeString('hi'), 'hi')
        assert.equal(await peer.readString(), 'hi')
      }
    },
  },
  {
    id: 'lisp.example.char-in-buffer',
    title: '(char-in-buffer mysock t) sets the flag for the next read-char, which gives the last character again',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('é!')
      assert.equal(await client.readChar(), 0xe9)
      assert.equal(client.charInBuffer(), null)
      assert.equal(client.charInBuffer(true), null)
      assert.equal(client.charInBuffer(), true)
      assert.equal(await client.readChar(), 0xe9)
      assert.equal(client.charInBuffer(), null)
      assert.equal(await client.readChar(), 0x21)
    },
  },
  {
    id: 'lisp.example.clear-input',
    title: '(clear-input mysock) returns nil and the next read-char reads the socket',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('abc')
      assert.equal(await client.readChar(), 0x61)
      assert.equal(client.clearInput(), null)
      await peer.writeString('xyz')
      // "bc" is forgotten; the next character comes from a real read.
      assert.equal(await client.readChar(), 0x78)
    },
  },
  {
    id: 'lisp.example.connect',
    title:
      "(make-instance socket 'inet 'stream 0 'port P) then (connect sock host port) binds, connects and sets remote properties",
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const server = await listening(ctx, kit)
      const port = await closedPort(ctx)
      const google = await kit.make('inet', 'stream', 0, 'port', port)
      assert.equal(google.port, port)
      // A host name and the port as a string, as the document allows.
      const [connected, accepted] = await Promise.all([
        google.connect('localhost', String(server.port)),
        server.accept(),
      ])
      assert.equal(connected, true, `connect: ${kit.lisp.lastsocketerror}`)
      assert.equal(google.remoteaddress, '127.0.0.1')
      assert.equal(google.remoteport, server.port)
      assert.equal(google.port, port)
      assert.equal(kit.track(accepted).remoteport, port)
    },
  },
  {
    id: 'lisp.example.connect.service',
    title: '(connect sock "localhost" \'http) resolves the service name to port 80',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const sock = await kit.make('inet', 'stream')
      kit.lisp.lastsocketerror = null
      const result = await sock.connect('localhost', 'http')
      // Nothing need listen on port 80 here: refused means the name was resolved and tried.
      if (result === null) assert.equal(kit.lisp.lastsocketerror, 'Connection refused')
      else {
        assert.equal(result, true)
        assert.equal(sock.remoteport, 80)
      }
    },
  },
  {
    id: 'lisp.example.constructor',
    title: "(make-instance socket 'inet 'stream 0 'port P) calls socket() and bind()",
    needs: ['tcp'],
    ip: true,
    async run(ctx) {
      const kit = lispKit(ctx)
      // The wildcard bind also collides with ports that parallel tests hold on loopback
      // (TIME_WAIT included): a few fresh ports keep the case about this API, not about luck.
      let port = 0
      let sock: Awaited<ReturnType<typeof kit.make>> | null = null
      for (let attempt = 0; attempt < 5 && sock === null; attempt++) {
        port = await closedPort(ctx)
        sock = await kit.lisp.makeInstance('socket', kit.inet, 'stream', 0, 'port', port)
        if (sock === null) assert.equal(kit.lisp.lastsocketerror, 'Address already in use')
      }
      assert.ok(sock !== null, `no free port for a wildcard bind in 5 attempts: ${kit.lisp.lastsocketerror}`)
      kit.track(sock)
      assert.equal(sock.family, kit.inet)
      assert.equal(sock.type, 'stream')
      assert.equal(sock.maxstring, 4096)
      assert.equal(sock.port, port)
      assert.equal(sock.address, ctx.ipFamily === 6 ? '::' : '0.0.0.0')
      assert.equal(sock.eof(), null)
      // The port is taken: a second socket on it fails, nil and the system message.
      kit.lisp.lastsocketerror = null
      assert.equal(await kit.lisp.makeInstance('socket', kit.inet, 'stream', 0, 'port', port), null)
      assert.equal(kit.lisp.lastsocketerror, 'Address already in use')
    },
  },
  {
    id: 'lisp.example.destroy-instance',
    title: '(destroy-instance mysock) closes the socket and returns t',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.equal(await kit.lisp.destroyInstance(client), true)
      assert.equal(client.eof(), true)
      assert.equal(await peer.readString(), null)
      assert.equal(peer.eof(), true)
      assert.equal(await kit.lisp.destroyInstance(client), true)
      assert.equal(await kit.lisp.destroyInstance('not a socket'), null)
    },
  },
  {
    id: 'lisp.example.eof',
    title: '(eof mysock) is nil while the socket is operable and t once the peer closed and a read met the end',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.equal(client.eof(), null)
      await peer.writeString('last')
      await peer.destroy()
      assert.equal(await client.readString(), 'last')
      assert.equal(client.eof(), null)
      assert.equal(await client.readChar(), EOF)
      assert.equal(client.eof(), true)
    },
  },
  {
    id: 'lisp.example.fread',
    title: '(fread mysock buffer1) reads up to the buffer length and returns the count',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.fwrite(Buffer.from('0123456789'))
      const buffer1 = new Uint8Array(4)
      assert.equal(await client.fread(buffer1), 4)
      assert.equal(Buffer.from(buffer1).toString(), '0123')
      assert.equal(await client.fread(buffer1, 2), 2)
      assert.equal(Buffer.from(buffer1.subarray(0, 2)).toString(), '45')
      assert.equal((await readBytes(client, 4)).toString(), '6789')
    },
  },
  {
    id: 'lisp.example.fwrite',
    title: '(fwrite mysock buffer1) writes the buffer, or its first n bytes, and returns the count',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      const buffer1 = Buffer.from('binary\x00\xff')
      assert.equal(await client.fwrite(buffer1), buffer1.length)
      assert.equal(await client.fwrite(buffer1, 3), 3)
      assert.deepEqual(await readBytes(peer, buffer1.length + 3), Buffer.concat([buffer1, buffer1.subarray(0, 3)]))
    },
  },
  {
    id: 'lisp.example.getsockopt',
    title:
      "(getsockopt mysock nil 'SO_RVCTIMEO) => nil: the misspelt option is unknown; the right one gives milliseconds",
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const mysock = await kit.make('inet', 'stream')
      kit.lisp.lastsocketerror = null
      assert.equal(mysock.getsockopt(null, 'SO_RVCTIMEO'), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Protocol not available/)
      kit.lisp.lastsocketerror = null
      assert.equal(mysock.getsockopt(null, 'SO_RCVTIMEO'), 0)
      assert.equal(mysock.getsockopt(null, 'SO_TYPE'), 1)
      assert.equal(mysock.getsockopt(null, 'SO_KEEPALIVE'), null)
      assert.equal(kit.lisp.lastsocketerror, null)
      assert.equal(mysock.setsockopt(null, 'SO_KEEPALIVE', true), true)
      assert.equal(mysock.getsockopt(null, 'SO_KEEPALIVE'), true)
      assert.equal(mysock.setsockopt('tcp', 'TCP_NODELAY', true), true)
      assert.equal(mysock.getsockopt(6, 'TCP_NODELAY'), true)
    },
  },
  {
    id: 'lisp.example.listen',
    title: '(listen mysock 5) returns t; accept then works',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const mysock = await kit.make('inet', 'stream', 0, 'address', '127.0.0.1')
      assert.equal(await mysock.listen(5), true)
      assert.ok(typeof mysock.port === 'number' && mysock.port > 0)
      const client = await kit.make('inet', 'stream')
      const [connected, accepted] = await Promise.all([client.connect('127.0.0.1', mysock.port), mysock.accept()])
      assert.equal(connected, true)
      kit.track(accepted)
    },
  },
  {
    id: 'lisp.example.read-char',
    title: '(read-char mysock) returns one Unicode integer per UTF-8 character, EOF at the end',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('a€😀')
      await peer.destroy()
      assert.equal(await client.readChar(), 0x61)
      assert.equal(await client.readChar(), 8364)
      assert.equal(await client.readChar(), 0x1f600)
      assert.equal(await client.readChar(), EOF)
    },
  },
  {
    id: 'lisp.example.read-string',
    title: '(read-string mysoc) returns the input buffer as a string, CR-LF kept',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      const response = 'HTTP/1.1 200 OK\r\nServer: lisp\r\n\r\n'
      await peer.writeString(response)
      let text = ''
      for (let i = 0; i < 100 && text.length < response.length; i++) text += (await client.readString()) ?? ''
      assert.equal(text, response)
    },
  },
  {
    id: 'lisp.example.recv',
    title: '(recv mysock buffer1) reads into the buffer, length and flags keywords honoured, EOF at the end',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.send(Buffer.from('abcdef'))
      const buffer1 = new Uint8Array(16)
      assert.equal(await client.recv(buffer1, 'length', 2), 2)
      assert.equal(Buffer.from(buffer1.subarray(0, 2)).toString(), 'ab')
      let got = ''
      for (let i = 0; i < 100 && got.length < 4; i++) {
        const n = await client.recv(buffer1)
        assert.equal(typeof n, 'number')
        got += Buffer.from(buffer1.subarray(0, n as number)).toString()
      }
      assert.equal(got, 'cdef')
      await peer.destroy()
      assert.equal(await client.recv(buffer1), EOF)
    },
  },
  {
    id: 'lisp.example.recv-from',
    title: '(recv-from mysock buffer1) reads a datagram and stores its sender',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const kit = lispKit(ctx)
      const mysock = await kit.make(kit.inet, 'dgram', 0, 'address', ctx.host)
      const sender = await kit.make(kit.inet, 'dgram', 0, 'address', ctx.host)
      assert.equal(await sender.sendTo(Buffer.from('ping'), ctx.host, mysock.port), 4)
      const buffer1 = new Uint8Array(64)
      assert.equal(await mysock.recvFrom(buffer1), 4)
      assert.equal(Buffer.from(buffer1.subarray(0, 4)).toString(), 'ping')
      assert.equal(mysock.remoteaddress, ctx.host)
      assert.equal(mysock.remoteport, sender.port)
    },
  },
  {
    id: 'lisp.example.send',
    title: '(send mysock buffer1) sends the buffer and returns the count; the input buffer is kept',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('xy')
      assert.equal(await client.readChar(), 0x78)
      const buffer1 = Buffer.from('payload')
      assert.equal(await client.send(buffer1), 7)
      assert.equal(await client.send(buffer1, 'length', 3, 'flags', 0), 3)
      assert.equal((await readBytes(peer, 10)).toString(), 'payloadpay')
      // send did not touch the input buffer: "y" is still there.
      assert.equal(await client.readChar(), 0x79)
    },
  },
  {
    id: 'lisp.example.send-to',
    title: '(send-to mysock buffer1 host port) sends a datagram to the address given',
    needs: ['udp'],
    ip: true,
    async run(ctx) {
      const kit = lispKit(ctx)
      const receiver = await kit.make(kit.inet, 'dgram', 0, 'address', ctx.host)
      // Only the address is given: the constructor binds port 0 and the kernel picks one.
      const mysock = await kit.make(kit.inet, 'dgram', 0, 'address', ctx.host)
      const buffer1 = Buffer.from('GET / HTTP/1.0')
      assert.ok(typeof mysock.port === 'number' && mysock.port > 0, `port ${mysock.port}`)
      assert.equal(await mysock.sendTo(buffer1, ctx.host, receiver.port), buffer1.length)
      assert.equal(await mysock.sendTo(buffer1, ctx.host, String(receiver.port), 'length', 3), 3)
      const buffer = new Uint8Array(64)
      assert.equal(await receiver.recvFrom(buffer), buffer1.length)
      assert.equal(receiver.remoteport, mysock.port)
      assert.equal(await receiver.recvFrom(buffer), 3)
      assert.equal(Buffer.from(buffer.subarray(0, 3)).toString(), 'GET')
    },
  },
  {
    id: 'lisp.example.setsockopt',
    title: "(setsockopt mysock nil 'SO_RCVTIMEO 10000) and 'SO_SNDTIMEO 10000 return t and read back in milliseconds",
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const mysock = await kit.make('inet', 'stream')
      assert.equal(mysock.setsockopt(null, 'SO_RCVTIMEO', 10000), true)
      assert.equal(mysock.setsockopt(null, 'SO_SNDTIMEO', 10000), true)
      assert.equal(mysock.getsockopt(null, 'SO_RCVTIMEO'), 10000)
      assert.equal(mysock.getsockopt(null, 'SO_SNDTIMEO'), 10000)
      assert.equal(mysock.setsockopt(null, 'SO_RCVTIMEO', 0), true)
      assert.equal(mysock.getsockopt(null, 'SO_RCVTIMEO'), 0)
      kit.lisp.lastsocketerror = null
      assert.equal(mysock.setsockopt(null, 'SO_RCVTIMEO', -5), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Invalid argument/)
      assert.equal(mysock.setsockopt(null, 'SO_LINGER', [1, 0]), true)
      assert.deepEqual(mysock.getsockopt(null, 'SO_LINGER'), [1, 0])
    },
  },
  {
    id: 'lisp.example.showbin',
    title: 'showbin (no example in the document) prints the buffers and flags and returns t',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('abc')
      assert.equal(await client.readChar(), 0x61)
      assert.equal(client.showbin(), true)
      assert.equal(kit.printed.length, 1)
      assert.match(kit.printed[0] ?? '', /input buffer 2\/4096 bytes/)
      assert.match(kit.printed[0] ?? '', /last char 97/)
    },
  },
  {
    id: 'lisp.example.unread-char',
    title: '(unread-char mysock) returns nil and the next read-char gives the same character',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      await peer.writeString('€x')
      assert.equal(await client.readChar(), 8364)
      assert.equal(client.unreadChar(), null)
      assert.equal(await client.readChar(), 8364)
      assert.equal(await client.readChar(), 0x78)
    },
  },
  {
    id: 'lisp.example.write-char',
    title: '(write-char mysock 8364) writes the UTF-8 of € and returns 8364',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.equal(await client.writeChar(8364), 8364)
      assert.deepEqual(await readBytes(peer, 3), Buffer.from([0xe2, 0x82, 0xac]))
      kit.lisp.lastsocketerror = null
      assert.equal(await client.writeChar(0x110000), null)
      assert.match(kit.lisp.lastsocketerror ?? '', /^Invalid argument/)
    },
  },
  {
    id: 'lisp.example.write-line',
    title: '(write-line mysock "HEAD / HTTP/1.1") returns the string and sends it with LF appended',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.equal(await client.writeLine('HEAD / HTTP/1.1'), 'HEAD / HTTP/1.1')
      assert.equal((await readBytes(peer, 16)).toString(), 'HEAD / HTTP/1.1\n')
    },
  },
  {
    id: 'lisp.example.write-string',
    title: '(write-string mysock "HEAD / HTTP/1.1") returns the string and sends it without newline',
    needs: ['tcp'],
    async run(ctx) {
      const kit = lispKit(ctx)
      const { client, peer } = await connectedPair(ctx, kit)
      assert.equal(await client.writeString('HEAD / HTTP/1.1'), 'HEAD / HTTP/1.1')
      await client.writeString('|')
      assert.equal((await readBytes(peer, 16)).toString(), 'HEAD / HTTP/1.1|')
    },
  },
]
