/*
 * NHRP packet codec (RFC 2332 5).
 *
 * NHRP has no published test vectors, so the ones below were laid out by
 * hand, field by field from the RFC 2332 5.1-5.3 diagrams (one line per
 * group of fields, with its offset), not produced by the encoder: a mistake
 * shared by encoder and decoder cannot pass. Each covers one packet type
 * and, between them, every extension type, with the compulsory bits FRR and
 * opennhrp send (End, Responder Address, Transit NHS Records and
 * Authentication compulsory; Vendor-Private and Cisco's NAT Address not).
 * Checksums were computed with a one-off script; every vector was also fed
 * to tshark 4.0 (raw IPv4 + GRE 0x2001), which reports each checksum Good
 * and decodes every field as the comments say. test_vector_checksums
 * re-checks the sums with lib/csum.
 *
 * Decoding always reads a heap copy of exactly the packet's length, so ASan
 * reports any read past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/csum.h"
#include "nhrpd/nhrp_packet.h"

/* Addresses: spokes 192.0.2.1 and 203.0.113.2 (10.0.0.1, 10.0.0.2), hub
 * 198.51.100.1 (10.0.0.254); Cisco cleartext authentication "secret12". */

static const uint8_t pkt_res_req[] = {
    0x00, 0x01, 0x08, 0x00,             /* 0: ar$afn 1, ar$pro.type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* 4: ar$pro.snap, ar$hopcnt 255 */
    0x00, 0x54,                         /* 10: ar$pktsz 84 */
    0x80, 0x0b,                         /* 12: ar$chksum */
    0x00, 0x34,                         /* 14: ar$extoff 52 */
    0x01, 0x01, 0x04, 0x00, /* 16: ar$op.version 1, ar$op.type 1, ar$shtl 4, ar$sstl 0 */
    0x04, 0x04, 0x88, 0x02, /* 20: src/dst proto len 4/4, flags Q|S|NAT */
    0x00, 0x00, 0x00, 0x07, /* 24: request id 7 */
    0xc0, 0x00, 0x02, 0x01, /* 28: src NBMA 192.0.2.1 */
    0x0a, 0x00, 0x00, 0x01, /* 32: src proto 10.0.0.1 */
    0x0a, 0x00, 0x00, 0x02, /* 36: dst proto 10.0.0.2 */
    0x00, 0x20, 0x00, 0x00, /* 40: CIE: code 0, prefix 32, unused */
    0x05, 0x78, 0x1c, 0x20, /* 44: MTU 1400, holding time 7200 */
    0x00, 0x00, 0x00, 0x00, /* 48: cli addr t/l 0, subaddr t/l 0, proto len 0, preference 0 */
    0x80, 0x04, 0x00, 0x00, /* 52: ext 0x8004 forward transit NHS (C), length 0 */
    0x80, 0x05, 0x00, 0x00, /* 56: ext 0x8005 reverse transit NHS (C), length 0 */
    0x80, 0x03, 0x00, 0x00, /* 60: ext 0x8003 responder address (C), length 0 */
    0x80, 0x07, 0x00, 0x0c, /* 64: ext 0x8007 authentication (C), length 12 */
    0x00, 0x00, 0x00, 0x01, 0x73, 0x65, 0x63, 0x72, /* 68: Cisco: type 1 (cleartext), "secret12" */
    0x65, 0x74, 0x31, 0x32,                         /* 76: (continued) */
    0x80, 0x00, 0x00, 0x00,                         /* 80: ext 0x8000 end (C), length 0 */
};

static const uint8_t pkt_res_reply[] = {
    0x00, 0x01, 0x08, 0x00,             /* 0: ar$afn 1, ar$pro.type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* 4: ar$pro.snap, ar$hopcnt 255 */
    0x00, 0x8c,                         /* 10: ar$pktsz 140 */
    0x9c, 0x6b,                         /* 12: ar$chksum */
    0x00, 0x3c,                         /* 14: ar$extoff 60 */
    0x01, 0x02, 0x04, 0x00, /* 16: ar$op.version 1, ar$op.type 2, ar$shtl 4, ar$sstl 0 */
    0x04, 0x04, 0xe8, 0x02, /* 20: src/dst proto len 4/4, flags Q|A|D|S|NAT */
    0x00, 0x00, 0x00, 0x07, /* 24: request id 7 */
    0xc0, 0x00, 0x02, 0x01, /* 28: src NBMA 192.0.2.1 */
    0x0a, 0x00, 0x00, 0x01, /* 32: src proto 10.0.0.1 */
    0x0a, 0x00, 0x00, 0x02, /* 36: dst proto 10.0.0.2 */
    0x00, 0x20, 0x00, 0x00, /* 40: CIE: code 0, prefix 32, unused */
    0x05, 0x78, 0x1c, 0x20, /* 44: MTU 1400, holding time 7200 */
    0x04, 0x00, 0x04, 0x00, /* 48: cli addr t/l 4, subaddr t/l 0, proto len 4, preference 0 */
    0xcb, 0x00, 0x71, 0x02, /* 52: cli NBMA 203.0.113.2 */
    0x0a, 0x00, 0x00, 0x02, /* 56: cli proto 10.0.0.2 */
    0x80, 0x03, 0x00, 0x14, /* 60: ext 0x8003 responder address (C), length 20 */
    0x00, 0x20, 0x00, 0x00, /* 64:   CIE: code 0, prefix 32, unused */
    0x05, 0x78, 0x1c, 0x20, /* 68:   MTU 1400, holding time 7200 */
    0x04, 0x00, 0x04, 0x00, /* 72:   cli addr t/l 4, subaddr t/l 0, proto len 4, preference 0 */
    0xcb, 0x00, 0x71, 0x02, /* 76:   cli NBMA 203.0.113.2 */
    0x0a, 0x00, 0x00, 0x02, /* 80:   cli proto 10.0.0.2 */
    0x80, 0x04, 0x00, 0x14, /* 84: ext 0x8004 forward transit NHS (C), length 20 */
    0x00, 0x20, 0x00, 0x00, /* 88:   CIE: code 0, prefix 32, unused */
    0x05, 0x78, 0x1c, 0x20, /* 92:   MTU 1400, holding time 7200 */
    0x04, 0x00, 0x04, 0x00, /* 96:   cli addr t/l 4, subaddr t/l 0, proto len 4, preference 0 */
    0xc6, 0x33, 0x64, 0x01, /* 100:   cli NBMA 198.51.100.1 */
    0x0a, 0x00, 0x00, 0xfe, /* 104:   cli proto 10.0.0.254 */
    0x80, 0x05, 0x00, 0x00, /* 108: ext 0x8005 reverse transit NHS (C), length 0 */
    0x00, 0x09, 0x00, 0x14, /* 112: ext 0x0009 NAT address (Cisco, not C), length 20 */
    0x00, 0x20, 0x00, 0x00, /* 116:   CIE: code 0, prefix 32, unused */
    0x05, 0x78, 0x00, 0x00, /* 120:   MTU 1400, holding time 0 */
    0x04, 0x00, 0x04, 0x00, /* 124:   cli addr t/l 4, subaddr t/l 0, proto len 4, preference 0 */
    0xcb, 0x00, 0x71, 0x63, /* 128:   cli NBMA 203.0.113.99 */
    0x0a, 0x00, 0x00, 0x02, /* 132:   cli proto 10.0.0.2 */
    0x80, 0x00, 0x00, 0x00, /* 136: ext 0x8000 end (C), length 0 */
};

static const uint8_t pkt_reg_req[] = {
    0x00, 0x01, 0x08, 0x00,             /* 0: ar$afn 1, ar$pro.type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* 4: ar$pro.snap, ar$hopcnt 255 */
    0x00, 0x58,                         /* 10: ar$pktsz 88 */
    0x85, 0xfe,                         /* 12: ar$chksum */
    0x00, 0x34,                         /* 14: ar$extoff 52 */
    0x01, 0x03, 0x04, 0x00, /* 16: ar$op.version 1, ar$op.type 3, ar$shtl 4, ar$sstl 0 */
    0x04, 0x04, 0x80, 0x02, /* 20: src/dst proto len 4/4, flags U|NAT */
    0x00, 0x00, 0x00, 0x2a, /* 24: request id 42 */
    0xc0, 0x00, 0x02, 0x01, /* 28: src NBMA 192.0.2.1 */
    0x0a, 0x00, 0x00, 0x01, /* 32: src proto 10.0.0.1 */
    0x0a, 0x00, 0x00, 0xfe, /* 36: dst proto 10.0.0.254 */
    0x00, 0xff, 0x00, 0x00, /* 40: CIE: code 0, prefix 255, unused */
    0x05, 0x78, 0x1c, 0x20, /* 44: MTU 1400, holding time 7200 */
    0x00, 0x00, 0x00, 0x00, /* 48: cli addr t/l 0, subaddr t/l 0, proto len 0, preference 0 */
    0x80, 0x03, 0x00, 0x00, /* 52: ext 0x8003 responder address (C), length 0 */
    0x80, 0x04, 0x00, 0x00, /* 56: ext 0x8004 forward transit NHS (C), length 0 */
    0x80, 0x05, 0x00, 0x00, /* 60: ext 0x8005 reverse transit NHS (C), length 0 */
    0x80, 0x07, 0x00, 0x0c, /* 64: ext 0x8007 authentication (C), length 12 */
    0x00, 0x00, 0x00, 0x01, 0x73, 0x65, 0x63, 0x72, /* 68: Cisco: type 1 (cleartext), "secret12" */
    0x65, 0x74, 0x31, 0x32,                         /* 76: (continued) */
    0x00, 0x09, 0x00, 0x00, /* 80: ext 0x0009 NAT address (Cisco, not C), length 0 */
    0x80, 0x00, 0x00, 0x00, /* 84: ext 0x8000 end (C), length 0 */
};

