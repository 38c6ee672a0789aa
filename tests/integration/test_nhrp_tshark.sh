#!/usr/bin/env bash
# tshark reads what nhrp_encode() builds. build/asan/nhrp_pcap writes one
# NHRP packet of every type, every extension among them, as they travel
# (raw IPv4, GRE with key 42 and protocol 0x2001, NHRP); every field
# tshark decodes must be the value the tool set, every checksum Good (1), and
# no expert warning raised. Needs no lab: `make asan` builds the tool.
#
#   frame 1 Resolution Request    5 Purge Request
#         2 Resolution Reply      6 Purge Reply
#         3 Registration Request  7 Error Indication (about frame 6's packet)
#         4 Registration Reply    8 Traffic Indication (about a ping)
#                                 9 Registration Request, IPv6 NBMA and protocol
set -eu

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NHRP_PCAP=${NHRP_PCAP:-$REPO/build/asan/nhrp_pcap}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=66}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
step() { printf '  - %s\n' "$*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

command -v tshark >/dev/null 2>&1 || fail "tshark is not installed"
[ -x "$NHRP_PCAP" ] || fail "$NHRP_PCAP is missing (make asan)"

step "nhrp_pcap encodes a packet of every type"
"$NHRP_PCAP" "$tmp/nhrp.pcap" 2>"$tmp/tool.err" || fail "nhrp_pcap: $(cat "$tmp/tool.err")"

FIELDS=(
	frame.number gre.proto gre.key _ws.expert.message _ws.malformed
	nhrp.hdr.op.type nhrp.hdr.chksum.status nhrp.hdr.afn nhrp.hdr.pro.type nhrp.hdr.hopcnt
	nhrp.hdr.pktsz nhrp.hdr.extoff nhrp.flags nhrp.reqid nhrp.err.code nhrp.err.offset
	nhrp.src.nbma.addr nhrp.src.prot.addr nhrp.dst.prot.addr
	nhrp.code nhrp.prefix nhrp.mtu nhrp.htime nhrp.pref nhrp.client.nbma.addr nhrp.client.prot.addr
	nhrp.ext.type nhrp.ext.c nhrp.ext.len nhrp.auth_ext.spi nhrp.auth_ext.data
	nhrp.vendor_ext.id nhrp.vendor_ext.data
	nhrp.src.nbma.addr_bytes nhrp.src.prot.addr_bytes nhrp.dst.prot.addr_byets
	nhrp.client.nbma.addr_bytes nhrp.client.prot.addr_bytes icmp.type
)

# decode FILE OUT: one line per frame, FIELDS separated by '|'. Cisco's
# cleartext authentication (type 1, then the secret) has no source address,
# which tshark otherwise expects after the SPI as RFC 2332 5.3.4 has it.
decode() {
	local args=() f
	for f in "${FIELDS[@]}"; do args+=(-e "$f"); done
	tshark -r "$1" -o nhrp.auth_ext_has_addr:FALSE -T fields -E separator='|' \
		"${args[@]}" >"$2" 2>"$tmp/tshark.err" || fail "tshark: $(cat "$tmp/tshark.err")"
}

checks=0
# want FRAME FIELD VALUE: tshark's value; repeated fields are comma-joined,
# in packet order (the mandatory part's CIEs, then each extension's).
want() {
	local frame=$1 field=$2 value=$3 col=0 i got
	for i in "${!FIELDS[@]}"; do
		[ "${FIELDS[$i]}" = "$field" ] && col=$((i + 1))
	done
	[ "$col" -gt 0 ] || fail "test bug: $field is not in FIELDS"
	got=$(awk -F'|' -v f="$frame" -v c="$col" '$1 == f { print $c }' "$tmp/fields")
	[ "$got" = "$value" ] || fail "frame $frame: $field is '$got', want '$value'"
	checks=$((checks + 1))
}

step "tshark decodes each field as encoded"
decode "$tmp/nhrp.pcap" "$tmp/fields"
[ "$(wc -l <"$tmp/fields")" -eq 9 ] || fail "tshark read $(wc -l <"$tmp/fields") frames, want 9"

for f in 1 2 3 4 5 6 8 9; do
	want $f gre.proto 0x2001
	want $f gre.key 0x0000002a
	want $f _ws.expert.message ''
	want $f _ws.malformed ''
	want $f nhrp.hdr.chksum.status 1
done

# 1: Resolution Request; 20 + 8 + 3 * 4 addresses + a 12-octet CIE = 52,
# then transit and responder placeholders, authentication, End: 84.
want 1 nhrp.hdr.op.type 1
want 1 nhrp.hdr.afn 0x0001
want 1 nhrp.hdr.pro.type 0x0800
want 1 nhrp.hdr.hopcnt 255
want 1 nhrp.hdr.pktsz 84
want 1 nhrp.hdr.extoff 52
want 1 nhrp.flags 0x8802
want 1 nhrp.reqid 0x11223344
want 1 nhrp.src.nbma.addr 192.0.2.1
want 1 nhrp.src.prot.addr 10.0.0.1
want 1 nhrp.dst.prot.addr 10.0.0.2
want 1 nhrp.code 0
want 1 nhrp.prefix 32
want 1 nhrp.mtu 1400
want 1 nhrp.htime 7200
want 1 nhrp.client.nbma.addr ''
want 1 nhrp.ext.type 0x0004,0x0005,0x0003,0x0007,0x0000
want 1 nhrp.ext.c 1,1,1,1,1
want 1 nhrp.ext.len 0,0,0,12,0
want 1 nhrp.auth_ext.spi 1
want 1 nhrp.auth_ext.data 7365637265743132

# 2: Resolution Reply; a 20-octet CIE ends the mandatory part at 60, then
# responder, forward transit and NAT address with a CIE each: 156.
want 2 nhrp.hdr.op.type 2
want 2 nhrp.hdr.pktsz 156
want 2 nhrp.hdr.extoff 60
want 2 nhrp.flags 0xe802
want 2 nhrp.reqid 0x11223344
want 2 nhrp.src.nbma.addr 192.0.2.1
want 2 nhrp.src.prot.addr 10.0.0.1
want 2 nhrp.dst.prot.addr 10.0.0.2
want 2 nhrp.code 0,0,0,0
want 2 nhrp.prefix 32,32,32,32
want 2 nhrp.mtu 1400,1400,1400,1400
want 2 nhrp.htime 7200,7200,7200,0
want 2 nhrp.pref 0,0,0,0
want 2 nhrp.client.nbma.addr 203.0.113.2,203.0.113.2,198.51.100.1,203.0.113.99
want 2 nhrp.client.prot.addr 10.0.0.2,10.0.0.2,10.0.0.254,10.0.0.2
want 2 nhrp.ext.type 0x0003,0x0004,0x0005,0x0009,0x0007,0x0000
want 2 nhrp.ext.c 1,1,1,0,1,1
want 2 nhrp.ext.len 20,20,0,20,12,0

# 3 and 4: Registration Request and Reply (U and Cisco's NAT flag).
want 3 nhrp.hdr.op.type 3
want 3 nhrp.hdr.pktsz 88
want 3 nhrp.hdr.extoff 52
want 3 nhrp.flags 0x8002
want 3 nhrp.reqid 0x0000002a
want 3 nhrp.dst.prot.addr 10.0.0.254
want 3 nhrp.prefix 255
want 3 nhrp.htime 7200
want 3 nhrp.ext.type 0x0003,0x0004,0x0005,0x0007,0x0009,0x0000
want 3 nhrp.ext.c 1,1,1,1,0,1
want 3 nhrp.ext.len 0,0,0,12,0,0
want 3 nhrp.auth_ext.data 7365637265743132
want 4 nhrp.hdr.op.type 4
want 4 nhrp.hdr.pktsz 128
want 4 nhrp.reqid 0x0000002a
want 4 nhrp.code 0,0,0
want 4 nhrp.prefix 255,32,32
want 4 nhrp.htime 7200,7200,0
want 4 nhrp.client.nbma.addr 198.51.100.1,192.0.2.99
want 4 nhrp.client.prot.addr 10.0.0.254,10.0.0.1
want 4 nhrp.ext.len 20,0,0,12,20,0

# 5 and 6: Purge Request (vendor-private: OUI 00:00:0c, data 12 34) and Reply.
want 5 nhrp.hdr.op.type 5
want 5 nhrp.hdr.pktsz 69
want 5 nhrp.hdr.extoff 56
want 5 nhrp.flags 0x0000
want 5 nhrp.reqid 0x00000100
want 5 nhrp.src.nbma.addr 198.51.100.1
want 5 nhrp.src.prot.addr 10.0.0.254
want 5 nhrp.dst.prot.addr 10.0.0.1
want 5 nhrp.client.prot.addr 10.0.0.2
want 5 nhrp.ext.type 0x0008,0x0000
want 5 nhrp.ext.c 0,1
want 5 nhrp.vendor_ext.id 12
want 5 nhrp.vendor_ext.data 1234
want 6 nhrp.hdr.op.type 6
want 6 nhrp.hdr.pktsz 56
want 6 nhrp.hdr.extoff 0
want 6 nhrp.ext.type ''

# 7: Error Indication; tshark decodes the packet in error (frame 6's)
# inside it, so header fields come twice. 20 + 8 + 12 + 56 = 96.
want 7 gre.proto 0x2001
want 7 _ws.expert.message ''
want 7 nhrp.hdr.op.type 7,6
want 7 nhrp.hdr.chksum.status 1,1
want 7 nhrp.hdr.hopcnt 0,255
want 7 nhrp.hdr.pktsz 96,56
want 7 nhrp.err.code 6
want 7 nhrp.err.offset 0
want 7 nhrp.src.nbma.addr 192.0.2.1,198.51.100.1
want 7 nhrp.src.prot.addr 10.0.0.1,10.0.0.254
want 7 nhrp.dst.prot.addr 10.0.0.254,10.0.0.1
want 7 nhrp.reqid 0x00000100

# 8: Traffic Indication; tshark decodes the ping that caused it.
# 20 + 8 + 12 + 28 = 68, then forward transit and End.
want 8 nhrp.hdr.op.type 8
want 8 nhrp.hdr.hopcnt 1
want 8 nhrp.hdr.pktsz 76
want 8 nhrp.hdr.extoff 68
want 8 nhrp.src.nbma.addr 198.51.100.1
want 8 nhrp.src.prot.addr 10.0.0.254
want 8 nhrp.dst.prot.addr 10.0.0.1
want 8 icmp.type 8
want 8 nhrp.ext.type 0x0004,0x0000

# 9: IPv6 addresses, which tshark shows as bytes; 20 + 8 + 3 * 16 + a
# 44-octet CIE = 120, then the responder placeholder and End.
want 9 nhrp.hdr.op.type 3
want 9 nhrp.hdr.afn 0x0002
want 9 nhrp.hdr.pro.type 0x86dd
want 9 nhrp.hdr.pktsz 128
want 9 nhrp.hdr.extoff 120
want 9 nhrp.reqid 0x01020304
want 9 nhrp.src.nbma.addr_bytes 20010db8000000000000000000000001
want 9 nhrp.src.prot.addr_bytes fd000000000000000000000000000001
want 9 nhrp.dst.prot.addr_byets fd0000000000000000000000000000fe
want 9 nhrp.client.nbma.addr_bytes 20010db8000000000000000000000001
want 9 nhrp.client.prot.addr_bytes fd000000000000000000000000000001
want 9 nhrp.prefix 128
want 9 nhrp.pref 1
want 9 nhrp.ext.type 0x0003,0x0000

# The checksum check is not vacuous: frame 1's hop count (file offset 24
# pcap header + 16 record header + 20 IPv4 + 8 GRE + 9) changed, tshark
# must call its checksum Bad (status 0; 1 is Good, 2 Unverified).
step "tshark notices a corrupted packet"
cp "$tmp/nhrp.pcap" "$tmp/bad.pcap"
printf '\001' | dd of="$tmp/bad.pcap" bs=1 seek=77 conv=notrunc status=none
decode "$tmp/bad.pcap" "$tmp/fields"
want 1 nhrp.hdr.hopcnt 1
want 1 nhrp.hdr.chksum.status 0
got=$(awk -F'|' '$1 == 1 { print $4 }' "$tmp/fields")
case $got in
"Bad checksum"*) ;;
*) fail "frame 1: no Bad checksum warning: '$got'" ;;
esac

step "$checks field checks passed"
