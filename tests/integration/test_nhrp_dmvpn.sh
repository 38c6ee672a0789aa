#!/usr/bin/env bash
# DMVPN phases 1 and 2 with nhrpd on mgred: a hub and three spokes.
#
#                        hub r1 10.0.0.1 (NBMA 192.0.2.1)
#                    ip nhrp map multicast dynamic
#            /                     |                     \
#   spoke r2 10.0.0.2       spoke r3 10.0.0.3       spoke r4 10.0.0.4
#   NBMA 192.0.2.2          NBMA 192.0.2.3          NBMA 192.0.2.4
#   ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast (holding time 10 s)
#
# Spokes register (the hub's cache holds them, tshark sees Registration
# Requests and Replies with good checksums); r2 pings r3: a resolution
# through the hub gives both a neighbour entry, and after it the hub
# carries none of their traffic; the hub's nhrpd restarts and the spokes
# are back within their retry interval; r4 vanishes and the hub drops it
# at its holding time; another NBMA address claiming 10.0.0.2 is refused
# and r2 stays reachable; a multicast ping from the hub reaches every
# spoke; thousands of malformed NHRP packets leave the hub and its
# registrations intact.
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
need_root
lab_init dmi5
lab_create 4

HOLD=10
step "mgred and nhrpd on the hub and three spokes"
for i in 1 2 3 4; do
	mgred_conf "$i" "$LAB_DIR/r$i.mgred.conf" 42
	mgred_start "$i" "$LAB_DIR/r$i.mgred.conf"
	# Answer multicast pings (the kernel ignores them by default).
	lab_r "$i" sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
done
AUTH="ip nhrp authentication s3cret"
nhrpd_conf 1 "$LAB_DIR/r1.conf" "ip nhrp holdtime $HOLD" "ip nhrp map multicast dynamic" "$AUTH"
for i in 2 3 4; do
	nhrpd_conf "$i" "$LAB_DIR/r$i.conf" "ip nhrp holdtime $HOLD" "$AUTH" \
		"ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast"
done
capture_start "$LAB_DIR/nhrp.pcap" "ip proto 47"
nhrpd_start 1 "$LAB_DIR/r1.conf"
for i in 2 3 4; do nhrpd_start "$i" "$LAB_DIR/r$i.conf"; done

"$CTL" -s "$(nhrpd_sock 1)" show debugging | grep -qx "debug nhrp" || fail "nhrpd show debugging"
"$CTL" -s "$(mgred_sock 1)" log level notice >/dev/null || fail "mgred log level refused"
"$CTL" -s "$(mgred_sock 1)" show debugging | grep -qx "log level notice" || fail "mgred show debugging"

step "all three spokes register"
nexpect 1 10 '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 3' show ip nhrp
[ "$(nhrp_dynamic 1)" = "$(printf '10.0.0.2 192.0.2.2\n10.0.0.3 192.0.2.3\n10.0.0.4 192.0.2.4')" ] ||
	fail "hub cache: $(nhrp_dynamic 1)"
for i in 2 3 4; do
	nexpect "$i" 5 '.interfaces[0].nhs[0].state == "up" and .interfaces[0].nhs[0].last_code == "success"' show ip nhrp nhs
done
nexpect 1 2 '.interfaces[0].type == "hub" and (.interfaces[0].peers | length) == 3' show dmvpn

step "live configuration: the hub grants a lowered holding time at the next registrations"
# live SITE HEADER LINE: one configuration line through the control socket.
live() { "$CTL" -s "$(nhrpd_sock "$1")" "$(printf 'configure\n%s\n%s' "$2" "$3")"; }
out=$(live 1 "interface tun0" "ip nhrp holdtime 6") || fail "holdtime 6 refused: $out"
[ -z "$out" ] || fail "a live holding time gave a notice: $out"
"$CTL" -s "$(nhrpd_sock 1)" show running-config | grep -qx " ip nhrp holdtime 6" ||
	fail "running-config: $("$CTL" -s "$(nhrpd_sock 1)" show running-config)"