static const uint8_t pkt_reg_reply[] = {
    0x00, 0x01, 0x08, 0x00,             /* 0: ar$afn 1, ar$pro.type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* 4: ar$pro.snap, ar$hopcnt 255 */
    0x00, 0x80,                         /* 10: ar$pktsz 128 */
    0x4c, 0xc5,                         /* 12: ar$chksum */
    0x00, 0x34,                         /* 14: ar$extoff 52 */
    0x01, 0x04, 0x04, 0x00, /* 16: ar$op.version 1, ar$op.type 4, ar$shtl 4, ar$sstl 0 */
    0x04, 0x04, 0x80, 0x02, /* 20: src/dst proto len 4/4, flags U|NAT */
    0x00, 0x00, 0x00, 0x2a, /* 24: request id 42 */
    0xc0, 0x00, 0x02, 0x01, /* 28: src NBMA 192.0.2.1 */
    0x0a, 0x00, 0x00, 0x01, /* 32: src proto 10.0.0.1 */
    0x0a, 0x00, 0x00, 0xfe, /* 36: dst proto 10.0.0.254 */
    0x00, 0xff, 0x00, 0x00, /* 40: CIE: code 0, prefix 255, unused */
    0x05, 0x78, 0x1c, 0x20, /* 44: MTU 1400, holding time 7200 */
    0x00, 0x00, 0x00, 0x00, /* 48: cli addr t/l 0, subaddr t/l 0, proto len 0, preference 0 */
    0x80, 0x03, 0x00, 0x14, /* 52: ext 0x8003 responder address (C), length 20 */
    0x00, 0x20, 0x00, 0x00, /* 56:   CIE: code 0, prefix 32, unused */
    0x05, 0x78, 0x1c, 0x20, /* 60:   MTU 1400, holding time 7200 */
    0x04, 0x00, 0x04, 0x00, /* 64:   cli addr t/l 4, subaddr t/l 0, proto len 4, preference 0 */
    0xc6, 0x33, 0x64, 0x01, /* 68:   cli NBMA 198.51.100.1 */
    0x0a, 0x00, 0x00, 0xfe, /* 72:   cli proto 10.0.0.254 */
    0x80, 0x04, 0x00, 0x00, /* 76: ext 0x8004 forward transit NHS (C), length 0 */
    0x80, 0x05, 0x00, 0x00, /* 80: ext 0x8005 reverse transit NHS (C), length 0 */
    0x80, 0x07, 0x00, 0x0c, /* 84: ext 0x8007 authentication (C), length 12 */
    0x00, 0x00, 0x00, 0x01, 0x73, 0x65, 0x63, 0x72, /* 88: Cisco: type 1 (cleartext), "secret12" */
    0x65, 0x74, 0x31, 0x32,                         /* 96: (continued) */
    0x00, 0x09, 0x00, 0x14, /* 100: ext 0x0009 NAT address (Cisco, not C), length 20 */
    0x00, 0x20, 0x00, 0x00, /* 104:   CIE: code 0, prefix 32, unused */
    0x05, 0x78, 0x00, 0x00, /* 108:   MTU 1400, holding time 0 */
    0x04, 0x00, 0x04, 0x00, /* 112:   cli addr t/l 4, subaddr t/l 0, proto len 4, preference 0 */
    0xc0, 0x00, 0x02, 0x63, /* 116:   cli NBMA 192.0.2.99 */
    0x0a, 0x00, 0x00, 0x01, /* 120:   cli proto 10.0.0.1 */
    0x80, 0x00, 0x00, 0x00, /* 124: ext 0x8000 end (C), length 0 */
};

static const uint8_t pkt_purge_req[] = {
    0x00, 0x01, 0x08, 0x00,             /* 0: ar$afn 1, ar$pro.type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* 4: ar$pro.snap, ar$hopcnt 255 */
    0x00, 0x4c,                         /* 10: ar$pktsz 76 */
    0x1e, 0x4e,                         /* 12: ar$chksum */
    0x00, 0x38,                         /* 14: ar$extoff 56 */
    0x01, 0x05, 0x04, 0x00,       /* 16: ar$op.version 1, ar$op.type 5, ar$shtl 4, ar$sstl 0 */
    0x04, 0x04, 0x00, 0x00,       /* 20: src/dst proto len 4/4, flags 0 */
    0x00, 0x00, 0x01, 0x00,       /* 24: request id 256 */
    0xc6, 0x33, 0x64, 0x01,       /* 28: src NBMA 198.51.100.1 */
    0x0a, 0x00, 0x00, 0xfe,       /* 32: src proto 10.0.0.254 */
    0x0a, 0x00, 0x00, 0x01,       /* 36: dst proto 10.0.0.1 */
    0x00, 0x20, 0x00, 0x00,       /* 40: CIE: code 0, prefix 32, unused */
    0x00, 0x00, 0x00, 0x00,       /* 44: MTU 0, holding time 0 */
    0x00, 0x00, 0x04, 0x00,       /* 48: cli addr t/l 0, subaddr t/l 0, proto len 4, preference 0 */
    0x0a, 0x00, 0x00, 0x02,       /* 52: cli proto 10.0.0.2 */
    0x00, 0x08, 0x00, 0x05,       /* 56: ext 0x0008 vendor private (not C), length 5 */
    0x00, 0x00, 0x0c, 0x12, 0x34, /* 60: vendor 00:00:0c (Cisco), data 12 34 */
    0x38, 0x01, 0x00, 0x03,       /* 65: ext 0x3801 unknown 0x3801 (not C), length 3 */
    0xaa, 0xbb, 0xcc,             /* 69: value */
    0x80, 0x00, 0x00, 0x00,       /* 72: ext 0x8000 end (C), length 0 */
};

static const uint8_t pkt_purge_reply[] = {
    0x00, 0x01, 0x08, 0x00,             /* 0: ar$afn 1, ar$pro.type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* 4: ar$pro.snap, ar$hopcnt 255 */
    0x00, 0x38,                         /* 10: ar$pktsz 56 */
    0x9f, 0x67,                         /* 12: ar$chksum */
    0x00, 0x00,                         /* 14: ar$extoff 0 */
    0x01, 0x06, 0x04, 0x00, /* 16: ar$op.version 1, ar$op.type 6, ar$shtl 4, ar$sstl 0 */
    0x04, 0x04, 0x00, 0x00, /* 20: src/dst proto len 4/4, flags 0 */
    0x00, 0x00, 0x01, 0x00, /* 24: request id 256 */
    0xc6, 0x33, 0x64, 0x01, /* 28: src NBMA 198.51.100.1 */
    0x0a, 0x00, 0x00, 0xfe, /* 32: src proto 10.0.0.254 */
    0x0a, 0x00, 0x00, 0x01, /* 36: dst proto 10.0.0.1 */
    0x00, 0x20, 0x00, 0x00, /* 40: CIE: code 0, prefix 32, unused */
    0x00, 0x00, 0x00, 0x00, /* 44: MTU 0, holding time 0 */
    0x00, 0x00, 0x04, 0x00, /* 48: cli addr t/l 0, subaddr t/l 0, proto len 4, preference 0 */
    0x0a, 0x00, 0x00, 0x02, /* 52: cli proto 10.0.0.2 */
};

static const uint8_t pkt_error_ind[] = {
    0x00, 0x01, 0x08, 0x00,             /* 0: ar$afn 1, ar$pro.type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 4: ar$pro.snap, ar$hopcnt 0 */
    0x00, 0x60,                         /* 10: ar$pktsz 96 */
    0x17, 0x8d,                         /* 12: ar$chksum */
    0x00, 0x00,                         /* 14: ar$extoff 0 */
    0x01, 0x07, 0x04, 0x00, /* 16: ar$op.version 1, ar$op.type 7, ar$shtl 4, ar$sstl 0 */
    0x04, 0x04, 0x00, 0x00, /* 20: src/dst proto len 4/4, unused */
    0x00, 0x06, 0x00, 0x00, /* 24: error code 6 (protocol address unreachable), offset 0 */
    0xc0, 0x00, 0x02, 0x01, /* 28: src NBMA 192.0.2.1 */
    0x0a, 0x00, 0x00, 0x01, /* 32: src proto 10.0.0.1 */
    0x0a, 0x00, 0x00, 0xfe, /* 36: dst proto 10.0.0.254 */
    0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, /* 40: the packet in error: pkt_purge_reply */
    0x00, 0xff, 0x00, 0x38, 0x9f, 0x67, 0x00, 0x00, /* 48: (continued) */
    0x01, 0x06, 0x04, 0x00, 0x04, 0x04, 0x00, 0x00, /* 56: (continued) */
    0x00, 0x00, 0x01, 0x00, 0xc6, 0x33, 0x64, 0x01, /* 64: (continued) */
    0x0a, 0x00, 0x00, 0xfe, 0x0a, 0x00, 0x00, 0x01, /* 72: (continued) */
    0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 80: (continued) */
    0x00, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x02, /* 88: (continued) */
};

