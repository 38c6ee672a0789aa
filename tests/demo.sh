#!/usr/bin/env bash
# make demo: one hub and two spokes in network namespaces on the userspace
# data plane (mgred) with nhrpd: registration, then resolution, then
# spoke-to-spoke traffic that goes direct.
#
#            underlay bridge 192.0.2.0/24
#      +--------------+---------------+
#   hub r1          spoke r2        spoke r3
#   tun0 10.0.0.1   tun0 10.0.0.2   tun0 10.0.0.3     (mGRE, key 42)
#   LAN 10.1.1.0/24 LAN 10.1.2.0/24 LAN 10.1.3.0/24
#
# Spokes register with the hub; spoke 2 resolves spoke 3 through it and
# then talks to spoke 3 directly (DMVPN phase 2).
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "make demo needs root (network namespaces)" >&2; exit 1; }
. tests/lab/lab.sh
MGRED=${MGRED:-build/release/mgred}
NHRPD=${NHRPD:-build/release/nhrpd}
CTL=${CTL:-build/release/dmvpnctl}
SH=${SH:-build/release/dmvpnsh}
banner() { printf '\n=== %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }
# dsh SITE COMMAND: dmvpnsh on that router (no iked in this demo)
dsh() {
	printf 'r%s$ dmvpnsh -c "%s"\n' "$1" "$2"
	"$SH" --mgred "$LAB_DIR/r$1.sock" --nhrpd "$LAB_DIR/nhrpd-r$1.sock" --iked "$LAB_DIR/none" \
		-f "$LAB_DIR/r$1.conf" -c "$2"
}

lab_init ddemo
lab_create 3
sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'

banner "configuration files (configs/hub.conf, configs/spoke.conf as templates)"
for i in 1 2 3; do
	tmpl=configs/spoke.conf
	[ "$i" = 1 ] && tmpl=configs/hub.conf
	sed -e "s|ip address 10.0.0.[0-9]*/24|ip address $(lab_overlay "$i")/24|" \
		-e "s|^hostname spoke2|hostname spoke$i|" "$tmpl" >"$LAB_DIR/r$i.conf"
	lab_spawn "$i" "mgred-r$i" "$MGRED" -f "$LAB_DIR/r$i.conf" -s "$LAB_DIR/r$i.sock"
done
grep -v '^!' "$LAB_DIR/r1.conf"
for i in 1 2 3; do
	lab_wait 10 "$CTL" -s "$LAB_DIR/r$i.sock" show version || { cat "$LAB_DIR/mgred-r$i.log"; exit 1; }
done

banner "nhrpd on every router: the spokes register with the hub"
for i in 1 2 3; do
	lab_spawn "$i" "nhrpd-r$i" "$NHRPD" -f "$LAB_DIR/r$i.conf" -s "$LAB_DIR/nhrpd-r$i.sock"
done
for i in 1 2 3; do
	lab_wait 10 "$CTL" -s "$LAB_DIR/nhrpd-r$i.sock" show version || { cat "$LAB_DIR/nhrpd-r$i.log"; exit 1; }
done
registered() {
	"$CTL" -s "$LAB_DIR/nhrpd-r1.sock" show ip nhrp json |
		grep -o '"type":"dynamic"' | wc -l | grep -qx 2
}
lab_wait 15 registered || { cat "$LAB_DIR/nhrpd-r1.log"; exit 1; }
dsh 1 "show dmvpn"
dsh 2 "show ip nhrp nhs"

# Phase 2 routing: each LAN via the overlay address of the router that
# owns it. Spoke to spoke, the next hop is the other spoke: the kernel's
# neighbour miss makes nhrpd resolve it through the hub.
for i in 1 2 3; do
	for j in 1 2 3; do
		[ "$i" = "$j" ] || ip -n "$(lab_ns_router "$i")" route add "$(lab_lan_prefix "$j")" via "$(lab_overlay "$j")"
	done
done

banner "the overlay interface on spoke 2"
show ip -n "$(lab_ns_router 2)" -d link show tun0 | head -3

banner "pings: hub <-> spokes over the overlay"
show ip netns exec "$(lab_ns_router 1)" ping -c 2 -i 0.2 10.0.0.2
show ip netns exec "$(lab_ns_router 3)" ping -c 2 -i 0.2 10.0.0.1

banner "LAN host behind spoke 2 -> LAN host behind spoke 3, under a capture"
ip netns exec "$(lab_ns_ul)" tshark -q -i br0 -f "ip proto 47" -w "$LAB_DIR/demo.pcap" >"$LAB_DIR/tshark.log" 2>&1 &
echo $! >>"$LAB_DIR/pids"
cap=$!
lab_wait 15 grep -q "Capturing on" "$LAB_DIR/tshark.log"
show ip netns exec "$(lab_ns_host 2)" ping -c 3 -i 0.2 "$(lab_lan_host 3)"
kill -INT "$cap"
lab_wait 10 lab_proc_gone "$cap" || true

banner "what tshark decodes on the underlay"
printf "%-24s %-11s %-7s %s\n" "outer (NBMA)" "key" "proto" "inside"
tshark -r "$LAB_DIR/demo.pcap" -T fields -E occurrence=f \
	-e ip.src -e ip.dst -e gre.key -e gre.proto -e _ws.col.Info 2>/dev/null | head -16 |
	awk -F'\t' '{ printf "%-24s %-11s %-7s %s\n", $1 ">" $2, $3, $4, $5 }'

banner "spoke 2 resolved spoke 3: its NHRP cache and neighbour entry"
dsh 2 "show ip nhrp"
show ip -n "$(lab_ns_router 2)" neigh show dev tun0

banner "the hub's counters: only NHRP went through it, the pings went direct"
dsh 1 "show interface tunnel"
dsh 1 "show ip nhrp traffic"

banner "dmvpnsh on the hub: a live change, then the running configuration"
printf 'configure terminal\ninterface tun0\nip nhrp holdtime 300\nend\n' | tee /dev/stderr |
	"$SH" --mgred "$LAB_DIR/r1.sock" --nhrpd "$LAB_DIR/nhrpd-r1.sock" --iked "$LAB_DIR/none" 2>&1
dsh 1 "show running-config"

banner "tearing down"
LAB_KEEP_LOGS=
lab_destroy
left=$(ip netns list | grep -c '^ddemo' || true)
echo "namespaces left: $left"
echo "demo finished"