# Spokes ask for 10 s; the hub now grants 6 (and they refresh every 2 s).
nexpect 1 8 '[.interfaces[0].entries[] | select(.type == "dynamic") | .holding_time] | length == 3 and all(. == 6)' show ip nhrp
for i in 2 3 4; do nexpect "$i" 3 '.interfaces[0].nhs[0].state == "up"' show ip nhrp nhs; done
live 1 "interface tun0" "ip nhrp holdtime $HOLD" >/dev/null || fail "holdtime $HOLD refused"
nexpect 1 8 '[.interfaces[0].entries[] | select(.type == "dynamic") | .holding_time] | all(. == 10)' show ip nhrp

step "live: a refused line changes nothing; a restart-only change is kept with a notice"
"$CTL" -s "$(nhrpd_sock 1)" show running-config >"$LAB_DIR/rc-before"
if out=$(live 1 "interface tun0" "ip nhrp holdtime 0" 2>&1); then fail "holdtime 0 accepted: $out"; fi
if out=$(live 1 "interface tun0" "ip nhrp authentication <secret-hidden>" 2>&1); then fail "the marker accepted"; fi
[ "$out" = "% the secret was hidden by show running-config: give it again, or use 'ip nhrp authentication file'" ] || fail "marker refusal: $out"
"$CTL" -s "$(nhrpd_sock 1)" show running-config | diff -u "$LAB_DIR/rc-before" - || fail "a refused line changed the configuration"
out=$(live 1 "interface tun0" "tunnel source 192.0.2.1")
[ "$out" = "% nhrpd: restart nhrpd to apply: interface tun0: tunnel source" ] || fail "tunnel source notice: $out"
out=$(live 1 "interface tun0" "tunnel source eth0")
[ -z "$out" ] || fail "back to the running tunnel source: $out"
nexpect 1 2 '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 3' show ip nhrp

step "live: an NHS added to a spoke is registered with at once, removed it goes; maps on the hub"
live 3 "interface tun0" "ip nhrp nhs 10.0.0.99 nbma 192.0.2.99" >/dev/null || fail "nhs refused"
nexpect 3 5 '(.interfaces[0].nhs | length) == 2 and .interfaces[0].nhs[0].state == "up" and .interfaces[0].nhs[1].requests >= 1' show ip nhrp nhs
nexpect 3 2 '.interfaces[0].entries | any(.protocol == "10.0.0.99" and .type == "nhs")' show ip nhrp
live 3 "interface tun0" "no ip nhrp nhs 10.0.0.99" >/dev/null || fail "no nhs refused"
nexpect 3 2 '(.interfaces[0].nhs | length) == 1 and .interfaces[0].nhs[0].state == "up"' show ip nhrp nhs
nexpect 3 2 '.interfaces[0].entries | all(.protocol != "10.0.0.99")' show ip nhrp
live 1 "interface tun0" "ip nhrp map 10.0.0.88 192.0.2.88" >/dev/null || fail "map refused"
nexpect 1 2 '.interfaces[0].entries | any(.protocol == "10.0.0.88" and .type == "static")' show ip nhrp
live 1 "interface tun0" "no ip nhrp map 10.0.0.88" >/dev/null || fail "no map refused"
nexpect 1 2 '.interfaces[0].entries | all(.protocol != "10.0.0.88")' show ip nhrp
nexpect 1 2 '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 3' show ip nhrp
# The hub reaches its spokes through the neighbour entries nhrpd made.
[ "$(neigh_lladdr 1 10.0.0.3)" = "$(nbma_lladdr 192.0.2.3)" ] || fail "hub has no neighbour for 10.0.0.3"
ping_ok 1 10.0.0.3 || fail "hub cannot ping spoke 3"

step "tshark: Registration Requests and Replies, checksums good"
capture_stop "nhrp.hdr.op.type == 4"
tshark -r "$LAB_DIR/nhrp.pcap" -Y nhrp -T fields -e ip.src -e ip.dst -e nhrp.hdr.op.type \
	-e nhrp.hdr.chksum.status -e nhrp.src.prot.addr -e nhrp.dst.prot.addr -E occurrence=f \
	2>/dev/null >"$LAB_DIR/nhrp.txt"
grep -q "^192.0.2.2	192.0.2.1	3	1	10.0.0.2	10.0.0.1$" "$LAB_DIR/nhrp.txt" ||
	fail "no Registration Request from r2 with a good checksum: $(head "$LAB_DIR/nhrp.txt")"