static const uint8_t pkt_traffic_ind[] = {
    0x00, 0x01, 0x08, 0x00,             /* 0: ar$afn 1, ar$pro.type 0x0800 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* 4: ar$pro.snap, ar$hopcnt 1 */
    0x00, 0x4c,                         /* 10: ar$pktsz 76 */
    0xaf, 0x27,                         /* 12: ar$chksum */
    0x00, 0x44,                         /* 14: ar$extoff 68 */
    0x01, 0x08, 0x04, 0x00, /* 16: ar$op.version 1, ar$op.type 8, ar$shtl 4, ar$sstl 0 */
    0x04, 0x04, 0x00, 0x00, /* 20: src/dst proto len 4/4, flags 0 */
    0x00, 0x00, 0x00, 0x00, /* 24: request id 0 */
    0xc6, 0x33, 0x64, 0x01, /* 28: src NBMA 198.51.100.1 */
    0x0a, 0x00, 0x00, 0xfe, /* 32: src proto 10.0.0.254 */
    0x0a, 0x00, 0x00, 0x01, /* 36: dst proto 10.0.0.1 */
    0x45, 0x00, 0x00, 0x54, 0x12, 0x34, 0x40, 0x00, /* 40: IPv4 header 10.0.0.1 > 10.0.2.1, ICMP */
    0x3f, 0x01, 0x13, 0x74, 0x0a, 0x00, 0x00, 0x01, /* 48: (continued) */
    0x0a, 0x00, 0x02, 0x01,                         /* 56: (continued) */
    0x08, 0x00, 0xf7, 0xfe, 0x00, 0x01, 0x00, 0x01, /* 60: ICMP echo request header */
    0x80, 0x04, 0x00, 0x00, /* 68: ext 0x8004 forward transit NHS (C), length 0 */
    0x80, 0x00, 0x00, 0x00, /* 72: ext 0x8000 end (C), length 0 */
};

static const uint8_t pkt_reg_req_v6[] = {
    0x00, 0x02, 0x86, 0xdd,             /* 0: ar$afn 2, ar$pro.type 0x86dd */
    0x00, 0x00, 0x00, 0x00, 0x00, 0xff, /* 4: ar$pro.snap, ar$hopcnt 255 */
    0x00, 0x7c,                         /* 10: ar$pktsz 124 */
    0xbc, 0x82,                         /* 12: ar$chksum */
    0x00, 0x78,                         /* 14: ar$extoff 120 */
    0x01, 0x03, 0x10, 0x00, /* 16: ar$op.version 1, ar$op.type 3, ar$shtl 16, ar$sstl 0 */
    0x10, 0x10, 0x80, 0x00, /* 20: src/dst proto len 16/16, flags U */
    0x01, 0x02, 0x03, 0x04, /* 24: request id 16909060 */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* 28: src NBMA 2001:db8::1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* 36: (continued) */
    0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 44: src proto fd00::1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* 52: (continued) */
    0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 60: dst proto fd00::fe */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe, /* 68: (continued) */
    0x00, 0x80, 0x00, 0x00,                         /* 76: CIE: code 0, prefix 128, unused */
    0x05, 0x78, 0x1c, 0x20,                         /* 80: MTU 1400, holding time 7200 */
    0x10, 0x00, 0x10, 0x01, /* 84: cli addr t/l 16, subaddr t/l 0, proto len 16, preference 1 */
    0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* 88: cli NBMA 2001:db8::1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* 96: (continued) */
    0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 104: cli proto fd00::1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* 112: (continued) */
    0x80, 0x00, 0x00, 0x00,                         /* 120: ext 0x8000 end (C), length 0 */
};

static const uint8_t pkt_res_req_4over6[] = {
    0x00, 0x01, 0x86, 0xdd,             /* 0: ar$afn 1, ar$pro.type 0x86dd */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x10, /* 4: ar$pro.snap, ar$hopcnt 16 */
    0x00, 0x4c,                         /* 10: ar$pktsz 76 */
    0x0b, 0x04,                         /* 12: ar$chksum */
    0x00, 0x00,                         /* 14: ar$extoff 0 */
    0x01, 0x01, 0x04, 0x00, /* 16: ar$op.version 1, ar$op.type 1, ar$shtl 4, ar$sstl 0 */
    0x10, 0x10, 0x80, 0x00, /* 20: src/dst proto len 16/16, flags U */
    0x00, 0x00, 0x00, 0x09, /* 24: request id 9 */
    0xc0, 0x00, 0x02, 0x01, /* 28: src NBMA 192.0.2.1 */
    0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 32: src proto fd00::1 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* 40: (continued) */
    0xfd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 48: dst proto fd00::2 */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, /* 56: (continued) */
    0x00, 0x80, 0x00, 0x00,                         /* 64: CIE: code 0, prefix 128, unused */
    0x00, 0x00, 0x1c, 0x20,                         /* 68: MTU 0, holding time 7200 */
    0x00, 0x00, 0x00, 0x00, /* 72: cli addr t/l 0, subaddr t/l 0, proto len 0, preference 0 */
};

/* Values of raw extensions, as literal bytes. */
static const uint8_t auth_secret12[] = {0x00, 0x00, 0x00, 0x01, 's', 'e',
                                        'c',  'r',  'e',  't',  '1', '2'};
static const uint8_t vendor_cisco[] = {0x00, 0x00, 0x0c, 0x12, 0x34};
static const uint8_t unknown_value[] = {0xaa, 0xbb, 0xcc};

static void set_addr(struct ipaddr *a, const char *s)
{
	memset(a, 0, sizeof(*a));
	if (s)
		assert_int_equal(ipaddr_parse(s, a), 0);
}

static void set_cie(struct nhrp_cie *c, uint8_t code, uint8_t prefix, uint16_t mtu, uint16_t ht,
                    const char *nbma, const char *proto, uint8_t pref)
{
	c->code = code;
	c->prefix_len = prefix;
	c->mtu = mtu;
	c->holding_time = ht;
	c->preference = pref;
	set_addr(&c->nbma, nbma);
	set_addr(&c->proto, proto);
}

static void set_hdr(struct nhrp_packet *p, uint16_t afn, uint16_t pro, uint8_t hop, uint8_t type,
                    const char *src_nbma, const char *src_proto, const char *dst_proto)
{
	memset(p, 0, sizeof(*p));
	p->afn = afn;
	p->pro_type = pro;
	p->hop_count = hop;
	p->type = type;
	set_addr(&p->src_nbma, src_nbma);
	set_addr(&p->src_proto, src_proto);
	set_addr(&p->dst_proto, dst_proto);
}

static struct nhrp_ext *add_ext(struct nhrp_packet *p, uint16_t type, bool c, const uint8_t *data,
                                size_t len)
{
	struct nhrp_ext *e = &p->ext[p->n_ext++];

	e->type = type;
	e->compulsory = c;
	e->data = data;
	e->len = len;
	p->has_extensions = true;
	return e;
}

static void want_res_req(struct nhrp_packet *p)
{
	set_hdr(p, 1, 0x0800, 255, 1, "192.0.2.1", "10.0.0.1", "10.0.0.2");
	p->flags = 0x8802;
	p->request_id = 7;
	p->n_cie = 1;
	set_cie(&p->cie[0], 0, 32, 1400, 7200, NULL, NULL, 0);
	add_ext(p, 4, true, NULL, 0);
	add_ext(p, 5, true, NULL, 0);
	add_ext(p, 3, true, NULL, 0);
	add_ext(p, 7, true, auth_secret12, sizeof(auth_secret12));
}

static void want_res_reply(struct nhrp_packet *p)
{
	struct nhrp_ext *e;

	set_hdr(p, 1, 0x0800, 255, 2, "192.0.2.1", "10.0.0.1", "10.0.0.2");
	p->flags = 0xe802;
	p->request_id = 7;
	p->n_cie = 1;
	set_cie(&p->cie[0], 0, 32, 1400, 7200, "203.0.113.2", "10.0.0.2", 0);
	e = add_ext(p, 3, true, NULL, 0);
	e->n_cie = 1;
	set_cie(&e->cie[0], 0, 32, 1400, 7200, "203.0.113.2", "10.0.0.2", 0);
	e = add_ext(p, 4, true, NULL, 0);
	e->n_cie = 1;
	set_cie(&e->cie[0], 0, 32, 1400, 7200, "198.51.100.1", "10.0.0.254", 0);
	add_ext(p, 5, true, NULL, 0);
	e = add_ext(p, 9, false, NULL, 0);
	e->n_cie = 1;
	set_cie(&e->cie[0], 0, 32, 1400, 0, "203.0.113.99", "10.0.0.2", 0);
}

static void want_reg_req(struct nhrp_packet *p)
{
	set_hdr(p, 1, 0x0800, 255, 3, "192.0.2.1", "10.0.0.1", "10.0.0.254");
	p->flags = 0x8002;
	p->request_id = 42;
	p->n_cie = 1;
	set_cie(&p->cie[0], 0, 255, 1400, 7200, NULL, NULL, 0);
	add_ext(p, 3, true, NULL, 0);
	add_ext(p, 4, true, NULL, 0);
	add_ext(p, 5, true, NULL, 0);
	add_ext(p, 7, true, auth_secret12, sizeof(auth_secret12));
	add_ext(p, 9, false, NULL, 0);
}

static void want_reg_reply(struct nhrp_packet *p)
{
	struct nhrp_ext *e;

	set_hdr(p, 1, 0x0800, 255, 4, "192.0.2.1", "10.0.0.1", "10.0.0.254");
	p->flags = 0x8002;
	p->request_id = 42;
	p->n_cie = 1;
	set_cie(&p->cie[0], 0, 255, 1400, 7200, NULL, NULL, 0);
	e = add_ext(p, 3, true, NULL, 0);
	e->n_cie = 1;
	set_cie(&e->cie[0], 0, 32, 1400, 7200, "198.51.100.1", "10.0.0.254", 0);
	add_ext(p, 4, true, NULL, 0);
	add_ext(p, 5, true, NULL, 0);
	add_ext(p, 7, true, auth_secret12, sizeof(auth_secret12));
	e = add_ext(p, 9, false, NULL, 0);
	e->n_cie = 1;
	set_cie(&e->cie[0], 0, 32, 1400, 0, "192.0.2.99", "10.0.0.1", 0);
}

