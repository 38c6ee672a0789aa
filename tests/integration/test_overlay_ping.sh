#!/usr/bin/env bash
# Two routers on mgred with static neighbour entries ping each other across
# the overlay both ways; LAN hosts reach each other through it; tshark on
# the underlay sees standard GRE with key 42 carrying ICMP, and NHRP frames
# sent through the data plane API arrive as GRE protocol 0x2001 with the
# sender's NBMA address.
#
#   h1 -- r1 ==== tun0 (GRE key 42 over 192.0.2.0/24) ==== r2 -- h2
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
need_root
lab_init dmi1
lab_create 2

step "mgred up on both routers"
for i in 1 2; do
	mgred_conf "$i" "$LAB_DIR/r$i.conf" 42
	mgred_start "$i" "$LAB_DIR/r$i.conf"
	lab_r "$i" ip link show tun0 >/dev/null || fail "no tun0 on router $i"
done
expect 1 '.interfaces[0].key == 42 and .interfaces[0].mtu == 1472 and .interfaces[0].local == "192.0.2.1"'
static_neigh 1 2
static_neigh 2 1

step "ping across the overlay, both ways, under a capture"
capture_start "$LAB_DIR/gre.pcap" "ip proto 47"
lab_r 1 ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null || fail "r1 cannot ping r2 over the overlay"
lab_r 2 ping -c 3 -i 0.2 -W 2 10.0.0.1 >/dev/null || fail "r2 cannot ping r1 over the overlay"

step "LAN to LAN through the overlay"
lab_r 1 ip route add "$(lab_lan_prefix 2)" via 10.0.0.2
lab_r 2 ip route add "$(lab_lan_prefix 1)" via 10.0.0.1
lab_h 1 ping -c 2 -i 0.2 -W 2 "$(lab_lan_host 2)" >/dev/null || fail "h1 cannot reach h2"

step "NHRP frames through the data plane API"
lab_r 2 "$DP_PROBE" recv tun0 5000 >"$LAB_DIR/nhrp.out" &
probe=$!
# The receiver must be listening before we send: retry until it hears one.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	lab_r 1 "$DP_PROBE" send tun0 192.0.2.2 "hello-nhrp"
	lab_wait 1 grep -q hello "$LAB_DIR/nhrp.out" && break
done
wait "$probe" || fail "router 2 received no NHRP frame"
grep -qx "192.0.2.1 hello-nhrp" "$LAB_DIR/nhrp.out" ||
	fail "NHRP frame arrived with the wrong NBMA source: $(cat "$LAB_DIR/nhrp.out")"
capture_stop "gre.proto == 0x2001"

step "counters moved on both sides"
expect 1 '.interfaces[0].counters.tx_packets >= 6 and .interfaces[0].counters.rx_packets >= 6'
expect 1 '.interfaces[0].peers | map(select(.nbma == "192.0.2.2" and .rx_packets >= 6)) | length == 1'
expect 2 '.interfaces[0].peers | map(select(.nbma == "192.0.2.1" and .tx_packets >= 6)) | length == 1'
expect 2 '.interfaces[0].underlay.drops | add == 0'

step "tshark decodes GRE key 42 carrying ICMP both ways, and NHRP"
tshark -r "$LAB_DIR/gre.pcap" -T fields -e ip.src -e ip.dst -e gre.key -e gre.proto -e icmp.type \
	-E separator=' ' -E occurrence=f 2>/dev/null >"$LAB_DIR/gre.txt"
# ICMP echo request (8) and reply (0) in each direction, all with key 42.
for want in "192.0.2.1 192.0.2.2 0x0000002a 0x0800 8" "192.0.2.2 192.0.2.1 0x0000002a 0x0800 0" \
	"192.0.2.2 192.0.2.1 0x0000002a 0x0800 8" "192.0.2.1 192.0.2.2 0x0000002a 0x0800 0"; do
	grep -q "^$want" "$LAB_DIR/gre.txt" || fail "no '$want' on the wire: $(head -20 "$LAB_DIR/gre.txt")"
done
grep -q "^192.0.2.1 192.0.2.2 0x0000002a 0x2001" "$LAB_DIR/gre.txt" || fail "no GRE/NHRP frame on the wire"
if awk '$3 != "0x0000002a"' "$LAB_DIR/gre.txt" | grep -q .; then
	fail "GRE without key 42 on the wire: $(awk '$3 != "0x0000002a"' "$LAB_DIR/gre.txt" | head)"
fi

mgred_stop 1
mgred_stop 2
echo "ok"
