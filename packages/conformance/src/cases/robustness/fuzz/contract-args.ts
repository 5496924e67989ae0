import fc from 'fast-check'
import type { Step } from './harness.js'
import { hostileNumber, hostileString, junk, nonNumericJunk, portArb, ref, safeHost, unixPath } from './values.js'

// The arguments robustness.fuzz.contract passes: per method, an arbitrary of argument lists.
/** The fixture's sockets, by state. */
export const CONTRACT_SOCKET_KEYS = [
  'fresh',
  'bound',
  'listener',
  'client',
  'server',
  'closed',
  'udp',
  'udpFresh',
  'unixListener',
  'pairA',
  'pairB',
  'foreign',
  'foreignClient',
] as const

/**
 * Addresses: this case's own endpoints, and malformed objects. Never a valid address off
 * loopback, never a stranger's port.
 */
const address: fc.Arbitrary<unknown> = fc.oneof(
  ref('addr.listener', 'addr.udp', 'addr.closed', 'addr.any', 'addr.v6', 'addr.unixListener', 'addr.unixFresh'),
  fc.record({
    family: fc.constantFrom('inet', 'inet6', 'unix', 'INET', 'packet', 2),
    address: fc.oneof(fc.constantFrom('127.0.0.1', '::1', '999.0.0.1', '', 'localhost', '127.0.0.1:80'), junk),
    port: portArb(),
  }),
  fc.record(
    {
      family: fc.constant('inet6'),
      address: fc.constant('::1'),
      port: portArb(),
      flowinfo: fc.oneof(hostileNumber, junk),
      scopeId: fc.oneof(hostileNumber, junk),
    },
    { requiredKeys: ['family', 'address', 'port'] },
  ),
  fc.record({ family: fc.constant('unix'), path: fc.oneof(unixPath, junk) }),
  junk,
)

const flags = fc.oneof(
  fc.array(
    fc.constantFrom(
      'MSG_OOB',
      'MSG_PEEK',
      'MSG_DONTWAIT',
      'MSG_TRUNC',
      'MSG_WAITALL',
      'MSG_EOR',
      'MSG_NOSIGNAL',
      'MSG_BOGUS',
      'msg_peek',
    ),
    {
      maxLength: 3,
    },
  ),
  junk,
)
const signal = fc.oneof(ref('signal.aborted', 'signal.soon'), junk)
const none: fc.Arbitrary<unknown[]> = fc.constant([])
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined })
const options = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.oneof({ weight: 3, arbitrary: fc.record(model, { requiredKeys: [] }) }, { weight: 1, arbitrary: junk })
const data = fc.oneof(
  fc.string({ maxLength: 64 }),
  fc.uint8Array({ maxLength: 2048 }),
  fc.constant(new Uint8Array(70_000)),
  junk,
)
const byteCount = fc.oneof(fc.constantFrom(0, 1, 4096, 65_536, 0x7fff_f000, 0x7fff_f001), hostileNumber, junk)
const optionLevel = fc.oneof(
  fc.constantFrom(
    'SOL_SOCKET',
    'IPPROTO_TCP',
    'IPPROTO_IP',
    'IPPROTO_IPV6',
    'IPPROTO_UDP',
    'SOL_BOGUS',
    1,
    6,
    0,
    41,
    17,
    999,
  ),
  hostileNumber,
  junk,
)
const optionName = fc.oneof(
  fc.constantFrom(
    'SO_REUSEADDR',
    'SO_RCVBUF',
    'SO_SNDBUF',
    'SO_LINGER',
    'SO_RCVTIMEO',
    'SO_SNDTIMEO',
    'SO_KEEPALIVE',
    'SO_TYPE',
    'SO_ERROR',
    'SO_PEERCRED',
    'SO_BINDTODEVICE',
    'TCP_NODELAY',
    'TCP_KEEPIDLE',
    'IP_TTL',
    'IP_MULTICAST_IF',
    'IP_ADD_MEMBERSHIP',
    'IPV6_V6ONLY',
    'SO_BOGUS',
    2,
    8,
    20,
    9999,
  ),
  hostileNumber,
  junk,
)
const optionValue = fc.oneof(
  fc.constantFrom(
    true,
    false,
    0,
    1,
    -1,
    2 ** 31,
    1.5,
    Number.NaN,
    'lo',
    '127.0.0.1',
    '',
    { onoff: true, linger: 0 },
    { onoff: 1 },
  ),
  fc.uint8Array({ maxLength: 16 }),
  junk,
)
const control = fc.oneof(
  fc.array(
    fc.oneof(
      fc.record({
        type: fc.constant('SCM_RIGHTS'),
        fds: fc.oneof(fc.array(fc.oneof(ref('fd.file'), hostileNumber), { maxLength: 3 }), junk),
      }),
      fc.record({
        type: fc.constant('SCM_CREDENTIALS'),
        pid: fc.oneof(hostileNumber, fc.constant(process.pid)),
        uid: hostileNumber,
        gid: hostileNumber,
      }),
      fc.record({
        type: fc.constant('raw'),
        level: hostileNumber,
        messageType: hostileNumber,
        data: fc.oneof(fc.uint8Array({ maxLength: 16 }), junk),
      }),
      junk,
    ),
    { maxLength: 2 },
  ),
  junk,
)