static void want_purge_req(struct nhrp_packet *p)
{
	set_hdr(p, 1, 0x0800, 255, 5, "198.51.100.1", "10.0.0.254", "10.0.0.1");
	p->request_id = 0x100;
	p->n_cie = 1;
	set_cie(&p->cie[0], 0, 32, 0, 0, NULL, "10.0.0.2", 0);
	add_ext(p, 8, false, vendor_cisco, sizeof(vendor_cisco));
	add_ext(p, 0x3801, false, unknown_value, sizeof(unknown_value));
}

static void want_purge_reply(struct nhrp_packet *p)
{
	set_hdr(p, 1, 0x0800, 255, 6, "198.51.100.1", "10.0.0.254", "10.0.0.1");
	p->request_id = 0x100;
	p->n_cie = 1;
	set_cie(&p->cie[0], 0, 32, 0, 0, NULL, "10.0.0.2", 0);
}

static void want_error_ind(struct nhrp_packet *p)
{
	set_hdr(p, 1, 0x0800, 0, 7, "192.0.2.1", "10.0.0.1", "10.0.0.254");
	p->error_code = NHRP_ERR_PROTO_ADDR_UNREACHABLE;
	p->error_offset = 0;
	p->payload = pkt_purge_reply;
	p->payload_len = sizeof(pkt_purge_reply);
}

static void want_traffic_ind(struct nhrp_packet *p)
{
	set_hdr(p, 1, 0x0800, 1, 8, "198.51.100.1", "10.0.0.254", "10.0.0.1");
	p->payload = pkt_traffic_ind + 40; /* IPv4 and ICMP headers */
	p->payload_len = 28;
	add_ext(p, 4, true, NULL, 0);
}

static void want_reg_req_v6(struct nhrp_packet *p)
{
	set_hdr(p, 2, 0x86dd, 255, 3, "2001:db8::1", "fd00::1", "fd00::fe");
	p->flags = 0x8000;
	p->request_id = 0x01020304;
	p->n_cie = 1;
	set_cie(&p->cie[0], 0, 128, 1400, 7200, "2001:db8::1", "fd00::1", 1);
	p->has_extensions = true; /* End of Extensions alone */
}

static void want_res_req_4over6(struct nhrp_packet *p)
{
	set_hdr(p, 1, 0x86dd, 16, 1, "192.0.2.1", "fd00::1", "fd00::2");
	p->flags = 0x8000;
	p->request_id = 9;
	p->n_cie = 1;
	set_cie(&p->cie[0], 0, 128, 0, 7200, NULL, NULL, 0);
}

struct vec {
	const char *name;
	const uint8_t *pkt;
	size_t len;
	void (*want)(struct nhrp_packet *p);
};

#define VEC(n)                                                                                     \
	{                                                                                          \
#n, pkt_##n, sizeof(pkt_##n), want_##n                                             \
	}
static const struct vec vecs[] = {
    VEC(res_req),     VEC(res_reply), VEC(reg_req),     VEC(reg_reply),  VEC(purge_req),
    VEC(purge_reply), VEC(error_ind), VEC(traffic_ind), VEC(reg_req_v6), VEC(res_req_4over6),
};
#define N_VECS (sizeof(vecs) / sizeof(vecs[0]))

/* Room for the largest packet built here, and then some. */
#define BIG   2048
#define GUARD 0xA5

static void assert_addr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	assert_int_equal(a->family, b->family);
	assert_memory_equal(a->u.bytes, b->u.bytes, sizeof(a->u.bytes));
}

static void assert_cie_equal(const struct nhrp_cie *a, const struct nhrp_cie *b)
{
	assert_int_equal(a->code, b->code);
	assert_int_equal(a->prefix_len, b->prefix_len);
	assert_int_equal(a->mtu, b->mtu);
	assert_int_equal(a->holding_time, b->holding_time);
	assert_int_equal(a->preference, b->preference);
	assert_addr_equal(&a->nbma, &b->nbma);
	assert_addr_equal(&a->proto, &b->proto);
}

static void assert_bytes_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	assert_int_equal(alen, blen);
	/* The decoder gives NULL for an empty value, never a dangling pointer. */
	if (alen)
		assert_memory_equal(a, b, alen);
}

/* Equal field by field; raw values by content, as they live in different buffers. */
static void assert_packet_equal(const struct nhrp_packet *a, const struct nhrp_packet *b)
{
	size_t i, j;

	assert_int_equal(a->afn, b->afn);
	assert_int_equal(a->pro_type, b->pro_type);
	assert_int_equal(a->hop_count, b->hop_count);
	assert_int_equal(a->type, b->type);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->request_id, b->request_id);
	assert_int_equal(a->error_code, b->error_code);
	assert_int_equal(a->error_offset, b->error_offset);
	assert_addr_equal(&a->src_nbma, &b->src_nbma);
	assert_addr_equal(&a->src_proto, &b->src_proto);
	assert_addr_equal(&a->dst_proto, &b->dst_proto);
	assert_int_equal(a->n_cie, b->n_cie);
	for (i = 0; i < a->n_cie; i++)
		assert_cie_equal(&a->cie[i], &b->cie[i]);
	assert_bytes_equal(a->payload, a->payload_len, b->payload, b->payload_len);
	assert_int_equal(a->has_extensions, b->has_extensions);
	assert_int_equal(a->n_ext, b->n_ext);
	for (i = 0; i < a->n_ext; i++) {
		const struct nhrp_ext *x = &a->ext[i], *y = &b->ext[i];

		assert_int_equal(x->type, y->type);
		assert_int_equal(x->compulsory, y->compulsory);
		assert_int_equal(x->n_cie, y->n_cie);
		for (j = 0; j < x->n_cie; j++)
			assert_cie_equal(&x->cie[j], &y->cie[j]);
		assert_bytes_equal(x->data, x->len, y->data, y->len);
	}
}

/* A heap copy of exactly n bytes, so ASan catches reads past the end. */
static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	assert_non_null(d);
	if (n)
		memcpy(d, p, n);
	return d;
}

/* Decode a copy; *copy must outlive *p (p's raw values point into it). */
static int decode_copy(const uint8_t *pkt, size_t n, uint8_t **copy, struct nhrp_packet *p,
                       struct nhrp_decode_error *err)
{
	int rc;

	*copy = dup_exact(pkt, n);
	rc = nhrp_decode(*copy, n, p, err);
	assert_true(rc == 0 || rc == -1);
	assert_non_null(err->reason);
	if (rc == 0)
		assert_int_equal(err->code, NHRP_ERR_NONE);
	return rc;
}

static void set16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)(v >> 8);
	p[off + 1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] << 8 | p[off + 1]);
}

/* Recompute ar$chksum over ar$pktsz (or the buffer, if shorter). */
static void fix_csum(uint8_t *p, size_t n)
{
	size_t sz = get16(p, 10) < n ? get16(p, 10) : n;
	uint16_t c;

	p[12] = p[13] = 0;
	c = csum_compute(p, sz);
	memcpy(p + 12, &c, 2);
}

/* Decoding pkt must fail with this code and offset. */
static void expect_err(const uint8_t *pkt, size_t n, uint16_t code, uint16_t offset)
{
	struct nhrp_packet p;
	struct nhrp_decode_error err;
	uint8_t *copy;

	if (decode_copy(pkt, n, &copy, &p, &err) == 0)
		fail_msg("accepted; want code %u at %u", code, offset);
	if (err.code != code || err.offset != offset)
		fail_msg("want code %u at %u, got %u (%s) at %u (%s)", code, offset, err.code,
		         nhrp_error_code_name(err.code), err.offset, err.reason);
	assert_string_not_equal(err.reason, "ok");
	free(copy);
}

/* A vector with one byte changed and the checksum made good again. */
static void expect_err_mut(const struct vec *v, size_t at, uint8_t byte, uint16_t code,
                           uint16_t offset)
{
	uint8_t b[BIG];

	memcpy(b, v->pkt, v->len);
	b[at] = byte;
	fix_csum(b, v->len);
	expect_err(b, v->len, code, offset);
}

/* Encode p; it must give exactly want[0..n). */
static void assert_encodes_to(const struct nhrp_packet *p, const uint8_t *want, size_t n)
{
	uint8_t out[BIG];
	size_t i;

	memset(out, GUARD, sizeof(out));
	assert_int_equal(nhrp_encode(p, out, sizeof(out)), n);
	assert_memory_equal(out, want, n);
	for (i = n; i < sizeof(out); i++)
		assert_int_equal(out[i], GUARD);
}

static void test_vector(void **state)
{
	const struct vec *v = *state;
	struct nhrp_packet want, got;
	struct nhrp_decode_error err;
	uint8_t *copy, out[BIG];

	v->want(&want);
	memset(&got, 0x5a, sizeof(got)); /* the decoder must set every field */
	assert_int_equal(decode_copy(v->pkt, v->len, &copy, &got, &err), 0);
	assert_packet_equal(&got, &want);
	assert_encodes_to(&got, v->pkt, v->len);
	assert_encodes_to(&want, v->pkt, v->len);
	/* Exactly the packet's size is room enough; one byte less is not. */
	assert_int_equal(nhrp_encode(&want, out, v->len), v->len);
	assert_int_equal(nhrp_encode(&want, out, v->len - 1), 0);
	free(copy);
}

