#!/usr/bin/env python3
"""Write the seed corpora of fuzz_segment, fuzz_coalesce and fuzz_ctl_frame.

    tests/fuzz/mkseeds.py        (from anywhere; writes next to itself)

Run once; the output is committed under tests/fuzz/corpus/{segment,coalesce,
ctl_frame}/. The input layouts are described at the top of each target's
source. Every seed is a valid input that gets past the parsers, so the
fuzzer starts from the interesting paths (a real GSO frame, a real run of
segments to merge) rather than having to find two correct checksums.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

TCP_FIN, TCP_PSH, TCP_ACK, TCP_ECE, TCP_CWR = 0x01, 0x08, 0x10, 0x40, 0x80


def csum_sum(b):
    """RFC 1071 folded sum (not complemented) in network order."""
    if len(b) % 2:
        b = b + b'\0'
    s = 0
    for i in range(0, len(b), 2):
        s += b[i] << 8 | b[i + 1]
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def pseudo(ip, proto, l4len):
    if ip[0] >> 4 == 6:
        return ip[8:40] + struct.pack('>IxxxB', l4len, proto)
    return ip[12:20] + struct.pack('>xBH', proto, l4len)


def ipv4(total, proto, opts=b'', ident=0x1234):
    hl = 20 + len(opts)
    h = bytearray(struct.pack('>BBHHHBBH4s4s', 0x40 | hl // 4, 0, total, ident, 0x4000, 64,
                              proto, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + opts)
    h[10:12] = struct.pack('>H', 0xffff - csum_sum(h))
    return bytes(h)


def ipv6(plen, proto):
    src = bytes.fromhex('20010db8000000000000000000000001')
    dst = bytes.fromhex('20010db8000000000000000000000002')
    return struct.pack('>IHBB', 0x6000_0000, plen, proto, 64) + src + dst


def tcp_hdr(seq, flags, thl=32, ack=0x01020304, win=502):
    h = struct.pack('>HHIIBBHHH', 40000, 5201, seq, ack, thl // 4 << 4, flags, win, 0, 0)
    if thl >= 32:
        h += b'\x01\x01\x08\x0a' + struct.pack('>II', 0x11223344, 0x55667788)
    return h + b'\x01' * (thl - len(h))


def payload(n, start=0):
    return bytes((i * 131 + (i >> 8) * 17 + 5) & 0xff for i in range(start, start + n))


def tcp_packet(v6, seq, flags, data, thl=32, ip_opts=b'', csum='full', ident=0x1234):
    """IP + TCP + data. csum: 'full' (correct), 'partial' (pseudo-header
    sum, as the kernel leaves it for CHECKSUM_PARTIAL) or 'zero'."""
    t = bytearray(tcp_hdr(seq, flags, thl) + data)
    ip = ipv6(len(t), 6) if v6 else ipv4(20 + len(ip_opts) + len(t), 6, ip_opts, ident)
    ps = csum_sum(pseudo(ip, 6, len(t)))
    if csum == 'full':
        t[16:18] = struct.pack('>H', 0xffff - csum_sum(pseudo(ip, 6, len(t)) + bytes(t)))
    elif csum == 'partial':
        t[16:18] = struct.pack('>H', ps)
    return ip + bytes(t)


def steer_zero(ip, l4, proto, partial_field):
    """Set the last word of l4 so that the L4 checksum computes to 0: the
    sum of pseudo-header + segment (field 0, last word 0) is S; W = 0xffff - S
    makes it 0xffff, whose complement is 0. Then leave the pseudo-header sum
    in the field (CHECKSUM_PARTIAL)."""
    l4 = bytearray(l4)
    l4[-2:] = b'\0\0'
    l4[partial_field:partial_field + 2] = b'\0\0'
    s = csum_sum(pseudo(ip, proto, len(l4)) + bytes(l4))
    l4[-2:] = struct.pack('>H', 0xffff - s)
    l4[partial_field:partial_field + 2] = struct.pack('>H', csum_sum(pseudo(ip, proto, len(l4))))
    return ip + bytes(l4)


def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def seg_prefix(flags, sel, gso_size, csum_start, csum_offset, l3_off=14, fail_at=0):
    return struct.pack('>BBHHHBB', flags, sel, gso_size, csum_start, csum_offset, l3_off, fail_at)


def segment_seeds():
    nc = 1  # VIRTIO_NET_HDR_F_NEEDS_CSUM
    sup = TCP_PSH | TCP_ACK | TCP_FIN | TCP_CWR
    write('segment', 'gso_v4', seg_prefix(nc, 1, 1448, 34, 16) +
          tcp_packet(0, 0xfffff000, sup, payload(5000), csum='partial'))
    write('segment', 'gso_v6', seg_prefix(nc, 2, 1448, 54, 16) +
          tcp_packet(1, 1000, sup, payload(5000), csum='partial'))
    write('segment', 'gso_v4_ecn', seg_prefix(nc, 3, 536, 34, 16) +
          tcp_packet(0, 7, TCP_ACK | TCP_CWR | TCP_ECE, payload(2000), csum='partial'))
    write('segment', 'gso_v6_exact', seg_prefix(nc, 2, 1000, 54, 16) +
          tcp_packet(1, 7, TCP_ACK | TCP_PSH, payload(4000), thl=20, csum='partial'))
    write('segment', 'gso_v4_maxhdr', seg_prefix(nc, 1, 300, 74, 16) +
          tcp_packet(0, 9, TCP_ACK | TCP_PSH, payload(701), thl=60,
                     ip_opts=b'\x01' * 39 + b'\x00', csum='partial'))
    write('segment', 'gso_v4_no_payload', seg_prefix(nc, 1, 1448, 34, 16) +
          tcp_packet(0, 9, TCP_ACK | TCP_FIN, b'', csum='partial'))
    write('segment', 'gso_v4_emit_fails', seg_prefix(nc, 1, 1000, 34, 16, fail_at=2) +
          tcp_packet(0, 9, TCP_ACK, payload(3500), csum='partial'))
    write('segment', 'partial_tcp_v4', seg_prefix(nc, 0, 0, 34, 16) +
          tcp_packet(0, 5, TCP_ACK | TCP_PSH, payload(333), csum='partial'))
    write('segment', 'partial_tcp_v6', seg_prefix(nc, 0, 0, 54, 16) +
          tcp_packet(1, 5, TCP_ACK | TCP_PSH, payload(100), csum='partial'))
    t = tcp_packet(0, 5, TCP_ACK, payload(200), csum='partial')
    write('segment', 'partial_tcp_zero', seg_prefix(nc, 0, 0, 34, 16) +
          steer_zero(t[:20], t[20:], 6, 16))
    data = b'a UDP payload whose sum we steer!\0' + b'\0\0'
    udp = struct.pack('>HHHH', 5353, 4789, 8 + len(data), 0) + data
    write('segment', 'partial_udp_zero', seg_prefix(nc, 0, 0, 34, 6) +
          steer_zero(ipv4(20 + len(udp), 17), udp, 17, 6))
    write('segment', 'plain', seg_prefix(0, 0, 0, 0, 0) +
          tcp_packet(0, 5, TCP_ACK, payload(64)))


def rec_raw(pkt):
    return b'\0' + struct.pack('>H', len(pkt)) + pkt


def rec_next(plen, fill=0x5a, flip=0):
    return bytes([3 | flip << 2]) + struct.pack('>HB', plen, fill)


def coalesce_seeds():
    mss = 1448
    # Exact checksums, no fixing: four full segments, one shorter with PSH.
    pkts = []
    seq = 0xffffe000
    for i, n in enumerate([mss, mss, mss, mss, 1000]):
        fl = TCP_ACK | (TCP_PSH if i == 4 else 0)
        pkts.append(tcp_packet(0, seq, fl, payload(n, seq - 0xffffe000), ident=100 + i))
        seq = (seq + n) & 0xffffffff
    write('coalesce', 'run_exact', b'\x00\x0e' + b''.join(rec_raw(p) for p in pkts))

    # Fix mode: a first segment, then "next" records: full, full, PSH.
    first = tcp_packet(0, 1, TCP_ACK, payload(mss))
    write('coalesce', 'run_next', b'\x01\x0e' + rec_raw(first) + rec_next(mss) + rec_next(mss) +
          rec_next(mss, flip=TCP_PSH) + rec_next(mss))

    # COAL_MAX_SEGS: 50 segments of one flow.
    write('coalesce', 'run_max_segs', b'\x01\x0e' + rec_raw(first) +
          b''.join(rec_next(mss, i) for i in range(49)))

    # Jumbo segments past 65535 in total: a header-only packet gives the
    # header, the "next" records add 8000-byte payloads.
    hdr = tcp_packet(0, 1, TCP_ACK, b'')
    write('coalesce', 'run_jumbo', b'\x01\x00' + rec_raw(hdr) +
          b''.join(rec_next(8000, i) for i in range(10)))

    # A run broken by a hole, a retransmission and another flow.
    other = bytearray(tcp_packet(0, 1, TCP_ACK, payload(mss)))
    other[20:22] = struct.pack('>H', 40001)
    write('coalesce', 'run_broken', b'\x01\x0e' + rec_raw(first) + rec_next(mss) +
          rec_raw(first) + rec_next(mss) + rec_raw(bytes(other)) + rec_next(mss) +
          rec_next(mss, flip=0x02) + rec_next(100) + rec_next(mss))


def frame(t, p):
    return struct.pack('>IB', len(p), t) + p


def ctl_seeds():
    write('ctl_frame', 'request', frame(1, b'show peers'))
    write('ctl_frame', 'stream', frame(1, b'show tunnels json') +
          frame(2, b'{"tunnels":[]}\n') + frame(3, b'unknown command\n') +
          frame(4, b'path up 192.0.2.1\n') + frame(2, b''))
    write('ctl_frame', 'partial', frame(2, b'ok\n') + frame(2, b'a reply split across reads')[:9])
    write('ctl_frame', 'bad_type', frame(1, b'x') + frame(9, b'y'))
    write('ctl_frame', 'too_long', struct.pack('>IB', (1 << 20) + 1, 1) + b'zz')
    write('ctl_frame', 'max_len_header', struct.pack('>IB', 1 << 20, 2) + b'only the start')


if __name__ == '__main__':
    segment_seeds()
    coalesce_seeds()
    ctl_seeds()
