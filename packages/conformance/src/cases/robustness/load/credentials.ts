import assert from 'node:assert/strict'
import { chmodSync, readFileSync } from 'node:fs'
import type { Case, CaseContext } from '../../../case.js'
import { expectSocketError } from '../../../peers/errors.js'
import { startPython } from '../../../peers/python.js'
import { openSocket, own } from '../../../peers/sockets.js'
import { myCredentials, unix } from '../../posix/helpers.js'

/** Bit of CAP_SYS_ADMIN in the capability masks of `/proc/self/status` (capability(7)). */
const CAP_SYS_ADMIN = 21n

/**
 * Whether the kernel would let this process put any pid in SCM_CREDENTIALS: it needs
 * CAP_SYS_ADMIN (unix(7)). Read from CapEff; where /proc is unreadable, uid 0 stands for it.
 */
function maySendAnyPid(): boolean {
  try {
    const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    if (hex !== undefined) return ((BigInt(`0x${hex}`) >> CAP_SYS_ADMIN) & 1n) === 1n
  } catch {
    // Fall through to the uid.
  }
  return process.getuid?.() === 0
}

/** A Unix stream connection inside this process: client and accepted server end. */
async function unixConnection(ctx: CaseContext, path = ctx.unixPath()) {
  const listener = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
  await listener.bind(unix(path))
  await listener.listen(4)
  const client = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
  const accepting = listener.accept({ signal: ctx.signal })
  await client.connect(unix(path), { signal: ctx.signal })
  return { listener, client, server: own(ctx, (await accepting).socket) }
}

/**
 * The python peer of `robustness.security.credentials.foreign`. Run as root, it first drops
 * to nobody (65534), so that it cannot forge anything; it connects, prints its real
 * credentials, tries to send forged ones (another pid, then uid 0), and sends one byte with
 * no credentials of its own once told to.
 */
const FOREIGN_PEER = `
import errno, struct
if os.getuid() == 0:
    try:
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    except OSError:
        pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(target())
say('ME', os.getpid(), os.getuid(), os.getgid())
assert s.recv(2) == b'go'
def forge(pid, uid, gid):
    try:
        s.sendmsg([b'F'], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, struct.pack('iII', pid, uid, gid))])
        return 'SENT'
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))
say('FORGED_PID', forge(1 if os.getpid() != 1 else 2, os.getuid(), os.getgid()))
say('FORGED_UID', forge(os.getpid(), 0 if os.getuid() != 0 else 1, os.getgid()))
s.sendall(b'real')
s.recv(2)
`

