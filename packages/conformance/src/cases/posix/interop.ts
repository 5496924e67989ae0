import assert from 'node:assert/strict'
import { closeSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Case } from '../../case.js'
import { startPython } from '../../peers/python.js'
import { openSocket, own } from '../../peers/sockets.js'
import { closeLater, readFd, rightsOf } from './ancillary.js'
import { myCredentials, unix } from './helpers.js'

/** python3 connects to argv[2], passes the fd of file argv[3], then its credentials after our go byte. */
const PY_CLIENT = `
import struct
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[2])
f = os.open(sys.argv[3], os.O_RDONLY)
socket.send_fds(s, [b'f'], [f])
os.close(f)
assert s.recv(1) == b'g'
s.sendmsg([b'c'], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, struct.pack('3i', os.getpid(), os.getuid(), os.getgid()))])
say('PID', os.getpid(), os.getuid(), os.getgid())
assert s.recv(1) == b''
`

/** python3 listens on argv[2]; reports SO_PEERCRED, the passed file's text and our SCM_CREDENTIALS. */
const PY_SERVER = `
import struct
l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
l.bind(sys.argv[2])
l.listen(1)
say('READY')
c, _ = l.accept()
pid, uid, gid = struct.unpack('3i', c.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
say('PEER', pid, uid, gid)
msg, fds, flags, addr = socket.recv_fds(c, 16, 4)
say('FILE', os.read(fds[0], 100).decode())
for f in fds:
    os.close(f)
# Only now: with SO_PASSCRED on, credentials would take the room recv_fds left for the fd.
c.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
c.sendall(b'g')
data, anc, flags, addr = c.recvmsg(16, socket.CMSG_SPACE(12))
creds = [struct.unpack('3i', d[:12]) for (lv, ty, d) in anc if lv == socket.SOL_SOCKET and ty == socket.SCM_CREDENTIALS]
say('CRED', *creds[0])
c.close()
`

/** SCM_RIGHTS and credentials both ways with python3's socket module. */
export const interopCases: readonly Case[] = [
  {
    id: 'posix.interop.python_to_us',
    title: 'python3 passes us a file fd (SCM_RIGHTS) and its credentials (SCM_CREDENTIALS, SO_PEERCRED)',
    needs: ['unixStream', 'ancillaryRights', 'ancillaryCredentials', 'peerCredentials', 'scatterGather'],
    timeoutMs: 20_000,
    async run(ctx) {
      const path = ctx.unixPath()
      const file = join(ctx.tmpdir, 'from-python.txt')
      writeFileSync(file, 'opened by python')
      const listener = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
      await listener.bind(unix(path))
      await listener.listen(1)
      const peer = await startPython(ctx, PY_CLIENT, 'unix', [path, file])
      const { socket } = await listener.accept({ signal: ctx.signal })
      own(ctx, socket)
      const first = await socket.recvmsg({ sizes: [4], controlSize: 64, signal: ctx.signal })
      const fds = rightsOf(first.control)
      closeLater(ctx, socket, fds)
      assert.equal(first.buffers[0]?.toString(), 'f')
      assert.equal(fds.length, 1)
      assert.equal(readFd(fds[0] as number), 'opened by python')
      socket.setOption('SOL_SOCKET', 'SO_PASSCRED', true)
      await socket.send('g')
      const second = await socket.recvmsg({ sizes: [4], controlSize: 64, signal: ctx.signal })
      const [pid, uid, gid] = (await peer.expect('PID')).split(' ').map(Number)
      const cred = second.control.find((m) => m.type === 'SCM_CREDENTIALS')
      assert.ok(cred && cred.type === 'SCM_CREDENTIALS', 'credentials arrive')
      assert.deepEqual({ pid: cred.pid, uid: cred.uid, gid: cred.gid }, { pid, uid, gid })
      assert.deepEqual(socket.peerCredentials(), { pid, uid, gid }, 'SO_PEERCRED names the python process')
      await socket.close()
      await peer.success()
    },
  },
  {
    id: 'posix.interop.us_to_python',
    title: 'we pass python3 a file fd (SCM_RIGHTS) and our credentials; it sees them and our SO_PEERCRED',
    needs: ['unixStream', 'ancillaryRights', 'ancillaryCredentials', 'scatterGather'],
    timeoutMs: 20_000,
    async run(ctx) {
      const path = ctx.unixPath()
      const file = join(ctx.tmpdir, 'from-us.txt')
      writeFileSync(file, 'opened by polysocket')
      const fd = openSync(file, 'r')
      ctx.onCleanup(() => closeSync(fd))
      const peer = await startPython(ctx, PY_SERVER, 'unix', [path])
      await peer.expect('READY')
      const client = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
      await client.connect(unix(path), { signal: ctx.signal })
      const me = myCredentials()
      assert.equal(await peer.expect('PEER'), `${me.pid} ${me.uid} ${me.gid}`)
      await client.sendmsg(['f'], { control: [{ type: 'SCM_RIGHTS', fds: [fd] }] })
      assert.equal(await peer.expect('FILE'), 'opened by polysocket')
      assert.equal((await client.recv(1, { signal: ctx.signal })).data.toString(), 'g')
      await client.sendmsg(['c'], { control: [{ type: 'SCM_CREDENTIALS', ...me }] })
      assert.equal(await peer.expect('CRED'), `${me.pid} ${me.uid} ${me.gid}`)
      await peer.success()
    },
  },
]
