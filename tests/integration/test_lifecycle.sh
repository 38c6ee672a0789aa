#!/usr/bin/env bash
# mgred's life cycle: two tunnels in one mgred work independently; the
# configuration changes live (configure requests, SIGHUP) and show
# running-config gives it back; SIGTERM removes the interfaces and the
# control socket and exits cleanly (ASan checks for leaks); a restart
# recreates them; SIGKILL leaves nothing either; a bad configuration is
# refused whole, with file:line reasons.
#
#   r1 tun0 key 42 10.0.0.1 ==== r2 tun0 key 42 10.0.0.2
#   r1 tun1 key 43 10.0.1.1 ==== r2 tun1 key 43 10.0.1.2
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
need_root
lab_init dmi3
lab_create 2

two_tunnels() {
	local i=$1
	cat <<C
interface tun0
 tunnel mode gre multipoint
 tunnel source eth0
 tunnel key 42
 ip address 10.0.0.$i/24
!
interface tun1
 tunnel mode gre multipoint
 tunnel source $(lab_nbma "$i")
 tunnel key 43
 tunnel checksum
 ip address 10.0.1.$i/24
 ipv6 address fd00:1::$i/64
C
}

neighbours() {
	local i=$1 j=$2
	static_neigh "$i" "$j" tun0
	lab_r "$i" "$DP_PROBE" neigh tun1 "10.0.1.$j" "$(lab_nbma "$j")"
	lab_r "$i" "$DP_PROBE" neigh tun1 "fd00:1::$j" "$(lab_nbma "$j")"
}

tun_json() { mgred_json "$1" | jq ".interfaces[] | select(.name == \"$2\")"; }

for i in 1 2; do
	two_tunnels "$i" >"$LAB_DIR/r$i.conf"
	mgred_start "$i" "$LAB_DIR/r$i.conf"
done
neighbours 1 2
neighbours 2 1

step "two tunnels in one mgred, independently"
lab_r 1 ping -c 3 -i 0.2 -W 2 10.0.0.2 >/dev/null || fail "tun0 ping"
expect 1 '(.interfaces[] | select(.name == "tun0") | .counters.rx_packets) >= 3'
expect 1 '(.interfaces[] | select(.name == "tun1") | .counters.rx_packets) == 0'
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.1.2 >/dev/null || fail "tun1 ping (IPv4, GRE checksums)"
lab_r 1 ping -c 2 -i 0.2 -W 2 fd00:1::2 >/dev/null || fail "tun1 ping (IPv6 over the overlay)"
expect 1 '(.interfaces[] | select(.name == "tun1") | .counters.rx_packets) >= 4'
expect 1 '(.interfaces[] | select(.name == "tun1") | .checksum) == true'
expect 1 '(.interfaces[] | select(.name == "tun1") | .mtu) == 1468'
expect 1 '.interfaces[0].underlay.tunnels == 2'

# live SITE HEADER LINE: one line of `configure terminal` under HEADER
# (the block's line, or ""), as dmvpnsh sends it; prints the reply.
live() { "$CTL" -s "$(mgred_sock "$1")" "$(printf 'configure\n%s\n%s' "$2" "$3")"; }
# live_quiet SITE HEADER LINE: accepted and applied now (no restart notice).
live_quiet() {
	local out
	out=$(live "$@") || fail "'$2 / $3' refused: $out"
	[ -z "$out" ] || fail "'$2 / $3' not applied live: $out"
}
tun() { mgred_json "$1" | jq -e ".interfaces[] | select(.name == \"$2\") | $3" >/dev/null; }
expect_tun() { lab_wait 5 tun "$@" || fail "router $1 $2: expected $3; got: $(mgred_json "$1")"; }
running_config() { "$CTL" -s "$(mgred_sock "$1")" show running-config; }

step "show running-config gives the file back"
diff <(two_tunnels 1 && echo '!') <(running_config 1) || fail "running-config differs from the file"

step "configure-check changes nothing; other daemons' lines are not mgred's"
before=$(running_config 1)
"$CTL" -s "$(mgred_sock 1)" "$(printf 'configure-check\ninterface tun0\nmtu 1300')" >/dev/null ||
	fail "configure-check refused a good line"
