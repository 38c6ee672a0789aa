#!/usr/bin/env bash
# FRR (zebra + bgpd, Debian's 8.4) on every router, BGP over the overlay
# that mgred and nhrpd build: the base of DMVPN phase 3.
#
#                 hub r1 10.0.0.1, AS 65000, listen range 10.0.0.0/24
#                 advertises 10.1.1.0/24 and 10.1.0.0/16 summary-only
#                /                                     \
#   spoke r2 10.0.0.2 (LAN 10.1.2.0/24)     spoke r3 10.0.0.3 (LAN 10.1.3.0/24)
#
# The spokes register with the hub; then zebra and bgpd everywhere. The
# hub's sessions to both spokes come up; spoke 2 learns only the summary
# 10.1.0.0/16 via 10.0.0.1 (zebra's RIB and the kernel); host 2 reaches
# host 3 through the hub; zebra restarts (bgpd with it) and the route is back;
# everything stops cleanly and no FRR process of this lab remains.
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/../lab/frr.sh"
need_root
lab_init dmi6
lab_create 3

HOLD=30
step "mgred and nhrpd on the hub and two spokes"
for i in 1 2 3; do
	mgred_conf "$i" "$LAB_DIR/r$i.mgred.conf" 42
	mgred_start "$i" "$LAB_DIR/r$i.mgred.conf"
done
nhrpd_conf 1 "$LAB_DIR/r1.conf" "ip nhrp holdtime $HOLD" "ip nhrp map multicast dynamic"
for i in 2 3; do
	nhrpd_conf "$i" "$LAB_DIR/r$i.conf" "ip nhrp holdtime $HOLD" \
		"ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast"
done
for i in 1 2 3; do nhrpd_start "$i" "$LAB_DIR/r$i.conf"; done
nexpect 1 10 '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 2' show ip nhrp
for i in 2 3; do
	nexpect "$i" 5 '.interfaces[0].nhs[0].state == "up"' show ip nhrp nhs
done

step "zebra and bgpd on every router"
for i in 1 2 3; do frr_start "$i" || fail "zebra on router $i"; done
frr_bgpd 1 "$(frr_bgp_hub_conf)" || fail "bgpd on the hub"
for i in 2 3; do frr_bgpd "$i" "$(frr_bgp_spoke_conf "$i")" || fail "bgpd on router $i"; done
for i in 1 2 3; do
	[ -S "$(frr_zserv "$i")" ] || fail "no zserv.api socket for router $i"
done

# fexpect SITE SECONDS 'vtysh command' JQ_FILTER: poll until the filter holds.
frr_true() { frr_vtysh "$1" "$2" | jq -e "$3" >/dev/null 2>&1; }
fexpect() {
	local i=$1 secs=$2 cmd=$3 filter=$4
	lab_wait "$secs" frr_true "$i" "$cmd" "$filter" ||
		fail "router $i: expected $filter of '$cmd'; got: $(frr_vtysh "$i" "$cmd" 2>&1 | head -c 3000)
bgpd log: $(tail -n 15 "$(frr_dir "$i")/bgpd.log")"
}
kernel_true() { lab_r "$1" ip -j route show "$2" | jq -e "$3" >/dev/null 2>&1; }

step "the hub's sessions to both spokes are Established"
for s in 10.0.0.2 10.0.0.3; do
	fexpect 1 20 'show bgp summary json' ".ipv4Unicast.peers[\"$s\"].state == \"Established\""
done
fexpect 2 5 'show bgp summary json' '.ipv4Unicast.peers["10.0.0.1"].state == "Established"'

step "spoke 2 learns the summary 10.1.0.0/16 via the hub, and nothing more specific"
SUMMARY='."10.1.0.0/16" | any(.[]; .protocol == "bgp" and .selected and .installed and
	any(.nexthops[]; .ip == "10.0.0.1" and .active))'
fexpect 2 10 'show ip route json' "$SUMMARY"
KSUMMARY='.[0].gateway == "10.0.0.1" and .[0].dev == "tun0" and .[0].protocol == "bgp"'
lab_wait 5 kernel_true 2 10.1.0.0/16 "$KSUMMARY" ||
	fail "spoke 2's kernel has no 10.1.0.0/16 via 10.0.0.1: $(lab_r 2 ip route)"
# summary-only: the LANs of the hub and of spoke 3 stay behind the summary.
frr_true 2 'show ip route json' '[keys[] | select(. == "10.1.3.0/24" or . == "10.1.1.0/24")] | length == 0' ||
	fail "spoke 2 learned a more specific LAN: $(frr_vtysh 2 'show ip route')"
# The hub holds the spokes' LANs, next hop their overlay address.
fexpect 1 10 'show ip route json' '."10.1.3.0/24" | any(.[]; .protocol == "bgp" and .installed and any(.nexthops[]; .ip == "10.0.0.3"))'

step "host 2 pings host 3 through the hub"
hub_rx() { mgred_json 1 | jq '.interfaces[0].counters.rx_packets'; }
lab_wait 10 lab_h 2 ping -c 1 -W 1 "$(lab_lan_host 3)" ||
	fail "host 2 cannot reach host 3: $(lab_r 2 ip route; frr_vtysh 1 'show ip route')"
before=$(hub_rx)
lab_h 2 ping -c 10 -i 0.05 -W 1 "$(lab_lan_host 3)" >/dev/null || fail "host 2 -> host 3 lost packets"
after=$(hub_rx)
[ $((after - before)) -ge 20 ] || fail "the hub did not carry host 2 <-> host 3: rx $before -> $after"

step "zebra on spoke 2 restarts (bgpd with it, as watchfrr would): the summary is back"
frr_restart_zebra 2 || fail "zebra restart on router 2"
fexpect 2 15 'show ip route json' "$SUMMARY"
lab_wait 5 kernel_true 2 10.1.0.0/16 "$KSUMMARY" ||
	fail "spoke 2's kernel lost 10.1.0.0/16 after zebra's restart: $(lab_r 2 ip route)"
lab_wait 10 lab_h 2 ping -c 1 -W 1 "$(lab_lan_host 3)" || fail "host 2 cannot reach host 3 after zebra's restart"

step "stop everything cleanly"
frr_stop 3 2 1 || fail "FRR did not stop cleanly"
left=$(frr_procs)
[ -z "$left" ] || fail "zebra/bgpd left running: $left"
for i in 3 2 1; do nhrpd_stop "$i"; done
for i in 3 2 1; do mgred_stop "$i"; done
echo "ok"
