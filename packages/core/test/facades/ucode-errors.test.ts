import { describe, expect, it } from 'vitest'
import type { Backend } from '../../src/contract/backend.js'
import { defineCapabilities } from '../../src/contract/capabilities.js'
import { notSupported, SocketError } from '../../src/errors.js'
import { ErrorSlot, toFailure, ucodeStrerror } from '../../src/facades/ucode/error-slot.js'
import { createUcode } from '../../src/facades/ucode/index.js'

/**
 * A backend that has nothing: every call fails the way the contract says a backend fails.
 * It is no model of the OS; it lets these tests reach the facade's error paths without sockets.
 */
function failingBackend(error: () => unknown): Backend {
  const reject = () => Promise.reject(error())
  return {
    name: 'stub',
    supports: defineCapabilities({}),
    socket: reject,
    socketpair: reject,
    lookup: reject,
    nameinfo: reject,
    adopt: reject,
  }
}

describe('ucodeStrerror', () => {
  it('gives glibc texts for errno and EAI numbers', () => {
    expect(ucodeStrerror(0)).toBe('Success')
    expect(ucodeStrerror(111)).toBe('Connection refused')
    expect(ucodeStrerror(11)).toBe('Resource temporarily unavailable')
    expect(ucodeStrerror(-2)).toBe('Name or service not known')
    expect(ucodeStrerror(999)).toBe('Unknown error 999')
    expect(ucodeStrerror(-999)).toBe('Unknown error')
  })
})

describe('ErrorSlot', () => {
  it('reads null when clear, the number with a truthy argument, else "<context>: <text>"', () => {
    const slot = new ErrorSlot()
    expect(slot.read()).toBeNull()
    expect(slot.read(true)).toBeNull()
    slot.set(111, 'connect()')
    expect(slot.read()).toBe('connect(): Connection refused')
    expect(slot.read(false)).toBe('connect(): Connection refused')
    expect(slot.read(true)).toBe(111)
    expect(slot.read(1)).toBe(111)
    expect(slot.read('yes')).toBe(111)
    expect(slot.read()).toBe('connect(): Connection refused')
    slot.set(-2, 'getaddrinfo()')
    expect(slot.read()).toBe('getaddrinfo(): Name or service not known')
    slot.clear()
    expect(slot.read()).toBeNull()
  })
})

describe('toFailure', () => {
  it('keeps errno of a SocketError and names a missing feature', () => {
    expect(toFailure(new SocketError('ECONNREFUSED'), 'connect()', 'x')).toMatchObject({
      code: 111,
      context: 'connect()',
    })
    expect(toFailure(new SocketError('EAI_NONAME'), 'getaddrinfo()', 'x')).toMatchObject({ code: -2 })
    const f = toFailure(notSupported('unixDgram', 'socket'), 'socket()', 'node')
    expect(f.code).toBe(95)
    expect(f.context).toBe('socket(): unixDgram is not supported by the node backend')
  })

  it('turns TypeError and RangeError into EINVAL and anything else into EIO', () => {
    expect(toFailure(new TypeError('x'), 'recv()', 'x').code).toBe(22)
    expect(toFailure(new RangeError('x'), 'recv()', 'x').code).toBe(22)
    expect(toFailure(new Error('x'), 'recv()', 'x').code).toBe(5)
    expect(toFailure(Object.assign(new Error('x'), { code: 'EPIPE' }), 'send()', 'x').code).toBe(32)
    expect(toFailure(undefined, 'send()', 'x').code).toBe(5)
  })
})