/** Event lists for waitReady: poll(2)'s names, names it does not know, junk. */
const pollEvents = fc.oneof(
  fc.array(
    fc.constantFrom('POLLIN', 'POLLPRI', 'POLLOUT', 'POLLRDHUP', 'POLLERR', 'POLLHUP', 'POLLNVAL', 'pollin', ''),
    { maxLength: 4 },
  ),
  junk,
)
/**
 * waitReady's options, always bounded: a short timeout, a signal that is or soon gets aborted,
 * a timeout the contract must refuse, or a value that is no object. (An absent timeout would
 * wait for an event that may never come: a hang by design, not a finding.)
 */
const waitReadyOptions = fc.oneof(
  fc.record({ timeoutMs: fc.constantFrom(0, 1, 0.5, 25), signal: maybe(signal) }, { requiredKeys: ['timeoutMs'] }),
  fc.record({
    timeoutMs: fc.oneof(
      hostileNumber.filter((n) => !(n >= 0 && n <= 2 ** 31 - 1) || n <= 100),
      nonNumericJunk.filter((v) => v !== undefined),
    ),
  }),
  fc.record({ signal: ref('signal.aborted', 'signal.soon') }),
  junk.filter((v) => v === null || (v !== undefined && typeof v !== 'object')),
)

/** Arguments of each Socket method. */
const socketMethods: Record<string, fc.Arbitrary<unknown[]>> = {
  bind: fc.tuple(address),
  listen: fc.tuple(fc.oneof(fc.constantFrom(undefined, 0, 1, 2 ** 31 - 1, 2 ** 31, -1), hostileNumber, junk)),
  accept: fc.tuple(maybe(options({ signal }))),
  connect: fc.tuple(address, maybe(options({ timeoutMs: fc.oneof(hostileNumber, junk), signal }))),
  send: fc.tuple(data, maybe(options({ flags, to: address, signal }))),
  recv: fc.tuple(byteCount, maybe(options({ flags, signal }))),
  sendmsg: fc.tuple(
    fc.oneof(fc.array(data, { maxLength: 3 }), junk),
    maybe(options({ flags, to: address, control, signal })),
  ),
  recvmsg: fc.tuple(
    maybe(
      options({
        sizes: fc.oneof(fc.array(byteCount, { maxLength: 3 }), junk),
        controlSize: fc.oneof(fc.constantFrom(0, 64, 1 << 20, (1 << 20) + 1), hostileNumber, junk),
        flags,
        signal,
      }),
    ),
  ),
  sendBatch: fc.tuple(
    fc.oneof(fc.array(fc.oneof(options({ data, to: address }), junk), { maxLength: 3 }), junk),
    maybe(options({ signal })),
  ),
  recvBatch: fc.tuple(
    fc.oneof(fc.constantFrom(1, 1024, 1025), hostileNumber, junk),
    maybe(options({ maxBytes: byteCount, signal })),
  ),
  shutdown: fc.tuple(fc.oneof(fc.constantFrom('SHUT_RD', 'SHUT_WR', 'SHUT_RDWR', 'shut_rd', 0, 1, 2), junk)),
  close: none,
  getOption: fc.tuple(optionLevel, optionName, maybe(fc.oneof(hostileNumber, junk))),
  setOption: fc.tuple(optionLevel, optionName, optionValue),
  localAddress: none,
  remoteAddress: none,
  peerCredentials: none,
  setNonBlocking: fc.tuple(fc.oneof(fc.boolean(), junk)),
  waitReady: fc.tuple(pollEvents, waitReadyOptions),
  fd: none,
  nonBlocking: none,
  closed: none,
}

