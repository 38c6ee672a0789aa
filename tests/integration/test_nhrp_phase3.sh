#!/usr/bin/env bash
# DMVPN phase 3 with FRR: redirect on the hub, shortcuts on the spokes,
# routes through zebra, BGP over the overlay.
#
#                    hub r1 10.0.0.1 (AS 65000, route reflector,
#                    aggregate 10.1.0.0/16 summary-only; ip nhrp redirect)
#                   /                               \
#   spoke r2 10.0.0.2 (ip nhrp shortcut)     spoke r3 10.0.0.3 (ip nhrp shortcut)
#   LAN 10.1.2.0/24, host h2 10.1.2.2        LAN 10.1.3.0/24, host h3 10.1.3.2
#
# h2 pings h3: the first packets go through the hub, which hairpins them
# and sends Traffic Indications; within a second spoke 2's zebra and kernel
# have an NHRP route for 10.1.3.0/24 via 10.0.0.3, and the hub no longer
# carries the traffic; idle, the shortcut expires and the route goes.
# zebra restarted: the route comes back; nhrpd stopped: its routes leave;
# a route the kernel refuses shows as failed in nhrpd's own show output.
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/../lab/frr.sh"
need_root
lab_init dmi7
lab_create 3

HOLD=15
step "mgred, FRR (zebra + bgpd) and nhrpd on the hub and two spokes"
for i in 1 2 3; do
	mgred_conf "$i" "$LAB_DIR/r$i.mgred.conf" 42
	mgred_start "$i" "$LAB_DIR/r$i.mgred.conf"
	# Unused nexthop groups leave the kernel after 1 s (not 180): the
	# refused-route step below needs a nexthop the kernel must validate.
	frr_start "$i" "zebra nexthop-group keep 1"
done
lab_r 1 sysctl -qw net.ipv4.ip_forward=1
nhrpd_conf 1 "$LAB_DIR/r1.conf" "ip nhrp holdtime $HOLD" "ip nhrp map multicast dynamic" \
	"ip nhrp redirect" "ip nhrp host-routes"
echo "nhrp zebra socket $(frr_zserv 1)" >>"$LAB_DIR/r1.conf"
for i in 2 3; do
	nhrpd_conf "$i" "$LAB_DIR/r$i.conf" "ip nhrp holdtime $HOLD" "ip nhrp shortcut" \
		"ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast"
	echo "nhrp zebra socket $(frr_zserv "$i")" >>"$LAB_DIR/r$i.conf"
done
for i in 1 2 3; do nhrpd_start "$i" "$LAB_DIR/r$i.conf"; done
nexpect 1 10 '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 2' show ip nhrp
# The hub redistributes its NHRP host routes into BGP.
frr_bgpd 1 "$(frr_bgp_hub_conf | sed 's/^  neighbor SPOKES activate$/  redistribute nhrp\n&/')"
for i in 2 3; do frr_bgpd "$i" "$(frr_bgp_spoke_conf "$i")"; done

step "BGP over the overlay: the spokes learn the summary via the hub"
zebra_has() { frr_vtysh "$1" "show ip route $2 json" | jq -e "$3" >/dev/null 2>&1; }
for i in 2 3; do
	lab_wait 30 zebra_has "$i" 10.1.0.0/16 '.["10.1.0.0/16"][0].nexthops[0].ip == "10.0.0.1"' ||
		fail "spoke $i has no 10.1.0.0/16 via the hub: $(frr_vtysh "$i" "show ip route")"
done
step "the hub's host routes for its registered spokes are in its zebra"
lab_wait 5 zebra_has 1 10.0.0.2/32 '.["10.0.0.2/32"][0].protocol == "nhrp"' ||
	fail "hub: no nhrp host route for 10.0.0.2: $(frr_vtysh 1 'show ip route nhrp')"

step "live: host routes and redirect turned off and on again on the running hub"
live() { "$CTL" -s "$(nhrpd_sock "$1")" "$(printf 'configure\n%s\n%s' "$2" "$3")"; }
no_host_route() { ! zebra_has 1 10.0.0.2/32 '.["10.0.0.2/32"][0].protocol == "nhrp"'; }
out=$(live 1 "interface tun0" "no ip nhrp host-routes") && [ -z "$out" ] || fail "no host-routes: $out"
lab_wait 5 no_host_route || fail "host route stayed: $(frr_vtysh 1 'show ip route nhrp')"
out=$(live 1 "interface tun0" "ip nhrp host-routes") && [ -z "$out" ] || fail "host-routes: $out"
lab_wait 5 zebra_has 1 10.0.0.2/32 '.["10.0.0.2/32"][0].protocol == "nhrp"' ||
	fail "host route not back: $(frr_vtysh 1 'show ip route nhrp')"
out=$(live 1 "interface tun0" "no ip nhrp redirect") && [ -z "$out" ] || fail "no redirect: $out"
lab_r 1 nft list table inet dmvpn_nhrpd >/dev/null 2>&1 && fail "the redirect table stayed"
out=$(live 1 "interface tun0" "ip nhrp redirect") && [ -z "$out" ] || fail "redirect: $out"
lab_r 1 nft list table inet dmvpn_nhrpd | grep -q 'iifname "tun0" oifname "tun0"' ||
	fail "redirect rule not back: $(lab_r 1 nft list ruleset)"

step "redistribute nhrp: the spokes learn the hub's NHRP host routes by BGP"
bgp_has() { frr_vtysh "$1" "show bgp ipv4 unicast $2 json" | jq -e '.paths | length > 0' >/dev/null 2>&1; }
lab_wait 10 bgp_has 2 10.0.0.3/32 || fail "spoke 2 did not learn 10.0.0.3/32 by BGP: $(frr_vtysh 2 'show bgp ipv4 unicast'); hub: $(frr_vtysh 1 'show bgp ipv4 unicast' 'show running-config' 'show ip route')"

