import type { Case } from '../../case.js'
import { linkBindToDeviceCases } from './bind-to-device.js'
import { linkBroadcastCases } from './broadcast.js'
import { linkCleanupCases } from './cleanup.js'
import { linkFacadeCases } from './facades.js'
import { linkErrorCases } from './icmp-errors.js'
import { linkLocalCases } from './link-local.js'
import { linkMtuCases } from './mtu.js'
import { linkMulticastCases } from './multicast.js'

/**
 * The `link` group: a veth pair between this process's network namespace and a fresh one, with
 * a python3 peer inside it, so that MTU, multicast, broadcast, interfaces, link-local scope and
 * ICMP errors are real. Skipped with a reason where it cannot be built (not root, no `ip`).
 * The cleanup check comes last, after every other link of the run is gone.
 */
export const linkCases: readonly Case[] = [
  ...linkMulticastCases,
  ...linkBroadcastCases,
  ...linkBindToDeviceCases,
  ...linkMtuCases,
  ...linkErrorCases,
  ...linkLocalCases,
  ...linkFacadeCases,
  ...linkCleanupCases,
]