/** Peer credentials are the kernel's, never what a caller claims. */
export const credentialsCases: readonly Case[] = [
  {
    id: 'robustness.security.peercred.kernel',
    title:
      "peerCredentials() and SO_PEERCRED report this process's pid, uid and gid on both ends of a socketpair and of a Unix stream connection, and SO_PEERCRED cannot be set",
    needs: ['socketpair', 'unixStream', 'peerCredentials'],
    async run(ctx) {
      const me = myCredentials()
      const [a, b] = await ctx.backend.socketpair('AF_UNIX', 'SOCK_STREAM')
      own(ctx, a)
      own(ctx, b)
      const { client, server } = await unixConnection(ctx)
      for (const [name, s] of [
        ['socketpair end 0', a],
        ['socketpair end 1', b],
        ['connected client', client],
        ['accepted server', server],
      ] as const) {
        assert.deepEqual(s.peerCredentials(), me, `${name}: peerCredentials() are this process's`)
        assert.deepEqual(s.getOption('SOL_SOCKET', 'SO_PEERCRED'), me, `${name}: SO_PEERCRED agrees`)
      }
      // A struct ucred claiming pid 1, uid 0, gid 0 (the contract takes a set ucred as bytes).
      const claim = Buffer.alloc(12)
      claim.writeInt32LE(1, 0)
      await expectSocketError(
        () => server.setOption('SOL_SOCKET', 'SO_PEERCRED', claim),
        ['ENOPROTOOPT'],
        'setting SO_PEERCRED',
      )
      assert.deepEqual(server.peerCredentials(), me, 'the refused set changed nothing')
    },
  },
  {
    id: 'robustness.security.credentials.foreign',
    title:
      'a python3 peer (dropped to uid 65534 when run as root) connects to our Unix listener: peerCredentials() and the SCM_CREDENTIALS we receive are its real pid, uid and gid, and its forged SCM_CREDENTIALS (another pid, uid 0) fail with EPERM in the kernel',
    needs: ['unixStream', 'peerCredentials', 'ancillaryCredentials', 'scatterGather'],
    timeoutMs: 20_000,
    async run(ctx) {
      const path = ctx.unixPath()
      const listener = await openSocket(ctx, 'SOCK_STREAM', 'AF_UNIX')
      await listener.bind(unix(path))
      await listener.listen(4)
      // The peer may run as nobody: let it reach the socket (the temp dir is 0700).
      chmodSync(ctx.tmpdir, 0o711)
      chmodSync(path, 0o777)
      const accepting = listener.accept({ signal: ctx.signal })
      const peer = await startPython(ctx, FOREIGN_PEER, 'unix', [path])
      const server = own(ctx, (await accepting).socket)
      const [pid, uid, gid] = (await peer.expect('ME')).split(' ').map(Number)
      const theirs = { pid, uid, gid }
      assert.notEqual(pid, process.pid, 'the peer is another process')
      assert.deepEqual(server.peerCredentials(), theirs, "peerCredentials() are the peer's, from the kernel")

      server.setOption('SOL_SOCKET', 'SO_PASSCRED', true)
      await server.send('go')
      assert.equal(
        await peer.expect('FORGED_PID'),
        'EPERM',
        'the kernel refuses a forged pid from an unprivileged peer',
      )
      assert.equal(await peer.expect('FORGED_UID'), 'EPERM', 'and a forged uid')
      const got = await server.recvmsg({ sizes: [4], controlSize: 64, signal: ctx.signal })
      assert.equal(got.buffers[0]?.toString(), 'real', 'only the real bytes arrive')
      const cred = got.control.find((m) => m.type === 'SCM_CREDENTIALS')
      assert.ok(cred !== undefined, 'with SO_PASSCRED the kernel attaches credentials the peer did not send')
      assert.deepEqual({ pid: cred.pid, uid: cred.uid, gid: cred.gid }, theirs, "they are the peer's real ones")
      await server.send('ok')
      await peer.success()
    },
  },
  {
    id: 'robustness.security.scm_credentials.forged',
    title:
      'sending SCM_CREDENTIALS with a pid that is not ours fails with EPERM (Linux, without CAP_SYS_ADMIN; skipped with it, since the kernel then lets any existing pid through), and the receiver never sees it',
    needs: ['socketpair', 'ancillaryCredentials', 'scatterGather'],
    async run(ctx) {
      if (maySendAnyPid()) {
        ctx.skip('this process has CAP_SYS_ADMIN (root): Linux lets it send any pid, so a forged pid is not refused')
      }
      const [a, b] = await ctx.backend.socketpair('AF_UNIX', 'SOCK_DGRAM')
      own(ctx, a)
      own(ctx, b)
      b.setOption('SOL_SOCKET', 'SO_PASSCRED', true)
      const me = myCredentials()
      const other = me.pid === 1 ? 2 : 1
      await expectSocketError(
        a.sendmsg(['forged'], { control: [{ type: 'SCM_CREDENTIALS', ...me, pid: other }] }),
        ['EPERM'],
        `SCM_CREDENTIALS with pid ${other}`,
      )
      await a.sendmsg(['honest'], { control: [{ type: 'SCM_CREDENTIALS', ...me }] })
      const got = await b.recvmsg({ sizes: [16], controlSize: 64, signal: ctx.signal })
      assert.equal(got.buffers[0]?.toString(), 'honest', 'the refused message was never queued')
      const cred = got.control.find((m) => m.type === 'SCM_CREDENTIALS')
      assert.ok(cred !== undefined)
      assert.deepEqual({ pid: cred.pid, uid: cred.uid, gid: cred.gid }, me)
    },
  },
  {
    id: 'robustness.security.scm_credentials.invalid',
    title:
      'SCM_CREDENTIALS the kernel cannot accept fail whatever the privilege: uid 4294967295 with EINVAL, a pid no process has with EPERM or ESRCH; nothing reaches the receiver',
    needs: ['socketpair', 'ancillaryCredentials', 'scatterGather'],
    async run(ctx) {
      const [a, b] = await ctx.backend.socketpair('AF_UNIX', 'SOCK_DGRAM')
      own(ctx, a)
      own(ctx, b)
      b.setOption('SOL_SOCKET', 'SO_PASSCRED', true)
      const me = myCredentials()
      await expectSocketError(
        a.sendmsg(['x'], { control: [{ type: 'SCM_CREDENTIALS', ...me, uid: 0xffffffff }] }),
        ['EINVAL'],
        'SCM_CREDENTIALS with uid -1',
      )
      // Above any pid_max Linux allows (2^22): no process has it. Unprivileged: EPERM first.
      await expectSocketError(
        a.sendmsg(['x'], { control: [{ type: 'SCM_CREDENTIALS', ...me, pid: 0x7fffffff }] }),
        ['EPERM', 'ESRCH'],
        'SCM_CREDENTIALS with pid 2^31-1',
      )
      await a.send('after')
      const got = await b.recvmsg({ sizes: [16], controlSize: 64, signal: ctx.signal })
      assert.equal(got.buffers[0]?.toString(), 'after', 'neither refused message was queued')
    },
  },
]
