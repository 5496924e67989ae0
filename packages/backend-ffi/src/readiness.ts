import { SocketError } from '@polysocket/core'
import { MAX_EVENTS, REGION } from './arena.js'
import type { NativeCallback } from './engine/engine.js'
import { errnoError } from './errors.js'
import { currentLayout, LINUX_EXTRA as X } from './platform-linux.js'
import type { Runtime } from './runtime.js'

/**
 * Readiness without blocking the main thread and without libuv's thread pool.
 *
 * One epoll instance per engine holds every socket that ever had to wait (registered on its
 * first EAGAIN, edge-triggered, for input and output at once, so no later epoll_ctl is
 * needed). The epoll fd itself is watched by one libuv `uv_poll` handle on the main loop; its
 * callback drains `epoll_wait(…, 0)`, records what each edge says on the socket's
 * {@link Pollable} and wakes its waiters, which then retry their syscall.
 *
 * Each registered socket remembers what its edges told it, so a syscall known to end in
 * EAGAIN is not made: input is known absent after EAGAIN or a short stream read, until the
 * next EPOLLIN edge; room for output is known absent after EAGAIN or a partial stream write,
 * until the next EPOLLOUT edge. End of stream, hang-up and error stay remembered once seen
 * (their edge comes once; data read just before it must not make the socket look drained).
 * An unregistered socket is always tried, and EAGAIN stays the fallback, since an fd shared
 * with another process can be drained underneath. Source: epoll(7) "edge-triggered".
 *
 * The uv_poll is started only while someone waits, so a socket nobody awaits never keeps the
 * process alive; a callback that itself keeps the process alive (the engine says so) is freed
 * after {@link IDLE_MS} without waiters, so that calls already queued for it run first.
 */

/** Wait directions; a wait may name both (`READ | WRITE`). */
export const READ = 1
export const WRITE = 2

/** Milliseconds without waiters after which a callback that keeps the process alive is freed. */
export const IDLE_MS = 50

const READ_MASK = X.EPOLLIN | X.EPOLLPRI | X.EPOLLERR | X.EPOLLHUP | X.EPOLLRDHUP
const WRITE_MASK = X.EPOLLOUT | X.EPOLLERR | X.EPOLLHUP
/** Edges after which input is worth a read. */
const INPUT = X.EPOLLIN | X.EPOLLRDHUP | X.EPOLLHUP | X.EPOLLERR
/** Edges that stay true for the rest of the socket's life. */
const FINAL = X.EPOLLRDHUP | X.EPOLLHUP | X.EPOLLERR
const noop = (): void => {}

/** The epoll bits that end a wait in direction `dir`. */
const maskOf = (dir: number): number => (dir & READ ? READ_MASK : 0) | (dir & WRITE ? WRITE_MASK : 0)
const INTEREST = (X.EPOLLIN | X.EPOLLOUT | X.EPOLLPRI | X.EPOLLRDHUP | X.EPOLLET) >>> 0

interface Waiter {
  readonly dir: number
  settle(ready: boolean, error?: unknown): void
}

/** What the reactor knows about one fd. The id, never reused, routes epoll events. */
export class Pollable {
  readonly fd: number
  readonly id: number
  registered = false
  /** False once input is known absent (EAGAIN, a short stream read) until an input edge. */
  input = true
  /** False once room for output is known absent (EAGAIN, a partial stream write) until EPOLLOUT. */
  output = true
  /** End of stream, hang-up or error was seen: every later call is tried. */
  final = false
  /** The epoll bits of the edges seen since the reactor last cleared it. */
  seen = 0
  readonly waiters = new Set<Waiter>()
  constructor(fd: number, id: number) {
    this.fd = fd
    this.id = id
  }

  /** Whether a syscall in direction `dir` may succeed (it is tried unless known to block). */
  mayProceed(dir: number): boolean {
    if (!this.registered || this.final) return true
    return ((dir & READ) !== 0 && this.input) || ((dir & WRITE) !== 0 && this.output)
  }

