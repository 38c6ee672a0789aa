#!/usr/bin/env bash
# make demo: one hub and two spokes in network namespaces on the userspace
# data plane (mgred), with static NBMA mappings until nhrpd arrives.
#
#            underlay bridge 192.0.2.0/24
#      +--------------+---------------+
#   hub r1          spoke r2        spoke r3
#   tun0 10.0.0.1   tun0 10.0.0.2   tun0 10.0.0.3     (mGRE, key 42)
#   LAN 10.1.1.0/24 LAN 10.1.2.0/24 LAN 10.1.3.0/24
#
# Spokes reach each other through the hub (DMVPN phase 1 with static maps).
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "make demo needs root (network namespaces)" >&2; exit 1; }
. tests/lab/lab.sh
MGRED=${MGRED:-build/release/mgred}
CTL=${CTL:-build/release/dmvpnctl}
banner() { printf '\n=== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

lab_init ddemo
lab_create 3
sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'

banner "configuration files (configs/hub.conf, configs/spoke.conf as templates)"
for i in 1 2 3; do
	tmpl=configs/spoke.conf
	[ "$i" = 1 ] && tmpl=configs/hub.conf
	sed "s|ip address 10.0.0.[0-9]*/24|ip address $(lab_overlay "$i")/24|" "$tmpl" >"$LAB_DIR/r$i.conf"
	lab_spawn "$i" "mgred-r$i" "$MGRED" -f "$LAB_DIR/r$i.conf" -s "$LAB_DIR/r$i.sock"
done
grep -v '^!' "$LAB_DIR/r1.conf"
for i in 1 2 3; do
	lab_wait 10 "$CTL" -s "$LAB_DIR/r$i.sock" show version || { cat "$LAB_DIR/mgred-r$i.log"; exit 1; }
done

banner "static NBMA mappings: the hub knows both spokes, each spoke knows the hub"
# lladdr 02:04:<NBMA IPv4> is how mgred's TAP encodes an NBMA address.
nbma_mac() { printf '02:04:%02x:%02x:%02x:%02x' $(echo "$1" | tr . ' '); }
for s in 2 3; do
	show ip -n "$(lab_ns_router 1)" neigh replace "$(lab_overlay "$s")" lladdr "$(nbma_mac "$(lab_nbma "$s")")" dev tun0 nud permanent
	show ip -n "$(lab_ns_router "$s")" neigh replace "$(lab_overlay 1)" lladdr "$(nbma_mac "$(lab_nbma 1)")" dev tun0 nud permanent
done
for i in 1 2 3; do
	for j in 1 2 3; do
		[ "$i" = "$j" ] && continue
		via=$(lab_overlay 1)
		[ "$i" = 1 ] && via=$(lab_overlay "$j")
		ip -n "$(lab_ns_router "$i")" route add "$(lab_lan_prefix "$j")" via "$via"
	done
	# spokes reach each other's overlay address through the hub too
done
ip -n "$(lab_ns_router 2)" route add 10.0.0.3/32 via 10.0.0.1
ip -n "$(lab_ns_router 3)" route add 10.0.0.2/32 via 10.0.0.1

banner "the overlay interface on spoke 2"
show ip -n "$(lab_ns_router 2)" -d link show tun0 | head -3

banner "pings: hub <-> spokes over the overlay"
show ip netns exec "$(lab_ns_router 1)" ping -c 2 -i 0.2 10.0.0.2
show ip netns exec "$(lab_ns_router 3)" ping -c 2 -i 0.2 10.0.0.1

banner "LAN host behind spoke 2 -> LAN host behind spoke 3 (via the hub), under a capture"
ip netns exec "$(lab_ns_ul)" tshark -q -i br0 -f "ip proto 47" -w "$LAB_DIR/demo.pcap" >"$LAB_DIR/tshark.log" 2>&1 &
echo $! >>"$LAB_DIR/pids"
cap=$!
lab_wait 15 grep -q "Capturing on" "$LAB_DIR/tshark.log"
show ip netns exec "$(lab_ns_host 2)" ping -c 3 -i 0.2 "$(lab_lan_host 3)"
kill -INT "$cap"
lab_wait 10 lab_proc_gone "$cap" || true

banner "what tshark decodes on the underlay"
printf "%-24s %-11s %-7s %-22s %s\n" "outer (NBMA)" "key" "proto" "inner" "ICMP"
tshark -r "$LAB_DIR/demo.pcap" -T fields -E occurrence=a -E aggregator=/ \
	-e ip.src -e ip.dst -e gre.key -e gre.proto -e icmp.type 2>/dev/null | head -12 |
	awk '{ split($1, s, /[^0-9.]/); split($2, d, /[^0-9.]/);
	       printf "%-24s %-11s %-7s %-22s %s\n", s[1] ">" d[1], $3, $4, s[2] ">" d[2],
	              $5 == 8 ? "echo request" : "echo reply" }'

banner "the hub's counters: it carried the spoke-to-spoke traffic"
show "$CTL" -s "$LAB_DIR/r1.sock" show interface tunnel

banner "tearing down"
LAB_KEEP_LOGS=
lab_destroy
left=$(ip netns list | grep -c '^ddemo' || true)
echo "namespaces left: $left"
echo "demo finished"
