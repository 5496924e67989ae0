import assert from 'node:assert/strict'
import { closeSync, openSync } from 'node:fs'
import { isSocketError } from '@polysocket/core'
import type { Case } from '../../case.js'
import { expectSocketError } from '../../peers/errors.js'
import { own } from '../../peers/sockets.js'

/** RFC 1071 Internet checksum. */
function checksum(b: Buffer): number {
  let sum = 0
  for (let i = 0; i + 1 < b.length; i += 2) sum += b.readUInt16BE(i)
  if (b.length % 2) sum += (b[b.length - 1] ?? 0) << 8
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return ~sum & 0xffff
}

/** Raw sockets and adopting descriptors. */
export const rawCases: readonly Case[] = [
  {
    id: 'posix.raw.icmp_echo',
    title: 'SOCK_RAW/IPPROTO_ICMP: an echo request to 127.0.0.1 gets its reply (skipped without CAP_NET_RAW)',
    needs: ['raw'],
    async run(ctx) {
      const socket = await ctx.backend.socket('AF_INET', 'SOCK_RAW', 1).catch((e: unknown) => {
        if (isSocketError(e, 'EPERM', 'EACCES')) ctx.skip('raw sockets need CAP_NET_RAW, which this process lacks')
        throw e
      })
      own(ctx, socket)
      const id = process.pid & 0xffff
      const echo = Buffer.alloc(8 + 16)
      echo.writeUInt8(8, 0)
      echo.writeUInt16BE(id, 4)
      echo.writeUInt16BE(1, 6)
      echo.write('polysocket-raw!!', 8)
      echo.writeUInt16BE(checksum(echo), 2)
      await socket.send(echo, { to: { family: 'inet', address: '127.0.0.1', port: 0 } })
      socket.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 2000)
      // The raw socket sees every ICMP packet on the host (our request too): 50 reads bound the search.
      for (let i = 0; i < 50; i++) {
        const { data, from } = await socket.recv(1500, { signal: ctx.signal })
        const ihl = ((data[0] ?? 0) & 0x0f) * 4
        const icmp = data.subarray(ihl)
        if (icmp[0] === 0 && icmp.readUInt16BE(4) === id && icmp.readUInt16BE(6) === 1) {
          assert.deepEqual(from, { family: 'inet', address: '127.0.0.1', port: 0 })
          assert.equal(icmp.toString('latin1', 8), 'polysocket-raw!!')
          return
        }
      }
      assert.fail('no echo reply among 50 ICMP packets')
    },
  },
  {
    id: 'posix.adopt.notsock',
    title: 'adopting an fd that is not a socket fails with ENOTSOCK and leaves the fd open',
    needs: ['fd'],
    async run(ctx) {
      const fd = openSync(ctx.tmpdir, 'r')
      ctx.onCleanup(() => closeSync(fd))
      await expectSocketError(ctx.backend.adopt(fd), ['ENOTSOCK'], 'adopt(directory fd)')
      assert.doesNotThrow(() => closeSync(openSync(`/proc/self/fd/${fd}`, 'r')), 'the fd is still open')
    },
  },
]
