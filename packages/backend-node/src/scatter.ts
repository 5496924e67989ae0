import {
  AbstractSocket,
  type ControlMessage,
  type MsgFlag,
  notSupported,
  type RecvmsgResult,
  type RecvResult,
  type SocketAddress,
  type Wait,
} from '@polysocket/core'

/** What sendmsg/recvmsg are built on: the socket's own send and recv hooks. */
export interface PlainIo {
  send(data: Buffer, flags: readonly MsgFlag[], to: SocketAddress | undefined, wait: Wait): Promise<number>
  recv(maxBytes: number, flags: readonly MsgFlag[], wait: Wait): Promise<RecvResult>
}

/**
 * sendmsg(2) without ancillary data: the buffers go out as one send (one datagram on UDP),
 * which is what the kernel's gather does.
 * @throws SocketError `POLYSOCKET_NOT_SUPPORTED` for any control message, naming its feature.
 */
export function sendmsg(
  io: PlainIo,
  buffers: Buffer[],
  options: { flags: readonly MsgFlag[]; to: SocketAddress | undefined; control: readonly ControlMessage[] },
  wait: Wait,
): Promise<number> {
  const first = options.control[0]
  if (first) return Promise.reject(notSupported(controlFeature(first), 'sendmsg'))
  const data = buffers.length === 1 ? (buffers[0] as Buffer) : Buffer.concat(buffers)
  return io.send(data, options.flags, options.to, wait)
}

/**
 * recvmsg(2) without ancillary data: one recv of the buffers' total size, scattered over them
 * in order. No control message ever arrives (none can be asked for through Node).
 */
export async function recvmsg(
  io: PlainIo,
  sizes: number[],
  _controlSize: number,
  flags: readonly MsgFlag[],
  wait: Wait,
): Promise<RecvmsgResult> {
  const total = sizes.reduce((a, b) => a + b, 0)
  const r = await io.recv(total, flags, wait)
  const buffers: Buffer[] = []
  let offset = 0
  for (const size of sizes) {
    buffers.push(r.data.subarray(offset, Math.min(offset + size, r.data.length)))
    offset = Math.min(offset + size, r.data.length)
  }
  return {
    buffers,
    bytes: r.fullLength ?? r.data.length,
    control: [],
    ...(r.from ? { from: r.from } : {}),
    truncated: r.truncated,
    controlTruncated: false,
    endOfRecord: false,
    oob: false,
  }
}

function controlFeature(message: ControlMessage): string {
  if (message.type === 'SCM_RIGHTS') return 'ancillaryRights'
  if (message.type === 'SCM_CREDENTIALS') return 'ancillaryCredentials'
  return 'ancillary data'
}

/**
 * The node sockets' common base: sendmsg/recvmsg without ancillary data, built on the
 * socket's own `_send` / `_recv` (stream and UDP sockets alike).
 */
export abstract class ScatterSocket extends AbstractSocket {
  #plainIo: PlainIo | undefined

  /** Made at the first sendmsg or recvmsg: most sockets never call either. */
  get #io(): PlainIo {
    this.#plainIo ??= {
      send: (data, flags, to, wait) => this._send(data, flags, to, wait),
      recv: (maxBytes, flags, wait) => this._recv(maxBytes, flags, wait),
    }
    return this.#plainIo
  }

  protected override _sendmsg(
    buffers: Buffer[],
    options: { flags: readonly MsgFlag[]; to: SocketAddress | undefined; control: readonly ControlMessage[] },
    wait: Wait,
  ): Promise<number> {
    return sendmsg(this.#io, buffers, options, wait)
  }

  protected override _recvmsg(
    sizes: number[],
    controlSize: number,
    flags: readonly MsgFlag[],
    wait: Wait,
  ): Promise<RecvmsgResult> {
    return recvmsg(this.#io, sizes, controlSize, flags, wait)
  }
}
