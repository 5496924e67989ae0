import { describe, expect, it } from 'vitest'
import { EOF, getLastSocketError, LispSocket, withOwnLastSocketError } from '../../src/facades/lisp/index.js'
import { type Backend, defineCapabilities } from '../../src/index.js'
import { ScriptedSocket, type Step, timeout } from './lisp-scripted-socket.js'

/** Only what a socket object asks of its backend without a resolver. */
const backend = { name: 'scripted', supports: defineCapabilities({}) } as unknown as Backend

function make(script: Step[], options: { maxstring?: number; type?: 'SOCK_STREAM' | 'SOCK_DGRAM' } = {}) {
  const socket = new ScriptedSocket(script, options.type)
  const lisp = new LispSocket(backend, socket, options.maxstring === undefined ? {} : { maxstring: options.maxstring })
  return { socket, lisp }
}

/** Each test gets its own `*lastsocketerror*`, like a Lisp thread. */
const own =
  (fn: () => Promise<void>): (() => Promise<void>) =>
  () =>
    withOwnLastSocketError(fn)

const euro = Buffer.from('€') // e2 82 ac

describe('lisp read-char', () => {
  it(
    'decodes a character whose bytes arrive in two reads',
    own(async () => {
      const { socket, lisp } = make([euro.subarray(0, 2), euro.subarray(2)])
      expect(await lisp.readChar()).toBe(8364)
      expect(socket.recvCalls).toEqual([4096, 4096])
    }),
  )

  it(
    'loses a sequence cut by a timeout and returns nil with the system message',
    own(async () => {
      const { lisp } = make([euro.subarray(0, 2), timeout(), Buffer.concat([euro.subarray(2), Buffer.from('A')])])
      expect(await lisp.readChar()).toBe(null)
      expect(getLastSocketError()).toBe('Resource temporarily unavailable')
      expect(lisp.eof()).toBe(null)
      // The continuation byte alone is ill-formed; the next character is intact.
      expect(await lisp.readChar()).toBe(0xfffd)
      expect(await lisp.readChar()).toBe(0x41)
    }),
  )

  it(
    'gives the last character again after unread-char, without reading',
    own(async () => {
      const { socket, lisp } = make(['ab'])
      expect(await lisp.readChar()).toBe(0x61)
      expect(lisp.charInBuffer()).toBe(null)
      expect(lisp.unreadChar()).toBe(null)
      expect(lisp.charInBuffer()).toBe(true)
      expect(await lisp.readChar()).toBe(0x61)
      expect(await lisp.readChar()).toBe(0x62)
      expect(socket.recvCalls).toHaveLength(1)
    }),
  )

  it(
    'sets the char-in-buffer flag for the next call and returns the state before',
    own(async () => {
      const { lisp } = make(['xy'])
      expect(lisp.charInBuffer(true)).toBe(null)
      // No character was read yet: nothing to give back.
      expect(lisp.charInBuffer()).toBe(null)
      expect(await lisp.readChar()).toBe(0x78)
      expect(lisp.charInBuffer(true)).toBe(null)
      expect(lisp.charInBuffer(null)).toBe(true)
      expect(await lisp.readChar()).toBe(0x79)
    }),
  )

  it(
    'returns EOF at the end of the stream and U+FFFD for a sequence the end cut',
    own(async () => {
      const { lisp } = make([euro.subarray(0, 1)])
      expect(await lisp.readChar()).toBe(0xfffd)
      expect(await lisp.readChar()).toBe(EOF)
      expect(lisp.eof()).toBe(true)
    }),
  )
})