"$CTL" -s "$(mgred_sock 1)" "$(printf 'configure-check\ninterface tun0\nmtu 1')" >/dev/null 2>&1 &&
	fail "configure-check accepted mtu 1"
expect_tun 1 tun0 '.mtu == 1472'
[ "$(running_config 1)" = "$before" ] || fail "configure-check changed the running-config"
out=$(live 1 "interface tun0" "ip nhrp holdtime 300" 2>&1) && fail "an nhrpd line accepted by mgred"
[ "$out" = "% not a mgred command: ip nhrp holdtime 300" ] || fail "reason: $out"
"$CTL" -s "$(mgred_sock 1)" show running-config secrets | diff - <(echo "$before") ||
	fail "secrets form differs (mgred has none)"
"$CTL" -s "$(mgred_sock 1)" debug gre packet >/dev/null || fail "debug gre packet refused"
"$CTL" -s "$(mgred_sock 1)" show debugging | grep -qx "debug packet" || fail "debug gre packet not on"
"$CTL" -s "$(mgred_sock 1)" no debug gre packet >/dev/null || fail "no debug gre packet refused"

step "live: description, mtu, addresses"
live_quiet 1 "interface tun0" "description live hub"
running_config 1 | grep -qx ' description live hub' || fail "description not kept"
live_quiet 1 "interface tun0" "mtu 1400"
expect_tun 1 tun0 '.mtu == 1400'
lab_r 1 ip link show tun0 | grep -q "mtu 1400 " || fail "tun0 mtu not set on the TAP"
live_quiet 1 "interface tun0" "no mtu"
expect_tun 1 tun0 '.mtu == 1472'
live_quiet 1 "interface tun0" "ipv6 address fd00:5::1/64"
lab_r 1 ip -6 addr show dev tun0 | grep -q "fd00:5::1/64" || fail "ipv6 address not added"
live_quiet 1 "interface tun0" "no ipv6 address fd00:5::1/64"
lab_r 1 ip -6 addr show dev tun0 | grep -q "fd00:5::1/64" && fail "ipv6 address not removed"
live_quiet 1 "interface tun0" "ip address 10.0.5.1/24"
lab_r 1 ip -4 addr show dev tun0 | grep -q "10.0.0.1/24" && fail "old ip address still on tun0"
lab_r 1 ip -4 addr show dev tun0 | grep -q "10.0.5.1/24" || fail "new ip address not on tun0"
live_quiet 1 "interface tun0" "ip address 10.0.0.1/24"
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null || fail "tun0 ping after address changes"

step "live: a refused line changes nothing"
before=$(running_config 1)
live 1 "interface tun0" "tunnel ttl 300" >/dev/null 2>&1 && fail "ttl 300 accepted"
out=$(live 1 "interface tun1" "no ipv6 address fd00:9::1/64" 2>&1) && fail "removal of a missing address accepted"
[ "$out" = "% ipv6 address fd00:9::1/64 is not configured on tun1" ] || fail "reason: $out"
live 1 "" "interface tun2" >/dev/null || fail "interface tun2 refused"
live 1 "interface tun2" "tunnel key 42" >/dev/null || fail "tun2 key refused"
live 1 "interface tun2" "tunnel source eth0" >/dev/null || fail "tun2 source refused"
out=$(live 1 "interface tun2" "tunnel mode gre multipoint" 2>&1) && fail "tun0's source and key accepted for tun2"
[ "$out" = "% interface tun2: same tunnel source and key as tun0 (line 1)" ] || fail "reason: $out"
lab_r 1 ip link show tun2 >/dev/null 2>&1 && fail "a refused tun2 was created"
live 1 "" "no interface tun2" >/dev/null || fail "no interface tun2 refused"
[ "$(running_config 1)" = "$before" ] || fail "running-config changed: $(running_config 1)"