  /** Records that a syscall in direction `dir` found nothing to do. */
  blocked(dir: number): void {
    if (dir === READ) this.input = false
    else this.output = false
  }
}

export class Reactor {
  readonly #rt: Runtime
  readonly #layout = currentLayout()
  #epfd = -1
  #handle = 0
  #callback: NativeCallback | undefined
  #started = false
  #stopping = false
  #waiting = 0
  #idle: NodeJS.Timeout | undefined
  #nextId = 1
  readonly #byId = new Map<number, Pollable>()
  /** Someone was woken in this turn, and the microtasks it runs may meet edges it made. */
  #hot = false

  constructor(rt: Runtime) {
    this.#rt = rt
  }

  /** A Pollable for a freshly opened fd (no syscall: registration waits for the first EAGAIN). */
  track(fd: number): Pollable {
    const id = this.#nextId
    this.#nextId = this.#nextId >= 0xffffffff ? 1 : this.#nextId + 1
    return new Pollable(fd, id)
  }

  /**
   * Waits until `p` may be ready for `dir`.
   * @param deadline - `performance.now()` value after which it resolves `false`.
   * @param retryMs - also resolves `true` after this long (for waits no edge may end, like a
   * datagram sent to a full unconnected peer).
   * @returns `true` when worth retrying, `false` when the deadline passed.
   * @throws the signal's reason on abort; SocketError `EBADF` when the socket is closed meanwhile.
   */
  wait(
    p: Pollable,
    dir: number,
    deadline: number | undefined,
    signal: AbortSignal | undefined,
    retryMs?: number,
  ): Promise<boolean> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (!p.registered) this.#register(p)
    // One look now may spare a loop turn: while the uv_poll is stopped, edges pile up unread;
    // and right after a wake, the woken side's calls have often made this socket ready (the
    // reply to a ping from this process is queued by the time the pinger waits for it). Only a
    // new edge ends the wait here, so a caller that waits again makes progress.
    else if (!this.#started || this.#hot) {
      p.seen = 0
      this.#drain()
      if (p.seen & maskOf(dir)) return Promise.resolve(true)
    }
    return new Promise<boolean>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      let retry: NodeJS.Timeout | undefined
      const onAbort = () => waiter.settle(false, signal?.reason)
      const waiter: Waiter = {
        dir,
        settle: (ready, error) => {
          if (!p.waiters.delete(waiter)) return
          if (timer) clearTimeout(timer)
          if (retry) clearTimeout(retry)
          signal?.removeEventListener('abort', onAbort)
          this.#release()
          if (error !== undefined) reject(error)
          else resolve(ready)
        },
      }
      p.waiters.add(waiter)
      this.#acquire()
      if (deadline !== undefined)
        timer = setTimeout(() => waiter.settle(false), Math.max(0, deadline - performance.now()))
      if (retryMs !== undefined) retry = setTimeout(() => waiter.settle(true), retryMs)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /**
   * Before close(2): rejects every pending wait with `EBADF` and removes the fd from epoll,
   * so that no event or later call ever refers to the fd number again.
   */
  forget(p: Pollable, syscall: string): void {
    for (const w of [...p.waiters]) {
      w.settle(false, new SocketError('EBADF', { syscall, message: `${syscall} EBADF: socket closed while waiting` }))
    }
    if (p.registered) {
      p.registered = false
      this.#byId.delete(p.id)
      this.#rt.libc.epollCtl(this.#epfd, X.EPOLL_CTL_DEL, p.fd, 0)
    }
  }

  #register(p: Pollable): void {
    this.#init()
    const { view, address } = this.#rt.arena
    const ev = this.#layout.epollEvent
    view.fill(0, REGION.event, REGION.event + 16)
    view.writeUInt32LE(INTEREST, REGION.event + ev.events)
    view.writeUInt32LE(p.id, REGION.event + ev.data)
    if (this.#rt.libc.epollCtl(this.#epfd, X.EPOLL_CTL_ADD, p.fd, address + REGION.event) === -1) {
      throw errnoError('epoll_ctl', this.#rt.engine.errno())
    }
    p.registered = true
    this.#byId.set(p.id, p)
  }