static void test_vector_checksums(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		assert_int_equal(csum_compute(vecs[i].pkt, vecs[i].len), 0);
		assert_int_equal(get16(vecs[i].pkt, 10), vecs[i].len);
	}
}

/* Every prefix of every vector: ar$pktsz then lies beyond the buffer. */
static void test_truncated(void **state)
{
	size_t i, n;

	(void)state;
	for (i = 0; i < N_VECS; i++)
		for (n = 0; n < vecs[i].len; n++)
			expect_err(vecs[i].pkt, n, NHRP_ERR_NONE, n < 20 ? 0 : 10);
}

/*
 * Every prefix again, now with ar$pktsz and the checksum made to fit. With
 * an extension part, End of Extensions is cut off (or ar$extoff points
 * past the end), so every one is refused. Without one, a prefix ending
 * between CIEs, or anywhere in an indication's payload, is a valid packet:
 * it must then encode back to exactly those bytes.
 */
static void test_truncated_pktsz(void **state)
{
	struct nhrp_packet p;
	struct nhrp_decode_error err;
	uint8_t b[BIG], *copy;
	size_t i, n;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = &vecs[i];

		for (n = 20; n < v->len; n++) {
			memcpy(b, v->pkt, n);
			set16(b, 10, (uint16_t)n);
			fix_csum(b, n);
			if (decode_copy(b, n, &copy, &p, &err) == 0) {
				assert_false(p.has_extensions);
				assert_true(n >= 40);
				assert_encodes_to(&p, b, n);
			} else {
				assert_int_not_equal(err.code, NHRP_ERR_NONE);
			}
			free(copy);
		}
	}
}

/* Link-layer padding after ar$pktsz is not part of the packet. */
static void test_padding(void **state)
{
	struct nhrp_packet want, got;
	struct nhrp_decode_error err;
	uint8_t b[BIG], *copy;
	size_t i, pad;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		vecs[i].want(&want);
		for (pad = 1; pad <= 8; pad++) {
			memcpy(b, vecs[i].pkt, vecs[i].len);
			memset(b + vecs[i].len, 0xee, pad);
			assert_int_equal(decode_copy(b, vecs[i].len + pad, &copy, &got, &err), 0);
			assert_packet_equal(&got, &want);
			free(copy);
		}
	}
}

/*
 * One bit flipped anywhere changes the one's complement sum by +-2^k, never
 * a multiple of 0xffff: the packet is dropped silently, as nhrp_packet.h
 * asks, since nothing in it, its sender's address included, can be
 * trusted enough to answer.
 */
static void test_bad_checksum(void **state)
{
	uint8_t b[BIG];
	size_t i, bit;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = &vecs[i];

		for (bit = 0; bit < v->len * 8; bit++) {
			struct nhrp_packet p;
			struct nhrp_decode_error err;
			uint8_t *copy;

			memcpy(b, v->pkt, v->len);
			b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			assert_int_equal(decode_copy(b, v->len, &copy, &p, &err), -1);
			assert_int_equal(err.code, NHRP_ERR_NONE);
			free(copy);
		}
		memcpy(b, v->pkt, v->len);
		b[12] = b[13] = 0;
		expect_err(b, v->len, NHRP_ERR_NONE, 12);
	}
}

/* ar$op.version and ar$op.type (RFC 2332 5.1). */
static void test_version_and_type(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		expect_err_mut(&vecs[i], 16, 0, NHRP_ERR_PROTOCOL_ERROR, 16);
		expect_err_mut(&vecs[i], 16, 2, NHRP_ERR_PROTOCOL_ERROR, 16);
		expect_err_mut(&vecs[i], 16, 0xff, NHRP_ERR_PROTOCOL_ERROR, 16);
		expect_err_mut(&vecs[i], 17, 0, NHRP_ERR_PROTOCOL_ERROR, 17);
		expect_err_mut(&vecs[i], 17, 9, NHRP_ERR_PROTOCOL_ERROR, 17);
		expect_err_mut(&vecs[i], 17, 0xff, NHRP_ERR_PROTOCOL_ERROR, 17);
	}
}

/* Address families and lengths must agree (RFC 2332 5.1, 5.2.0, 5.2.0.1). */
static void test_families(void **state)
{
	const struct vec *v4 = &vecs[1], *v6 = &vecs[8]; /* res_reply, reg_req_v6 */

	(void)state;
	expect_err_mut(v4, 1, 0, NHRP_ERR_PROTOCOL_ERROR, 0);      /* ar$afn 0 */
	expect_err_mut(v4, 1, 3, NHRP_ERR_PROTOCOL_ERROR, 0);      /* ar$afn 3 */
	expect_err_mut(v4, 1, 2, NHRP_ERR_PROTOCOL_ERROR, 18);     /* afn 2, 4-byte shtl */
	expect_err_mut(v6, 1, 1, NHRP_ERR_PROTOCOL_ERROR, 18);     /* afn 1, 16-byte shtl */
	expect_err_mut(v4, 3, 0x01, NHRP_ERR_PROTOCOL_ERROR, 2);   /* ar$pro.type 0x0801 */
	expect_err_mut(v4, 2, 0x86, NHRP_ERR_PROTOCOL_ERROR, 2);   /* ar$pro.type 0x8600 */
	expect_err_mut(v6, 3, 0x00, NHRP_ERR_PROTOCOL_ERROR, 2);   /* ar$pro.type 0x8600 */
	expect_err_mut(v4, 18, 0x44, NHRP_ERR_PROTOCOL_ERROR, 18); /* E.164 type */
	expect_err_mut(v4, 18, 0x84, NHRP_ERR_PROTOCOL_ERROR, 18); /* reserved bit */
	expect_err_mut(v4, 18, 0, NHRP_ERR_PROTOCOL_ERROR, 18);    /* no source NBMA */
	expect_err_mut(v4, 18, 16, NHRP_ERR_PROTOCOL_ERROR, 18);
	expect_err_mut(v4, 19, 1, NHRP_ERR_PROTOCOL_ERROR, 19); /* subaddress */
	expect_err_mut(v4, 19, 0x40, NHRP_ERR_PROTOCOL_ERROR, 19);
	expect_err_mut(v4, 20, 0, NHRP_ERR_PROTOCOL_ERROR, 20); /* no source protocol */
	expect_err_mut(v4, 20, 16, NHRP_ERR_PROTOCOL_ERROR, 20);
	expect_err_mut(v6, 20, 4, NHRP_ERR_PROTOCOL_ERROR, 20);
	expect_err_mut(v4, 21, 0, NHRP_ERR_PROTOCOL_ERROR, 21); /* no destination */
	expect_err_mut(v4, 21, 5, NHRP_ERR_PROTOCOL_ERROR, 21);
	/* The mandatory CIE (at 40; at 76 in the IPv6 one): client address
	 * lengths and subaddress. */
	expect_err_mut(v4, 48, 16, NHRP_ERR_PROTOCOL_ERROR, 48);
	expect_err_mut(v4, 48, 0x44, NHRP_ERR_PROTOCOL_ERROR, 48);
	expect_err_mut(v4, 49, 4, NHRP_ERR_PROTOCOL_ERROR, 49);
	expect_err_mut(v4, 50, 16, NHRP_ERR_PROTOCOL_ERROR, 50);
	expect_err_mut(v6, 84, 4, NHRP_ERR_PROTOCOL_ERROR, 84);
	expect_err_mut(v6, 86, 4, NHRP_ERR_PROTOCOL_ERROR, 86);
	/* A CIE inside the Responder Address extension (at 64). */
	expect_err_mut(v4, 72, 16, NHRP_ERR_INVALID_EXTENSION, 72);
	expect_err_mut(v4, 73, 1, NHRP_ERR_INVALID_EXTENSION, 73);
	expect_err_mut(v4, 74, 5, NHRP_ERR_INVALID_EXTENSION, 74);
}

/* b = v without the 4 octets at `at`; lengths and checksum made to fit. */
static size_t cut4(const struct vec *v, size_t at, uint8_t *b)
{
	size_t n = v->len - 4;

	memcpy(b, v->pkt, at);
	memcpy(b + at, v->pkt + at + 4, v->len - at - 4);
	set16(b, 10, (uint16_t)n);
	if (get16(b, 14))
		set16(b, 14, (uint16_t)(get16(b, 14) - 4));
	fix_csum(b, n);
	return n;
}

/*
 * Only an Error Indication may leave the destination protocol address
 * empty: its sender may not have been able to read the packet in error.
 */
static void test_empty_destination(void **state)
{
	struct nhrp_packet want, got;
	struct nhrp_decode_error err;
	uint8_t b[BIG], *copy;
	size_t i, n;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = &vecs[i];

		if (v->pkt[20] != 4)
			continue; /* the IPv6 ones */
		n = cut4(v, 36, b);
		b[21] = 0;
		fix_csum(b, n);
		if (v->pkt[17] != NHRP_ERROR_INDICATION) {
			expect_err(b, n, NHRP_ERR_PROTOCOL_ERROR, 21);
			continue;
		}
		v->want(&want);
		memset(&want.dst_proto, 0, sizeof(want.dst_proto));
		assert_int_equal(decode_copy(b, n, &copy, &got, &err), 0);
		assert_packet_equal(&got, &want);
		assert_encodes_to(&got, b, n);
		free(copy);
	}
}

static void zero_cie_unused(uint8_t *b, size_t off, size_t end)
{
	while (off < end) {
		b[off + 2] = b[off + 3] = 0;
		off += 12 + b[off + 8] + b[off + 9] + b[off + 10];
	}
}