step "live: tunnel ttl of a shared underlay applies once every tunnel on it agrees"
out=$(live 1 "interface tun0" "tunnel ttl 10") || fail "ttl refused: $out"
[[ "$out" == "% mgred: restart mgred to apply: tunnel ttl 10 on tun0 "* ]] || fail "no notice: $out"
expect_tun 1 tun0 '.ttl == 64'
live_quiet 1 "interface tun1" "tunnel ttl 10"
expect_tun 1 tun0 '.ttl == 10'
expect_tun 1 tun1 '.ttl == 10'

step "live: tunnel key and checksum, on both ends"
live_quiet 1 "interface tun1" "tunnel key 44"
expect_tun 1 tun1 '.key == 44'
lab_r 1 ping -c 2 -i 0.2 -W 1 10.0.1.2 >/dev/null 2>&1 && fail "tun1 ping across mismatched keys"
live_quiet 2 "interface tun1" "tunnel key 44"
live_quiet 1 "interface tun1" "no tunnel checksum"
live_quiet 2 "interface tun1" "no tunnel checksum"
expect_tun 1 tun1 '.checksum == false and .mtu == 1472'
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.1.2 >/dev/null || fail "tun1 ping after the key change"

step "live: a new tunnel, typed line by line, is created once complete; and deleted"
live_quiet 1 "" "interface tun2"
live_quiet 1 "interface tun2" "tunnel mode gre multipoint"
live_quiet 1 "interface tun2" "tunnel ttl 10"
live_quiet 1 "interface tun2" "tunnel key 45"
lab_r 1 ip link show tun2 >/dev/null 2>&1 && fail "tun2 created before its source"
live_quiet 1 "interface tun2" "tunnel source eth0"
live_quiet 1 "interface tun2" "ip address 10.0.2.1/24"
expect_tun 1 tun2 '.key == 45'
lab_r 1 ip -4 addr show dev tun2 | grep -q "10.0.2.1/24" || fail "tun2 has no address"
live_quiet 1 "" "no interface tun2"
lab_r 1 ip link show tun2 >/dev/null 2>&1 && fail "tun2 survived no interface"
expect 1 '[.interfaces[] | select(.name == "tun2")] | length == 0'

live_quiet 1 "" "interface tun3"
live_quiet 1 "interface tun3" "tunnel mode gre multipoint"
out=$(live 1 "interface tun3" "tunnel source eth9") || fail "tun3 refused: $out"
[[ "$out" == "% mgred: restart mgred to apply: interface tun3 "* ]] || fail "no notice for tun3: $out"
running_config 1 | grep -qx ' tunnel source eth9' || fail "tun3 not kept in the configuration"
live_quiet 1 "" "no interface tun3"

step "live: tunnel source and data plane changes recreate the tunnel"
idx=$(mgred_json 1 | jq '.interfaces[] | select(.name == "tun0") | .ifindex')
live_quiet 1 "interface tun0" "tunnel source 192.0.2.1"
expect_tun 1 tun0 ".ifindex != $idx and .source_interface == \"\""
live_quiet 1 "interface tun1" "tunnel dataplane kernel"
lab_r 1 ip link show tun1 >/dev/null 2>&1 && fail "tun1 still run by mgred with the kernel data plane"
running_config 1 | grep -qx ' tunnel dataplane kernel' || fail "kernel block not kept"
live_quiet 1 "interface tun1" "tunnel dataplane userspace"
lab_r 1 ip link show tun1 >/dev/null || fail "tun1 not recreated"
expect_tun 1 tun1 '.ttl == 10 and .key == 44'
neighbours 1 2
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null || fail "tun0 ping after it was recreated"
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.1.2 >/dev/null || fail "tun1 ping after it was recreated"

