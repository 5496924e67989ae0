import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Backend } from '../../src/contract/backend.js'
import { defineCapabilities } from '../../src/contract/capabilities.js'
import { SocketError } from '../../src/errors.js'
import { createUcode, type UcodeSocket } from '../../src/facades/ucode/index.js'

// "No exception escapes for any input a ucode script could pass": every function and method
// gets arbitrary values and must settle with a value or null, never throw or reject. The
// backend refuses every call (EBADF), so no socket is ever made and nothing leaves the process.

const refusing: Backend = {
  name: 'refusing',
  supports: defineCapabilities({}),
  socket: () => Promise.reject(new SocketError('EBADF')),
  socketpair: () => Promise.reject(new SocketError('EBADF')),
  lookup: () => Promise.reject(new SocketError('EAI_NONAME')),
  nameinfo: () => Promise.reject(new SocketError('EAI_NONAME')),
  adopt: () => Promise.reject(new SocketError('EBADF')),
}

const value = fc.oneof(
  fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true }),
  fc.constantFrom('127.0.0.1:80', '[::1]:1', '/tmp/x', 'fe80::1%lo', { path: '/tmp/y' }, [127, 0, 0, 1], {
    port: 70000,
  }),
)

type Call = (...args: unknown[]) => unknown

describe('ucode facade robustness', () => {
  it('module functions never throw', async () => {
    const socket = createUcode(refusing)
    const names = [
      'create',
      'pair',
      'open',
      'sockaddr',
      'nameinfo',
      'addrinfo',
      'connect',
      'listen',
      'poll',
      'error',
      'strerror',
    ]
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.array(value, { maxLength: 5 }), async (name, args) => {
        const fn = (socket as unknown as Record<string, Call>)[name] as Call
        // poll with an unlimited or long timeout would wait for that long; bound it.
        if (name === 'poll') args[0] = 0
        const result = await fn(...args)
        const error = socket.error()
        expect(error === null || typeof error === 'string').toBe(true)
        return result !== undefined
      }),
      { numRuns: 400 },
    )
  })

  it('socket methods never throw, on dead and closed handles and on foreign `this`', async () => {
    const socket = createUcode(refusing)
    const dead = (await socket.open(987654)) as UcodeSocket
    const closed = (await socket.open(-1)) as UcodeSocket
    const names = Object.getOwnPropertyNames(Object.getPrototypeOf(dead)).filter((n) => n !== 'constructor')
    expect(names).toEqual(
      expect.arrayContaining([
        'connect',
        'bind',
        'listen',
        'accept',
        'send',
        'sendmsg',
        'recv',
        'recvmsg',
        'setopt',
        'getopt',
        'fileno',
        'shutdown',
        'peercred',
        'peername',
        'sockname',
        'close',
        'error',
      ]),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...names),
        fc.constantFrom<unknown>(dead, closed, undefined, {}, 5),
        fc.array(value, { maxLength: 4 }),
        async (name, self, args) => {
          const fn = (dead as unknown as Record<string, Call>)[name] as Call
          const result = await fn.apply(self, args)
          return result !== undefined || name === 'getopt'
        },
      ),
      { numRuns: 600 },
    )
  })
})