describe('lisp read-string and fread', () => {
  it(
    'returns the buffer up to its last complete character; fread then gets the rest first',
    own(async () => {
      const { socket, lisp } = make([Buffer.concat([Buffer.from('ab'), euro.subarray(0, 2)]), 'later'])
      expect(await lisp.readString()).toBe('ab')
      const buffer = new Uint8Array(10)
      expect(await lisp.fread(buffer)).toBe(2)
      expect(Buffer.from(buffer.subarray(0, 2))).toEqual(euro.subarray(0, 2))
      expect(socket.recvCalls).toHaveLength(1)
      expect(await lisp.fread(buffer)).toBe(5)
      expect(socket.recvCalls).toEqual([4096, 10])
    }),
  )

  it(
    'completes a split character when it is all the buffer holds',
    own(async () => {
      const { lisp } = make([Buffer.concat([Buffer.from('x'), euro.subarray(0, 1)]), euro.subarray(1)])
      expect(await lisp.readString()).toBe('x')
      expect(await lisp.readString()).toBe('€')
    }),
  )

  it(
    'keeps CR-LF and newlines inside the string',
    own(async () => {
      const { lisp } = make(['HTTP/1.1 200 OK\r\nA: b\r\n\r\n'])
      expect(await lisp.readString()).toBe('HTTP/1.1 200 OK\r\nA: b\r\n\r\n')
    }),
  )

  it(
    'returns nil and sets eof at the end of the stream',
    own(async () => {
      const { lisp } = make([])
      expect(await lisp.readString()).toBe(null)
      expect(lisp.eof()).toBe(true)
      expect(getLastSocketError()).toBe(null)
    }),
  )

  it(
    'fread reads at most the length given and the buffer size',
    own(async () => {
      const { lisp } = make(['0123456789'], { maxstring: 4 })
      expect(await lisp.readChar()).toBe(0x30)
      const buffer = new Uint8Array(8)
      // The input buffer holds "123" of the 4 bytes read; fread gives those first.
      expect(await lisp.fread(buffer, 2)).toBe(2)
      expect(await lisp.fread(buffer)).toBe(1)
      expect(Buffer.from(buffer.subarray(0, 1)).toString()).toBe('3')
      expect(await lisp.fread(buffer)).toBe(6)
      expect(Buffer.from(buffer.subarray(0, 6)).toString()).toBe('456789')
      // The section promises an integer or nil: the end of the stream is 0.
      expect(await lisp.fread(buffer)).toBe(0)
      expect(lisp.eof()).toBe(true)
    }),
  )

  it(
    'fread returns an unread character first',
    own(async () => {
      const { lisp } = make(['€z'])
      expect(await lisp.readChar()).toBe(8364)
      lisp.unreadChar()
      const buffer = new Uint8Array(8)
      expect(await lisp.fread(buffer)).toBe(4)
      expect(Buffer.from(buffer.subarray(0, 4)).toString()).toBe('€z')
    }),
  )
})

describe('lisp recv, recv-from and clear-input', () => {
  it(
    'recv forgets the input buffer and reads the socket',
    own(async () => {
      const { socket, lisp } = make(['hello', 'world', 'again'])
      expect(await lisp.readChar()).toBe(0x68)
      const buffer = new Uint8Array(16)
      expect(await lisp.recv(buffer)).toBe(5)
      expect(Buffer.from(buffer.subarray(0, 5)).toString()).toBe('world')
      expect(await lisp.readChar()).toBe(0x61)
      expect(socket.recvCalls).toEqual([4096, 16, 4096])
    }),
  )

  it(
    'recv honours the length keyword, as pairs or as an object',
    own(async () => {
      const { socket, lisp } = make(['abcdef'])
      const buffer = new Uint8Array(16)
      expect(await lisp.recv(buffer, 'length', 2)).toBe(2)
      expect(await lisp.recv(buffer, { length: 3 })).toBe(3)
      expect(socket.recvCalls).toEqual([2, 3])
    }),
  )

  it(
    'clear-input forces a real read and returns nil',
    own(async () => {
      const { socket, lisp } = make(['abc', 'xyz'])
      expect(await lisp.readChar()).toBe(0x61)
      expect(lisp.clearInput()).toBe(null)
      expect(await lisp.readChar()).toBe(0x78)
      expect(socket.recvCalls).toHaveLength(2)
    }),
  )

  it(
    'recv-from stores the sender in remoteaddress and remoteport',
    own(async () => {
      const { lisp } = make([{ data: 'dg', from: { family: 'inet', address: '127.0.0.1', port: 5353 } }], {
        type: 'SOCK_DGRAM',
      })
      const buffer = new Uint8Array(8)
      expect(await lisp.recvFrom(buffer)).toBe(2)
      expect(lisp.remoteaddress).toBe('127.0.0.1')
      expect(lisp.remoteport).toBe(5353)
    }),
  )

  it(
    'recv returns EOF at the end of a stream',
    own(async () => {
      const { lisp } = make([])
      expect(await lisp.recv(new Uint8Array(4))).toBe(EOF)
      expect(lisp.eof()).toBe(true)
    }),
  )
})

