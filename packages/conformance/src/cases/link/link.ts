import { readFileSync, writeFileSync } from 'node:fs'
import { isIPv6 } from 'node:net'
import type { Inet6Address, InetAddress } from '@polysocket/core'
import type { CaseContext } from '../../case.js'
import { type FamilyAddresses, type LinkAddresses, slotAddresses, THROW_ROUTES } from './addresses.js'
import { ipBatch, ipBatchForce, runIp } from './ip-command.js'
import { killInside, sweepDeadRuns } from './leftovers.js'
import { type LinkNames, nextLinkNames, ROUTE_PROTO } from './names.js'
import { linkTools } from './prerequisites.js'
import { claimSlot } from './slots.js'

/**
 * A veth pair from this process's network namespace to a fresh one. This process keeps its
 * end (it cannot enter another namespace: Node has no setns), and the peer runs as a child
 * process inside the other namespace (`ip netns exec`).
 */
export interface Link extends LinkAddresses {
  readonly names: LinkNames
  /** Our end's interface name and index (the scope id of its link-local addresses). */
  readonly ifname: string
  readonly ifindex: number
  readonly mtu: number
  /** The python3 binary peers run with. */
  readonly python: string
  /** The addresses of the case's IP family. */
  readonly ip: FamilyAddresses
  /** A socket address of the case's family: `address` (default: ours) and `port`. */
  at(port: number, address?: string): InetAddress | Inet6Address
  /** Removes the namespace, the pair and the routes; harmless to call again. */
  close(): Promise<void>
}

/** Options of {@link openLink}. */
export interface LinkOptions {
  /** The MTU of both veth ends (default 1500). */
  readonly mtu?: number
}

/**
 * Builds a link for one case and registers its removal with the case's cleanups before
 * anything exists, so a failure halfway or a timeout still removes all of it. Skips the case
 * (with the reason) where links cannot be built: not Linux, not root, no `ip`, no python3.
 */
export async function openLink(ctx: CaseContext, options: LinkOptions = {}): Promise<Link> {
  const tools = await linkTools()
  if (tools.unavailable !== undefined) ctx.skip(tools.unavailable)
  await sweepDeadRuns()
  const names = nextLinkNames()
  const mtu = options.mtu ?? 1500
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= teardown(names)
    return closing
  }
  ctx.onCleanup(close)

  const created = await runIp(
    ['-batch', '-'],
    [
      `netns add ${names.netns}`,
      `link add ${names.ours} mtu ${mtu} type veth peer name ${names.peer} mtu ${mtu} netns ${names.netns}`,
      // No automatic link-local address: it would wait for duplicate address detection first.
      `link set ${names.ours} addrgenmode none`,
    ].join('\n'),
  )
  if (created.code !== 0) {
    if (/Operation not permitted|Permission denied/.test(created.stderr)) {
      ctx.skip(`cannot create a network namespace and a veth pair here: ${created.stderr.trim()}`)
    }
    throw new Error(`creating the link failed: ${created.stderr.trim()}`)
  }
  const slot = await claimSlot(names.ours)
  if (slot === undefined) ctx.skip('198.51.100.0/24 has no free /29 on this host for the link')
  const a = slotAddresses(slot)
  const route = `proto ${ROUTE_PROTO} metric ${names.metric}`
  await ipBatch([
    `link set ${names.ours} up`,
    `addr add ${a.v6.ours}/${a.v6.prefixLength} dev ${names.ours} nodad`,
    `addr add ${a.linkLocal.ours}/64 dev ${names.ours} nodad`,
    ...THROW_ROUTES.map((prefix) => `route replace throw ${prefix} ${route}`),
  ])
  await ipBatch(
    [
      'link set lo up',
      `link set ${names.peer} addrgenmode none`,
      `link set ${names.peer} up`,
      `addr add ${a.v4.peer}/${a.v4.prefixLength} brd + dev ${names.peer}`,
      `addr add ${a.v4.offLink}/32 dev ${names.peer}`,
      `addr add ${a.v6.peer}/${a.v6.prefixLength} dev ${names.peer} nodad`,
      `addr add ${a.linkLocal.peer}/64 dev ${names.peer} nodad`,
    ],
    names.netns,
  )
  quickNeighbourFailure(names.ours)
  const ifindex = Number.parseInt(readFileSync(`/sys/class/net/${names.ours}/ifindex`, 'utf8'), 10)
  const ip = ctx.ipFamily === 6 ? a.v6 : a.v4
  return {
    ...a,
    names,
    ifname: names.ours,
    ifindex,
    mtu,
    python: tools.python,
    ip,
    at(port, address = ip.ours) {
      return isIPv6(address)
        ? { family: 'inet6', address, port, flowinfo: 0, scopeId: address.startsWith('fe80:') ? ifindex : 0 }
        : { family: 'inet', address, port }
    },
    close,
  }
}

/**
 * Neighbour discovery for an address nobody holds gives up after 3 probes 100 ms apart instead
 * of 1 s apart, so EHOSTUNREACH comes in about 0.3 s (ip-sysctl: neigh/<if>/retrans_time_ms).
 */
function quickNeighbourFailure(ifname: string): void {
  for (const family of ['ipv4', 'ipv6']) {
    try {
      writeFileSync(`/proc/sys/net/${family}/neigh/${ifname}/retrans_time_ms`, '100')
      writeFileSync(`/proc/sys/net/${family}/neigh/${ifname}/mcast_solicit`, '3')
    } catch {
      // A read-only /proc/sys (some containers) leaves the kernel's 3 s, still within the cases' bound.
    }
  }
}

async function teardown(names: LinkNames): Promise<void> {
  // A process left inside would keep the namespace alive, nameless, after `netns del`.
  await killInside(names.netns).catch(() => undefined)
  const route = `proto ${ROUTE_PROTO} metric ${names.metric}`
  await ipBatchForce([
    // Deleting one end of a veth pair deletes both at once; the namespace's own cleanup is lazy.
    `link del ${names.ours}`,
    `netns del ${names.netns}`,
    ...THROW_ROUTES.map((prefix) => `route del throw ${prefix} ${route}`),
  ])
}
