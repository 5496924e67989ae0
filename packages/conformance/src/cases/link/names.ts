import { randomInt } from 'node:crypto'

// Every name and route a link creates carries this process's marks, so that parallel runs never
// collide and a later run can tell a dead run's leftovers from a live one's.

/** Random per module instance: two workers sharing a pid still get different interface names. */
const TOKEN = randomInt(36 ** 4)
  .toString(36)
  .padStart(4, '0')

let serial = 0

/** `proto` number of every route a link adds: marks them as ours in `ip route show proto …`. */
export const ROUTE_PROTO = 92

/** Routes carry `metric` = pid × this + serial, so the owner's pid can be read back from any of them. */
const METRIC_SPAN = 64

/** Namespace names start with this, then the owner's pid. */
export const NETNS_PREFIX = 'polysocket-link-'

/** The names of one link. */
export interface LinkNames {
  /** The peer's network namespace. */
  readonly netns: string
  /** The veth end in this process's namespace. */
  readonly ours: string
  /** The veth end inside `netns`. */
  readonly peer: string
  /** The metric of this link's routes. */
  readonly metric: number
}

/** Fresh names for the next link of this process (interface names stay within IFNAMSIZ, 15 bytes). */
export function nextLinkNames(): LinkNames {
  const n = serial++
  const id = `${TOKEN}${(n % 36 ** 3).toString(36).padStart(3, '0')}`
  return {
    netns: `${NETNS_PREFIX}${process.pid}-${id}`,
    ours: `psl${id}a`,
    peer: `psl${id}b`,
    metric: process.pid * METRIC_SPAN + (n % METRIC_SPAN),
  }
}

/** What this process's links are named like, for the leftover check. */
export const ownMarks = {
  netnsPrefix: `${NETNS_PREFIX}${process.pid}-${TOKEN}`,
  interfacePrefix: `psl${TOKEN}`,
  ownsMetric: (metric: number) => Math.floor(metric / METRIC_SPAN) === process.pid,
}

/** The pid that owns a namespace by its name, or undefined for a name that is not a link's. */
export function netnsOwner(name: string): number | undefined {
  const m = new RegExp(`^${NETNS_PREFIX}(\\d+)-`).exec(name)
  return m ? Number(m[1]) : undefined
}

/** The pid that owns a route by its metric. */
export function metricOwner(metric: number): number {
  return Math.floor(metric / METRIC_SPAN)
}
