#!/usr/bin/env bash
# Data plane throughput: iperf3, one TCP stream, router 1 -> router 2 of a
# two-site lab, over each path in turn:
#
#   veth          the underlay itself, 192.0.2.1 -> 192.0.2.2 (veth + bridge)
#   mgred         our userspace mGRE, 10.0.0.1 -> 10.0.0.2, TAP offloads on
#   mgred-O       the same with `mgred -O` (no TAP offloads / GSO)
#   wireguard-go  the reference userspace tunnel, 10.9.0.1 -> 10.9.0.2,
#                 TUN MTU 1420, over the same underlay
#
# A benchmark, not a test: a path that fails prints "failed" and the script
# still exits 0. Every namespace and process is removed at exit.
#
# Environment:
#   BENCH_RUNS=3      runs per path (the median is reported)
#   BENCH_SECONDS=5   length of each iperf3 run
#   BENCH_PATHS="veth mgred mgred-O wireguard-go"   subset / order of paths
#   MGRED, DMVPNCTL   binaries (default build/release/...)
#
# Output: a table on stdout and a final line `BENCH_JSON {...}`; progress on
# stderr. Run as root: `make bench` or `sudo tests/bench/dataplane.sh`.
# Functions below are called indirectly (setup_$path, lab_wait CMD):
# shellcheck disable=SC2317
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO" || exit 1
# shellcheck source=SCRIPTDIR/../lab/lab.sh
. "$REPO/tests/lab/lab.sh"

RUNS=${BENCH_RUNS:-3}
SECS=${BENCH_SECONDS:-5}
PATHS=${BENCH_PATHS:-veth mgred mgred-O wireguard-go}
MGRED=${MGRED:-$REPO/build/release/mgred}
DMVPNCTL=${DMVPNCTL:-$REPO/build/release/dmvpnctl}
NAME=bdp
PORT=5201
CLK_TCK=$(getconf CLK_TCK)

die() {
	echo "dataplane.sh: $*" >&2
	exit 1
}
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ $SECS =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a positive integer"
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
for c in ip ss iperf3 jq awk timeout; do
	command -v "$c" >/dev/null || die "missing $c (make bench installs the bench dependencies)"
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

