#!/usr/bin/env bash
# NHRP registration load: N spokes, each with its own NBMA address, register
# with one hub at once. build/release/nhrp_loadgen plays the spokes from
# router 2's namespace; their NBMA addresses (198.18.0.0/15) are routed to
# router 2, which takes them as local, so the hub's replies reach the
# generator's raw socket:
#
#     bnr-r1 (hub)                                 bnr-r2 (the spokes)
#   +--------------------------+                 +---------------------------+
#   | nhrpd  <- tun0 (TAP) ->  |                 | nhrp_loadgen              |
#   | mgred  10.0.0.1/8        |   bnr-ul br0    | spoke i: NBMA 198.18.0.0  |
#   |   eth0 192.0.2.1 ------------------------------ eth0 192.0.2.2 + 1 + i, |
#   | route 198.18.0.0/15      |  192.0.2.0/24   | overlay 10.64.0.0 + 1 + i |
#   |   via 192.0.2.2          |                 | local 198.18.0.0/15 dev lo|
#   +--------------------------+                 +---------------------------+
#
# For each N, two hubs in turn, each on a fresh start:
#
#   echo   nhrp_loadgen --echo on router 1: answers every registration
#          statelessly with the reply a hub would send (same codec, no cache,
#          no neighbour table, no mgred hop). What the underlay and the tool
#          can do: the reference.
#   nhrpd  mgred + nhrpd on router 1 (GRE key 42, hub config below)
#
# The reference the project standard asks for would be FRR's nhrpd, but
# FRR 8.4's nhrpd drives a kernel ip_gre device; the script probes for one
# and reports why FRR is not measured (this machine's kernel has no GRE).
#
# A benchmark, not a test: figures and whether they meet the targets
# (10,000 spokes registered within 2 s; at most 1 KiB of nhrpd memory per
# registered spoke); it exits 0 unless the lab cannot be built. Every
# namespace and process is removed at exit.
#
# Environment:
#   BENCH_NHRP_SPOKES="1000 10000"  spoke counts
#   BENCH_NHRP_RUNS=3               runs per count and hub (median reported)
#   BENCH_NHRP_WINDOW=256           requests outstanding at most
#   BENCH_NHRP_RETRY_MS=1000        resend an unanswered request after
#   BENCH_NHRP_DEADLINE=30          seconds a run may take
#   BENCH_NHRP_HUBS="echo nhrpd"    which hubs, in which order
#   BENCH_NHRP_HUB_IPV6=0           1: leave IPv6 on the hub's tun0 (see below)
#   MGRED, NHRPD, DMVPNCTL, LOADGEN binaries (default build/release/...)
#
# Output: a table on stdout and a final line `BENCH_JSON {...}`; progress on
# stderr. Run as root: `make bench-nhrp` or `sudo tests/bench/nhrp_register.sh`.
# Functions below are called indirectly (lab_wait CMD, start_$hub):
# shellcheck disable=SC2317
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO" || exit 1
# shellcheck source=SCRIPTDIR/../lab/lab.sh
. "$REPO/tests/lab/lab.sh"

SPOKES=${BENCH_NHRP_SPOKES:-1000 10000}
RUNS=${BENCH_NHRP_RUNS:-3}
WINDOW=${BENCH_NHRP_WINDOW:-256}
RETRY_MS=${BENCH_NHRP_RETRY_MS:-1000}
DEADLINE=${BENCH_NHRP_DEADLINE:-30}
HUBS=${BENCH_NHRP_HUBS:-echo nhrpd}
HUB_IPV6=${BENCH_NHRP_HUB_IPV6:-0}
MGRED=${MGRED:-$REPO/build/release/mgred}
NHRPD=${NHRPD:-$REPO/build/release/nhrpd}
DMVPNCTL=${DMVPNCTL:-$REPO/build/release/dmvpnctl}
LOADGEN=${LOADGEN:-$REPO/build/release/nhrp_loadgen}
NAME=bnr
KEY=42
HUB_NBMA=192.0.2.1
HUB_PROTO=10.0.0.1
SPOKE_NBMA_NET=198.18.0.0/15
SPOKE_NBMA_BASE=198.18.0.0
SPOKE_PROTO_BASE=10.64.0.0
TARGET_N=10000
TARGET_SECS=2
TARGET_BYTES=1024

die() {
	echo "nhrp_register.sh: $*" >&2
	exit 1
}
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

