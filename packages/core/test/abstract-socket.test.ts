import { describe, expect, it } from 'vitest'
import {
  AbstractSocket,
  type Accepted,
  type OptionTarget,
  type OptionValue,
  type RecvResult,
  type SocketAddress,
  SocketError,
  type Wait,
} from '../src/index.js'

/** Records what reaches the hooks, so the base class's checks and state can be observed. */
class RecordingSocket extends AbstractSocket {
  calls: [string, unknown[]][] = []
  closes = 0
  options = new Map<string, OptionValue>()
  #note(name: string, ...args: unknown[]) {
    this.calls.push([name, args])
  }
  protected async _bind(a: SocketAddress) {
    this.#note('bind', a)
  }
  protected async _listen(backlog: number) {
    this.#note('listen', backlog)
  }
  protected async _accept(wait: Wait): Promise<Accepted> {
    this.#note('accept', wait)
    throw new SocketError('EAGAIN')
  }
  protected async _connect(a: SocketAddress, wait: Wait) {
    this.#note('connect', a, wait)
  }
  protected async _send(data: Buffer, flags: readonly string[], to: SocketAddress | undefined, wait: Wait) {
    this.#note('send', data, flags, to, wait)
    return data.length
  }
  protected async _recv(maxBytes: number, flags: readonly string[], wait: Wait): Promise<RecvResult> {
    this.#note('recv', maxBytes, flags, wait)
    return { data: Buffer.alloc(0), truncated: false }
  }
  protected async _shutdown(how: string) {
    this.#note('shutdown', how)
  }
  protected async _close() {
    this.closes++
  }
  protected _getOption(t: OptionTarget): OptionValue {
    return this.options.get(t.spec?.name ?? 'raw') ?? 0
  }
  protected _setOption(t: OptionTarget, v: OptionValue) {
    this.options.set(t.spec?.name ?? 'raw', v)
  }
  protected _localAddress(): SocketAddress {
    return { family: 'inet', address: '127.0.0.1', port: 1 }
  }
  protected _remoteAddress(): SocketAddress {
    throw new SocketError('ENOTCONN')
  }
}

const make = () => new RecordingSocket({ family: 'AF_INET', type: 'SOCK_STREAM' })
const inet = { family: 'inet', address: '127.0.0.1', port: 5 } as const

