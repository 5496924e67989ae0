import assert from 'node:assert/strict'
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Socket } from '@polysocket/core'
import type { Case, CaseContext } from '../../../case.js'
import { requireFdCount, settledFdCount } from '../../../peers/process.js'
import { own } from '../../../peers/sockets.js'
import { readFd, rightsOf } from '../../posix/ancillary.js'

/** O_CLOEXEC as `/proc/self/fdinfo` prints it (octal `flags:` field, Linux). */
const O_CLOEXEC = 0o2000000

/** Whether `fd` is close-on-exec, from `/proc/self/fdinfo/<fd>`. */
function closeOnExec(fd: number): boolean {
  const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1]
  assert.ok(flags !== undefined, `fdinfo of ${fd} has a flags line`)
  return (Number.parseInt(flags, 8) & O_CLOEXEC) !== 0
}

/** Opens `count` files in the case's temp dir, each holding its own text; closed after the case. */
function openFiles(ctx: CaseContext, count: number): { fds: number[]; texts: string[] } {
  const texts = Array.from({ length: count }, (_, i) => `file ${i} of the passed set`)
  const fds = texts.map((text, i) => {
    const path = join(ctx.tmpdir, `passed-${i}.txt`)
    writeFileSync(path, text)
    const fd = openSync(path, 'r')
    ctx.onCleanup(() => closeSync(fd))
    return fd
  })
  return { fds, texts }
}

/**
 * The received fds a case took from their socket (`detachFds`) and so must close itself. The
 * cleanup closes only those the case did not close: closing a number twice could close
 * whatever reused it meanwhile.
 */
function holder(ctx: CaseContext, from: Socket) {
  const open = new Set<number>()
  ctx.onCleanup(() => {
    for (const fd of open) closeSync(fd)
  })
  return {
    hold(fds: readonly number[]): readonly number[] {
      assert.deepEqual(from.detachFds(fds), [...fds], 'the receiving socket held every received fd')
      for (const fd of fds) open.add(fd)
      return fds
    },
    close(fds: readonly number[]): void {
      for (const fd of fds) {
        open.delete(fd)
        closeSync(fd)
      }
    },
  }
}

/** A socketpair whose ends the case closes itself (and the cleanup again, harmlessly). */
async function pairOf(ctx: CaseContext) {
  const [a, b] = await ctx.backend.socketpair('AF_UNIX', 'SOCK_STREAM')
  return [own(ctx, a), own(ctx, b)] as const
}

/**
 * SCM_RIGHTS on the receiving side. Received fds belong to the socket they arrived on until
 * the user takes them (`detachFds`, or `Backend.adopt`): closing the socket closes those it
 * still holds, so an fd the user ignored never leaks.
 */
export const scmRightsCases: readonly Case[] = [
  {
    id: 'robustness.security.scm_rights.owned',
    title:
      "received SCM_RIGHTS fds are all reported, close-on-exec, and owned by the receiving socket: closing it closes those not taken; a taken fd outlives it and is the caller's to close",
    needs: ['socketpair', 'ancillaryRights', 'scatterGather'],
    async run(ctx) {
      const { fds: sent, texts } = openFiles(ctx, 3)
      const [a, b] = await pairOf(ctx)
      const before = requireFdCount(ctx)
      assert.equal(await a.sendmsg(['R'], { control: [{ type: 'SCM_RIGHTS', fds: sent }] }), 1)
      const got = await b.recvmsg({ sizes: [8], controlSize: 256, signal: ctx.signal })
      const received = rightsOf(got.control)
      assert.equal(got.buffers[0]?.toString(), 'R')
      assert.equal(got.controlTruncated, false, 'the control room was enough')
      assert.equal(received.length, 3, 'every passed fd is reported')
      assert.equal(new Set([...received, ...sent]).size, 6, 'as new numbers, distinct from the sent ones')
      assert.equal(requireFdCount(ctx), before + 3, 'exactly the reported fds were opened: none is hidden')
      for (const fd of received) assert.ok(closeOnExec(fd), `received fd ${fd} is close-on-exec`)

      const held = holder(ctx, b)
      const [taken] = held.hold(received.slice(0, 1))
      assert.deepEqual(b.detachFds([taken as number]), [], "a taken fd is no longer the socket's")
      await a.close()
      await b.close()
      assert.equal(
        await settledFdCount(before - 2 + 1),
        before - 2 + 1,
        'closing the receiving socket closed the two fds nobody took, and only those',
      )
      assert.equal(readFd(taken as number), texts[0], 'the taken fd outlives the socket and still reads its file')
      held.close([taken as number])
      assert.equal(await settledFdCount(before - 2), before - 2, 'once the caller closes it, no fd is left behind')
    },
  },
  {
    id: 'robustness.security.scm_rights.ctrunc',
    title:
      'fds sent to a recvmsg with too little control room are never dropped silently: controlTruncated is true (controlSize 0 and a room for two of four fds), the fds that fit are reported and open, the kernel closes the rest (no leak), and the next message is whole again',
    needs: ['socketpair', 'ancillaryRights', 'scatterGather'],
    async run(ctx) {
      const { fds: sent } = openFiles(ctx, 4)
      const [a, b] = await pairOf(ctx)
      const held = holder(ctx, b)
      const before = requireFdCount(ctx)

      await a.sendmsg(['0'], { control: [{ type: 'SCM_RIGHTS', fds: sent }] })
      const none = await b.recvmsg({ sizes: [8], signal: ctx.signal })
      held.hold(rightsOf(none.control))
      assert.equal(none.buffers[0]?.toString(), '0', 'the data arrives')
      assert.equal(none.controlTruncated, true, 'controlSize 0: the dropped fds are reported as MSG_CTRUNC')
      assert.deepEqual(rightsOf(none.control), [], 'and no fd is reported')
      assert.equal(await settledFdCount(before), before, 'the kernel closed every dropped fd')

      await a.sendmsg(['2'], { control: [{ type: 'SCM_RIGHTS', fds: sent }] })
      // A 16-byte cmsghdr and room for two 4-byte fds (LP64 Linux): fewer than the four sent.
      const some = await b.recvmsg({ sizes: [8], controlSize: 24, signal: ctx.signal })
      const kept = held.hold(rightsOf(some.control))
      assert.equal(some.controlTruncated, true, 'too little room: MSG_CTRUNC is reported')
      assert.ok(kept.length > 0 && kept.length < sent.length, `some but not all fds are reported (${kept.length})`)
      assert.equal(requireFdCount(ctx), before + kept.length, 'only the reported fds are open')
      for (const fd of kept) assert.match(readFd(fd), /^file \d of the passed set$/, `kept fd ${fd} is usable`)
      held.close(kept)

      await a.sendmsg(['4'], { control: [{ type: 'SCM_RIGHTS', fds: sent }] })
      const whole = await b.recvmsg({ sizes: [8], controlSize: 256, signal: ctx.signal })
      const all = held.hold(rightsOf(whole.control))
      assert.equal(whole.controlTruncated, false, 'with room again, the flag is clear')
      assert.equal(all.length, sent.length, 'and every fd is reported')
      held.close(all)

      // A plain recv has no room at all: the kernel closes what came with the byte.
      await a.sendmsg(['p'], { control: [{ type: 'SCM_RIGHTS', fds: sent }] })
      assert.equal((await b.recv(8, { signal: ctx.signal })).data.toString(), 'p')
      assert.equal(await settledFdCount(before), before, 'no fd is left over from any of the four messages')
    },
  },
]