posint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
for n in $SPOKES; do
	if ! posint "$n" || [ "$n" -gt 131070 ]; then
		die "BENCH_NHRP_SPOKES: '$n' is not a count of 1-131070"
	fi
done
posint "$RUNS" || die "BENCH_NHRP_RUNS must be a positive integer"
posint "$WINDOW" || die "BENCH_NHRP_WINDOW must be a positive integer"
posint "$RETRY_MS" || die "BENCH_NHRP_RETRY_MS must be a positive integer"
posint "$DEADLINE" || die "BENCH_NHRP_DEADLINE must be a positive integer"
[[ $HUB_IPV6 == [01] ]] || die "BENCH_NHRP_HUB_IPV6 must be 0 or 1"
for h in $HUBS; do
	[[ $h == echo || $h == nhrpd ]] || die "BENCH_NHRP_HUBS: unknown hub '$h' (echo, nhrpd)"
done
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
for c in ip jq awk ping; do
	command -v "$c" >/dev/null || die "missing $c (make bench installs the bench dependencies)"
done
for b in "$LOADGEN" "$MGRED" "$NHRPD" "$DMVPNCTL"; do
	[ -x "$b" ] || die "no $b (make all build/release/nhrp_loadgen)"
done
# lab_destroy removes every ${NAME}-* namespace: never start on top of a
# running (or crashed) bench.
if ip netns list | awk '{print $1}' | grep -q "^${NAME}-"; then
	die "namespaces ${NAME}-* already exist (another bench running, or a stale one: ip netns del ...)"
fi

# ---------------------------------------------------------------- helpers

# Stop a process started with lab_spawn and forget it, so that lab_destroy
# never signals a recycled pid.
bench_stop() {
	local pid=$1
	[ -n "$pid" ] || return 0
	lab_stop "$pid"
	sed -i "/^${pid}\$/d" "$LAB_DIR/pids"
}

# VmRSS (or another /proc/PID/status field) in KiB.
proc_kib() {
	awk -v k="$2:" '$1 == k { print $2; found = 1 } END { if (!found) exit 1 }' "/proc/$1/status"
}

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

nums() { local v; for v in $1; do [[ $v =~ ^[0-9.]+$ ]] && echo "$v"; done; }
med() { # med "list": median of the numbers in a list, or empty
	local a
	mapfile -t a < <(nums "$1")
	[ "${#a[@]}" -gt 0 ] && median "${a[@]}"
	return 0
}

ctl() { "$DMVPNCTL" -s "$LAB_DIR/$1.sock" "${@:2}"; }

hub_conf() {
	cat >"$LAB_DIR/hub.conf" <<-C
		interface tun0
		 tunnel mode gre multipoint
		 tunnel source eth0
		 tunnel key $KEY
		 tunnel dataplane userspace
		 ip address $HUB_PROTO/8
		 ip nhrp network-id 1
		 ip nhrp holdtime 600
		 ip nhrp map multicast dynamic
	C
}

nhrpd_attached() {
	ctl nhrpd show ip nhrp json | jq -e '.interfaces[0].entries | any(.type == "local")'
}

tun0_gone() { ! lab_r 1 ip link show tun0; }

# Packets dropped on router 1, as JSON: at nhrpd's NHRP socket (packet
# socket, ethertype 0x2001 = [8193]) and its other packet sockets
# (multicast), at the raw GRE sockets (mgred's, echo's) when their receive
# buffers are full, and on tun0's way to mgred (TX: the TAP queue is full
# when mgred does not read fast enough). tun0 is new in every run.
hub_drops() {
	local pkt raw tun n o
	# shellcheck disable=SC2016
	pkt=$(lab_r 1 ss -0 -a -m -n | awk '
		/^p_/ && match($0, /,d[0-9]+\)/) {
			d = substr($0, RSTART + 2, RLENGTH - 3)
			if ($5 ~ /^\[8193\]:/) nhrp += d; else other += d
		}
		END { printf "%d %d", nhrp, other }')
	# shellcheck disable=SC2016
	raw=$(lab_r 1 awk 'FNR > 1 { d += $NF } END { print d + 0 }' /proc/net/raw)
	tun=$(lab_r 1 ip -s -j link show tun0 2>/dev/null | jq '.[0].stats64.tx.dropped // 0' 2>/dev/null)
	read -r n o <<<"$pkt"
	echo "{\"nhrp_socket\":${n:-0},\"other_packet_sockets\":${o:-0},\"raw_gre\":${raw:-0},\"tun0_tx\":${tun:-0}}"
}

