import { describe, expect, it } from 'vitest'
import { errnoByName, errnoByNumber, isSocketError, notSupported, SocketError, strerror } from '../src/index.js'

describe('SocketError', () => {
  it('carries the errno name, number and a Node-like message', () => {
    const e = new SocketError('ECONNREFUSED', { syscall: 'connect', address: '127.0.0.1', port: 9 })
    expect(e).toBeInstanceOf(Error)
    expect(e.code).toBe('ECONNREFUSED')
    expect(e.errno).toBe(111)
    expect(e.message).toBe('connect ECONNREFUSED 127.0.0.1:9')
    expect(e.systemMessage).toBe('Connection refused')
  })

  it('keeps the cause', () => {
    const cause = new Error('inner')
    expect(new SocketError('EPIPE', { cause }).cause).toBe(cause)
  })

  it('is recognised across copies by its brand', () => {
    const foreign = Object.create(null) as Record<symbol, unknown>
    foreign[Symbol.for('polysocket.SocketError')] = true
    expect(foreign instanceof SocketError).toBe(true)
    expect(new Error('x') instanceof SocketError).toBe(false)
  })

  it('names a missing feature', () => {
    const e = notSupported('unixDgram', 'socket')
    expect(e.code).toBe('POLYSOCKET_NOT_SUPPORTED')
    expect(e.feature).toBe('unixDgram')
    expect(e.errno).toBe(95)
    expect(e.message).toMatch(/unixDgram/)
    expect(isSocketError(e, 'POLYSOCKET_NOT_SUPPORTED')).toBe(true)
    expect(isSocketError(e, 'EAGAIN')).toBe(false)
  })
})

describe('errno table', () => {
  it('agrees with the Linux numbers Node knows', async () => {
    const { constants } = await import('node:os')
    for (const [name, number] of Object.entries(constants.errno)) {
      expect(errnoByName(name)?.errno, name).toBe(number)
    }
  })

  it('prefers the canonical name for a shared number', () => {
    expect(errnoByNumber(11)?.name).toBe('EAGAIN')
    expect(errnoByName('EWOULDBLOCK')?.errno).toBe(11)
  })

  it('gives resolver messages for EAI codes and a fallback for unknown codes', () => {
    expect(strerror('EAI_NONAME')).toBe('Name or service not known')
    expect(strerror(-2)).toBe('Name or service not known')
    expect(strerror(99999)).toBe('Unknown error 99999')
  })
})
