import { type Capabilities, defineCapabilities } from '@polysocket/core'

/**
 * What backend-node can do on this platform. Everything else (Unix datagram and seqpacket,
 * socketpair, out-of-band data, ancillary data, peer credentials, raw options, SO_REUSEPORT,
 * file descriptors, SHUT_RD with kernel semantics, raw sockets, a bind that holds a port
 * without listening) Node's public API does not reach, so it is `false` and fails with
 * `POLYSOCKET_NOT_SUPPORTED` naming the feature.
 */
export const NODE_CAPABILITIES: Capabilities = defineCapabilities({
  tcp: true,
  udp: true,
  inet6: true,
  unixStream: true,
  // Node passes a leading NUL through to sun_path; only Linux gives it a meaning.
  abstractNamespace: process.platform === 'linux',
  // MSG_PEEK is served from the backend's own receive queues, without consuming.
  msgPeek: true,
  nonBlockingConnect: true,
})
