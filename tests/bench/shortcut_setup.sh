#!/usr/bin/env bash
# Shortcut setup time (DMVPN phase 3): from the first packet of a new
# spoke-to-spoke flow until the shortcut route is in the spoke's kernel,
# for N flows (default 100), each to a different /24 behind spoke 3.
# Reference in the same run: the round trip between the spoke and the hub.
# The protocol needs about two and a half of them: the first packet to the
# hub, the Traffic Indication back, the Resolution Request to the hub and on
# to the egress spoke, its reply straight back.
#
#   hub r1 (ip nhrp redirect) -- spoke r2 (shortcut) -- spoke r3 (egress for 10.3.K.0/24)
#
# Not pass/fail: prints the figures and a BENCH_JSON line.
set -eu
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
FLOWS=${BENCH_SHORTCUT_FLOWS:-100}
export MGRED=${MGRED:-$PWD/build/release/mgred}
export NHRPD=${NHRPD:-$PWD/build/release/nhrpd}
export CTL=${CTL:-$PWD/build/release/dmvpnctl}
. tests/lab/lab.sh
. tests/integration/common.sh
. tests/lab/frr.sh
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

lab_init bsc
lab_create 3
HOLD=600
for i in 1 2 3; do
	mgred_conf "$i" "$LAB_DIR/r$i.mgred.conf" 42
	mgred_start "$i" "$LAB_DIR/r$i.mgred.conf"
	frr_start "$i" "${BENCH_SHORTCUT_ZEBRA_CONF:-}"
done
lab_r 1 sysctl -qw net.ipv4.ip_forward=1
nhrpd_conf 1 "$LAB_DIR/r1.conf" "ip nhrp holdtime $HOLD" "ip nhrp redirect"
for i in 2 3; do
	nhrpd_conf "$i" "$LAB_DIR/r$i.conf" "ip nhrp holdtime $HOLD" "ip nhrp shortcut" \
		"ip nhrp nhs 10.0.0.1 nbma 192.0.2.1"
	echo "nhrp zebra socket $(frr_zserv "$i")" >>"$LAB_DIR/r$i.conf"
done
for i in 1 2 3; do
	lab_spawn "$i" "nhrpd-r$i" "$NHRPD" -f "$LAB_DIR/r$i.conf" -s "$(nhrpd_sock "$i")" ${BENCH_SHORTCUT_DEBUG:+-d nhrp -d packet}
	NHRPD_PID[$i]=$LAB_PID
	lab_wait 10 "$CTL" -s "$(nhrpd_sock "$i")" show version || { log "nhrpd r$i did not start"; exit 1; }
done
nexpect 1 10 '[.interfaces[0].entries[] | select(.type == "dynamic")] | length == 2' show ip nhrp

# FLOWS destinations behind spoke 3, routed by the hub toward it and by
# spoke 2 toward the hub (as a summary from BGP would).
# (No dummy interfaces in every kernel: the LAN interface carries them.)
for k in $(seq 1 "$FLOWS"); do
	lab_r 3 ip addr add "10.3.$k.1/24" dev eth1
	echo "route add 10.3.$k.0/24 via 10.0.0.3 dev tun0"
done >"$LAB_DIR/hub-routes"
lab_r 1 ip -batch "$LAB_DIR/hub-routes"
lab_r 2 ip route add 10.3.0.0/16 via 10.0.0.1

log "reference: round trip spoke 2 -> hub, $FLOWS pings"
rtts=()
for k in $(seq 1 "$FLOWS"); do
	r=$(lab_r 2 ping -c 1 -W 1 -n 10.0.0.1 | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p')
	rtts+=("${r:-nan}")
done

log "shortcut setup for $FLOWS new flows"
lab_r 2 ip -ts monitor route >"$LAB_DIR/mon.txt" 2>&1 &
mon=$!
echo "$mon" >>"$LAB_DIR/pids"
lab_wait 5 test -e "$LAB_DIR/mon.txt"
# One sender process, so that t0 is the packet's own send time, not a
# process start: a UDP datagram to each destination, 100 ms apart, its
# send time printed; the monitor timestamps each route's arrival.
lab_r 2 python3 -c '
import socket, sys, time
n = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for k in range(1, n + 1):
    t = time.time()
    s.sendto(b"flow", ("10.3.%d.1" % k, 9))
    print(k, "%.6f" % t, flush=True)
    time.sleep(0.1)
' "$FLOWS" >"$LAB_DIR/sent.txt"
all_in() { [ "$(grep -c ' proto nhrp' "$LAB_DIR/mon.txt")" -ge "$FLOWS" ]; }
lab_wait 10 all_in || log "only $(grep -c ' proto nhrp' "$LAB_DIR/mon.txt") of $FLOWS shortcuts arrived"
setup=()
while read -r k t0; do
	ts=$(grep -m1 " 10.3.$k.0/24 .*proto nhrp" "$LAB_DIR/mon.txt" | sed -n 's/^\[\([^]]*\)\].*/\1/p')
	[ -n "$ts" ] || { setup+=(nan); continue; }
	t1=$(date -d "$ts" +%s.%N)
	setup+=("$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", (a - b) * 1000 }')")
done <"$LAB_DIR/sent.txt"
kill "$mon" 2>/dev/null || true

stats() { printf '%s\n' "$@" | grep -v nan | sort -g | awk '{v[NR]=$1} END {if (NR==0) {print "nan nan nan 0"; exit}
	m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.2f %.2f %.2f %d\n", m, v[NR], v[1], NR}'; }
read -r smed smax smin sn <<<"$(stats "${setup[@]}")"
read -r rmed rmax rmin rn <<<"$(stats "${rtts[@]}")"
installed_count=$(lab_r 2 ip route show proto nhrp | grep -c '^10\.3\.' || true)
printf '\n%-40s %8s %8s %8s %6s\n' "what (ms)" median worst best n
printf '%-40s %8s %8s %8s %6s\n' "shortcut setup (first packet -> kernel)" "$smed" "$smax" "$smin" "$sn"
printf '%-40s %8s %8s %8s %6s\n' "reference: ping RTT spoke -> hub" "$rmed" "$rmax" "$rmin" "$rn"
printf 'shortcut routes in spoke 2 kernel: %s of %s; target: median under 50 ms\n' "$installed_count" "$FLOWS"
printf 'BENCH_JSON {"bench":"shortcut_setup","flows":%s,"setup_ms":{"median":%s,"worst":%s,"best":%s,"n":%s},"hub_rtt_ms":{"median":%s,"worst":%s},"installed":%s}\n' \
	"$FLOWS" "$smed" "$smax" "$smin" "$sn" "$rmed" "$rmax" "$installed_count"
[ -n "${BENCH_SHORTCUT_DEBUG:-}" ] && cat "$LAB_DIR"/nhrpd-r*.log >&2
for i in 3 2 1; do frr_stop "$i"; done