step "SIGHUP: the file again (errors keep what runs)"
echo "interface tun0" >"$LAB_DIR/r1.bad"
echo " mtu 1" >>"$LAB_DIR/r1.bad"
cp "$LAB_DIR/r1.conf" "$LAB_DIR/r1.good"
cp "$LAB_DIR/r1.bad" "$LAB_DIR/r1.conf"
kill -HUP "${MGRED_PID[1]}"
lab_wait 5 grep -q "r1.conf has errors" "$LAB_DIR/mgred-r1.log" || fail "no error logged for a bad file"
expect_tun 1 tun1 '.key == 44'
cp "$LAB_DIR/r1.good" "$LAB_DIR/r1.conf"
kill -HUP "${MGRED_PID[1]}"
expect_tun 1 tun1 '.key == 43 and .checksum == true and .ttl == 64'
expect_tun 1 tun0 '.mtu == 1472 and .source_interface == "eth0"'
diff <(two_tunnels 1 && echo '!') <(running_config 1) || fail "running-config after SIGHUP differs"
live_quiet 2 "interface tun1" "tunnel key 43"
live_quiet 2 "interface tun1" "tunnel checksum"
neighbours 1 2
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.1.2 >/dev/null || fail "tun1 ping after SIGHUP"

step "SIGTERM removes the interfaces and the socket, and exits cleanly"
mgred_stop 1
lab_r 1 ip link show tun0 >/dev/null 2>&1 && fail "tun0 survived mgred"
lab_r 1 ip link show tun1 >/dev/null 2>&1 && fail "tun1 survived mgred"
[ -e "$(mgred_sock 1)" ] && fail "control socket survived mgred"

step "a restart recreates both"
mgred_start 1 "$LAB_DIR/r1.conf"
lab_r 1 ip link show tun0 >/dev/null || fail "tun0 not recreated"
neighbours 1 2
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null || fail "tun0 ping after restart"
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.1.2 >/dev/null || fail "tun1 ping after restart"

step "SIGKILL leaves no interface behind either"
kill -KILL "${MGRED_PID[1]}"
lab_wait 5 lab_proc_gone "${MGRED_PID[1]}"
wait "${MGRED_PID[1]}" 2>/dev/null || true
unset "MGRED_PID[1]"
lab_wait 5 sh -c "! ip netns exec $(lab_ns_router 1) ip link show tun0 2>/dev/null" ||
	fail "tun0 survived SIGKILL"

step "a bad configuration is refused whole, with file:line reasons"
cat >"$LAB_DIR/bad.conf" <<C
interface tun0
 tunnel mode gre multipoint
 tunnel source eth0
 tunnel key 99999999999
 ip address 10.0.0.1/33
 tunnel ttl 0
 frobnicate on
!
interface tun1
 tunnel mode gre multipoint
 ip address 10.0.1.1/24
C
if lab_r 1 "$MGRED" -n -f "$LAB_DIR/bad.conf" 2>"$LAB_DIR/bad.err"; then
	fail "mgred -n accepted a bad configuration"
fi
for want in ":4: Invalid input at '99999999999'" ":5: Invalid input at '10.0.0.1/33'" \
	":6: Invalid input at '0'" ":7: Unknown command: frobnicate" \
	":9: interface tun1: 'tunnel source' is required"; do
	grep -qF "bad.conf$want" "$LAB_DIR/bad.err" || fail "missing error '$want' in: $(cat "$LAB_DIR/bad.err")"
done
lab_r 1 "$MGRED" -n -f "$LAB_DIR/r1.conf" >/dev/null || fail "mgred -n refused a good configuration"

# The second tunnel cannot come up (no such underlay device): nothing stays.
sed 's/tunnel source 192.0.2.1/tunnel source eth9/' "$LAB_DIR/r1.conf" >"$LAB_DIR/half.conf"
if lab_r 1 "$MGRED" -f "$LAB_DIR/half.conf" -s "$LAB_DIR/half.sock" 2>"$LAB_DIR/half.err"; then
	fail "mgred started with a tunnel it could not create"
fi
grep -q "eth9: no such interface" "$LAB_DIR/half.err" || fail "no reason given: $(cat "$LAB_DIR/half.err")"
lab_r 1 ip link show tun0 >/dev/null 2>&1 && fail "tun0 left behind by a failed start"
grep -q Sanitizer "$LAB_DIR/half.err" && fail "sanitizer report on a failed start: $(cat "$LAB_DIR/half.err")"

mgred_stop 2
echo "ok"