# ------------------------------------------------------------ the hubs
# start_HUB starts it on router 1 and sets HUB_PID (the process whose
# memory is measured, or empty) and PIDS (all it started); stop_hub ends
# them.

HUB_PID="" PIDS=()

start_echo() {
	rm -f "$LAB_DIR/echo.log"
	lab_spawn 1 echo "$LOADGEN" --echo -H "$HUB_NBMA" -P "$HUB_PROTO" -k "$KEY"
	HUB_PID="" PIDS=("$LAB_PID")
	lab_wait 5 grep -q answering "$LAB_DIR/echo.log"
}

start_nhrpd() {
	local m
	rm -f "$LAB_DIR/mgred.sock" "$LAB_DIR/nhrpd.sock"
	lab_spawn 1 mgred "$MGRED" -f "$LAB_DIR/hub.conf" -s "$LAB_DIR/mgred.sock"
	m=$LAB_PID
	PIDS=("$m")
	lab_wait 10 ctl mgred show version || return 1
	lab_wait 5 lab_r 1 ip link show tun0 || return 1
	lab_spawn 1 nhrpd "$NHRPD" -f "$LAB_DIR/hub.conf" -s "$LAB_DIR/nhrpd.sock"
	HUB_PID=$LAB_PID
	PIDS+=("$HUB_PID")
	lab_wait 10 ctl nhrpd show version || return 1
	lab_wait 10 nhrpd_attached
}

stop_hub() {
	local i
	# nhrpd before mgred: it removes its neighbour entries from tun0.
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do bench_stop "${PIDS[i]}"; done
	PIDS=() HUB_PID=""
	lab_wait 5 tun0_gone || log "tun0 still present on router 1"
}

# ------------------------------------------------------------ measuring

declare -A TALL RATE RESENT BPS DYN DYNSTAR NEIGH DROPS MCAST RUNJSON

