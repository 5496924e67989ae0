import { randomInt } from 'node:crypto'
import { ipv4Network, SLOT_COUNT, slotAddresses, slotRange } from './addresses.js'
import { ip, runIp } from './ip-command.js'

/** Attempts at claiming a slot before giving up; each one lasts milliseconds. */
const ATTEMPTS = 20

/** An IPv4 address of this namespace: interface and network (as numbers). */
interface Held {
  readonly ifname: string
  readonly network: readonly [number, number]
}

async function heldAddresses(): Promise<Held[]> {
  const { stdout } = await runIp(['-4', '-o', 'addr', 'show'])
  const held: Held[] = []
  for (const line of stdout.split('\n')) {
    // "7: pslab12001a    inet 198.51.100.1/29 brd 198.51.100.7 scope global …"
    const m = /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)/.exec(line)
    if (m?.[1] && m[2] && m[3]) held.push({ ifname: m[1], network: ipv4Network(m[2], Number(m[3])) })
  }
  return held
}

/** Whether an address held elsewhere overlaps slot `slot`'s /29. */
function overlaps(held: readonly Held[], slot: number, ourIfname: string): boolean {
  const [first, last] = slotRange(slot)
  const base = ipv4Network('198.51.100.0', 24)[0]
  return held.some((h) => h.ifname !== ourIfname && h.network[0] <= base + last && h.network[1] >= base + first)
}

/**
 * Gives interface `ifname` a /29 of 198.51.100.0/24 that no other interface of this namespace
 * overlaps. The kernel's address list is the registry: the address is added first and the list
 * read again after, so of two runs that picked the same /29 at once at least one sees the other
 * and moves on; the one that stays saw nobody after its own claim, which no later claimer can
 * miss. Picks are random, so retries rarely meet.
 *
 * @returns the slot, or `undefined` when the host already uses every /29 (an address of its own
 * in 198.51.100.0/24).
 */
export async function claimSlot(ifname: string): Promise<number | undefined> {
  let claimed: string | undefined
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const held = await heldAddresses()
    const free = [...Array(SLOT_COUNT).keys()].filter((s) => !overlaps(held, s, ifname))
    if (free.length === 0) {
      if (held.some((h) => h.ifname !== ifname && /^psl/.test(h.ifname))) {
        // Other runs' links hold them all: wait for one to end.
        await new Promise((resolve) => setTimeout(resolve, 50 + randomInt(100)))
        continue
      }
      return undefined
    }
    const slot = free[randomInt(free.length)] as number
    const v4 = slotAddresses(slot).v4
    if (claimed) await ip(['addr', 'del', claimed, 'dev', ifname])
    claimed = `${v4.ours}/${v4.prefixLength}`
    await ip(['addr', 'add', claimed, 'brd', '+', 'dev', ifname])
    if (!overlaps(await heldAddresses(), slot, ifname)) return slot
    await new Promise((resolve) => setTimeout(resolve, randomInt(20)))
  }
  throw new Error(`no /29 of 198.51.100.0/24 could be claimed in ${ATTEMPTS} attempts`)
}