grep -q "^192.0.2.1	192.0.2.2	4	1	10.0.0.2	10.0.0.1$" "$LAB_DIR/nhrp.txt" ||
	fail "no Registration Reply to r2 with a good checksum: $(head "$LAB_DIR/nhrp.txt")"
if awk -F'\t' '$4 != 1' "$LAB_DIR/nhrp.txt" | grep -q .; then
	fail "NHRP with a bad checksum on the wire: $(awk -F'\t' '$4 != 1' "$LAB_DIR/nhrp.txt")"
fi

step "r2 -> r3: resolution, neighbour entries on both, then direct"
lab_wait 10 ping_ok 2 10.0.0.3 || fail "r2 cannot ping r3: $(tail "$LAB_DIR/nhrpd-r2.log")"
[ "$(neigh_lladdr 2 10.0.0.3)" = "$(nbma_lladdr 192.0.2.3)" ] ||
	fail "r2 neighbour for 10.0.0.3: '$(neigh_lladdr 2 10.0.0.3)'"
[ "$(neigh_lladdr 3 10.0.0.2)" = "$(nbma_lladdr 192.0.2.2)" ] ||
	fail "r3 neighbour for 10.0.0.2: '$(neigh_lladdr 3 10.0.0.2)'"
nexpect 2 2 '.interfaces[0].entries[] | select(.protocol == "10.0.0.3") | .type == "cached" and .nbma == "192.0.2.3"' show ip nhrp
nexpect 3 2 '.interfaces[0].entries[] | select(.protocol == "10.0.0.2") | .type == "cached" and .nbma == "192.0.2.2"' show ip nhrp
nexpect 1 2 '.interfaces[0].forwarded.resolution_request >= 1' show ip nhrp traffic
hub_rx() { mgred_json 1 | jq '.interfaces[0].counters.rx_packets'; }
before=$(hub_rx)
lab_r 2 ping -c 20 -i 0.05 -W 1 10.0.0.3 >/dev/null || fail "r2 -> r3 lost packets"
after=$(hub_rx)
# Registrations may refresh meanwhile (a few packets); 40 ICMP packets may not.
[ $((after - before)) -lt 8 ] || fail "hub still carries r2 <-> r3 traffic: rx $before -> $after"
expect 3 '.interfaces[0].peers | map(select(.nbma == "192.0.2.2" and .rx_packets >= 20)) | length == 1'

step "the shortcut is refreshed while used, and expires when idle"
sent_before=$(nhrp_show 2 show ip nhrp traffic | jq '.interfaces[0].sent.resolution_request')
# Longer than a holding time, without a loss.
lab_r 2 ping -c $((HOLD * 8)) -i 0.2 -W 1 10.0.0.3 >"$LAB_DIR/long.txt" ||
	fail "r2 -> r3 lost packets while the binding was refreshed: $(tail -3 "$LAB_DIR/long.txt")"
nexpect 2 2 ".interfaces[0].sent.resolution_request > $sent_before" show ip nhrp traffic
nexpect 2 2 '.interfaces[0].entries[] | select(.protocol == "10.0.0.3") | .type == "cached"' show ip nhrp
# Refreshed, not lost and re-resolved: it never expired while in use.
expired="cached entry 10.0.0.3 removed: holding time expired"
if grep -q "$expired" "$LAB_DIR/nhrpd-r2.log"; then fail "the binding expired while in use"; fi
nexpect 2 $((HOLD + 3)) '[.interfaces[0].entries[] | select(.protocol == "10.0.0.3")] | length == 0' show ip nhrp
[ -z "$(neigh_lladdr 2 10.0.0.3)" ] || fail "r2 kept a neighbour entry for the expired 10.0.0.3"
grep -q "$expired" "$LAB_DIR/nhrpd-r2.log" || fail "the idle binding went without expiring"

step "hub nhrpd restarts: spokes registered again within their retry interval"
nhrpd_stop 1
nhrpd_start 1 "$LAB_DIR/r1.conf"
# Refresh every HOLD/3 s, then retries from 1 s: back well within HOLD.
nexpect 1 "$HOLD" '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 3' show ip nhrp

step "r4 vanishes: the hub drops it at its holding time"
nhrpd_stop 4
gone_at=$(date +%s)
nexpect 1 $((HOLD + 3)) '[.interfaces[0].entries[] | select(.protocol == "10.0.0.4")] | length == 0' show ip nhrp
[ $(($(date +%s) - gone_at)) -ge 3 ] || fail "r4 dropped before its holding time"
[ -z "$(neigh_lladdr 1 10.0.0.4)" ] || fail "hub kept a neighbour entry for 10.0.0.4"

