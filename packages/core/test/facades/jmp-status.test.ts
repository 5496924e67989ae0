import { describe, expect, it } from 'vitest'
import { notSupported, SocketError } from '../../src/errors.js'
import { status, statusName, statusOf, statusOfCode } from '../../src/facades/jmp/index.js'

describe('jmp status strings', () => {
  it("reproduces the documents' four examples verbatim", () => {
    expect(statusOfCode('ECONNREFUSED')).toBe('CONNREFUSED: The attempt to connect was forcefully rejected. ')
    expect(statusOfCode('ENOTCONN')).toBe('NOTCONN: The socket is not connected. ')
    expect(statusOfCode('EADDRNOTAVAIL')).toBe(
      'ADDRNOTAVAIL: The specified address is not available from the local machine. ',
    )
    expect(statusOfCode('EINVAL')).toBe(
      'INVAL: The socket is (or is not, depending on context) already bound to an address. or, ' +
        'Listen was not invoked prior to accept. or, Invalid host address. or, ' +
        'The socket has not been bound with Bind. ',
    )
  })

  it('names errno codes without their E, and EAGAIN as WOULDBLOCK', () => {
    expect(statusName('EAGAIN')).toBe('WOULDBLOCK')
    expect(statusName('EWOULDBLOCK')).toBe('WOULDBLOCK')
    expect(statusName('EADDRINUSE')).toBe('ADDRINUSE')
    expect(statusName('ETIMEDOUT')).toBe('TIMEDOUT')
    expect(statusName('ECONNRESET')).toBe('CONNRESET')
    expect(statusName('EAI_NONAME')).toBe('HOST_NOT_FOUND')
    expect(statusName('EAI_AGAIN')).toBe('TRY_AGAIN')
  })

  it('gives every errno a "NAME: Sentence. " status', () => {
    const shape = /^[A-Z0-9_]+: [A-Z][^\n]*\. $/
    for (const code of [
      'EAGAIN',
      'EADDRINUSE',
      'ETIMEDOUT',
      'ECONNRESET',
      'EPIPE',
      'EMSGSIZE',
      'EBADF',
      'ENOSPC',
      'EAI_NONAME',
      'EAI_SERVICE',
      'ENOTAREALCODE',
    ]) {
      expect(statusOfCode(code)).toMatch(shape)
    }
    expect(statusOfCode('EAGAIN').startsWith('WOULDBLOCK: ')).toBe(true)
    // Outside the table, the C library's message is the description.
    expect(statusOfCode('ENOSPC')).toBe('NOSPC: No space left on device. ')
  })

  it('turns every kind of thrown value into a status', () => {
    expect(statusOf(new SocketError('ECONNREFUSED'))).toBe(statusOfCode('ECONNREFUSED'))
    expect(statusOf(notSupported('unixDgram', 'socket'))).toMatch(/^OPNOTSUPP: .*unixDgram.*\. $/)
    // One text per name: an argument mistake is the documents' INVAL, whatever was wrong.
    expect(statusOf(new TypeError('maxBytes must be a number'))).toBe(statusOfCode('EINVAL'))
    expect(statusOf(new RangeError('port out of range.'))).toBe(statusOfCode('EINVAL'))
    expect(statusOf(new Error('boom'))).toMatch(/^INTERNAL: .*boom\. $/)
    expect(statusOf('text')).toMatch(/^INTERNAL: .*text\. $/)
    expect(statusOf(undefined)).toMatch(/^INTERNAL: /)
  })

  it('ends with one period and a space whatever the detail', () => {
    expect(status('TIMEDOUT', 'Took too long...  ')).toBe('TIMEDOUT: Took too long. ')
    // The documented names keep their text whatever detail is offered.
    expect(status('INVAL', 'Bad port')).toBe(statusOfCode('EINVAL'))
    expect(status('CONNREFUSED', 'No')).toBe(statusOfCode('ECONNREFUSED'))
    expect(status('TIMEDOUT')).toBe('TIMEDOUT: The operation did not complete within the time allowed. ')
  })
})
