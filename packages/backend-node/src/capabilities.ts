import { type Capabilities, defineCapabilities } from '@polysocket/core'

/**
 * What backend-node can do on this platform. Everything else (Unix datagram and seqpacket,
 * socketpair, out-of-band data, ancillary data (sendmsg/recvmsg work without it), peer credentials, raw options, SO_REUSEPORT,
 * file descriptors, SHUT_RD with kernel semantics, raw sockets, a bind that holds a port
 * without listening) Node's public API does not reach, so it is `false` and fails with
 * `POLYSOCKET_NOT_SUPPORTED` naming the feature.
 */
export const NODE_CAPABILITIES: Capabilities = defineCapabilities({
  tcp: true,
  udp: true,
  inet6: true,
  unixStream: true,
  abstractNamespace: exactAbstractNames(),
  // MSG_PEEK is served from the backend's own receive queues, without consuming.
  msgPeek: true,
  // sendmsg/recvmsg without ancillary data: one send of the gathered bytes, one recv scattered.
  scatterGather: true,
  nonBlockingConnect: true,
})

/**
 * Whether Node binds and connects Linux abstract names with their exact length. libuv before
 * 1.48 (Node 20) sends the whole 108-byte sun_path, so `"\0name"` becomes `"\0name\0\0…"`,
 * a different name that no other program uses (libuv/libuv#4266, nodejs/node#50889).
 */
function exactAbstractNames(): boolean {
  if (process.platform !== 'linux') return false
  const [major = 0, minor = 0] = (process.versions.uv ?? '0.0').split('.').map(Number)
  return major > 1 || (major === 1 && minor >= 48)
}