/*
 * b (a packet that decoded) with what the decoder ignores set to zero, as
 * the encoder writes it: ar$pro.snap, an Error Indication's unused word and
 * the unused word of every CIE, in the mandatory part and in the
 * Responder, Transit NHS and NAT extensions. Walks the packet by its own
 * lengths, independently of the decoder.
 */
static void normalize(uint8_t *b)
{
	size_t pktsz = get16(b, 10), extoff = get16(b, 14), off;

	memset(b + 4, 0, 5);
	if (b[17] == NHRP_ERROR_INDICATION)
		b[22] = b[23] = 0;
	else if (b[17] != NHRP_TRAFFIC_INDICATION)
		zero_cie_unused(b, 28 + b[18] + b[20] + b[21], extoff ? extoff : pktsz);
	for (off = extoff; off && (get16(b, off) & 0x7fff) != 0; off += 4 + get16(b, off + 2)) {
		uint16_t type = get16(b, off) & 0x7fff;

		if (type == 3 || type == 4 || type == 5 || type == 9)
			zero_cie_unused(b, off + 4, off + 4 + get16(b, off + 2));
	}
	fix_csum(b, pktsz);
}

/*
 * Fields the RFC leaves unused or says to ignore on receipt are accepted
 * whatever they hold and encoded as zero: ar$pro.snap (5.1), the unused
 * word of an Error Indication (5.2.7) and of a CIE (5.2.0.1).
 */
static void test_ignored_fields(void **state)
{
	static const struct {
		size_t vec, at;
	} spots[] = {
	    {0, 4}, {0, 8}, {1, 42}, {1, 43}, {1, 66}, {1, 67}, {6, 22}, {6, 23}, {8, 4}, {8, 78},
	};
	struct nhrp_packet want, got;
	struct nhrp_decode_error err;
	uint8_t b[BIG], *copy;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
		const struct vec *v = &vecs[spots[i].vec];

		memcpy(b, v->pkt, v->len);
		assert_int_equal(b[spots[i].at], 0);
		b[spots[i].at] = 0xa5;
		fix_csum(b, v->len);
		v->want(&want);
		assert_int_equal(decode_copy(b, v->len, &copy, &got, &err), 0);
		assert_packet_equal(&got, &want);
		assert_encodes_to(&got, v->pkt, v->len);
		normalize(b);
		assert_memory_equal(b, v->pkt, v->len);
		free(copy);
	}
}

/* Hop count 0 is legal on the wire: opennhrp sends its indications so. */
static void test_hop_count(void **state)
{
	struct nhrp_packet want, got;
	struct nhrp_decode_error err;
	uint8_t b[BIG], *copy;
	unsigned hop;

	(void)state;
	for (hop = 0; hop <= 255; hop += 51) {
		memcpy(b, pkt_res_req, sizeof(pkt_res_req));
		b[9] = (uint8_t)hop;
		fix_csum(b, sizeof(pkt_res_req));
		want_res_req(&want);
		want.hop_count = (uint8_t)hop;
		assert_int_equal(decode_copy(b, sizeof(pkt_res_req), &copy, &got, &err), 0);
		assert_packet_equal(&got, &want);
		assert_encodes_to(&want, b, sizeof(pkt_res_req));
		free(copy);
	}
}

/*
 * ar$extoff (RFC 2332 5.1) against the mandatory part and ar$pktsz, using
 * pkt_res_req: addresses end at 40, its CIE at 52 (ar$extoff), then
 * forward transit at 52, reverse transit at 56, responder at 60,
 * authentication at 64 and End at 80; ar$pktsz 84.
 */
static void test_extoff(void **state)
{
	const struct vec *v = &vecs[0];
	uint8_t b[BIG];
	unsigned off;

	(void)state;
	for (off = 1; off < 28; off++) { /* inside the fixed parts */
		memcpy(b, v->pkt, v->len);
		set16(b, 14, (uint16_t)off);
		fix_csum(b, v->len);
		expect_err(b, v->len, NHRP_ERR_PROTOCOL_ERROR, 14);
	}
	for (off = 28; off < 40; off++) { /* inside the addresses */
		memcpy(b, v->pkt, v->len);
		set16(b, 14, (uint16_t)off);
		fix_csum(b, v->len);
		expect_err(b, v->len, NHRP_ERR_PROTOCOL_ERROR, 14);
	}
	for (off = 41; off < 52; off++) { /* cutting the CIE short */
		memcpy(b, v->pkt, v->len);
		set16(b, 14, (uint16_t)off);
		fix_csum(b, v->len);
		expect_err(b, v->len, NHRP_ERR_PROTOCOL_ERROR, 40);
	}
	memcpy(b, v->pkt, v->len);
	set16(b, 14, 56); /* the forward transit header becomes half a CIE */
	fix_csum(b, v->len);
	expect_err(b, v->len, NHRP_ERR_PROTOCOL_ERROR, 52);
	set16(b, 14, 84); /* at ar$pktsz: the extensions read as CIEs first */
	fix_csum(b, v->len);
	expect_err(b, v->len, NHRP_ERR_PROTOCOL_ERROR, 60);
	set16(b, 14, 85); /* past ar$pktsz */
	fix_csum(b, v->len);
	expect_err(b, v->len, NHRP_ERR_PROTOCOL_ERROR, 14);
	set16(b, 14, 0xffff);
	fix_csum(b, v->len);
	expect_err(b, v->len, NHRP_ERR_PROTOCOL_ERROR, 14);
	set16(b, 14, 0); /* the extensions read as CIEs: 80 04 .. is no CIE */
	fix_csum(b, v->len);
	expect_err(b, v->len, NHRP_ERR_PROTOCOL_ERROR, 60);
	/* pkt_purge_reply, whose mandatory part ends at ar$pktsz 56: an
	 * ar$extoff of 56 leaves no room for End. */
	memcpy(b, pkt_purge_reply, sizeof(pkt_purge_reply));
	set16(b, 14, 56);
	fix_csum(b, sizeof(pkt_purge_reply));
	expect_err(b, sizeof(pkt_purge_reply), NHRP_ERR_INVALID_EXTENSION, 56);
}

/* Malformed extension parts (RFC 2332 5.3), on pkt_res_req. */
static void test_bad_extensions(void **state)
{
	const struct vec *v = &vecs[0];
	uint8_t b[BIG];

	(void)state;
	/* End of Extensions without its compulsory bit, or with a value. */
	expect_err_mut(v, 80, 0x00, NHRP_ERR_INVALID_EXTENSION, 80);
	memcpy(b, v->pkt, v->len);
	memcpy(b + 84, "\x00\x00\x00\x00", 4);
	set16(b, 10, 88);
	set16(b, 82, 4);
	fix_csum(b, 88);
	expect_err(b, 88, NHRP_ERR_INVALID_EXTENSION, 80);
	/* Anything after End, zeros included. */
	set16(b, 82, 0);
	fix_csum(b, 88);
	expect_err(b, 88, NHRP_ERR_INVALID_EXTENSION, 84);
	/* No End at all. */
	memcpy(b, v->pkt, v->len);
	set16(b, 10, 80);
	fix_csum(b, 80);
	expect_err(b, 80, NHRP_ERR_INVALID_EXTENSION, 80);
	set16(b, 10, 82); /* half an extension header */
	fix_csum(b, 82);
	expect_err(b, 82, NHRP_ERR_INVALID_EXTENSION, 80);
	/* A length running past ar$pktsz. */
	expect_err_mut(v, 67, 17, NHRP_ERR_INVALID_EXTENSION, 64);
	expect_err_mut(v, 66, 0xff, NHRP_ERR_INVALID_EXTENSION, 64);
	/* The reverse transit record's length swallowing the responder's header:
	 * four octets are no CIE. */
	expect_err_mut(v, 59, 4, NHRP_ERR_INVALID_EXTENSION, 60);
	/* A second forward transit record (the responder renumbered). */
	expect_err_mut(v, 61, 0x04, NHRP_ERR_INVALID_EXTENSION, 60);
	/* An empty authentication extension (the responder renumbered). */
	expect_err_mut(v, 61, 0x07, NHRP_ERR_INVALID_EXTENSION, 60);
}

/*
 * A test-side packet builder, independent of the encoder: a Purge Request
 * 192.0.2.1 / 10.0.0.1 -> 10.0.0.2 (or type), n empty CIEs or, for an
 * indication, plen payload bytes, then ext (ending with End) if given.
 */
static size_t build(uint8_t *b, uint8_t type, size_t n_cie, size_t plen, const uint8_t *ext,
                    size_t ext_len)
{
	static const uint8_t head[] = {
	    0x00, 0x01, 0x08, 0x00, 0,  0, 0, 0, 0,  8, 0, 0, 0, 0, 0, 0, 1, 5, 4, 0, /* fixed */
	    4,    4,    0,    0,    0,  0, 0, 1,              /* lengths, flags, id */
	    192,  0,    2,    1,    10, 0, 0, 1, 10, 0, 0, 2, /* addresses */
	};
	static const uint8_t empty_cie[] = {0, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	size_t n = sizeof(head), i;

	memcpy(b, head, n);
	b[17] = type;
	for (i = 0; i < n_cie; i++, n += sizeof(empty_cie))
		memcpy(b + n, empty_cie, sizeof(empty_cie));
	for (i = 0; i < plen; i++)
		b[n++] = (uint8_t)i;
	if (ext) {
		set16(b, 14, (uint16_t)n);
		memcpy(b + n, ext, ext_len);
		n += ext_len;
	}
	set16(b, 10, (uint16_t)n);
	fix_csum(b, n);
	return n;
}

/* k extension headers of the given type and length 0, then End. */
static size_t empty_exts(uint8_t *x, uint16_t type, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++) {
		set16(x, 4 * i, type);
		set16(x, 4 * i + 2, 0);
	}
	set16(x, 4 * k, 0x8000);
	set16(x, 4 * k + 2, 0);
	return 4 * k + 4;
}