/** Properties read rather than called. */
export const GETTERS = new Set(['fd', 'nonBlocking', 'closed'])

const family = fc.oneof(fc.constantFrom('AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_PACKET', 'af_inet', 2, 10), junk)
const type = fc.oneof(
  fc.constantFrom('SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_SEQPACKET', 'SOCK_RAW', 'SOCK_BOGUS', 1, 2),
  junk,
)
const aiFlags = fc.array(
  fc.constantFrom(
    'AI_PASSIVE',
    'AI_CANONNAME',
    'AI_NUMERICHOST',
    'AI_V4MAPPED',
    'AI_ALL',
    'AI_ADDRCONFIG',
    'AI_NUMERICSERV',
    'AI_BOGUS',
  ),
  {
    maxLength: 3,
  },
)
const hints = maybe(
  options({
    family: fc.oneof(fc.constantFrom('AF_INET', 'AF_INET6', 'AF_UNIX'), junk),
    type,
    protocol: fc.oneof(fc.constantFrom(0, 6, 17, 132), hostileNumber),
    flags: fc.oneof(aiFlags, junk),
  }),
)
const service = fc.oneof(portArb(), fc.constantFrom('http', 'no-such-service', '80', '0x50', 'ssh'))

/** Arguments of each Backend method. */
const backendMethods: Record<string, fc.Arbitrary<unknown[]>> = {
  socket: fc.tuple(
    family,
    type,
    maybe(fc.oneof(fc.constantFrom(0, 6, 17, 255), hostileNumber, junk)),
    maybe(options({ nonBlocking: fc.oneof(fc.boolean(), junk) })),
  ),
  socketpair: fc.tuple(family, type, maybe(options({ nonBlocking: fc.oneof(fc.boolean(), junk) }))),
  // Only hosts that resolve without a DNS query, or any text with AI_NUMERICHOST.
  lookup: fc.oneof(
    fc.tuple(
      fc.oneof(safeHost, fc.constantFrom(null, undefined, 0, 127, true), fc.uint8Array({ maxLength: 4 })),
      service,
      hints,
    ),
    fc.tuple(
      fc.oneof(hostileString, fc.constantFrom('999.0.0.1', '[::1]', '::1%lo', '1.2.3.4.5')),
      service,
      fc.record({ flags: aiFlags.map((f) => ['AI_NUMERICHOST', ...f]) }),
    ),
  ),
  // Reverse lookups: IPv4 loopback is in /etc/hosts; IPv6 ones only with NI_NUMERICHOST.
  nameinfo: fc.oneof(
    fc.tuple(
      fc.oneof(
        ref('addr.listener', 'addr.closed', 'addr.unixFresh'),
        junk,
        fc.record({
          family: fc.constantFrom('inet', 'unix', 'bogus'),
          address: fc.constantFrom('127.0.0.1', '1.2.3', ''),
          port: portArb(),
        }),
      ),
      maybe(
        fc.oneof(
          fc.array(
            fc.constantFrom('NI_NUMERICHOST', 'NI_NUMERICSERV', 'NI_NOFQDN', 'NI_NAMEREQD', 'NI_DGRAM', 'NI_BOGUS'),
            { maxLength: 3 },
          ),
          junk,
        ),
      ),
    ),
    fc.tuple(ref('addr.v6'), fc.constant(['NI_NUMERICHOST'])),
  ),
  // Never a small number: the descriptor could be one this process lives on (stdio, the runner's pipes).
  adopt: fc.tuple(
    fc.oneof(
      ref('fd.file'),
      fc.constantFrom(-1, Number.NaN, 1.5, 2 ** 31 - 1, 2 ** 31, 1_000_000, Number.POSITIVE_INFINITY, '3', null),
      junk.filter((v) => typeof v !== 'number'),
    ),
  ),
}

/** One call: a Backend method, or a Socket method on one of the fixture's sockets. */
export const contractStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...Object.keys(backendMethods))
      .chain((m) =>
        (backendMethods[m] as fc.Arbitrary<unknown[]>).map((args) => ({ target: 'backend', method: m, args })),
      ),
  },
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom(...CONTRACT_SOCKET_KEYS), fc.constantFrom(...Object.keys(socketMethods)))
      .chain(([target, m]) =>
        (socketMethods[m] as fc.Arbitrary<unknown[]>).map((args) => ({ target, method: m, args })),
      ),
  },
)