step "h2 -> h3: first through the hub, then a shortcut within a second"
lab_h 2 ping -c 1 -W 2 "$(lab_lan_host 3)" >/dev/null || fail "h2 cannot reach h3 through the hub"
t0=$(date +%s%N)
lab_h 2 ping -c 30 -i 0.05 -W 1 "$(lab_lan_host 3)" >"$LAB_DIR/p1.txt" 2>&1 &
pinger=$!
nhrp_route() { frr_vtysh 2 'show ip route nhrp json' | jq -e '.["10.1.3.0/24"][0] | .protocol == "nhrp" and .installed == true and .nexthops[0].ip == "10.0.0.3"' >/dev/null 2>&1; }
lab_wait 3 nhrp_route || fail "no NHRP route for 10.1.3.0/24 in spoke 2's zebra: $(frr_vtysh 2 'show ip route')
$(tail -20 "$LAB_DIR/nhrpd-r2.log")"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -le 1000 ] || fail "the shortcut took ${ms} ms"
lab_r 2 ip -j route show 10.1.3.0/24 | jq -e '.[0] | .protocol == "nhrp" and .gateway == "10.0.0.3"' >/dev/null ||
	fail "kernel of spoke 2: $(lab_r 2 ip route)"
wait "$pinger" || fail "pings lost around the shortcut: $(tail -3 "$LAB_DIR/p1.txt")"
nexpect 1 2 '.interfaces[0].redirects.sent >= 1' show ip nhrp traffic
nexpect 2 2 '.interfaces[0].shortcuts[] | select(.prefix == "10.1.3.0" and .prefix_len == 24) | .via == "10.0.0.3" and .route == "installed"' show ip nhrp shortcut

step "after it, the hub carries none of it"
hub_rx() { mgred_json 1 | jq '.interfaces[0].counters.rx_packets'; }
# Spoke 3 answers through its own shortcut (its replies were hairpinned too).
lab_wait 3 zebra_has 3 10.1.2.0/24 '.["10.1.2.0/24"][0].protocol == "nhrp"' ||
	fail "spoke 3 has no shortcut back to 10.1.2.0/24"
before=$(hub_rx)
lab_h 2 ping -c 40 -i 0.05 -W 1 "$(lab_lan_host 3)" >/dev/null || fail "h2 -> h3 lost packets on the shortcut"
after=$(hub_rx)
# BGP keepalives and NHRP refreshes may pass; 80 ICMP packets may not.
[ $((after - before)) -lt 20 ] || fail "the hub still carries h2 <-> h3: rx $before -> $after"

step "zebra restarted: nhrpd reconnects and the route is back"
frr_restart_zebra 2
lab_wait 10 nhrp_route || fail "the NHRP route did not come back after zebra's restart: $(frr_vtysh 2 'show ip route')"
lab_wait 5 eval "lab_r 2 ip -j route show 10.1.3.0/24 | jq -e '.[0].protocol == \"nhrp\"' >/dev/null" ||
	fail "the kernel lost the shortcut after zebra's restart"
nexpect 2 2 '.connected == true and .connects >= 2' show ip nhrp zebra

step "idle: the shortcut expires and its route is withdrawn"
lab_wait $((2 * HOLD + 5)) eval '! frr_vtysh 2 "show ip route nhrp json" | jq -e ".[\"10.1.3.0/24\"]" >/dev/null 2>&1' ||
	fail "the idle shortcut stayed: $(frr_vtysh 2 'show ip route nhrp')"
[ -z "$(lab_r 2 ip route show 10.1.3.0/24 proto nhrp)" ] || fail "the kernel kept the expired shortcut"
nexpect 2 2 '[.interfaces[0].shortcuts[]] | length == 0' show ip nhrp shortcut

step "a route the kernel refuses shows as failed in nhrpd"
# The egress's overlay address made local on spoke 2: the kernel refuses a
# gateway that is one of its own addresses, and zebra reports the failure.
nhg_gone() { [ -z "$(lab_r 2 ip nexthop show 2>/dev/null | grep 'via 10.0.0.3 ')" ]; }
lab_wait 10 nhg_gone || fail "zebra kept the nexthop group via 10.0.0.3: $(lab_r 2 ip nexthop show)"
lab_r 2 ip addr add 10.0.0.3/32 dev lo
lab_h 2 ping -c 5 -i 0.2 -W 1 "$(lab_lan_host 3)" >/dev/null 2>&1 || true
nexpect 2 5 '.interfaces[0].shortcuts[] | select(.prefix == "10.1.3.0") | .route == "failed"' show ip nhrp shortcut
nexpect 2 2 '.routes[] | select(.prefix == "10.1.3.0") | .state == "failed"' show ip nhrp zebra
lab_r 2 ip addr del 10.0.0.3/32 dev lo

step "nhrpd stopped: its routes leave zebra"
lab_wait 5 zebra_has 1 10.0.0.3/32 '.["10.0.0.3/32"][0].protocol == "nhrp"' || fail "hub host route missing"
nhrpd_stop 1
lab_wait 5 eval '! frr_vtysh 1 "show ip route nhrp json" | jq -e "length > 0" >/dev/null 2>&1' ||
	fail "the hub's NHRP routes stayed in zebra after nhrpd stopped: $(frr_vtysh 1 'show ip route nhrp')"

for i in 3 2; do nhrpd_stop "$i"; done
for i in 3 2 1; do frr_stop "$i"; done
for i in 3 2 1; do mgred_stop "$i"; done
echo "ok"
