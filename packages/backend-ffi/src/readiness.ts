import { SocketError } from '@polysocket/core'
import ffi, { type JsExternal } from 'ffi-rs'
import { getArena, MAX_EVENTS, REGION } from './arena.js'
import { errnoError } from './errors.js'
import * as libc from './libc.js'
import { currentLayout, LINUX_EXTRA as X } from './platform-linux.js'

/**
 * Readiness without blocking the main thread and without libuv's thread pool.
 *
 * One epoll instance holds every socket that ever had to wait (registered on its first
 * EAGAIN, edge-triggered, for input and output at once, so no later epoll_ctl is needed).
 * The epoll fd itself is watched by one libuv `uv_poll` handle on the main loop, reached
 * through ffi-rs; its callback (a JS function made with `createPointer` + `funcConstructor`)
 * drains `epoll_wait(…, 0)` and wakes the waiters of each ready socket, which then retry
 * their syscall. Edge-triggering is safe because every operation tries its syscall first and
 * waits only after EAGAIN: any change after that EAGAIN is a new edge.
 *
 * The uv_poll is started only while someone waits, so a socket nobody awaits never keeps the
 * process alive; the ffi-rs callback (a thread-safe function that would) is freed after
 * {@link IDLE_MS} without waiters. Source: DESIGN.md "backend-ffi notes"; epoll(7).
 */

const { createPointer, freePointer, funcConstructor, unwrapPointer, PointerType, DataType } = ffi

/** Wait directions. */
export const READ = 1
export const WRITE = 2

/** Milliseconds without waiters after which the callback is freed and the process may exit. */
export const IDLE_MS = 50

const READ_MASK = X.EPOLLIN | X.EPOLLPRI | X.EPOLLERR | X.EPOLLHUP | X.EPOLLRDHUP
const WRITE_MASK = X.EPOLLOUT | X.EPOLLERR | X.EPOLLHUP
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
  readonly waiters = new Set<Waiter>()
  constructor(fd: number, id: number) {
    this.fd = fd
    this.id = id
  }
}

const CALLBACK = funcConstructor({
  // uv_poll_cb(uv_poll_t *handle, int status, int events): the handle travels as I64
  // (declared External it crashed the process: DESIGN.md).
  paramsType: [DataType.I64, DataType.I32, DataType.I32],
  retType: DataType.Void,
})

class Reactor {
  readonly #layout = currentLayout()
  #epfd = -1
  #handle = 0
  #callback: JsExternal[] | undefined
  #started = false
  #stopping = false
  #waiting = 0
  #idle: NodeJS.Timeout | undefined
  #nextId = 1
  readonly #byId = new Map<number, Pollable>()
  #followUp = false

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
  wait(p: Pollable, dir: number, deadline: number | undefined, signal: AbortSignal | undefined, retryMs?: number) {
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (!p.registered) this.#register(p)
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
      libc.epollCtl(this.#epfd, X.EPOLL_CTL_DEL, p.fd, 0)
    }
  }

  #register(p: Pollable): void {
    this.#init()
    const { view, address } = getArena()
    const ev = this.#layout.epollEvent
    view.fill(0, REGION.event, REGION.event + 16)
    view.writeUInt32LE(INTEREST, REGION.event + ev.events)
    view.writeUInt32LE(p.id, REGION.event + ev.data)
    if (libc.epollCtl(this.#epfd, X.EPOLL_CTL_ADD, p.fd, address + REGION.event) === -1) {
      throw errnoError('epoll_ctl', libc.errno())
    }
    p.registered = true
    this.#byId.set(p.id, p)
  }

  #init(): void {
    if (this.#epfd !== -1) return
    const epfd = libc.epollCreate1(X.EPOLL_CLOEXEC)
    if (epfd === -1) throw errnoError('epoll_create1', libc.errno())
    const handle = libc.allocate(libc.uvHandleSize(X.UV_POLL)).address
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
    this.#callback ??= createPointer({ paramsType: [CALLBACK], paramsValue: [() => this.#drain()] })
    const cb = unwrapPointer(this.#callback)[0] as JsExternal
    const rc = libc.uvPollStart(this.#handle, X.UV_READABLE, cb)
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
    // Stopped, the poll no longer holds the process; the callback is freed a little later,
    // so that calls of the thread-safe function already queued run first.
    libc.uvPollStop(this.#handle)
    this.#started = false
    this.#idle = setTimeout(() => {
      this.#idle = undefined
      if (!this.#started && this.#callback) {
        freePointer({ paramsType: [CALLBACK], paramsValue: this.#callback, pointerType: PointerType.RsPointer })
        this.#callback = undefined
      }
    }, IDLE_MS)
    this.#idle.unref()
  }

  #drain(): void {
    if (this.#epfd === -1) return
    const { view, address } = getArena()
    const ev = this.#layout.epollEvent
    let woken = 0
    for (let round = 0; round < 16; round++) {
      const n = libc.epollWait(this.#epfd, address + REGION.events, MAX_EVENTS, 0)
      if (n <= 0) break
      for (let i = 0; i < n; i++) {
        const at = REGION.events + i * ev.size
        const mask = view.readUInt32LE(at + ev.events)
        const p = this.#byId.get(view.readUInt32LE(at + ev.data))
        if (p === undefined || p.waiters.size === 0) continue
        for (const w of [...p.waiters]) {
          if ((w.dir === READ ? READ_MASK : WRITE_MASK) & mask) {
            w.settle(true)
            woken++
          }
        }
      }
      if (n < MAX_EVENTS) break
    }
    // A woken waiter usually makes another socket of this process ready within the same turn
    // (a reply to a ping, room for a writer once a reader drained). Looking again in the check
    // phase, after those microtasks ran, finds that edge one epoll_wait later, where the uv_poll
    // would deliver it only after a thread-safe-function hop (an eventfd write and read and one
    // more loop iteration). The chain ends at the first look that wakes nobody.
    if (woken > 0 && this.#waiting > 0 && !this.#followUp) {
      this.#followUp = true
      setImmediate(this.#drainAgain)
    }
  }

  readonly #drainAgain = (): void => {
    this.#followUp = false
    if (this.#waiting > 0) this.#drain()
  }
}

/** The main thread's reactor. */
export const reactor = new Reactor()
