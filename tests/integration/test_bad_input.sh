#!/usr/bin/env bash
# Hostile and mistaken GRE is dropped and counted, never crashes mgred, and
# leaves working paths alone:
#   - a spoke configured with the wrong key (43) cannot reach the hub (42);
#   - crafted packets: bad version, reserved bits, truncated headers, bad
#     checksum, no key, wrong key, unknown payload protocol, random bytes.
#
#   r1 (key 42) ==== r2 (key 42)          r3 (key 43, wrong) ---> r1
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
need_root
lab_init dmi2
lab_create 3

mgred_conf 1 "$LAB_DIR/r1.conf" 42
mgred_conf 2 "$LAB_DIR/r2.conf" 42
mgred_conf 3 "$LAB_DIR/r3.conf" 43
for i in 1 2 3; do mgred_start "$i" "$LAB_DIR/r$i.conf"; done
static_neigh 1 2
static_neigh 2 1
static_neigh 1 3
static_neigh 3 1
lab_r 1 ping -c 1 -W 2 10.0.0.2 >/dev/null || fail "baseline ping r1 -> r2"

step "wrong key: r3 (key 43) cannot reach r1 (key 42), and r1 counts it"
if lab_r 3 ping -c 3 -i 0.2 -W 1 10.0.0.1 >/dev/null 2>&1; then
	fail "a spoke with the wrong key got through"
fi
expect 1 '.interfaces[0].underlay.drops.rx_wrong_key >= 3'
expect 1 '[.interfaces[0].peers[] | select(.nbma == "192.0.2.3" and .rx_packets > 0)] | length == 0'
expect 3 '.interfaces[0].counters.tx_packets >= 3 and .interfaces[0].counters.rx_packets == 0'

step "crafted GRE from r3's underlay address"
lab_r 3 python3 - <<'PY'
import os, socket, random
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
dst = ("192.0.2.1", 0)
inner = bytes.fromhex("4500001c0000400040010000" "0a0000030a000001" "0800f7ff00000000")
def send(b, n=1):
    for _ in range(n):
        s.sendto(b, dst)
send(bytes.fromhex("00010800") + inner, 2)          # version 1
send(bytes.fromhex("00070800") + inner, 1)          # version 7
send(bytes.fromhex("40000800") + inner, 2)          # bit 1: routing present
send(bytes.fromhex("08000800") + inner, 1)          # bit 4: strict source route
send(bytes.fromhex("04000800") + inner, 1)          # bit 5: recursion
send(bytes.fromhex("200008"), 1)                    # shorter than 4 bytes
send(bytes.fromhex("20000800000000"), 2)            # key flag, key cut short
send(bytes.fromhex("300008000000002a0000"), 1)      # sequence cut short
send(bytes.fromhex("a00008001234000000000 02a".replace(" ", "")) + inner, 3)  # bad checksum
send(bytes.fromhex("00000800") + inner, 2)          # no key at all
send(bytes.fromhex("200008000000002b") + inner, 2)  # key 43
send(bytes.fromhex("200012340000002a") + inner, 4)  # key 42, protocol 0x1234
random.seed(7)
for _ in range(2000):                               # random junk
    send(os.urandom(random.randint(0, 200)))
PY
expect 1 '.interfaces[0].underlay.drops.rx_bad_version >= 3'
expect 1 '.interfaces[0].underlay.drops.rx_reserved >= 4'
expect 1 '.interfaces[0].underlay.drops.rx_truncated >= 4'
expect 1 '.interfaces[0].underlay.drops.rx_bad_checksum >= 3'
expect 1 '.interfaces[0].underlay.drops.rx_wrong_key >= 3 + 4'
expect 1 '.interfaces[0].counters.drops.rx_proto >= 4'

step "r1 survived and the good path still works both ways"
lab_r 1 ping -c 2 -i 0.2 -W 2 10.0.0.2 >/dev/null || fail "r1 -> r2 broken after bad input"
lab_r 2 ping -c 2 -i 0.2 -W 2 10.0.0.1 >/dev/null || fail "r2 -> r1 broken after bad input"

step "frames the overlay must not send: ARP, unmapped next hop"
# A neighbour whose lladdr encodes no NBMA address: dropped as unmapped.
lab_r 1 ip neigh replace 10.0.0.9 lladdr 00:11:22:33:44:55 dev tun0 nud permanent
lab_r 1 ping -c 2 -i 0.2 -W 1 10.0.0.9 >/dev/null 2>&1 || true
expect 1 '.interfaces[0].counters.drops.tx_unmapped >= 2'
step "a missing neighbour becomes an application solicitation, not ARP"
lab_r 1 ip monitor neigh >"$LAB_DIR/neigh.log" 2>&1 &
mon=$!
echo "$mon" >>"$LAB_DIR/pids"
lab_wait 5 test -e "$LAB_DIR/neigh.log"
for _ in 1 2 3 4 5; do
	lab_r 1 ping -c 1 -W 1 10.0.0.77 >/dev/null 2>&1 || true
	lab_wait 1 grep -q "miss" "$LAB_DIR/neigh.log" && break
done
kill "$mon"
grep -q "miss 10.0.0.77 dev tun0" "$LAB_DIR/neigh.log" ||
	fail "no neighbour miss for userspace: $(cat "$LAB_DIR/neigh.log")"
expect 1 '.interfaces[0].counters.drops.tx_arp == 0'
[ "$(lab_r 1 cat /proc/sys/net/ipv4/neigh/tun0/app_solicit)" = 1 ] || fail "app_solicit not set"
[ "$(lab_r 1 cat /proc/sys/net/ipv4/neigh/tun0/mcast_solicit)" = 0 ] || fail "mcast_solicit not 0"

for i in 1 2 3; do mgred_stop "$i"; done
echo "ok"
