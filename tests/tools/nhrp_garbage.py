#!/usr/bin/env python3
"""Send malformed NHRP packets over GRE to an NBMA address (tests only).

    nhrp_garbage.py DST KEY COUNT

Every packet is a well-formed GRE packet (RFC 2784/2890, key KEY, protocol
0x2001) so that the data plane passes it to nhrpd, carrying NHRP that must
be refused: random bytes, truncated headers, a valid-looking fixed header
with a bad checksum, lengths that lie, a bad version, an unknown
compulsory extension. Paced so that the receiver's socket is not simply
overrun (what it drops there, it cannot count).
"""
import os
import random
import socket
import struct
import sys
import time


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def with_csum(pkt):
    pkt = bytearray(pkt)
    pkt[10:12] = b"\0\0"
    pkt[10:12] = struct.pack("!H", csum(bytes(pkt)))
    return bytes(pkt)


def registration(src_nbma, src_proto, dst_proto):
    """A plausible Registration Request (fixed header + mandatory part + CIE)."""
    mand = struct.pack("!BBHI", 4, 4, 0x8000, random.getrandbits(32))
    mand += socket.inet_aton(src_nbma) + socket.inet_aton(src_proto) + socket.inet_aton(dst_proto)
    cie = struct.pack("!BBHHHBBBB", 0, 0xFF, 0, 1400, 600, 0, 0, 0, 0)
    body = mand + cie
    size = 20 + len(body)
    fixed = struct.pack("!HH5sBHHHBBBB", 1, 0x0800, b"\0" * 5, 16, size, 0, 0, 1, 3, 4, 0)
    return fixed + body


def variants(rng):
    good = registration("192.0.2.99", "10.0.0.99", "10.0.0.1")
    kind = rng.randrange(7)
    if kind == 0:
        return os.urandom(rng.randrange(1, 200))
    if kind == 1:
        return with_csum(good)[: rng.randrange(1, len(good))]
    if kind == 2:
        bad = bytearray(with_csum(good))
        bad[10] ^= 0xFF
        return bytes(bad)
    if kind == 3:
        bad = bytearray(good)
        bad[10:12] = struct.pack("!H", rng.choice([len(good) + 40, 21, 0xFFFF]))
        bad[8:10] = bad[10:12]
        bad[10:12] = b"\0\0"
        return with_csum(bad)
    if kind == 4:
        bad = bytearray(good)
        bad[16] = 2  # version
        return with_csum(bad)
    if kind == 5:
        # extension offset pointing at an unknown compulsory extension
        ext = struct.pack("!HH", 0x8000 | 0x1234, 0) + struct.pack("!HH", 0x8000, 0)
        bad = bytearray(good + ext)
        bad[8:10] = struct.pack("!H", len(bad))
        bad[12:14] = struct.pack("!H", len(good))
        return with_csum(bad)
    bad = bytearray(good)
    bad[20] = rng.choice([0, 3, 17, 255])  # source protocol address length
    return with_csum(bad)


def main():
    dst, key, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(1)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
    gre = struct.pack("!HHI", 0x2000, 0x2001, key)
    for n in range(count):
        s.sendto(gre + variants(rng), (dst, 0))
        if n % 50 == 49:
            time.sleep(0.02)


if __name__ == "__main__":
    main()
