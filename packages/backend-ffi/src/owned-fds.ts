/**
 * The fds that open sockets of this package own, across engines: `adopt` refuses one of them,
 * since a second owner would close it under the first (or both would close it, the second time
 * perhaps someone else's fd).
 */
const owned = new Set<number>()

/** Records that an open socket owns `fd`. */
export function own(fd: number): void {
  owned.add(fd)
}

/** Records that `fd` was closed by its owner. */
export function disown(fd: number): void {
  owned.delete(fd)
}

/** Whether an open socket owns `fd`. */
export function isOwned(fd: number): boolean {
  return owned.has(fd)
}
