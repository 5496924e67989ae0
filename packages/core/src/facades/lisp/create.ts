import type { SocketAddress } from '../../contract/address.js'
import { describe } from '../../contract/address.js'
import type { Backend } from '../../contract/backend.js'
import { integer, parseFamily, parseKeywords, parseProtocol, parseType, symbolName, text } from './arguments.js'
import { invalid } from './faults.js'
import { resolveTarget } from './resolve.js'
import { DEFAULT_MAXSTRING, LispSocket, MAX_MAXSTRING } from './socket.js'

/**
 * socket-constructor, as `(make-instance socket family type protocol 'keyword value …)`:
 * socket(2), then bind(2), as the section says it always does. The local end is `filename`
 * for a unix socket (without it, Linux autobind gives the socket an abstract name), and
 * `address` and `port` for inet and inet6 (a missing address is the wildcard, a missing
 * port 0: the kernel picks one, which the `port` property then shows).
 *
 * Two binds the backend cannot make are left out, and the socket stays unbound until connect,
 * listen or send-to (the README lists both): autobind without `abstractNamespace`, and the
 * implicit wildcard bind of a stream socket without `exactBind`, where bind would mean a
 * listener open to every machine until connect.
 * Source: Lisp socket class, socket-constructor.
 *
 * @param cls - the class: the symbol `socket` (or the {@link LispSocket} class itself).
 * @param keywords - `'maxstring'`, `'filename'`, `'address'`, `'port'` with their values, as
 * pairs or as one object.
 * @throws LispFault / SocketError (the facade turns them into nil); the socket is closed
 * again when bind fails, so no descriptor leaks.
 */
export async function makeSocket(
  backend: Backend,
  print: ((text: string) => void) | undefined,
  cls: unknown,
  family: unknown,
  type: unknown,
  protocol: unknown,
  keywords: readonly unknown[],
): Promise<LispSocket> {
  if (cls !== LispSocket && symbolName(cls) !== 'socket') {
    throw invalid(`make-instance here makes the class socket only, got ${describe(cls)}`)
  }
  const f = parseFamily(family)
  const t = parseType(type)
  const p = parseProtocol(protocol)
  const k = parseKeywords(keywords, ['maxstring', 'filename', 'address', 'port'])
  const maxstring = k.has('maxstring') ? integer(k.get('maxstring'), 'maxstring', 1, MAX_MAXSTRING) : DEFAULT_MAXSTRING
  const filename = f === 'AF_UNIX' && k.has('filename') ? text(k.get('filename'), 'the filename') : undefined

  let local: SocketAddress | undefined
  if (f === 'AF_UNIX') {
    if (filename !== undefined) local = { family: 'unix', path: filename }
    else if (backend.supports.abstractNamespace) local = { family: 'unix', path: '' }
  } else if (k.has('address') || k.has('port') || t !== 'SOCK_STREAM' || backend.supports.exactBind) {
    const host = k.get('address') ?? (f === 'AF_INET' ? '0.0.0.0' : '::')
    local = await resolveTarget(backend, f, t, host, k.get('port') ?? 0)
  }

  const socket = await backend.socket(f, t, p)
  try {
    if (local) await socket.bind(local)
    return new LispSocket(backend, socket, {
      maxstring,
      ...(filename === undefined ? {} : { filename }),
      ...(print === undefined ? {} : { print }),
    })
  } catch (error) {
    await socket.close()
    throw error
  }
}