/* A forward transit record of k empty CIEs, then End. */
static size_t transit_ext(uint8_t *x, size_t k)
{
	size_t j;

	set16(x, 0, 0x8004);
	set16(x, 2, (uint16_t)(12 * k));
	memset(x + 4, 0, 12 * k);
	for (j = 0; j < k; j++)
		x[4 + 12 * j + 1] = 32; /* prefix length */
	set16(x, 4 + 12 * k, 0x8000);
	set16(x, 6 + 12 * k, 0);
	return 8 + 12 * k;
}

static void test_limits(void **state)
{
	struct nhrp_packet p;
	struct nhrp_decode_error err;
	uint8_t b[BIG], x[BIG], *copy;
	size_t n, xl, i;

	(void)state;
	/* CIEs in the mandatory part: 16 fit, the 17th (at 40 + 16 * 12) not. */
	n = build(b, NHRP_PURGE_REQUEST, NHRP_MAX_CIE, 0, NULL, 0);
	assert_int_equal(decode_copy(b, n, &copy, &p, &err), 0);
	assert_int_equal(p.n_cie, NHRP_MAX_CIE);
	assert_encodes_to(&p, b, n);
	free(copy);
	n = build(b, NHRP_PURGE_REQUEST, NHRP_MAX_CIE + 1, 0, NULL, 0);
	expect_err(b, n, NHRP_ERR_PROTOCOL_ERROR, 40 + 16 * 12);

	/* Extensions: 12 unknown non-compulsory ones fit, the 13th not. */
	xl = empty_exts(x, 0x3801, NHRP_MAX_EXT);
	n = build(b, NHRP_PURGE_REQUEST, 1, 0, x, xl);
	assert_int_equal(decode_copy(b, n, &copy, &p, &err), 0);
	assert_int_equal(p.n_ext, NHRP_MAX_EXT);
	assert_encodes_to(&p, b, n);
	free(copy);
	xl = empty_exts(x, 0x3801, NHRP_MAX_EXT + 1);
	n = build(b, NHRP_PURGE_REQUEST, 1, 0, x, xl);
	expect_err(b, n, NHRP_ERR_INVALID_EXTENSION, 52 + 4 * 12);

	/* CIEs in one forward transit record: 16 fit, the 17th not. */
	for (i = 0; i <= NHRP_MAX_EXT_CIE; i += 8) {
		n = build(b, NHRP_PURGE_REQUEST, 1, 0, x, transit_ext(x, i));
		assert_int_equal(decode_copy(b, n, &copy, &p, &err), 0);
		assert_int_equal(p.ext[0].n_cie, i);
		assert_encodes_to(&p, b, n);
		free(copy);
	}
	n = build(b, NHRP_PURGE_REQUEST, 1, 0, x, transit_ext(x, NHRP_MAX_EXT_CIE + 1));
	expect_err(b, n, NHRP_ERR_INVALID_EXTENSION, 56 + 16 * 12);

	/* ar$pktsz: 1500 accepted, 1501 refused as NHRP SDU Size Exceeded. */
	n = build(b, NHRP_TRAFFIC_INDICATION, 0, 1500 - 40, NULL, 0);
	assert_int_equal(n, 1500);
	assert_int_equal(decode_copy(b, n, &copy, &p, &err), 0);
	assert_int_equal(p.payload_len, 1460);
	assert_encodes_to(&p, b, n);
	free(copy);
	n = build(b, NHRP_TRAFFIC_INDICATION, 0, 1501 - 40, NULL, 0);
	expect_err(b, n, NHRP_ERR_SDU_SIZE_EXCEEDED, 10);
}

/*
 * An unknown extension (5.3): kept raw when not compulsory (pkt_purge_req
 * carries 0x3801 at 65); when compulsory, the packet is refused with
 * Unrecognized Extension and the offset of that extension (5.2.7, code
 * 1), but *p is still complete, so a transit NHS can forward it unchanged.
 */
static void test_unknown_compulsory(void **state)
{
	static const uint8_t types[] = {0xb8, 0x80, 0x80, 0xc0, 0xff};
	static const uint8_t lows[] = {0x01, 0x01, 0x06, 0x03, 0xff};
	const struct vec *v = &vecs[4];
	struct nhrp_packet want, got;
	struct nhrp_decode_error err;
	uint8_t b[BIG], *copy;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types); i++) {
		memcpy(b, v->pkt, v->len);
		b[65] = types[i];
		b[66] = lows[i];
		fix_csum(b, v->len);
		assert_int_equal(decode_copy(b, v->len, &copy, &got, &err), -1);
		assert_int_equal(err.code, NHRP_ERR_UNRECOGNIZED_EXTENSION);
		assert_int_equal(err.offset, 65);
		want_purge_req(&want);
		want.ext[1].type = (uint16_t)((types[i] & 0x7f) << 8 | lows[i]);
		want.ext[1].compulsory = true;
		assert_packet_equal(&got, &want);
		assert_encodes_to(&got, b, v->len);
		free(copy);
	}
	/* A malformed extension after it wins: that packet is not complete. */
	memcpy(b, v->pkt, v->len);
	b[56] = 0xb8; /* vendor-private becomes compulsory 0x3808 */
	b[72] = 0x00; /* End loses its compulsory bit */
	fix_csum(b, v->len);
	expect_err(b, v->len, NHRP_ERR_INVALID_EXTENSION, 72);
}

/* The encoder never writes past cap, and needs all of the packet's size. */
static void test_encode_cap(void **state)
{
	struct nhrp_packet p;
	uint8_t out[BIG];
	size_t i, cap, k;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		vecs[i].want(&p);
		for (cap = 0; cap < vecs[i].len; cap++) {
			memset(out, GUARD, sizeof(out));
			assert_int_equal(nhrp_encode(&p, out, cap), 0);
			for (k = cap; k < sizeof(out); k++)
				assert_int_equal(out[k], GUARD);
		}
		assert_int_equal(nhrp_encode(&p, NULL, 0), 0);
	}
}

static size_t encode(const struct nhrp_packet *p)
{
	static uint8_t out[BIG];

	return nhrp_encode(p, out, sizeof(out));
}

/* Inconsistent structs are refused, one fault at a time. */
static void test_encode_refusals(void **state)
{
	static uint8_t big[1500];
	struct nhrp_packet p;

	(void)state;
#define REFUSED(base, change)                                                                      \
	do {                                                                                       \
		base(&p);                                                                          \
		change;                                                                            \
		assert_int_equal(encode(&p), 0);                                                   \
	} while (0)

	REFUSED(want_res_reply, p.afn = 0);
	REFUSED(want_res_reply, p.afn = 3);
	REFUSED(want_res_reply, p.pro_type = 0x0801);
	REFUSED(want_res_reply, p.type = 0);
	REFUSED(want_res_reply, p.type = 9);
	/* Address families against ar$afn and ar$pro.type. */
	REFUSED(want_res_reply, set_addr(&p.src_nbma, "2001:db8::1"));
	REFUSED(want_res_reply, set_addr(&p.src_nbma, NULL));
	REFUSED(want_res_reply, set_addr(&p.src_proto, NULL));
	REFUSED(want_res_reply, set_addr(&p.src_proto, "fd00::1"));
	REFUSED(want_res_reply, set_addr(&p.dst_proto, NULL));
	REFUSED(want_res_reply, set_addr(&p.dst_proto, "fd00::1"));
	REFUSED(want_reg_req_v6, set_addr(&p.src_nbma, "192.0.2.1"));
	REFUSED(want_reg_req_v6, set_addr(&p.dst_proto, "10.0.0.1"));
	REFUSED(want_res_reply, set_addr(&p.cie[0].nbma, "2001:db8::1"));
	REFUSED(want_res_reply, set_addr(&p.cie[0].proto, "fd00::1"));
	REFUSED(want_res_reply, set_addr(&p.ext[0].cie[0].nbma, "2001:db8::1"));
	REFUSED(want_res_reply, p.cie[0].proto.family = AF_UNIX);
	/* Counts. */
	REFUSED(want_res_reply, p.n_cie = NHRP_MAX_CIE + 1);
	REFUSED(want_res_reply, p.n_ext = NHRP_MAX_EXT + 1);
	REFUSED(want_res_reply, p.ext[0].n_cie = NHRP_MAX_EXT_CIE + 1);
	/* Payload and CIEs by type. */
	REFUSED(want_res_reply, (p.payload = big, p.payload_len = 1));
	REFUSED(want_error_ind, p.n_cie = 1);
	REFUSED(want_traffic_ind, p.n_cie = 1);
	REFUSED(want_traffic_ind, p.payload = NULL);
	REFUSED(want_traffic_ind, (p.payload = big, p.payload_len = sizeof(big))); /* > 1500 */
	/* Extensions: End is implied, types carry no compulsory bit. */
	REFUSED(want_res_reply, p.ext[2].type = NHRP_EXT_END);
	REFUSED(want_res_reply, p.ext[2].type = 0x8005);
	REFUSED(want_res_reply, p.ext[2].type = NHRP_EXT_FORWARD_TRANSIT); /* twice */
	REFUSED(want_res_req, p.ext[0].type = NHRP_EXT_AUTHENTICATION);    /* twice */
	REFUSED(want_res_reply, (p.ext[2].data = big, p.ext[2].len = 4));  /* CIEs and raw */
	REFUSED(want_res_req, p.ext[3].n_cie = 1);
	REFUSED(want_res_req, p.ext[3].len = 3); /* authentication < 4 */
	REFUSED(want_res_req, p.ext[3].data = NULL);
	REFUSED(want_purge_req, p.ext[0].len = 2); /* vendor-private < 3 */
	REFUSED(want_purge_req, p.ext[1].len = 0x10000);
#undef REFUSED

	/* What does not belong to a type is not written, not refused. */
	want_error_ind(&p);
	p.flags = 0xffff;
	p.request_id = 0xffffffff;
	assert_encodes_to(&p, pkt_error_ind, sizeof(pkt_error_ind));
	want_purge_reply(&p);
	p.error_code = 7;
	p.error_offset = 9;
	assert_encodes_to(&p, pkt_purge_reply, sizeof(pkt_purge_reply));
	/* Unknown compulsory and duplicate vendor-private extensions are fine
	 * to send (a transit NHS forwards them). */
	want_purge_req(&p);
	p.ext[1].compulsory = true;
	assert_int_not_equal(encode(&p), 0);
	p.ext[1].type = NHRP_EXT_VENDOR_PRIVATE;
	p.ext[1].len = 3;
	assert_int_not_equal(encode(&p), 0);
	/* has_extensions alone gives an extension part of just End. */
	want_purge_reply(&p);
	p.has_extensions = true;
	assert_int_equal(encode(&p), sizeof(pkt_purge_reply) + 4);
}