# One run: a fresh hub, N spokes. Fills the per-run lists of hub/N.
one_run() {
	local hub=$1 n=$2 r=$3 k="$1/$2" out="$LAB_DIR/loadgen-$1-$2-$3"
	local rss0="" rss1="" hwm="" lg bps=null dyn=null neigh=null traffic=null warn=0 drops
	local dyn_src=show_ip_nhrp_json
	if ! "start_$hub"; then
		log "$hub: did not start"
		tail -n 5 "$LAB_DIR"/{mgred,nhrpd,echo}.log 2>/dev/null >&2
		stop_hub
		TALL[$k]+="fail " RATE[$k]+="fail " RESENT[$k]+="fail " BPS[$k]+="fail "
		DYN[$k]+="fail " NEIGH[$k]+="fail " DROPS[$k]+="fail " MCAST[$k]+="fail "
		RUNJSON[$k]+='{"status":"hub did not start"} '
		return 1
	fi
	[ -n "$HUB_PID" ] && rss0=$(proc_kib "$HUB_PID" VmRSS)
	lab_r 2 "$LOADGEN" -H "$HUB_NBMA" -P "$HUB_PROTO" -k "$KEY" -n "$n" -w "$WINDOW" \
		-r "$RETRY_MS" -d "$DEADLINE" -s "$SPOKE_NBMA_BASE" -o "$SPOKE_PROTO_BASE" \
		>"$out.json" 2>"$out.log"
	# Memory first: the show commands below allocate their output.
	if [ -n "$HUB_PID" ]; then
		rss1=$(proc_kib "$HUB_PID" VmRSS)
		hwm=$(proc_kib "$HUB_PID" VmHWM)
	fi
	lg=$(sed -n 's/^LOADGEN_JSON //p' "$out.json")
	if [ -z "$lg" ] || ! jq -e . >/dev/null 2>&1 <<<"$lg"; then
		log "$hub n=$n run $r: the load generator gave no result: $(tail -n 3 "$out.log")"
		lg='{"status":"no result"}'
	fi
	sed 's/^/    /' "$out.log" >&2
	drops=$(hub_drops)
	if [ "$hub" = nhrpd ]; then
		local reg
		reg=$(jq -r '.registered // 0' <<<"$lg")
		[ "$reg" -gt 0 ] && [ -n "$rss0" ] && [ -n "$rss1" ] && bps=$(((rss1 - rss0) * 1024 / reg))
		# The cache as nhrpd shows it. The control socket cuts a reply at
		# 1 MiB (CTL_FRAME_MAX_PAYLOAD), which the JSON of some 5,000
		# entries exceeds: then the peer count of the (shorter) text of
		# `show dmvpn`, which here, one spoke per NBMA address and no other
		# peer, is the number of dynamic entries; marked with a '*'.
		if ctl nhrpd show ip nhrp json >"$out.cache.json" 2>&1 && jq -e . "$out.cache.json" >/dev/null 2>&1; then
			dyn=$(jq '[.interfaces[].entries[] | select(.type == "dynamic")] | length' "$out.cache.json")
		else
			dyn_src=show_dmvpn
			log "show ip nhrp json: not JSON ($(wc -c <"$out.cache.json") bytes: cut at 1 MiB); counting 'show dmvpn' peers"
			dyn=$(ctl nhrpd show dmvpn | sed -n 's/.*NHRP Peers:\([0-9]*\).*/\1/p' | head -n 1)
			[ -n "$dyn" ] || dyn=null
		fi
		neigh=$(lab_r 1 ip neigh show dev tun0 | grep -c lladdr)
		traffic=$(ctl nhrpd show ip nhrp traffic json 2>/dev/null | jq -c '.interfaces[0] | {sent, received, dropped, multicast}' 2>/dev/null) || traffic=null
		[ -n "$traffic" ] || traffic=null
		warn=$(grep -c 'not installed' "$LAB_DIR/nhrpd.log")
		[ "$warn" -gt 0 ] && log "nhrpd: $warn neighbour entries not installed: $(grep -m1 'not installed' "$LAB_DIR/nhrpd.log")"
	fi
	stop_hub
	TALL[$k]+="$(jq -r '.all_registered_s // "fail"' <<<"$lg") "
	RATE[$k]+="$(jq -r '.rate_per_s // "fail"' <<<"$lg") "
	RESENT[$k]+="$(jq -r '.resent // "fail"' <<<"$lg") "
	MCAST[$k]+="$(jq -r '.other_gre // "fail"' <<<"$lg") "
	DROPS[$k]+="$(jq -r '[.[]] | add' <<<"$drops") "
	BPS[$k]+="${bps/null/-} " DYN[$k]+="${dyn/null/-} " NEIGH[$k]+="${neigh/null/-} "
	[ "$dyn_src" = show_dmvpn ] && DYNSTAR[$k]="*"
	RUNJSON[$k]+="$(jq -c --argjson rss0 "${rss0:-null}" --argjson rss1 "${rss1:-null}" \
		--argjson hwm "${hwm:-null}" --argjson bps "$bps" --argjson dyn "$dyn" \
		--argjson neigh "$neigh" --argjson traffic "$traffic" --argjson warn "$warn" \
		--argjson drops "$drops" --arg dyn_src "$dyn_src" \
		'{loadgen: ., hub_rss_kib_before: $rss0, hub_rss_kib_after: $rss1, hub_hwm_kib: $hwm,
		  hub_bytes_per_spoke: $bps, dynamic_entries: $dyn, dynamic_entries_from: $dyn_src,
		  tun0_neighbours: $neigh,
		  neighbours_not_installed: $warn, hub_socket_drops: $drops, nhrpd_traffic: $traffic}' <<<"$lg") "
	log "$hub n=$n run $r: all registered in $(jq -r '.all_registered_s // "-"' <<<"$lg") s, $(jq -r '.rate_per_s // "-"' <<<"$lg")/s, ${bps/null/-} B/spoke, ${dyn/null/-} dynamic, ${neigh/null/-} neighbours"
}

# FRR's nhrpd needs a kernel GRE device (it reads the NBMA address and
# sends NHRP through one): probe for it in router 1's namespace.
frr_reference() {
	local err
	if ! command -v /usr/lib/frr/nhrpd >/dev/null; then
		echo "FRR nhrpd is not installed"
		return
	fi
	if err=$(lab_r 1 ip link add frrgre type gre key "$KEY" local "$HUB_NBMA" 2>&1); then
		lab_r 1 ip link del frrgre
		echo "this kernel has ip_gre, but an FRR hub is not scripted yet"
	else
		echo "FRR 8.4's nhrpd needs a kernel ip_gre device, and this kernel has none ('ip link add type gre': ${err:-failed})"
	fi
}

