// The addresses of a link. Only documentation ranges are used: 198.51.100.0/24 (RFC 5737) and
// 2001:db8::/32 (RFC 3849), plus link-local fe80::/64 and transient multicast groups, and only
// on the veth pair a run created. The /24 is cut into /29s ("slots"), one per live link, so
// that links of parallel runs never share a subnet; the last /29 holds the fixed addresses
// below, which no slot uses.

/** Slots 0…30: 198.51.100.(8·slot)/29; slot 31 (198.51.100.248/29) is reserved. */
export const SLOT_COUNT = 31

/** The addresses of one IP family on a link. */
export interface FamilyAddresses {
  /** Ours: the veth end in this process's namespace. */
  readonly ours: string
  /** The peer's end, in the other namespace. */
  readonly peer: string
  /** On the link's subnet, held by nobody: neighbour discovery for it fails. */
  readonly unused: string
  /**
   * Held by the peer, but this namespace has no route to it (a `throw` route hides the default
   * route): a plain send fails with ENETUNREACH, one bound to the veth reaches the peer.
   */
  readonly offLink: string
  /** The multicast group the cases use; routed nowhere here unless an interface is chosen. */
  readonly group: string
  readonly prefixLength: number
}

const OFF_LINK_V4 = '198.51.100.249'
const OFF_LINK_V6 = '2001:db8:5c:ff::249'
const GROUP_V4 = '239.255.92.1'
const GROUP_V6 = 'ff12::5c:1'

/**
 * The `throw` routes every link adds (as `ip route` prefixes, with a table where not main):
 * this namespace has no route to the off-link addresses and the groups, whatever the host's
 * default routes, so a send that does not choose the veth fails instead of leaving by another
 * interface. IPv6 looks multicast up in the local table first, where every interface routes
 * ff00::/8, so the group is thrown there too.
 */
export const THROW_ROUTES: readonly string[] = [
  `${OFF_LINK_V4}/32`,
  `${GROUP_V4}/32`,
  `${OFF_LINK_V6}/128`,
  `${GROUP_V6}/128`,
  `${GROUP_V6}/128 table local`,
]

/** Both families' addresses of a link in one slot. */
export interface LinkAddresses {
  readonly v4: FamilyAddresses & { readonly broadcast: string }
  readonly v6: FamilyAddresses
  /** fe80::/64 addresses, meaningful only with the interface as scope. */
  readonly linkLocal: { readonly ours: string; readonly peer: string }
}

/**
 * The addresses of slot `slot`. IPv6 uses 2001:db8:5c:<slot + 1>::/64 (never a zero group, so
 * the text is canonical), away from 2001:db8::/64, which other cases bind to provoke
 * EADDRNOTAVAIL.
 */
export function slotAddresses(slot: number): LinkAddresses {
  const base = slot * 8
  const v6 = `2001:db8:5c:${(slot + 1).toString(16)}::`
  return {
    v4: {
      ours: `198.51.100.${base + 1}`,
      peer: `198.51.100.${base + 2}`,
      unused: `198.51.100.${base + 3}`,
      broadcast: `198.51.100.${base + 7}`,
      offLink: OFF_LINK_V4,
      group: GROUP_V4,
      prefixLength: 29,
    },
    v6: {
      ours: `${v6}1`,
      peer: `${v6}2`,
      unused: `${v6}3`,
      offLink: OFF_LINK_V6,
      group: GROUP_V6,
      prefixLength: 64,
    },
    linkLocal: { ours: 'fe80::1', peer: 'fe80::2' },
  }
}

/** The range of 198.51.100.x host numbers (last octet) a slot covers, inclusive. */
export function slotRange(slot: number): readonly [number, number] {
  return [slot * 8, slot * 8 + 7]
}

/** An IPv4 address as a 32-bit number. */
export function ipv4Number(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

/** The first and last address (as numbers) of `address/prefixLength`. */
export function ipv4Network(address: string, prefixLength: number): readonly [number, number] {
  const size = 2 ** (32 - prefixLength)
  const first = Math.floor(ipv4Number(address) / size) * size
  return [first, first + size - 1]
}
