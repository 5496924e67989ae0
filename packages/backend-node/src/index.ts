import type { Backend } from '@polysocket/core'
import { NodeBackend, type NodeBackendOptions } from './backend.js'

export { NodeBackend, type NodeBackendOptions } from './backend.js'
export { NODE_CAPABILITIES } from './capabilities.js'
export { ACCEPT_QUEUE_MAX } from './listener.js'
export { RECV_HIGH_WATER, RECV_LOW_WATER } from './stream-connection.js'
export { UDP_QUEUE_MAX_BYTES, UDP_QUEUE_MAX_DATAGRAMS } from './udp-socket.js'

/**
 * Creates backend-node: polysocket's socket contract on node:net and node:dgram (TCP and UDP
 * over IPv4 and IPv6, Unix stream sockets). Runs wherever Node runs; needs no native code.
 *
 * @param _options - reserved; pass nothing.
 * @returns a {@link Backend} named `node`, its manifest in `supports`.
 * @example
 * ```ts
 * const backend = createBackend()
 * const sock = await backend.socket('AF_INET', 'SOCK_STREAM')
 * await sock.connect({ family: 'inet', address: '127.0.0.1', port: 7 })
 * ```
 */
export function createBackend(_options?: NodeBackendOptions): Backend {
  return new NodeBackend()
}
