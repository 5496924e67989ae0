import { readdirSync, readFileSync } from 'node:fs'

// if_nametoindex(3) / if_indextoname(3) without libc: Linux lists every interface with its
// index under /sys/class/net. Where that directory is missing (not Linux), names resolve to
// nothing and indexes stay numbers, which is what ucode does for an unknown name or index.

const SYSFS = '/sys/class/net'

/** The index of a network interface by name, or 0 when there is none (if_nametoindex). */
export function interfaceIndex(name: string): number {
  if (name === '' || name.includes('/') || name === '.' || name === '..') return 0
  try {
    const n = Number.parseInt(readFileSync(`${SYSFS}/${name}/ifindex`, 'utf8'), 10)
    return Number.isInteger(n) && n > 0 ? n : 0
  } catch {
    return 0
  }
}

/** The name of a network interface by index, or `undefined` (if_indextoname). */
export function interfaceName(index: number): string | undefined {
  if (!Number.isInteger(index) || index <= 0) return undefined
  try {
    for (const name of readdirSync(SYSFS)) {
      if (interfaceIndex(name) === index) return name
    }
  } catch {
    // No sysfs: no names.
  }
  return undefined
}
