/**
 * Who owns each file descriptor received through SCM_RIGHTS and not yet taken: the socket it
 * arrived on closes it when that socket closes. One registry per process, so that `adopt`
 * (on any backend) can take an fd away from the socket that received it.
 */
const owners = new Map<number, { release(fd: number): void }>()

/** Records that `owner` received `fd` (an fd number is unique while it is open). */
export function recordReceivedFd(fd: number, owner: { release(fd: number): void }): void {
  owners.set(fd, owner)
}

/**
 * Takes a received fd away from the socket that holds it: that socket will no longer close it.
 * Backends call it from `adopt`; users call `Socket.detachFds`.
 *
 * @returns `true` if a socket held it.
 */
export function detachReceivedFd(fd: number): boolean {
  const owner = owners.get(fd)
  if (owner === undefined) return false
  owners.delete(fd)
  owner.release(fd)
  return true
}

/** Forgets `fd` after its owner closed it. */
export function forgetReceivedFd(fd: number): void {
  owners.delete(fd)
}