step "another NBMA address claiming 10.0.0.2 is refused; r2 stays"
OVERLAY=10.0.0.2 nhrpd_conf 4 "$LAB_DIR/r4-claim.conf" "ip nhrp holdtime $HOLD" "$AUTH" \
	"ip nhrp nhs 10.0.0.1 nbma 192.0.2.1"
nhrpd_start 4 "$LAB_DIR/r4-claim.conf"
nexpect 4 10 '.interfaces[0].nhs[0].last_code == "unique-already-registered" and .interfaces[0].nhs[0].state == "down"' show ip nhrp nhs
nexpect 1 2 '.interfaces[0].entries[] | select(.protocol == "10.0.0.2") | .nbma == "192.0.2.2"' show ip nhrp
ping_ok 1 10.0.0.2 || fail "hub lost spoke 2"
nhrpd_stop 4
nhrpd_start 4 "$LAB_DIR/r4.conf"
nexpect 1 10 '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 3' show ip nhrp

step "a wrong NHRP password is dropped and counted; the password is never shown"
nhrpd_stop 4
nhrpd_conf 4 "$LAB_DIR/r4-badauth.conf" "ip nhrp holdtime $HOLD" "ip nhrp authentication wrong" \
	"ip nhrp nhs 10.0.0.1 nbma 192.0.2.1"
nhrpd_start 4 "$LAB_DIR/r4-badauth.conf"
nexpect 1 10 '.interfaces[0].dropped.authentication >= 2' show ip nhrp traffic
nexpect 4 2 '.interfaces[0].nhs[0].state != "up"' show ip nhrp nhs
for c in "show ip nhrp" "show ip nhrp nhs detail" "show dmvpn detail" "show ip nhrp traffic"; do
	# shellcheck disable=SC2086
	if "$CTL" -s "$(nhrpd_sock 1)" $c | grep -q s3cret; then fail "'$c' shows the password"; fi
done
if grep -q s3cret "$LAB_DIR"/nhrpd-r*.log; then fail "a log shows the password"; fi
nhrpd_stop 4
nhrpd_start 4 "$LAB_DIR/r4.conf"
nexpect 1 10 '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 3' show ip nhrp

step "an address nobody registered: negative answer, cached"
lab_r 2 ping -c 1 -W 1 10.0.0.77 >/dev/null 2>&1 && fail "10.0.0.77 answered"
nexpect 2 5 '.interfaces[0].entries[] | select(.protocol == "10.0.0.77") | .type == "negative"' show ip nhrp
[ -z "$(neigh_lladdr 2 10.0.0.77)" ] || fail "a neighbour entry for an unresolved address"

step "a multicast ping from the hub reaches every spoke"
lab_r 1 ping -c 3 -i 0.3 -w 4 -I tun0 224.0.0.1 >"$LAB_DIR/mping.txt" 2>&1 || true
for i in 2 3 4; do
	grep -q "from 10.0.0.$i:" "$LAB_DIR/mping.txt" || fail "spoke $i did not answer: $(cat "$LAB_DIR/mping.txt")"
done
nexpect 1 2 '.interfaces[0].multicast.replicated >= 9' show ip nhrp traffic

step "thousands of malformed NHRP packets at the hub"
lab_r 4 python3 "$REPO/tests/tools/nhrp_garbage.py" 192.0.2.1 42 3000
nexpect 1 10 '.interfaces[0].dropped.malformed >= 2500' show ip nhrp traffic
kill -0 "${NHRPD_PID[1]}" || fail "hub nhrpd died"
[ "$(nhrp_dynamic 1)" = "$(printf '10.0.0.2 192.0.2.2\n10.0.0.3 192.0.2.3\n10.0.0.4 192.0.2.4')" ] ||
	fail "hub cache after the flood: $(nhrp_dynamic 1)"
ping_ok 2 10.0.0.3 || fail "r2 cannot reach r3 after the flood"

for i in 4 3 2 1; do nhrpd_stop "$i"; done
for i in 4 3 2 1; do mgred_stop "$i"; done
echo "ok"
