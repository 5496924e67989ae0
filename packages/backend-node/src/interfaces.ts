import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { networkInterfaces } from 'node:os'
// Node's own, not the global one that fake timers in a test may replace and never run.
import { setImmediate } from 'node:timers'

// if_nametoindex(3) and if_indextoname(3), which Node does not expose. On Linux, /sys/class/net
// lists every interface of the network namespace with its index, whether it holds addresses or
// not: one small read answers a name, a scan of the directory an index. Elsewhere
// os.networkInterfaces() gives the index (`scopeid`) of each interface that holds an IPv6
// link-local address, the only interfaces a scope id can usefully name there.
//
// Interfaces come and go, and an index may later name another interface (or a name another
// index), so no answer is kept for long: an answer is reused only within the event-loop turn
// that found it (a burst of datagrams from a link-local peer costs one read, not one each), and
// the index → name table of the last scan serves only as a guess that one read confirms.

const SYSFS = '/sys/class/net'

/** Answers found during the current event-loop turn; `undefined` for an index means "none". */
interface TurnAnswers {
  readonly names: Map<number, string | undefined>
  readonly indexes: Map<string, number>
}

let turn: TurnAnswers | undefined
/** index → name as of the last scan: a guess, confirmed by reading the name's index. */
let lastScan = new Map<number, string>()
let sysfs: boolean | undefined

function answers(): TurnAnswers {
  if (turn === undefined) {
    turn = { names: new Map(), indexes: new Map() }
    // Referenced on purpose: an unreferenced immediate would not keep the poll phase from
    // blocking, and answers could then outlive the turn by any length of time.
    setImmediate(() => {
      turn = undefined
    })
  }
  return turn
}

function hasSysfs(): boolean {
  sysfs ??= existsSync(SYSFS)
  return sysfs
}

/** The index /sys/class/net gives for `name`, or 0. */
function readIndex(name: string): number {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) return 0
  try {
    const n = Number.parseInt(readFileSync(`${SYSFS}/${name}/ifindex`, 'utf8'), 10)
    return Number.isInteger(n) && n > 0 ? n : 0
  } catch {
    return 0
  }
}

/** Every interface this process can name, with its index. */
function allInterfaces(): Map<string, number> {
  const found = new Map<string, number>()
  if (hasSysfs()) {
    let names: string[] = []
    try {
      names = readdirSync(SYSFS)
    } catch {
      // Unreadable: no interfaces.
    }
    for (const name of names) {
      const index = readIndex(name)
      if (index > 0) found.set(name, index)
    }
    return found
  }
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    const scoped = entries?.find((e) => e.family === 'IPv6' && (e.scopeid ?? 0) > 0)
    if (scoped?.family === 'IPv6' && scoped.scopeid !== undefined) found.set(name, scoped.scopeid)
  }
  return found
}

/** A fresh scan: every pair becomes this turn's answer and the next guess. */
function scan(now: TurnAnswers): void {
  const byIndex = new Map<number, string>()
  for (const [name, index] of allInterfaces()) {
    byIndex.set(index, name)
    now.indexes.set(name, index)
    now.names.set(index, name)
  }
  lastScan = byIndex
}

/**
 * if_nametoindex(3): the index of the network interface `name`, or 0 when there is none.
 * Exact as of the current event-loop turn.
 */
export function interfaceIndex(name: string): number {
  const now = answers()
  const known = now.indexes.get(name)
  if (known !== undefined) return known
  let index: number
  if (hasSysfs()) {
    index = readIndex(name)
  } else {
    scan(now)
    index = now.indexes.get(name) ?? 0
  }
  now.indexes.set(name, index)
  if (index > 0) {
    now.names.set(index, name)
    lastScan.set(index, name)
  }
  return index
}

/**
 * if_indextoname(3): the name of the network interface with index `index`, or `undefined` when
 * there is none. Exact as of the current event-loop turn.
 */
export function interfaceName(index: number): string | undefined {
  if (!Number.isInteger(index) || index <= 0 || index > 0xffffffff) return undefined
  const now = answers()
  if (now.names.has(index)) return now.names.get(index)
  const guess = lastScan.get(index)
  if (guess !== undefined && hasSysfs() && readIndex(guess) === index) {
    now.names.set(index, guess)
    now.indexes.set(guess, index)
    return guess
  }
  scan(now)
  if (!now.names.has(index)) now.names.set(index, undefined)
  return now.names.get(index)
}
