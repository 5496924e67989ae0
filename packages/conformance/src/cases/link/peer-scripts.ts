// python3 scripts for the peer namespace (see peer.ts for the prelude they all get).

/**
 * TCP line echo on the peer's wildcard address: serves argv[3] connections one after the other,
 * says `CLIENT <address> <port>` for each and answers every line with `py:<line>`.
 */
export const PY_LINE_ECHO = `
server = bound(socket.SOCK_STREAM)
server.listen(4)
say('PORT', server.getsockname()[1])
for _ in range(int(sys.argv[3])):
    conn, peer = server.accept()
    say('CLIENT', peer[0], peer[1])
    f = conn.makefile('rwb')
    for line in f:
        f.write(b'py:' + line)
        f.flush()
    conn.close()
`

/**
 * UDP receiver on the peer's wildcard address: reports argv[3] datagrams as
 * `GOT <length> <source> <destination> <text>`, the destination from IP_PKTINFO / IPV6_PKTINFO.
 */
export const PY_DATAGRAMS = `
s = bound(socket.SOCK_DGRAM)
if FAMILY == socket.AF_INET:
    s.setsockopt(socket.IPPROTO_IP, 8, 1)  # IP_PKTINFO
else:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
say('PORT', s.getsockname()[1])
for _ in range(int(sys.argv[3])):
    data, anc, flags, src = s.recvmsg(65536, 256)
    dst = '?'
    for level, kind, payload in anc:
        if (level, kind) == (socket.IPPROTO_IP, 8):
            dst = socket.inet_ntop(socket.AF_INET, payload[8:12])
        elif (level, kind) == (socket.IPPROTO_IPV6, socket.IPV6_PKTINFO):
            dst = socket.inet_ntop(socket.AF_INET6, payload[:16])
    say('GOT', len(data), src[0], dst, data[:32].decode('latin1').replace(' ', '_'))
`

/**
 * Multicast member: joins group argv[3] on the peer's veth and reports argv[4] datagrams as
 * `GOT <text> <ttl or hop limit> <source>` (IP_RECVTTL / IPV6_RECVHOPLIMIT).
 */
export const PY_GROUP_MEMBER = `
s = bound(socket.SOCK_DGRAM)
group = sys.argv[3]
if FAMILY == socket.AF_INET:
    # struct ip_mreqn: group, no local address, the veth's index
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + struct.pack('4si', bytes(4), IFINDEX))
    s.setsockopt(socket.IPPROTO_IP, 12, 1)  # IP_RECVTTL
    wanted = (socket.IPPROTO_IP, 2)  # IP_TTL
else:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(FAMILY, group) + struct.pack('@I', IFINDEX))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
    wanted = (socket.IPPROTO_IPV6, socket.IPV6_HOPLIMIT)
say('PORT', s.getsockname()[1])
for _ in range(int(sys.argv[4])):
    data, anc, flags, src = s.recvmsg(2048, 256)
    hops = [struct.unpack('@i', p[:4])[0] for (level, kind, p) in anc if (level, kind) == wanted]
    say('GOT', data.decode(), hops[0] if hops else -1, src[0])
`

/**
 * Multicast sender on the peer's veth: for each stdin command `group <text>` sends text to group
 * argv[3] port argv[4]; for `unicast <text>` to argv[5] port argv[4]; says `SENT <text>`.
 */
export const PY_GROUP_SENDER = `
s = socket.socket(FAMILY, socket.SOCK_DGRAM)
if FAMILY == socket.AF_INET:
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, struct.pack('4s4si', bytes(4), bytes(4), IFINDEX))
else:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, IFINDEX)
group, port, ours = sys.argv[3], int(sys.argv[4]), sys.argv[5]
say('READY')
for _ in range(8):
    command = ask()
    if not command:
        break
    s.sendto(command[1].encode(), (group if command[0] == 'group' else ours, port))
    say('SENT', command[1])
`

/**
 * TCP sink: accepts one connection, reads to EOF and says `SHA <sha256 hex> <length>`, with at
 * most argv[3] bytes taken.
 */
export const PY_HASH_SINK = `
server = bound(socket.SOCK_STREAM)
server.listen(1)
say('PORT', server.getsockname()[1])
conn, peer = server.accept()
h = hashlib.sha256()
n = 0
limit = int(sys.argv[3])
while n <= limit:
    b = conn.recv(1 << 20)
    if not b:
        break
    h.update(b)
    n += len(b)
say('SHA', h.hexdigest(), n)
conn.close()
`

/** TCP listener that says `ACCEPTED <source port>` for each of argv[3] connections. */
export const PY_ACCEPT_LOG = `
server = bound(socket.SOCK_STREAM)
server.listen(4)
say('PORT', server.getsockname()[1])
for _ in range(int(sys.argv[3])):
    conn, peer = server.accept()
    say('ACCEPTED', peer[1])
    conn.close()
`
