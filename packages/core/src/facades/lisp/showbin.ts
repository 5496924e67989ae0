import type { Reader } from './reader.js'
import type { LispSocket } from './socket.js'

/**
 * What socket-showbin prints: the original shows the C structure of buffers and flags bound
 * to the object; here the same facts in text: descriptor, family and type, input buffer
 * fill, char-in-buffer flag and last character, eof, listening, timeouts (milliseconds) and
 * both addresses. Source: Lisp socket class, socket-showbin.
 */
export function describeSocket(s: LispSocket, reader: Reader, listening: boolean): string {
  const option = (name: string): string => {
    try {
      return String(s.socket.getOption('SOL_SOCKET', name))
    } catch {
      return 'nil'
    }
  }
  let fd = 'closed'
  try {
    if (!s.socket.closed) fd = String(s.socket.fd)
  } catch {
    fd = 'none'
  }
  const flag = (on: boolean): string => (on ? 't' : 'nil')
  return [
    `socket fd ${fd} ${s.family} ${s.type} protocol ${s.protocol}`,
    `  input buffer ${reader.buffer.length}/${s.maxstring} bytes, char-in-buffer ${flag(reader.charInBuffer)}, ` +
      `last char ${reader.lastChar ?? 'nil'}, eof ${flag(s.eof() === true)}`,
    `  listening ${flag(listening)}, SO_RCVTIMEO ${option('SO_RCVTIMEO')} ms, SO_SNDTIMEO ${option('SO_SNDTIMEO')} ms`,
    `  local ${s.address ?? 'nil'} ${s.port ?? ''}, remote ${s.remoteaddress ?? 'nil'} ${s.remoteport ?? ''}`,
    '',
  ].join('\n')
}