  #init(): void {
    if (this.#epfd !== -1) return
    const { libc, engine } = this.#rt
    const epfd = libc.epollCreate1(X.EPOLL_CLOEXEC)
    if (epfd === -1) throw errnoError('epoll_create1', engine.errno())
    const handle = engine.allocate(libc.uvHandleSize(X.UV_POLL)).address
    const rc = libc.uvPollInit(libc.uvDefaultLoop(), handle, epfd)
    if (rc !== 0) {
      libc.close(epfd)
      throw new SocketError('POLYSOCKET_BACKEND_FAILURE', { message: `uv_poll_init failed (${rc})` })
    }
    this.#epfd = epfd
    this.#handle = handle
  }

  #acquire(): void {
    ++this.#waiting
    if (this.#started) return
    if (this.#idle) {
      clearTimeout(this.#idle)
      this.#idle = undefined
    }
    // The handle is never closed, so a callback that lives as long as it needs no uv_close.
    this.#callback ??= this.#rt.engine.pollCallback(() => this.#drain())
    const rc = this.#rt.libc.uvPollStart(this.#handle, X.UV_READABLE, this.#callback.address)
    if (rc !== 0) throw new SocketError('POLYSOCKET_BACKEND_FAILURE', { message: `uv_poll_start failed (${rc})` })
    this.#started = true
  }

  #release(): void {
    if (--this.#waiting !== 0 || this.#stopping) return
    // Stop after this turn, not at once: request/response traffic re-waits within the turn,
    // and a start/stop pair per wake would cost two FFI calls.
    this.#stopping = true
    setImmediate(this.#stopIfIdle)
  }

  readonly #stopIfIdle = (): void => {
    this.#stopping = false
    if (this.#waiting !== 0 || !this.#started) return
    this.#rt.libc.uvPollStop(this.#handle)
    this.#started = false
    const callback = this.#callback
    if (!callback?.keepsAlive) return
    // Stopped, the poll no longer holds the process, but such a callback would: it is freed a
    // little later, so that calls of it already queued run first.
    this.#idle = setTimeout(() => {
      this.#idle = undefined
      if (!this.#started && this.#callback === callback) {
        callback.free()
        this.#callback = undefined
      }
    }, IDLE_MS)
    this.#idle.unref()
  }

  #drain(): void {
    if (this.#epfd === -1) return
    const { libc, arena } = this.#rt
    const { view, address } = arena
    const ev = this.#layout.epollEvent
    let woken = 0
    for (let round = 0; round < 16; round++) {
      const n = libc.epollWait(this.#epfd, address + REGION.events, MAX_EVENTS, 0)
      if (n <= 0) break
      for (let i = 0; i < n; i++) {
        const at = REGION.events + i * ev.size
        const mask = view.readUInt32LE(at + ev.events)
        const p = this.#byId.get(view.readUInt32LE(at + ev.data))
        if (p === undefined) continue
        if (mask & INPUT) p.input = true
        if (mask & X.EPOLLOUT) p.output = true
        if (mask & FINAL) p.final = true
        p.seen |= mask
        if (p.waiters.size === 0) continue
        for (const w of [...p.waiters]) {
          if (maskOf(w.dir) & mask) {
            w.settle(true)
            woken++
          }
        }
      }
      if (n < MAX_EVENTS) break
    }
    // The woken waiters run their calls in the microtasks that follow, and a wait among them
    // looks again at once (see wait). The turn cools down in the check phase. An engine may
    // call this outside any Node callback scope (koffi does), where the promises settled here
    // would wait for the next scope: Node runs pending microtasks between two immediates but
    // not before the first, so an empty immediate goes first and they run in its wake.
    if (woken > 0 && !this.#hot) {
      this.#hot = true
      setImmediate(noop)
      setImmediate(this.#cool)
    }
  }

  readonly #cool = (): void => {
    this.#hot = false
  }
}
