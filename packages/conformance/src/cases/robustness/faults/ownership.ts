import assert from 'node:assert/strict'
import type { Case } from '../../../case.js'
import { expectNoSocketLeak, socketFdCount } from '../../../peers/process.js'
import { openSocket } from '../../../peers/sockets.js'
import { rightsOf } from '../../posix/ancillary.js'
import { pair } from '../../posix/helpers.js'

/** Every fd has exactly one owner, even at the edges: a second adopt, a close racing a receive. */
export const ownershipCases: readonly Case[] = [
  {
    id: 'robustness.ownership.adopt-owned',
    title: 'adopt() of an fd an open socket owns is refused (EBUSY), and the owner keeps working',
    needs: ['fd', 'tcp'],
    async run(ctx) {
      const s = await openSocket(ctx, 'SOCK_STREAM', 'AF_INET')
      await s.bind({ family: 'inet', address: '127.0.0.1', port: 0 })
      await assert.rejects(ctx.backend.adopt(s.fd), { name: 'SocketError', code: 'EBUSY' })
      assert.equal(s.closed, false)
      assert.equal(s.localAddress().family, 'inet', 'the owner still answers')
    },
  },
  {
    id: 'robustness.ownership.recvmsg-close',
    title: 'a recvmsg whose socket closes while its result is on the way closes the fds it received',
    needs: ['socketpair', 'ancillaryRights', 'scatterGather'],
    async run(ctx) {
      const [a, b] = await pair(ctx, 'SOCK_STREAM')
      const [passed] = await pair(ctx, 'SOCK_STREAM')
      assert.equal(await a.sendmsg(['x'], { control: [{ type: 'SCM_RIGHTS', fds: [passed.fd] }] }), 1)
      // The message is queued, so the receive completes at once; close() comes before its result.
      const before = socketFdCount()
      const receiving = b.recvmsg({ sizes: [4], controlSize: 64 }).then(
        (r) => ({ fds: rightsOf(r.control) }),
        (error: unknown) => ({ error }),
      )
      await b.close()
      const outcome = await receiving
      if ('fds' in outcome) {
        assert.deepEqual(b.detachFds(outcome.fds), [], 'a closed socket holds no received fd')
      } else {
        assert.equal((outcome.error as { code?: string }).code, 'EBADF')
      }
      // b is gone, and so is the received copy of `passed`: one socket fewer than before, not one more.
      await expectNoSocketLeak(before === undefined ? undefined : before - 1, 'the received fd')
    },
  },
]