describe('AbstractSocket', () => {
  it('closes exactly once and refuses every call afterwards with EBADF', async () => {
    const s = make()
    await Promise.all([s.close(), s.close()])
    await s.close()
    expect(s.closes).toBe(1)
    expect(s.closed).toBe(true)
    for (const call of [
      () => s.recv(1),
      () => s.send('x'),
      () => s.bind(inet),
      () => s.connect(inet),
      () => s.accept(),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'EBADF' })
    }
    expect(() => s.localAddress()).toThrow(expect.objectContaining({ code: 'EBADF' }))
    expect(() => s.getOption('SOL_SOCKET', 'SO_TYPE')).toThrow(expect.objectContaining({ code: 'EBADF' }))
    expect(s.calls).toEqual([])
  })

  it('rejects bad arguments before reaching the backend', async () => {
    const s = make()
    await expect(s.recv(-1)).rejects.toThrow(RangeError)
    await expect(s.recv(Number.NaN)).rejects.toThrow(/maxBytes/)
    await expect(s.recv('4' as never)).rejects.toThrow(TypeError)
    await expect(s.send(42 as never)).rejects.toThrow(/data must be a Uint8Array or a string/)
    await expect(s.send('x', { flags: ['MSG_NOPE' as never] })).rejects.toThrow(TypeError)
    await expect(s.listen(-1)).rejects.toThrow(RangeError)
    await expect(s.connect({ family: 'inet6', address: '::1', port: 1 })).rejects.toMatchObject({
      code: 'EAFNOSUPPORT',
    })
    await expect(s.shutdown('SHUT_SIDEWAYS' as never)).rejects.toThrow(TypeError)
    expect(() => s.setOption('SOL_SOCKET', 'SO_NOPE', 1)).toThrow(TypeError)
    expect(() => s.setOption('SOL_SOCKET', 'SO_KEEPALIVE', 'on' as never)).toThrow(TypeError)
    expect(() => s.setOption('SOL_SOCKET', 'SO_TYPE', 1)).toThrow(expect.objectContaining({ code: 'ENOPROTOOPT' }))
    const ucred = { pid: 1, uid: 0, gid: 0 }
    expect(() => s.setOption('SOL_SOCKET', 'SO_PEERCRED', ucred)).toThrow(
      expect.objectContaining({ code: 'ENOPROTOOPT' }),
    )
    expect(() => s.detachFds('3' as never)).toThrow(TypeError)
    expect(() => s.detachFds([-1])).toThrow(RangeError)
    expect(s.detachFds()).toEqual([])
    expect(s.detachFds([0, 1, 2])).toEqual([])
    expect(s.calls).toEqual([])
  })

  it('hands SO_RCVTIMEO / SO_SNDTIMEO and the blocking mode to the hooks as a Wait', async () => {
    const s = make()
    s.setOption('SOL_SOCKET', 'SO_RCVTIMEO', 250)
    s.setOption('SOL_SOCKET', 'SO_SNDTIMEO', 1.5)
    expect(s.getOption('SOL_SOCKET', 'SO_RCVTIMEO')).toBe(250)
    await s.recv(10)
    await s.send('ab', { flags: ['MSG_DONTWAIT'] })
    s.setNonBlocking(true)
    await s.recv(10)
    await s.connect(inet, { timeoutMs: 0 })
    const waits = s.calls.map(([, args]) => args.at(-1) as Wait)
    expect(waits[0]).toMatchObject({ nonBlocking: false, timeoutMs: 250 })
    expect(waits[1]).toMatchObject({ nonBlocking: true, timeoutMs: 1.5 })
    expect(waits[2]).toMatchObject({ nonBlocking: true, timeoutMs: 250 })
    expect(waits[3]).toMatchObject({ timeoutMs: undefined })
  })

  it('turns strings into UTF-8 and passes bytes through without copying', async () => {
    const s = make()
    expect(await s.send('é')).toBe(2)
    const bytes = new Uint8Array([1, 2, 3])
    await s.send(bytes.subarray(1))
    const sent = s.calls[1]?.[1][0] as Buffer
    expect(sent.buffer).toBe(bytes.buffer)
    expect([...sent]).toEqual([2, 3])
  })
})

describe('AbstractSocket batch defaults', () => {
  it('sends a batch as a loop, later sends non-blocking, and checks every message', async () => {
    const s = new RecordingSocket({ family: 'AF_INET', type: 'SOCK_DGRAM' })
    expect(await s.sendBatch([{ data: 'a' }, { data: new Uint8Array([1, 2]), to: inet }])).toBe(2)
    const waits = s.calls.map(([, args]) => args.at(-1) as Wait)
    expect(waits.map((w) => w.nonBlocking)).toEqual([false, true])
    expect(await s.sendBatch([])).toBe(0)
    await expect(s.sendBatch([{ data: 5 as never }])).rejects.toThrow(/messages\[0\]\.data/)
    await expect(s.sendBatch('x' as never)).rejects.toThrow(TypeError)
    await expect(s.recvBatch(0)).rejects.toThrow(RangeError)
  })

  it('receives up to maxMessages, waiting only for the first', async () => {
    const s = new RecordingSocket({ family: 'AF_INET', type: 'SOCK_DGRAM' })
    expect(await s.recvBatch(3)).toHaveLength(3)
    const waits = s.calls.map(([, args]) => args.at(-1) as Wait)
    expect(waits.map((w) => w.nonBlocking)).toEqual([false, true, true])
  })
})