describe('createUcode error model (no sockets)', () => {
  it('reports a backend error in the module slot, and strerror()/sockaddr() clear it', async () => {
    const socket = createUcode(failingBackend(() => new SocketError('EMFILE')))
    expect(await socket.create()).toBeNull()
    expect(socket.error()).toBe('socket(): Too many open files')
    expect(socket.error(true)).toBe(24)
    expect(socket.error()).toBe('socket(): Too many open files')
    expect(socket.strerror(24)).toBe('Too many open files')
    expect(socket.error()).toBeNull()
    await socket.create()
    expect(socket.sockaddr('127.0.0.1:1')).toEqual({ family: 2, address: '127.0.0.1', port: 1 })
    expect(socket.error()).toBeNull()
  })

  it('names the missing feature of a not-supported backend', async () => {
    const socket = createUcode(failingBackend(() => notSupported('socketpair', 'socketpair')))
    expect(await socket.pair()).toBeNull()
    expect(socket.error()).toBe(
      'socketpair(): socketpair is not supported by the stub backend: Operation not supported',
    )
    expect(socket.error(true)).toBe(95)
  })

  it('rejects wrong argument types with null and EINVAL, never throwing', async () => {
    const socket = createUcode(failingBackend(() => new SocketError('EMFILE')))
    const cases: [() => unknown, string][] = [
      [() => socket.create('2'), 'Argument domain is not an integer value: Invalid argument'],
      [() => socket.create(2, 1.5), 'Argument type is not an integer value: Invalid argument'],
      [() => socket.strerror(), 'Argument code is required: Invalid argument'],
      [() => socket.strerror('1'), 'Argument code is not an integer value: Invalid argument'],
      [() => socket.sockaddr(null), 'Argument address is required: Invalid argument'],
      [() => socket.sockaddr(5), 'Invalid address value: Invalid argument'],
      [() => socket.addrinfo(5), 'Argument hostname is not a string value: Invalid argument'],
      [() => socket.addrinfo('x', null, 5), 'Argument hints is not an object: Invalid argument'],
      [
        () => socket.addrinfo('x', null, { family: 'v4' }),
        'Unable to convert field family to integer: Invalid argument',
      ],
      [() => socket.poll('1'), 'Argument timeout is not an integer value: Invalid argument'],
      [() => socket.poll(2 ** 40), 'Invalid timeout value: Numerical result out of range'],
      [() => socket.open(), 'Argument fd is required: Invalid argument'],
      [() => socket.listen(null, null, null, '1'), 'Argument backlog is not an integer value: Invalid argument'],
      [() => socket.listen(null, null, null, 1, 1), 'Argument reuseaddr is not a boolean value: Invalid argument'],
      [() => socket.connect('x', 1, null, 1.5), 'Argument timeout is not an integer value: Invalid argument'],
      [
        () => socket.create(17),
        'socket(): AF_PACKET is not supported by polysocket: Address family not supported by protocol',
      ],
      [() => socket.create(2, 10), 'socket(): Invalid argument'],
    ]
    for (const [call, text] of cases) {
      expect(await call()).toBeNull()
      expect(socket.error()).toBe(text)
    }
  })

  it('gives a closed handle for open(-1) whose methods report an invalid socket context', async () => {
    const socket = createUcode(failingBackend(() => new SocketError('EBADF')))
    const sock = await socket.open(-1)
    expect(sock).not.toBeNull()
    expect(await sock?.recv()).toBeNull()
    expect(socket.error()).toBe('Invalid socket context: Bad file descriptor')
    expect(socket.error(true)).toBe(9)
    expect(sock?.fileno()).toBeNull()
    expect(String(sock)).toBe('<socket 0xffffffff>')
  })

  it('gives a handle for an fd the backend cannot adopt; its calls fail with that errno', async () => {
    const socket = createUcode(failingBackend(() => new SocketError('EBADF')))
    const sock = await socket.open(987654)
    expect(socket.error()).toBeNull()
    expect(sock?.fileno()).toBe(987654)
    expect(await sock?.recv()).toBeNull()
    expect(socket.error()).toBe('recv(): Bad file descriptor')
    expect(await sock?.recv(0)).toBeNull()
    expect(socket.error()).toBeNull()
    expect(await sock?.recv('5')).toBeNull()
    expect(socket.error()).toBe('Argument length is not an integer value: Invalid argument')
  })

  it('reports a method called without its socket as an invalid socket context', async () => {
    const socket = createUcode(failingBackend(() => new SocketError('EBADF')))
    const sock = await socket.open(3)
    const recv = sock?.recv
    expect(await recv?.call(undefined, 'not even checked')).toBeNull()
    expect(socket.error()).toBe('Invalid socket context: Bad file descriptor')
    const getopt = sock?.getopt
    expect(getopt?.call({}, 1, 2)).toBeNull()
    expect(socket.error(true)).toBe(9)
  })

  it('exposes the ucode constants with their Linux values', () => {
    const socket = createUcode(failingBackend(() => new SocketError('EBADF')))
    expect([socket.AF_INET, socket.AF_INET6, socket.AF_UNIX, socket.SOCK_STREAM, socket.SOCK_DGRAM]).toEqual([
      2, 10, 1, 1, 2,
    ])
    expect([socket.SOCK_NONBLOCK, socket.SOCK_CLOEXEC, socket.MSG_PEEK, socket.MSG_NOSIGNAL]).toEqual([
      2048, 524288, 2, 16384,
    ])
    expect([socket.SOL_SOCKET, socket.SO_REUSEADDR, socket.IPPROTO_TCP, socket.TCP_NODELAY, socket.SCM_RIGHTS]).toEqual(
      [1, 2, 6, 1, 1],
    )
    expect([socket.POLLIN, socket.POLLOUT, socket.POLLRDHUP, socket.NI_MAXHOST, socket.AI_CANONIDN]).toEqual([
      1, 4, 8192, 1025, 128,
    ])
    expect('EAI_NONAME' in socket).toBe(false)
    expect('MSG_CTRUNC' in socket).toBe(false)
  })
})