static void test_names(void **state)
{
	unsigned v, w;

	(void)state;
	for (v = NHRP_RESOLUTION_REQUEST; v <= NHRP_TYPE_MAX; v++) {
		assert_string_not_equal(nhrp_type_name(v), "unknown");
		for (w = NHRP_RESOLUTION_REQUEST; w < v; w++)
			assert_string_not_equal(nhrp_type_name(v), nhrp_type_name(w));
	}
	assert_string_equal(nhrp_type_name(0), "unknown");
	assert_string_equal(nhrp_type_name(9), "unknown");
	assert_string_equal(nhrp_type_name(~0u), "unknown");
	assert_string_equal(nhrp_type_name(NHRP_REGISTRATION_REQUEST), "registration-request");

	assert_string_equal(nhrp_cie_code_name(NHRP_CODE_SUCCESS), "success");
	assert_string_equal(nhrp_cie_code_name(NHRP_CODE_UNIQUE_ALREADY_REGISTERED),
	                    "unique-already-registered");
	assert_string_equal(nhrp_cie_code_name(1), "unknown");
	assert_string_equal(nhrp_cie_code_name(15), "unknown");
	assert_string_equal(nhrp_cie_code_name(~0u), "unknown");

	assert_string_equal(nhrp_error_code_name(NHRP_ERR_NONE), "none");
	assert_string_equal(nhrp_error_code_name(NHRP_ERR_PROTOCOL_ERROR), "protocol-error");
	assert_string_equal(nhrp_error_code_name(NHRP_ERR_HOP_COUNT_EXCEEDED),
	                    "hop-count-exceeded");
	assert_string_equal(nhrp_error_code_name(2), "unknown");
	assert_string_equal(nhrp_error_code_name(16), "unknown");
	assert_string_equal(nhrp_error_code_name(~0u), "unknown");

	assert_string_equal(nhrp_ext_type_name(NHRP_EXT_END), "end");
	assert_string_equal(nhrp_ext_type_name(0x8000), "end");
	assert_string_equal(nhrp_ext_type_name(0x8003), "responder-address");
	assert_string_equal(nhrp_ext_type_name(NHRP_EXT_NAT_ADDRESS), "nat-address");
	assert_string_equal(nhrp_ext_type_name(1), "unknown");
	assert_string_equal(nhrp_ext_type_name(6), "unknown");
	assert_string_equal(nhrp_ext_type_name(10), "unknown");
	assert_string_equal(nhrp_ext_type_name(0x4003), "unknown");
}

static void test_helpers(void **state)
{
	struct nhrp_packet p;
	struct nhrp_ext *e;
	size_t i;

	(void)state;
	assert_int_equal(nhrp_afn_family(NHRP_AFN_IPV4), AF_INET);
	assert_int_equal(nhrp_afn_family(NHRP_AFN_IPV6), AF_INET6);
	assert_int_equal(nhrp_afn_family(0), AF_UNSPEC);
	assert_int_equal(nhrp_pro_family(NHRP_PRO_IPV4), AF_INET);
	assert_int_equal(nhrp_pro_family(NHRP_PRO_IPV6), AF_INET6);
	assert_int_equal(nhrp_pro_family(1), AF_UNSPEC);
	assert_true(nhrp_ext_holds_cies(NHRP_EXT_COMPULSORY | NHRP_EXT_REVERSE_TRANSIT));
	assert_true(nhrp_ext_holds_cies(NHRP_EXT_NAT_ADDRESS));
	assert_false(nhrp_ext_holds_cies(NHRP_EXT_AUTHENTICATION));
	assert_true(nhrp_ext_is_unique(NHRP_EXT_AUTHENTICATION));
	assert_false(nhrp_ext_is_unique(NHRP_EXT_VENDOR_PRIVATE));
	assert_int_equal(nhrp_ext_min_len(NHRP_EXT_VENDOR_PRIVATE), 3);
	assert_int_equal(nhrp_ext_min_len(NHRP_EXT_RESPONDER_ADDRESS), 0);

	want_purge_reply(&p);
	assert_null(nhrp_packet_ext(&p, NHRP_EXT_RESPONDER_ADDRESS));
	e = nhrp_packet_add_ext(&p, NHRP_EXT_COMPULSORY | NHRP_EXT_RESPONDER_ADDRESS, false);
	assert_non_null(e);
	assert_true(p.has_extensions);
	assert_int_equal(e->type, NHRP_EXT_RESPONDER_ADDRESS);
	assert_true(e->compulsory);
	assert_ptr_equal(nhrp_packet_ext(&p, NHRP_EXT_RESPONDER_ADDRESS), e);
	assert_ptr_equal(nhrp_packet_ext(&p, 0x8003), e);
	e = nhrp_packet_add_ext(&p, NHRP_EXT_NAT_ADDRESS, false);
	assert_false(e->compulsory);
	for (i = 2; i < NHRP_MAX_EXT; i++)
		assert_non_null(nhrp_packet_add_ext(&p, NHRP_EXT_VENDOR_PRIVATE, false));
	assert_null(nhrp_packet_add_ext(&p, NHRP_EXT_VENDOR_PRIVATE, false));
	assert_int_equal(p.n_ext, NHRP_MAX_EXT);
}

/*
 * Every bit of every vector flipped, the checksum made good again: never
 * a crash or a read out of bounds, and whatever is accepted (or refused
 * only for an unknown compulsory extension) encodes back to those bytes,
 * but for the fields the decoder ignores.
 */
static void test_bitflip(void **state)
{
	uint8_t b[BIG], out[BIG];
	size_t i, bit, accepted = 0;

	(void)state;
	for (i = 0; i < N_VECS; i++) {
		const struct vec *v = &vecs[i];

		for (bit = 0; bit < v->len * 8; bit++) {
			struct nhrp_packet p;
			struct nhrp_decode_error err;
			uint8_t *copy;
			size_t n;
			int rc;

			if (bit / 8 == 12 || bit / 8 == 13)
				continue;
			memcpy(b, v->pkt, v->len);
			b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
			fix_csum(b, v->len);
			rc = decode_copy(b, v->len, &copy, &p, &err);
			assert_string_not_equal(nhrp_error_code_name(err.code), "unknown");
			if (rc == 0 || err.code == NHRP_ERR_UNRECOGNIZED_EXTENSION) {
				n = nhrp_encode(&p, out, sizeof(out));
				assert_int_equal(n, get16(b, 10));
				normalize(b);
				if (memcmp(out, b, n) != 0)
					fail_msg("%s, bit %zu flipped", v->name, bit);
				accepted++;
			}
			free(copy);
		}
	}
	assert_true(accepted > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    {"vector_res_req", test_vector, NULL, NULL, (void *)&vecs[0]},
	    {"vector_res_reply", test_vector, NULL, NULL, (void *)&vecs[1]},
	    {"vector_reg_req", test_vector, NULL, NULL, (void *)&vecs[2]},
	    {"vector_reg_reply", test_vector, NULL, NULL, (void *)&vecs[3]},
	    {"vector_purge_req", test_vector, NULL, NULL, (void *)&vecs[4]},
	    {"vector_purge_reply", test_vector, NULL, NULL, (void *)&vecs[5]},
	    {"vector_error_ind", test_vector, NULL, NULL, (void *)&vecs[6]},
	    {"vector_traffic_ind", test_vector, NULL, NULL, (void *)&vecs[7]},
	    {"vector_reg_req_v6", test_vector, NULL, NULL, (void *)&vecs[8]},
	    {"vector_res_req_4over6", test_vector, NULL, NULL, (void *)&vecs[9]},
	    cmocka_unit_test(test_vector_checksums),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_truncated_pktsz),
	    cmocka_unit_test(test_padding),
	    cmocka_unit_test(test_bad_checksum),
	    cmocka_unit_test(test_version_and_type),
	    cmocka_unit_test(test_families),
	    cmocka_unit_test(test_empty_destination),
	    cmocka_unit_test(test_ignored_fields),
	    cmocka_unit_test(test_hop_count),
	    cmocka_unit_test(test_extoff),
	    cmocka_unit_test(test_bad_extensions),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_unknown_compulsory),
	    cmocka_unit_test(test_encode_cap),
	    cmocka_unit_test(test_encode_refusals),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_helpers),
	    cmocka_unit_test(test_bitflip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