describe('lisp writes', () => {
  it(
    'write-line appends LF, write-string does not; both return the string',
    own(async () => {
      const { socket, lisp } = make([])
      expect(await lisp.writeLine('HEAD / HTTP/1.1')).toBe('HEAD / HTTP/1.1')
      expect(await lisp.writeString('HEAD / HTTP/1.1')).toBe('HEAD / HTTP/1.1')
      expect(socket.sent.map((b) => b.toString())).toEqual(['HEAD / HTTP/1.1\n', 'HEAD / HTTP/1.1'])
    }),
  )

  it(
    'write-char writes UTF-8 and returns the code point; a surrogate gives nil',
    own(async () => {
      const { socket, lisp } = make([])
      expect(await lisp.writeChar(8364)).toBe(8364)
      expect(socket.sent[0]).toEqual(euro)
      expect(await lisp.writeChar(0xd800)).toBe(null)
      expect(getLastSocketError()).toMatch(/^Invalid argument: /)
    }),
  )

  it(
    'send and fwrite honour the length',
    own(async () => {
      const { socket, lisp } = make([])
      const data = Buffer.from('abcdef')
      expect(await lisp.send(data, 'length', 3)).toBe(3)
      expect(await lisp.fwrite(data, 2)).toBe(2)
      expect(await lisp.fwrite(data, 100)).toBe(6)
      expect(socket.sent.map((b) => b.toString())).toEqual(['abc', 'ab', 'abcdef'])
    }),
  )
})

describe('lisp socket object after destroy and with bad arguments', () => {
  it(
    'returns EOF from read-char, read-line, recv and send, 0 from fread, nil from the rest',
    own(async () => {
      const { lisp } = make(['never read'])
      expect(await lisp.destroy()).toBe(true)
      expect(lisp.eof()).toBe(true)
      expect(await lisp.readChar()).toBe(EOF)
      expect(await lisp.readString()).toBe(null)
      expect(await lisp.readLine()).toBe(EOF)
      expect(await lisp.recv(new Uint8Array(4))).toBe(EOF)
      expect(await lisp.fread(new Uint8Array(4))).toBe(0)
      expect(await lisp.send(Buffer.from('x'))).toBe(EOF)
      expect(getLastSocketError()).toBe(null)
      for (const write of [
        () => lisp.writeLine('x'),
        () => lisp.writeString('x'),
        () => lisp.writeChar(65),
        () => lisp.fwrite(Buffer.from('x')),
      ]) {
        expect(await write()).toBe(null)
        expect(getLastSocketError()).toBe('Bad file descriptor')
      }
      expect(await lisp.listen(5)).toBe(null)
      expect(getLastSocketError()).toBe('Bad file descriptor')
    }),
  )

  it(
    'never throws, whatever a program passes',
    own(async () => {
      const { lisp } = make([])
      const odd: unknown[] = [
        undefined,
        null,
        -1,
        1.5,
        Number.NaN,
        'x',
        {},
        [],
        Symbol('s'),
        new Uint8Array(0),
        2 ** 40,
      ]
      const calls: ((a: unknown, b: unknown) => unknown)[] = [
        (a, b) => lisp.connect(a, b),
        (a, b) => lisp.fread(a, b),
        (a, b) => lisp.fwrite(a, b),
        (a, b) => lisp.getsockopt(a, b),
        (a, b) => lisp.setsockopt(a, b, a),
        (a) => lisp.listen(a),
        (a, b) => lisp.recv(a, b),
        (a, b) => lisp.recvFrom(a, 'flags', b),
        (a, b) => lisp.send(a, 'length', b),
        (a, b) => lisp.sendTo(a, b, b),
        (a) => lisp.writeChar(a),
        (a) => lisp.writeLine(a),
        (a) => lisp.writeString(a),
        (a, b) => lisp.charInBuffer(a ?? b),
      ]
      let results = 0
      for (const call of calls) {
        for (const a of odd) {
          for (const b of [undefined, 'flags', -5]) {
            await expect(Promise.resolve().then(() => call(a, b))).resolves.not.toThrow()
            results++
          }
        }
      }
      expect(results).toBe(calls.length * odd.length * 3)
      expect(getLastSocketError()).toMatch(/^Invalid argument: |Protocol not available/)
    }),
  )
})