# utime + stime of a process (all its threads), in clock ticks.
cpu_ticks() {
	local s f
	s=$(cat "/proc/$1/stat" 2>/dev/null) || {
		echo 0
		return
	}
	s=${s##*) }
	read -ra f <<<"$s"
	echo $((f[11] + f[12]))
}

# Packets dropped at the receiving sockets (UDP and raw) of a router:
# where a userspace tunnel that cannot keep up loses packets.
sock_drops() {
	# shellcheck disable=SC2016
	lab_r "$1" awk 'FNR > 1 { d += $NF } END { print d + 0 }' \
		/proc/net/udp /proc/net/udp6 /proc/net/raw /proc/net/raw6 2>/dev/null || echo 0
}

port_listening() { [ -n "$(lab_r 2 ss -Hltn "sport = :$PORT")" ]; }

# Reachability without ping: a TCP connect to a closed port comes back as
# "Connection refused" once packets flow both ways through the path.
reach() {
	local out
	out=$(lab_r 1 timeout 2 bash -c "exec 3<>/dev/tcp/$1/9" 2>&1)
	[[ $out == *refused* ]]
}

median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

tail_logs() {
	local f
	for f in "$@"; do
		[ -s "$LAB_DIR/$f.log" ] || continue
		echo "---- $f.log (last 10 lines)" >&2
		tail -n 10 "$LAB_DIR/$f.log" >&2
	done
}

# ------------------------------------------------------------ the paths
# setup_PATH starts what the path needs and sets DST (the address iperf3
# targets), TX_PID / RX_PID (the tunnel processes on routers 1 / 2, or
# empty) and LOGS; teardown_PATH stops it all.

DST="" TX_PID="" RX_PID="" CUR=""
LOGS=()

setup_veth() {
	DST=192.0.2.2 TX_PID="" RX_PID=""
	LOGS=()
	lab_wait 5 reach "$DST"
}
teardown_veth() { :; }

mgred_up() { # mgred_up [mgred options...]
	local i pid=()
	LOGS=(mgred1 mgred2)
	[ -x "$MGRED" ] || {
		log "no $MGRED (run make)"
		return 1
	}
	for i in 1 2; do
		cat >"$LAB_DIR/r$i.conf" <<-C
			interface tun0
			 tunnel mode gre multipoint
			 tunnel dataplane userspace
			 tunnel source eth0
			 tunnel key 42
			 ip address $(lab_overlay "$i")/24
		C
		rm -f "$LAB_DIR/r$i.sock"
		lab_spawn "$i" "mgred$i" "$MGRED" -f "$LAB_DIR/r$i.conf" -s "$LAB_DIR/r$i.sock" "$@"
		pid[i]=$LAB_PID
	done
	TX_PID=${pid[1]} RX_PID=${pid[2]}
	for i in 1 2; do
		lab_wait 10 test -S "$LAB_DIR/r$i.sock" || return 1
		lab_wait 5 lab_r "$i" ip link show tun0 || return 1
	done
	# Static NBMA mappings: lladdr 02:04 + the peer's underlay IPv4.
	lab_r 1 ip neigh replace 10.0.0.2 lladdr 02:04:c0:00:02:02 dev tun0 nud permanent || return 1
	lab_r 2 ip neigh replace 10.0.0.1 lladdr 02:04:c0:00:02:01 dev tun0 nud permanent || return 1
	DST=10.0.0.2
	lab_wait 10 reach "$DST"
}
mgred_down() {
	local i
	for i in 1 2; do
		[ -S "$LAB_DIR/r$i.sock" ] && [ -x "$DMVPNCTL" ] &&
			"$DMVPNCTL" -s "$LAB_DIR/r$i.sock" show interface tunnel json \
				>"$LAB_DIR/counters-$CUR-r$i.json" 2>/dev/null
	done
	bench_stop "$TX_PID"
	bench_stop "$RX_PID"
	for i in 1 2; do lab_wait 5 bash -c "! ip netns exec $(lab_ns_router "$i") ip link show tun0"; done
}
setup_mgred() { mgred_up; }
teardown_mgred() { mgred_down; }
setup_mgred-O() { mgred_up -O; }
teardown_mgred-O() { mgred_down; }

WG_PORT=51820
wg_if() { echo "${NAME}wg$1"; }
setup_wireguard-go() {
	local i j pid=()
	LOGS=(wg1 wg2)
	if ! command -v wireguard-go >/dev/null || ! command -v wg >/dev/null; then
		log "wireguard-go or wg not installed"
		return 1
	fi
	for i in 1 2; do
		(umask 077 && wg genkey >"$LAB_DIR/wg$i.key") || return 1
		wg pubkey <"$LAB_DIR/wg$i.key" >"$LAB_DIR/wg$i.pub" || return 1
		# Distinct names: the control socket /var/run/wireguard/NAME.sock is
		# shared by every namespace.
		lab_spawn "$i" "wg$i" wireguard-go -f "$(wg_if "$i")"
		pid[i]=$LAB_PID
	done
	TX_PID=${pid[1]} RX_PID=${pid[2]}
	for i in 1 2; do
		j=$((3 - i))
		lab_wait 10 lab_r "$i" wg show "$(wg_if "$i")" || return 1
		lab_r "$i" wg set "$(wg_if "$i")" private-key "$LAB_DIR/wg$i.key" listen-port "$WG_PORT" \
			peer "$(cat "$LAB_DIR/wg$j.pub")" endpoint "$(lab_nbma "$j"):$WG_PORT" \
			allowed-ips "10.9.0.$j/32" || return 1
		lab_r "$i" ip addr add "10.9.0.$i/24" dev "$(wg_if "$i")" || return 1
		lab_r "$i" ip link set "$(wg_if "$i")" mtu 1420 up || return 1
	done
	DST=10.9.0.2
	lab_wait 15 reach "$DST"
}
teardown_wireguard-go() {
	bench_stop "$TX_PID"
	bench_stop "$RX_PID"
}

# ------------------------------------------------------------ measuring

declare -A STATUS GBPS RETR TXCPU RXCPU IPCPU DROPS ERR

# One iperf3 run; appends to the path's lists. Returns 1 on failure.
one_run() {
	local p=$1 r=$2 out="$LAB_DIR/iperf-$1-$2.json"
	local t0 t1 tx0 tx1 rx0 rx1 d0 d1 el bps retr ipc
	tx0=0 rx0=0 tx1=0 rx1=0
	[ -n "$TX_PID" ] && tx0=$(cpu_ticks "$TX_PID")
	[ -n "$RX_PID" ] && rx0=$(cpu_ticks "$RX_PID")
	d0=$(sock_drops 2)
	t0=$(date +%s%N)
	lab_r 1 timeout $((SECS + 30)) iperf3 -c "$DST" -p "$PORT" -t "$SECS" -J \
		--connect-timeout 5000 >"$out" 2>>"$LAB_DIR/iperf-client.log"
	t1=$(date +%s%N)
	[ -n "$TX_PID" ] && tx1=$(cpu_ticks "$TX_PID")
	[ -n "$RX_PID" ] && rx1=$(cpu_ticks "$RX_PID")
	d1=$(sock_drops 2)
	if ! bps=$(jq -er 'select(.error == null) | .end.sum_received.bits_per_second' "$out" 2>/dev/null); then
		ERR[$p]=$(jq -r '.error // empty' "$out" 2>/dev/null || true)
		[ -n "${ERR[$p]}" ] || ERR[$p]="iperf3 produced no result"
		log "$p run $r: failed: ${ERR[$p]}"
		GBPS[$p]+="fail " RETR[$p]+="fail " IPCPU[$p]+="fail " DROPS[$p]+="fail "
		[ -z "$TX_PID" ] || TXCPU[$p]+="fail " RXCPU[$p]+="fail "
		return 1
	fi
	retr=$(jq -r '.end.sum_sent.retransmits // "null"' "$out")
	ipc=$(jq -r '.end.cpu_utilization_percent.remote_total // 0' "$out")
	el=$(((t1 - t0) / 1000000)) # ms
	GBPS[$p]+="$(awk -v b="$bps" 'BEGIN { printf "%.3f", b / 1e9 }') "
	RETR[$p]+="$retr "
	IPCPU[$p]+="$(awk -v c="$ipc" 'BEGIN { printf "%.0f", c }') "
	DROPS[$p]+="$((d1 - d0)) "
	if [ -n "$TX_PID" ]; then
		TXCPU[$p]+="$(awk -v t=$((tx1 - tx0)) -v hz="$CLK_TCK" -v ms="$el" 'BEGIN { printf "%.0f", 100 * t / hz / (ms / 1000) }') "
		RXCPU[$p]+="$(awk -v t=$((rx1 - rx0)) -v hz="$CLK_TCK" -v ms="$el" 'BEGIN { printf "%.0f", 100 * t / hz / (ms / 1000) }') "
	fi
	log "$p run $r: $(awk -v b="$bps" 'BEGIN { printf "%.2f", b / 1e9 }') Gbit/s, $retr retransmits"
}

run_path() {
	local p=$1 r srv="" ok=0
	CUR=$p
	GBPS[$p]="" RETR[$p]="" TXCPU[$p]="" RXCPU[$p]="" IPCPU[$p]="" DROPS[$p]="" ERR[$p]=""
	if ! declare -F "setup_$p" >/dev/null; then
		log "unknown path $p"
		STATUS[$p]=failed ERR[$p]="unknown path"
		return
	fi
	log "path $p: setting up"
	if "setup_$p"; then
		lab_spawn 2 "iperf3-$p" iperf3 -s -p "$PORT" --rcv-timeout 10000
		srv=$LAB_PID
		if lab_wait 10 port_listening; then
			for ((r = 1; r <= RUNS; r++)); do
				one_run "$p" "$r" && ok=$((ok + 1))
			done
		else
			ERR[$p]="iperf3 server did not listen"
		fi
	else
		ERR[$p]="setup failed"
		log "path $p: setup failed"
	fi
	if [ "$ok" -eq "$RUNS" ]; then
		STATUS[$p]=ok
	elif [ "$ok" -gt 0 ]; then
		STATUS[$p]=partial
	else
		STATUS[$p]=failed
		tail_logs "${LOGS[@]}" "iperf3-$p"
	fi
	bench_stop "$srv"
	"teardown_$p"
	TX_PID="" RX_PID=""
}

# --------------------------------------------------------------- the run

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
lab_init "$NAME"
lab_create 2 || die "could not build the lab"
log "runs=$RUNS seconds=$SECS paths: $PATHS (load average $LOAD_START)"
for p in $PATHS; do
	run_path "$p"
done

# ------------------------------------------------------------ reporting

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
nums() { local v; for v in $1; do [[ $v =~ ^[0-9.]+$ ]] && echo "$v"; done; }
med() { # med "list": median of the numbers in a list, or empty
	local a
	mapfile -t a < <(nums "$1")
	[ "${#a[@]}" -gt 0 ] && median "${a[@]}"
}
declare -A MED
for p in $PATHS; do MED[$p]=$(med "${GBPS[$p]:-}"); done
ratio() { # ratio A B: A/B of two medians, or empty
	[ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b }'
	return 0
}
md() { # md "list": rounded median of a list, or "-"
	local x
	x=$(med "$1")
	[ -n "$x" ] && printf '%.0f\n' "$x" || echo -
}
jnum() { [ -n "$1" ] && echo "$1" || echo null; }
BASE=${MED[veth]:-}
WG=${MED[wireguard-go]:-}

echo
echo "Data plane throughput: iperf3 -c, 1 TCP stream, router 1 -> router 2, ${RUNS} x ${SECS} s"
echo "(Gbit/s = end.sum_received.bits_per_second; retr = sender TCP retransmits;"
echo " tx/rx CPU = the tunnel process on the sending/receiving router, % of one core;"
echo " iperf CPU = receiving iperf3; rx drops = drops at the receiver's UDP/raw sockets; medians)"
echo "$(nproc) CPUs, load average at start $LOAD_START, at end $LOAD_END (other work skews the figures)"
echo
runhdr=""
for ((r = 1; r <= RUNS; r++)); do runhdr+=$(printf ' %7s' "run$r"); done
printf '%-13s%s %7s %8s %8s %7s %7s %7s %8s %8s\n' path "$runhdr" median "vs veth" "vs wg-go" retr "tx CPU" "rx CPU" "iperfCPU" "rx drops"
for p in $PATHS; do
	if [ "${STATUS[$p]}" = failed ]; then
		printf '%-13s failed (%s)\n' "$p" "${ERR[$p]}"
		continue
	fi
	row=""
	for v in ${GBPS[$p]}; do
		[ "$v" = fail ] && row+=$(printf ' %7s' fail) || row+=$(printf ' %7.2f' "$v")
	done
	m=${MED[$p]}
	rv=$(ratio "$m" "$BASE")
	rw=$(ratio "$m" "$WG")
	tx=$(md "${TXCPU[$p]}") rx=$(md "${RXCPU[$p]}")
	[ "$tx" = - ] || tx="$tx%"
	[ "$rx" = - ] || rx="$rx%"
	printf '%-13s%s %7.2f %8s %8s %7s %7s %7s %8s %8s\n' "$p" "$row" "$m" "${rv:--}" "${rw:--}" \
		"$(md "${RETR[$p]}")" "$tx" "$rx" "$(md "${IPCPU[$p]}")%" "$(md "${DROPS[$p]}")"
done
if [ -n "${MED[mgred]:-}" ] && [ -n "$WG" ]; then
	echo
	echo "mgred / wireguard-go = $(ratio "${MED[mgred]}" "$WG")"
fi

# Machine-readable summary. Lists are per run ("fail" -> null).
jlist() { # jlist "a b c" -> JSON array of numbers, null for non-numbers
	local v out=()
	for v in $1; do [[ $v =~ ^[0-9.]+$ ]] && out+=("$v") || out+=(null); done
	local IFS=,
	echo "[${out[*]}]"
}
paths_json="{}"
for p in $PATHS; do
	m=${MED[$p]:-}
	paths_json=$(jq -c --arg p "$p" --arg st "${STATUS[$p]}" --arg err "${ERR[$p]:-}" \
		--argjson gbps "$(jlist "${GBPS[$p]:-}")" --argjson retr "$(jlist "${RETR[$p]:-}")" \
		--argjson txcpu "$(jlist "${TXCPU[$p]:-}")" --argjson rxcpu "$(jlist "${RXCPU[$p]:-}")" \
		--argjson ipcpu "$(jlist "${IPCPU[$p]:-}")" --argjson drops "$(jlist "${DROPS[$p]:-}")" \
		--argjson med "$(jnum "$m")" --argjson vv "$(jnum "$(ratio "$m" "$BASE")")" \
		--argjson vw "$(jnum "$(ratio "$m" "$WG")")" \
		'. + {($p): ({status: $st, gbps: $gbps, median_gbps: $med,
		   vs_veth: $vv, vs_wireguard_go: $vw, retransmits: $retr,
		   tx_tunnel_cpu_pct: $txcpu, rx_tunnel_cpu_pct: $rxcpu,
		   rx_iperf3_cpu_pct: $ipcpu, rx_socket_drops: $drops}
		   + (if $err != "" and $st != "ok" then {error: $err} else {} end))}' \
		<<<"$paths_json" 2>/dev/null) || paths_json=$(jq -c --arg p "$p" '. + {($p): {status: "failed"}}' <<<"$paths_json")
	for i in 1 2; do
		f="$LAB_DIR/counters-$p-r$i.json"
		[ -s "$f" ] || continue
		paths_json=$(jq -c --arg p "$p" --arg r "r$i" --slurpfile c "$f" \
			'.[$p].mgred_counters[$r] = ($c[0].interfaces[0] | {offload, counters})' \
			<<<"$paths_json" 2>/dev/null || echo "$paths_json")
	done
done
commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
jq -nc --argjson paths "$paths_json" --argjson runs "$RUNS" --argjson secs "$SECS" \
	--arg kernel "$(uname -r)" --arg cpus "$(nproc)" --arg commit "$commit" \
	--arg iperf3 "$(iperf3 --version 2>/dev/null | head -n1)" \
	--arg wg "$(wireguard-go --version 2>/dev/null | head -n1)" \
	--arg mgred "$(sha256sum "$MGRED" 2>/dev/null | cut -c1-12)" \
	--arg date "$(date -u +%FT%TZ)" --arg l0 "$LOAD_START" --arg l1 "$LOAD_END" \
	'{bench: "dataplane", date: $date, commit: $commit, mgred_sha256: $mgred, kernel: $kernel, cpus: ($cpus | tonumber),
	  iperf3: $iperf3, wireguard_go: $wg,
	  loadavg_start: ($l0 | split(" ") | map(tonumber)), loadavg_end: ($l1 | split(" ") | map(tonumber)), runs: $runs, seconds: $secs, paths: $paths,
	  mgred_vs_veth: $paths.mgred.vs_veth, mgred_vs_wireguard_go: $paths.mgred.vs_wireguard_go}' |
	sed 's/^/BENCH_JSON /'
exit 0