# --------------------------------------------------------------- the run

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
lab_init "$NAME"
lab_create 2 || die "could not build the lab"
lab_r 2 ip route add local "$SPOKE_NBMA_NET" dev lo || die "local route on router 2"
lab_r 1 ip route add "$SPOKE_NBMA_NET" via "$(lab_nbma 2)" || die "route on router 1"
# IPv6 on tun0 (link-local address, DAD, router and MLD solicitations
# for some seconds after it comes up) is multicast, which nhrpd replicates
# to every registered spoke (ip nhrp map multicast dynamic): thousands of
# packets in the middle of the run, whose timing decides whether they
# collide with the registrations. Off unless asked for: the figures are
# those of registration alone.
if [ "$HUB_IPV6" = 0 ]; then
	lab_r 1 sysctl -qw net.ipv6.conf.default.disable_ipv6=1 || die "cannot disable IPv6 on router 1"
fi
# ARP both ways before anything is timed.
lab_wait 5 lab_r 2 ping -c 1 -W 1 "$HUB_NBMA" || die "underlay does not answer"
hub_conf
FRR_NOTE=$(frr_reference)
log "spokes: $SPOKES; hubs: $HUBS; runs=$RUNS window=$WINDOW retry=${RETRY_MS}ms (load average $LOAD_START)"
log "FRR reference: $FRR_NOTE"
for n in $SPOKES; do
	for hub in $HUBS; do
		for ((r = 1; r <= RUNS; r++)); do
			one_run "$hub" "$n" "$r"
		done
	done
done

# ------------------------------------------------------------ reporting

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
fmt() { # fmt FORMAT VALUE: printf, or "-" for an empty value
	# shellcheck disable=SC2059 # the format is the caller's constant
	if [ -n "$2" ]; then printf "$1" "$2"; else echo -; fi
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b }'; }
complete() { # complete "list": runs in which every spoke registered, "k/n"
	local v c=0 t=0
	for v in $1; do
		t=$((t + 1))
		[[ $v =~ ^[0-9.]+$ ]] && c=$((c + 1))
	done
	echo "$c/$t"
}

echo
echo "NHRP registration load: N spokes, one NBMA address each, register at once with one hub"
echo "(window $WINDOW outstanding, resend after $RETRY_MS ms; medians of $RUNS runs, each on a fresh hub;"
echo " complete = runs in which every spoke registered; all reg. s = first request to last reply;"
echo " resent = requests resent after $RETRY_MS ms unanswered; drops = packets dropped on the hub"
echo " (full socket buffers, tun0's TX queue); mcast = GRE packets other than NHRP the spokes got;"
echo " B/spoke = hub nhrpd VmRSS after - before, per registered spoke; dynamic = dynamic entries"
echo " in 'show ip nhrp json' (* from 'show dmvpn': the JSON was cut at 1 MiB); neigh = tun0"
echo " neighbour entries in the hub's kernel; hub tun0 IPv6 $([ "$HUB_IPV6" = 1 ] && echo on || echo off))"
echo "$(nproc) CPUs, load average at start $LOAD_START, at end $LOAD_END"
echo
row() { printf '%-6s %6s %8s %10s %8s %7s %6s %6s %6s %7s %8s %6s\n' "$@"; }
row hub spokes complete "all reg. s" "reg./s" "vs echo" resent drops mcast B/spoke dynamic neigh
declare -A MRATE MTALL MBPS
for n in $SPOKES; do
	for hub in $HUBS; do
		k="$hub/$n"
		MRATE[$k]=$(med "${RATE[$k]:-}")
		MTALL[$k]=$(med "${TALL[$k]:-}")
		MBPS[$k]=$(med "${BPS[$k]:-}")
		row "$hub" "$n" "$(complete "${TALL[$k]:-}")" \
			"$(fmt %.3f "${MTALL[$k]}")" "$(fmt %.0f "${MRATE[$k]}")" \
			"$(fmt %s "$(ratio "${MRATE[$k]}" "${MRATE[echo/$n]:-}")")" \
			"$(fmt %.0f "$(med "${RESENT[$k]:-}")")" "$(fmt %.0f "$(med "${DROPS[$k]:-}")")" \
			"$(fmt %.0f "$(med "${MCAST[$k]:-}")")" "$(fmt %.0f "${MBPS[$k]}")" \
			"$(fmt %.0f "$(med "${DYN[$k]:-}")")${DYNSTAR[$k]:-}" "$(fmt %.0f "$(med "${NEIGH[$k]:-}")")"
	done