describe('lisp options on a socket object', () => {
  it(
    'keeps SO_RCVTIMEO in milliseconds, floats allowed, and answers nil for a misspelt option',
    own(async () => {
      const { lisp } = make([])
      expect(lisp.setsockopt(null, 'SO_RCVTIMEO', 10000)).toBe(true)
      expect(lisp.getsockopt(null, 'SO_RCVTIMEO')).toBe(10000)
      expect(lisp.setsockopt(null, 'SO_SNDTIMEO', 2.5)).toBe(true)
      expect(lisp.getsockopt(null, 'SO_SNDTIMEO')).toBe(2.5)
      expect(lisp.getsockopt(null, 'SO_RVCTIMEO')).toBe(null)
      expect(getLastSocketError()).toMatch(/^Protocol not available/)
    }),
  )
})

describe('lisp read-line', () => {
  it(
    'joins reads until a LF, drops the LF and a CR before it, and keeps the rest buffered',
    own(async () => {
      const { socket, lisp } = make(['GET / HT', 'TP/1.0\r', '\nHost: a\r\rb\nrest'], { maxstring: 8 })
      expect(await lisp.readLine()).toBe('GET / HTTP/1.0')
      expect(await lisp.readLine()).toBe('Host: a\r\rb')
      expect(await lisp.readString()).toBe('rest')
      expect(socket.recvCalls).toEqual([8, 8, 8, 8])
    }),
  )

  it(
    'decodes UTF-8 as read-char does: a split character waits, an ill-formed one is U+FFFD',
    own(async () => {
      const { lisp } = make([Buffer.from([0x61, 0xe2, 0x82]), Buffer.from([0xac, 0xe2, 0x0a, 0x62])])
      expect(await lisp.readLine()).toBe('a€\ufffd')
      // The last line ends with the stream; then EOF.
      expect(await lisp.readLine()).toBe('b')
      expect(await lisp.readLine()).toBe(EOF)
      expect(lisp.eof()).toBe(true)
    }),
  )

  it(
    'keeps an unfinished line through a timeout and returns it whole later',
    own(async () => {
      const { lisp } = make(['par', timeout(), 'tial\n'])
      expect(await lisp.readLine()).toBe(null)
      expect(getLastSocketError()).toBe('Resource temporarily unavailable')
      expect(lisp.eof()).toBe(null)
      expect(await lisp.readLine()).toBe('partial')
    }),
  )

  it(
    'starts with an unread character, and leaves its LF as the last character read',
    own(async () => {
      const { lisp } = make(['ab\ncd\n'])
      expect(await lisp.readChar()).toBe(0x61)
      lisp.unreadChar()
      expect(await lisp.readLine()).toBe('ab')
      lisp.unreadChar()
      expect(await lisp.readLine()).toBe('')
      expect(await lisp.readChar()).toBe(0x63)
      expect(await lisp.readLine()).toBe('d')
    }),
  )

  it(
    'returns a line longer than its limit in pieces cut between characters',
    own(async () => {
      const { LINE_LIMIT } = await import('../../src/facades/lisp/reader.js')
      const long = Buffer.concat([Buffer.alloc(LINE_LIMIT - 1, 0x78), euro, Buffer.from('\n')])
      const { lisp } = make([long], { maxstring: 64 * 1024 })
      const first = await lisp.readLine()
      expect(typeof first === 'string' && first.length).toBe(LINE_LIMIT - 1)
      expect(await lisp.readLine()).toBe('€')
    }),
  )
})
