import { type Backend, type Capability, defineCapabilities } from '@polysocket/core'

/**
 * A backend with a manifest and no sockets, for testing the runner's gating and bookkeeping.
 * Cases that need real sockets in these tests use node:net directly on the context's loopback.
 */
export function stubBackend(flags: Partial<Record<Capability, boolean>> = {}): Backend {
  const none = () => Promise.reject(new Error('the stub backend makes no sockets'))
  return {
    name: 'stub',
    supports: defineCapabilities(flags),
    socket: none,
    socketpair: none,
    lookup: none,
    nameinfo: none,
    adopt: none,
  }
}
