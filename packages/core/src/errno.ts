import { type ErrnoEntry, LINUX_EAI, LINUX_ERRNO } from './errno-linux.js'

export type { ErrnoEntry } from './errno-linux.js'

const byName = new Map<string, ErrnoEntry>()
const byNumber = new Map<number, ErrnoEntry>()
for (const [name, errno, message] of [...LINUX_ERRNO, ...LINUX_EAI]) {
  const entry = Object.freeze({ name, errno, message })
  byName.set(name, entry)
  // The first name listed for a number is its canonical one (EAGAIN before EWOULDBLOCK).
  if (!byNumber.has(errno)) byNumber.set(errno, entry)
}

/**
 * Looks up an errno or `EAI_*` code by name.
 *
 * @param name - `ECONNREFUSED`, `EAGAIN`, `EAI_NONAME`, …
 * @returns the entry (Linux number, glibc message), or `undefined` for an unknown name.
 * Source: Linux `errno(3)`, glibc `strerror(3)` and `gai_strerror(3)`.
 */
export function errnoByName(name: string): ErrnoEntry | undefined {
  return byName.get(name)
}

/**
 * Looks up an errno by its Linux number; negative numbers are getaddrinfo's `EAI_*` codes.
 *
 * @param errno - the number as the kernel or libc reports it (111, -2, …).
 * @returns the canonical entry for that number, or `undefined`.
 */
export function errnoByNumber(errno: number): ErrnoEntry | undefined {
  return byNumber.get(errno)
}

/**
 * The system message for an errno name or number, as `strerror(3)` gives it.
 *
 * @param code - errno name (`ECONNREFUSED`) or number (111).
 * @returns `"Connection refused"`; for an unknown code, `"Unknown error <code>"` like glibc.
 */
export function strerror(code: string | number): string {
  const entry = typeof code === 'number' ? errnoByNumber(code) : errnoByName(code)
  return entry?.message ?? `Unknown error ${code}`
}
