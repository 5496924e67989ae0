import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { SocketAddress } from '@polysocket/core'
import type { CaseContext } from '../../case.js'
import { readToEnd, sendAll, sha256 } from '../../peers/io.js'
import { startPython } from '../../peers/python.js'
import { endpoint, listen, openSocket, own } from '../../peers/sockets.js'

/** Python stream server: accepts one client, reads to EOF, answers `py:` + the bytes reversed. */
const PY_SERVER = `
srv = socket.socket(FAMILY, socket.SOCK_STREAM)
srv.bind(target())
srv.listen(1)
say('READY', srv.getsockname()[1] if FAMILY != socket.AF_UNIX else '-')
conn, peer = srv.accept()
data = recv_all(conn)
conn.sendall(b'py:' + data[::-1])
conn.shutdown(socket.SHUT_WR)
say('GOT', len(data), hashlib.sha256(data).hexdigest())
say('PEER', peer[1] if FAMILY != socket.AF_UNIX else '-')
conn.close()
`

/** Python stream client: sends argv[3] random bytes, half-closes, checks the `ours:` reply. */
const PY_CLIENT = `
c = socket.socket(FAMILY, socket.SOCK_STREAM)
c.connect(target())
payload = os.urandom(int(sys.argv[3]))
say('LOCAL', c.getsockname()[1] if FAMILY != socket.AF_UNIX else '-')
say('SENT', len(payload), hashlib.sha256(payload).hexdigest())
c.sendall(payload)
c.shutdown(socket.SHUT_WR)
reply = recv_all(c)
if reply != b'ours:' + payload[::-1]:
    raise SystemExit('bad reply: %d bytes' % len(reply))
say('OK')
c.close()
`

/** Which kind of address the peer uses: the case's IP family, a Unix path or an abstract name. */
export type StreamMode = { readonly kind: 'ip' } | { readonly kind: 'unix'; readonly path: string }

const modeArg = (ctx: CaseContext, mode: StreamMode) => (mode.kind === 'ip' ? (ctx.ipFamily === 6 ? '6' : '4') : 'unix')
const pathArg = (path: string) => (path.startsWith('\0') ? `@${path.slice(1)}` : path)

/** Our stream client against a python server: data both ways, intact, and agreed addresses. */
export async function ourClientPythonServer(ctx: CaseContext, mode: StreamMode, bytes: number): Promise<void> {
  const peer = await startPython(ctx, PY_SERVER, modeArg(ctx, mode), mode.kind === 'ip' ? [] : [pathArg(mode.path)])
  const ready = await peer.expect('READY')
  const address: SocketAddress = mode.kind === 'ip' ? ctx.addr(Number(ready)) : { family: 'unix', path: mode.path }
  const client = await openSocket(ctx, 'SOCK_STREAM', mode.kind === 'ip' ? ctx.family : 'AF_UNIX')
  await client.connect(address, { signal: ctx.signal })
  const payload = randomBytes(bytes)
  await sendAll(client, payload)
  await client.shutdown('SHUT_WR')
  const reply = await readToEnd(client, bytes + 16)
  assert.equal(reply.length, bytes + 3, 'reply length')
  assert.deepEqual(reply, Buffer.concat([Buffer.from('py:'), Buffer.from(payload).reverse()]))
  assert.equal(await peer.expect('GOT'), `${bytes} ${sha256(payload)}`, 'what python received')
  const peerPort = await peer.expect('PEER')
  if (mode.kind === 'ip') assert.equal(Number(peerPort), endpoint(client.localAddress()).port, 'python saw our port')
  await peer.success()
}

/** A python client against our stream server. */
export async function pythonClientOurServer(ctx: CaseContext, mode: StreamMode, bytes: number): Promise<void> {
  const listener = await listen(ctx, mode.kind === 'ip' ? undefined : { family: 'unix', path: mode.path })
  const arg = mode.kind === 'ip' ? String(endpoint(listener.address).port) : pathArg(mode.path)
  const peer = await startPython(ctx, PY_CLIENT, modeArg(ctx, mode), [arg, String(bytes)])
  const accepted = await listener.socket.accept({ signal: ctx.signal })
  own(ctx, accepted.socket)
  const data = await readToEnd(accepted.socket, bytes + 16)
  await sendAll(accepted.socket, Buffer.concat([Buffer.from('ours:'), Buffer.from(data).reverse()]))
  await accepted.socket.close()
  const local = await peer.expect('LOCAL')
  if (mode.kind === 'ip')
    assert.equal(endpoint(accepted.address).port, Number(local), "accept() reported python's port")
  assert.equal(await peer.expect('SENT'), `${data.length} ${sha256(data)}`, 'what we received is what python sent')
  assert.equal(data.length, bytes)
  assert.equal(await peer.line(), 'OK')
  await peer.success()
}
