import assert from 'node:assert/strict'
import type { Case } from '../../case.js'
import { delay } from '../../peers/time.js'
import { alive, interfaceNames, markedRoutes, netnsNames } from './leftovers.js'
import { openLink } from './link.js'
import { ownMarks } from './names.js'
import { startPeer } from './peer.js'

/** Runs last in the group: what every link of this process left behind. */
export const linkCleanupCases: readonly Case[] = [
  {
    id: 'link.cleanup',
    title:
      'closing a link kills the processes inside it and removes its namespace, veth pair and routes; no link of this run is left (ip netns list, ip link, ip route)',
    needs: [],
    async run(ctx) {
      const link = await openLink(ctx)
      const peer = await startPeer(ctx, link, "say('UP')\nimport time\ntime.sleep(60)\n")
      await peer.expect('UP')
      assert.ok((await netnsNames()).includes(link.names.netns), 'the namespace existed')
      assert.ok((await interfaceNames()).includes(link.ifname), 'our veth end existed')
      await link.close()
      // SIGKILL is delivered at once, but the exit is the kernel's to finish: poll briefly.
      for (let i = 0; i < 50 && alive(peer.pid); i++) await delay(10)
      assert.equal(alive(peer.pid), false, 'the peer process is gone')
      assert.deepEqual(
        (await netnsNames()).filter((n) => n.startsWith(ownMarks.netnsPrefix)),
        [],
        'namespaces of this run',
      )
      assert.deepEqual(
        (await interfaceNames()).filter((n) => n.startsWith(ownMarks.interfacePrefix)),
        [],
        'interfaces of this run',
      )
      assert.deepEqual(
        (await markedRoutes()).filter((r) => ownMarks.ownsMetric(r.metric)).map((r) => r.del),
        [],
        'routes of this run',
      )
      await link.close()
    },
  },
]