done
echo
# The targets, for the largest N measured against nhrpd.
T_TIME=null T_MEM=null
if [[ " $HUBS " == *" nhrpd "* ]]; then
	tk="nhrpd/$TARGET_N"
	if [ -n "${TALL[$tk]+x}" ]; then
		t=${MTALL[$tk]}
		if [ "$(complete "${TALL[$tk]}")" = "$RUNS/$RUNS" ] && awk -v t="$t" -v m="$TARGET_SECS" 'BEGIN { exit !(t <= m) }'; then
			T_TIME=true
		else
			T_TIME=false
		fi
		echo "target: $TARGET_N spokes registered within $TARGET_SECS s: $([ "$T_TIME" = true ] && echo met || echo missed) (median $(fmt %.3f "$t") s, $(complete "${TALL[$tk]}") runs complete)"
		b=${MBPS[$tk]}
		if [ -n "$b" ]; then
			awk -v b="$b" -v m="$TARGET_BYTES" 'BEGIN { exit !(b <= m) }' && T_MEM=true || T_MEM=false
		fi
		echo "target: at most $TARGET_BYTES B of nhrpd memory per registered spoke: $([ "$T_MEM" = true ] && echo met || echo missed) (median $(fmt %.0f "$b") B)"
	else
		echo "targets: not evaluated (BENCH_NHRP_SPOKES does not include $TARGET_N)"
	fi
fi
echo "reference: FRR nhrpd not measured: $FRR_NOTE; the echo responder stands in for it"

# Machine-readable summary.
jlist() { # jlist "a b c" -> JSON array of numbers, null for non-numbers
	local v out=()
	for v in $1; do [[ $v =~ ^[0-9.]+$ ]] && out+=("$v") || out+=(null); done
	local IFS=,
	echo "[${out[*]}]"
}
jnum() { [ -n "$1" ] && echo "$1" || echo null; }
results="[]"
for n in $SPOKES; do
	for hub in $HUBS; do
		k="$hub/$n"
		runs_json=$(jq -sc . <<<"${RUNJSON[$k]:-}" 2>/dev/null) || runs_json="[]"
		results=$(jq -c --arg hub "$hub" --argjson n "$n" --argjson runs "$runs_json" \
			--argjson tall "$(jlist "${TALL[$k]:-}")" --argjson rate "$(jlist "${RATE[$k]:-}")" \
			--argjson mtall "$(jnum "${MTALL[$k]}")" --argjson mrate "$(jnum "${MRATE[$k]}")" \
			--argjson mbps "$(jnum "${MBPS[$k]}")" \
			--argjson vs "$(jnum "$(ratio "${MRATE[$k]}" "${MRATE[echo/$n]:-}")")" \
			'. + [{hub: $hub, spokes: $n, all_registered_s: $tall, rate_per_s: $rate,
			   median_all_registered_s: $mtall, median_rate_per_s: $mrate,
			   median_hub_bytes_per_spoke: $mbps, rate_vs_echo: $vs, runs: $runs}]' \
			<<<"$results") || log "could not summarise $k"
	done
done
commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
jq -nc --argjson results "$results" --argjson runs "$RUNS" --argjson window "$WINDOW" \
	--argjson retry "$RETRY_MS" --arg kernel "$(uname -r)" --arg cpus "$(nproc)" \
	--arg commit "$commit" --arg date "$(date -u +%FT%TZ)" --arg l0 "$LOAD_START" --arg l1 "$LOAD_END" \
	--arg nhrpd "$(sha256sum "$NHRPD" 2>/dev/null | cut -c1-12)" \
	--arg mgred "$(sha256sum "$MGRED" 2>/dev/null | cut -c1-12)" --arg frr "$FRR_NOTE" \
	--argjson ttime "$T_TIME" --argjson tmem "$T_MEM" \
	'{bench: "nhrp_register", date: $date, commit: $commit, nhrpd_sha256: $nhrpd, mgred_sha256: $mgred,
	  kernel: $kernel, cpus: ($cpus | tonumber),
	  loadavg_start: ($l0 | split(" ") | map(tonumber)), loadavg_end: ($l1 | split(" ") | map(tonumber)),
	  runs: $runs, window: $window, retry_ms: $retry, results: $results,
	  target_10000_within_2s: $ttime, target_1kib_per_spoke: $tmem, frr_reference: $frr}' |
	sed 's/^/BENCH_JSON /'
exit 0
