#!/usr/bin/env bash
# mgred's life cycle: two tunnels in one mgred work independently; SIGTERM
# removes the interfaces and the control socket and exits cleanly (ASan
# checks for leaks); a restart recreates them; SIGKILL leaves nothing either;
# a bad configuration is refused whole, with file:line reasons.
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
for want in ":4: usage: tunnel key" ":5: usage: ip address" ":6: usage: tunnel ttl" \
	":7: unknown interface command 'frobnicate'" ":9: interface tun1: 'tunnel source' is required"; do
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
