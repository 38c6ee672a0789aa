#!/usr/bin/env bash
# Routes per second nhrpd can push into FRR's zebra: N shortcut-like routes
# set through our ZAPI client (build/release/zapi_push, which links
# routing/zapi_client as nhrpd does), compared in the same invocation with
# the kernel alone (the same N routes with `ip -batch`) and with FRR's own
# staticd (the same N routes as `ip route` lines through vtysh):
#
#                          namespace bzr-ns
#   +---------------------------------------------------------------+
#   |  zapi     zapi_push --ZAPI--> zebra --netlink--> kernel FIB     |
#   |  kernel   ip -batch --------------------------> kernel FIB     |
#   |  staticd  vtysh -f -> staticd --ZAPI--> zebra --> kernel FIB   |
#   |                                                               |
#   |  dum0 10.0.0.1/24 (dummy, or a veth pair dum0/dum0p where the  |
#   |  kernel has no dummy driver); route i: 10.128.0.0/24 + i       |
#   |  (10.128.0.0/9) via 10.0.0.3 dev dum0 onlink                   |
#   +---------------------------------------------------------------+
#
# One zebra (and staticd) for the whole invocation, started as in
# docs/zapi.md (own pid file, sockets and vty directory); every run starts and must end with no
# route in 10.128.0.0/9. Per N and run, in turn:
#
#   zapi     zapi_push -H: from the first route set to zebra's last
#            INSTALLED note (ROUTE_NOTIFY_OWNER; the kernel holds all N by
#            then, which zapi_push checks with netlink events). While it
#            holds, the script counts `ip route show proto nhrp` and zebra's
#            RIB (`show ip route summary json`); both must be N. Then it
#            withdraws all N (zapi_client_route_unset), timed until the
#            kernel holds none.
#   kernel   ip -batch: N `route add ... onlink proto static` lines, the
#            command's wall time; then the same for `route del`.
#   staticd  vtysh -f with N `ip route` lines, timed until all N are in the
#            kernel (polled every 50 ms); then N `no ip route` lines until
#            none is left. Skipped from the first run that misses the
#            deadline.
#
# A benchmark, not a test: figures and whether the issue's target (10,000
# routes into zebra in under 2 s) is met; it exits 0 unless the namespace or
# zebra cannot be set up. The namespace, zebra, staticd and every temporary
# file are removed on any exit.
#
# Environment:
#   BENCH_ZEBRA_ROUTES="1000 10000"       route counts (1-32768)
#   BENCH_ZEBRA_RUNS=3                    runs per count and path (median reported)
#   BENCH_ZEBRA_PATHS="zapi kernel staticd"  which paths, in which order
#   BENCH_ZEBRA_DEADLINE=60               seconds one phase of a run may take
#   ZAPI_PUSH, ZEBRA, STATICD, VTYSH      binaries (build/release/zapi_push,
#                                         /usr/lib/frr/zebra, /usr/lib/frr/staticd, vtysh)
#
# Output: a table on stdout and a final line `BENCH_JSON {...}`; progress on
# stderr. Run as root: `make bench-zebra` or `sudo tests/bench/zebra_routes.sh`.
# Functions below are called indirectly (lab_wait CMD, run_$path):
# shellcheck disable=SC2317
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO" || exit 1
# Only for lab_wait and lab_proc_gone: this bench builds no lab.
# shellcheck source=SCRIPTDIR/../lab/lab.sh
. "$REPO/tests/lab/lab.sh"

COUNTS=${BENCH_ZEBRA_ROUTES:-1000 10000}
RUNS=${BENCH_ZEBRA_RUNS:-3}
PATHS=${BENCH_ZEBRA_PATHS:-zapi kernel staticd}
DEADLINE=${BENCH_ZEBRA_DEADLINE:-60}
ZAPI_PUSH=${ZAPI_PUSH:-$REPO/build/release/zapi_push}
ZEBRA=${ZEBRA:-/usr/lib/frr/zebra}
STATICD=${STATICD:-/usr/lib/frr/staticd}
VTYSH=${VTYSH:-vtysh}
NS=bzr-ns
IFNAME=dum0
GATEWAY=10.0.0.3
RANGE=10.128.0.0/9
# Kernel protocol numbers (/etc/iproute2/rt_protos.d/frr.conf): by number,
# since "static" names both 4 (ip route's) and 196 (FRR staticd's).
PROTO_NHRP=191
PROTO_KERNEL_STATIC=4
PROTO_FRR_STATIC=196
TARGET_N=10000
TARGET_SECS=2

die() {
	echo "zebra_routes.sh: $*" >&2
	exit 1
}
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

posint() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
for n in $COUNTS; do
	if ! posint "$n" || [ "$n" -gt 32768 ]; then
		die "BENCH_ZEBRA_ROUTES: '$n' is not a count of 1-32768 (/24s in $RANGE)"
	fi
done
posint "$RUNS" || die "BENCH_ZEBRA_RUNS must be a positive integer"
posint "$DEADLINE" || die "BENCH_ZEBRA_DEADLINE must be a positive integer"
for p in $PATHS; do
	[[ $p == zapi || $p == kernel || $p == staticd ]] ||
		die "BENCH_ZEBRA_PATHS: unknown path '$p' (zapi, kernel, staticd)"
done
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces)"
for c in ip jq awk timeout "$VTYSH"; do
	command -v "$c" >/dev/null || die "missing $c (make bench installs the bench dependencies)"
done
[ -x "$ZEBRA" ] || die "no $ZEBRA (Debian package frr)"
[ -x "$ZAPI_PUSH" ] || die "no $ZAPI_PUSH (make build/release/zapi_push)"
if ip netns list | awk '{print $1}' | grep -qx "$NS"; then
	die "namespace $NS already exists (another bench running, or a stale one: ip netns del $NS)"
fi

# ------------------------------------------------------- setup, cleanup

DIR=$(mktemp -d /tmp/bzr.XXXXXX) || die "mktemp failed"
ZP_PID=""
CLK_TCK=$(getconf CLK_TCK)

# Stop a daemon of ours by its pid file, only if that pid runs in our
# namespace (never a recycled pid).
stop_daemon() {
	local f="$DIR/$1.pid" pid
	[ -s "$f" ] || return 0
	pid=$(cat "$f")
	[[ $pid =~ ^[0-9]+$ ]] && [ "$(ip netns identify "$pid" 2>/dev/null)" = "$NS" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	lab_wait 5 lab_proc_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	rm -f "$f"
}

cleanup() {
	local rc=$? pid f
	trap - EXIT
	if [ -n "$ZP_PID" ]; then
		kill -TERM "$ZP_PID" 2>/dev/null
		wait "$ZP_PID" 2>/dev/null
	fi
	# staticd first: zebra removes its routes when it goes.
	stop_daemon staticd
	stop_daemon zebra
	if ip netns list | awk '{print $1}' | grep -qx "$NS"; then
		for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
		ip netns del "$NS" 2>/dev/null
	fi
	if [ "$rc" -ne 0 ]; then
		for f in "$DIR"/*.log "$DIR"/*.err; do
			[ -s "$f" ] || continue
			echo "---- $f (last 20 lines)" >&2
			tail -n 20 "$f" >&2
		done
	fi
	rm -rf "$DIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

now_us() { echo "${EPOCHREALTIME/./}"; }
secs_since() { awk -v a="$1" -v b="$(now_us)" 'BEGIN { printf "%.6f", (b - a) / 1e6 }'; }
ticks() { # utime + stime of a process (all its threads), in clock ticks
	local s f
	s=$(cat "/proc/$1/stat" 2>/dev/null) || {
		echo 0
		return
	}
	s=${s##*) }
	read -ra f <<<"$s"
	echo $((f[11] + f[12]))
}
fmt_s() { [[ ${1:-} =~ ^[0-9.]+$ ]] && printf '%.3f s' "$1" || echo "? s"; }

# Routes of ours (10.128.0.0/9) in the kernel, [of one protocol].
kcount() {
	if [ $# -gt 0 ]; then
		ip -n "$NS" route show root "$RANGE" proto "$1" | wc -l
	else
		ip -n "$NS" route show root "$RANGE" | wc -l
	fi
}
kcount_is() { [ "$(kcount "$1")" -eq "$2" ]; }
vty() { "$VTYSH" --vty_socket "$DIR" "$@"; }
# Routes of one type in zebra's RIB.
rib_count() {
	vty -c 'show ip route summary json' 2>/dev/null |
		jq -r --arg t "$1" '[.routes[]? | select(.type == $t) | .rib] | add // 0' 2>/dev/null || echo -1
}

start_daemon() { # start_daemon NAME BINARY: as the notes say, all under $DIR
	: >"$DIR/$1.conf"
	ip netns exec "$NS" "$2" -d -u root -g frrvty -P 0 -f "$DIR/$1.conf" -i "$DIR/$1.pid" \
		-z "$DIR/zserv.api" --vty_socket "$DIR" --log "file:$DIR/$1.log" \
		>>"$DIR/$1.start.log" 2>&1 || return 1
	# -d returns once the sockets accept; check that it answers anyway.
	lab_wait 10 vty -d "$1" -c 'show version'
}

log "setting up namespace $NS with zebra"
ip netns add "$NS" || die "ip netns add $NS failed"
ip -n "$NS" link set lo up
if ip -n "$NS" link add "$IFNAME" type dummy 2>/dev/null; then
	IFKIND=dummy
else
	# No dummy driver (these VMs load no modules): a veth pair, both ends
	# up, gives an interface with carrier as well.
	ip -n "$NS" link add "$IFNAME" type veth peer name "${IFNAME}p" || die "no dummy, no veth"
	ip -n "$NS" link set "${IFNAME}p" up
	IFKIND=veth
fi
ip -n "$NS" addr add 10.0.0.1/24 dev "$IFNAME" || die "address on $IFNAME failed"
ip -n "$NS" link set "$IFNAME" up || die "$IFNAME up failed"
start_daemon zebra "$ZEBRA" || die "zebra did not start"
ZEBRA_PID=$(cat "$DIR/zebra.pid")
lab_wait 10 bash -c "$VTYSH --vty_socket $DIR -c 'show interface $IFNAME' | grep -q 'is up'" ||
	die "zebra does not see $IFNAME up"

STATICD_OFF="" # why the staticd path is skipped, once it is
if [[ " $PATHS " == *" staticd "* ]]; then
	if [ ! -x "$STATICD" ]; then
		STATICD_OFF="no $STATICD"
	elif ! start_daemon staticd "$STATICD"; then
		STATICD_OFF="staticd did not start"
	fi
	[ -z "$STATICD_OFF" ] || log "staticd path skipped: $STATICD_OFF"
fi

# ------------------------------------------------------------ the paths
# run_PATH N RUN appends one JSON object per run to $DIR/runs.jsonl:
# {path, n, run, ok, secs, withdraw_secs, zebra_cpu_s, kernel_count, ...}.

record() { # record PATH N RUN OK SECS WSECS ZEBRA_TICKS KCOUNT ERROR [EXTRA_JSON]
	local extra=${10:-}
	[ -n "$extra" ] || extra='{}'
	jq -nc --arg p "$1" --argjson n "$2" --argjson r "$3" --argjson ok "$4" \
		--arg s "$5" --arg w "$6" --argjson zt "$7" --arg k "$8" --arg err "$9" \
		--argjson extra "$extra" --argjson hz "$CLK_TCK" \
		'def num: if test("^[0-9.]+$") then tonumber else null end;
		 {path: $p, n: $n, run: $r, ok: $ok, secs: ($s | num), withdraw_secs: ($w | num),
		  zebra_cpu_s: ($zt / $hz), kernel_count: ($k | num)}
		 + (if $err != "" then {error: $err} else {} end) + $extra' >>"$DIR/runs.jsonl"
}

# Every run starts with no route of ours anywhere.
clean_slate() { [ "$(kcount)" -eq 0 ]; }

run_zapi() {
	local n=$1 r=$2 out="$DIR/zapi-$1-$2.out" err="$DIR/zapi-$1-$2.err"
	local z0 z1 kc rib rc json secs wsecs ok=true why=""
	z0=$(ticks "$ZEBRA_PID")
	ip netns exec "$NS" "$ZAPI_PUSH" -z "$DIR/zserv.api" -I "$IFNAME" -g "$GATEWAY" -n "$n" \
		-d "$DEADLINE" --hold >"$out" 2>"$err" &
	ZP_PID=$!
	lab_wait $((DEADLINE + 5)) bash -c "grep -q '^ZAPI_PUSH_INSTALLED' '$out' || ! kill -0 $ZP_PID"
	kc=$(kcount "$PROTO_NHRP")
	rib=$(rib_count nhrp)
	kill -USR1 "$ZP_PID" 2>/dev/null
	wait "$ZP_PID"
	rc=$?
	ZP_PID=""
	z1=$(ticks "$ZEBRA_PID")
	json=$(sed -n 's/^ZAPI_PUSH_JSON //p' "$out")
	[ -n "$json" ] || json=null
	secs=$(jq -r '.install.notified_s // empty' <<<"$json" 2>/dev/null)
	wsecs=$(jq -r '.withdraw.kernel_s // empty' <<<"$json" 2>/dev/null)
	if [ "$rc" -ne 0 ] || [ "$kc" != "$n" ] || [ "$rib" != "$n" ]; then
		ok=false
		why="zapi_push exit $rc, kernel held $kc, zebra's RIB $rib of $n routes"
		log "zapi N=$n run $r: failed: $why"
		tail -n 5 "$err" >&2
	fi
	record zapi "$n" "$r" "$ok" "$secs" "$wsecs" $((z1 - z0)) "$kc" "$why" \
		"$(jq -c --argjson rib "${rib:--1}" '{rib_count: $rib, kernel_secs: (.install.kernel_s // null), zapi_push: .}' <<<"$json" 2>/dev/null || echo '{}')"
	log "zapi N=$n run $r: $(fmt_s "$secs") to install ($kc in the kernel, $rib in zebra's RIB), withdrawn in $(fmt_s "$wsecs")"
}

run_kernel() {
	local n=$1 r=$2 t z0 z1 kc secs wsecs ok=true why=""
	z0=$(ticks "$ZEBRA_PID")
	t=$(now_us)
	ip -n "$NS" -batch "$DIR/kernel-add-$n.batch" 2>>"$DIR/kernel.err" || why="ip -batch add failed"
	secs=$(secs_since "$t")
	kc=$(kcount "$PROTO_KERNEL_STATIC")
	t=$(now_us)
	ip -n "$NS" -batch "$DIR/kernel-del-$n.batch" 2>>"$DIR/kernel.err" || why="${why:+$why, }ip -batch del failed"
	wsecs=$(secs_since "$t")
	z1=$(ticks "$ZEBRA_PID")
	if [ -n "$why" ] || [ "$kc" != "$n" ] || ! clean_slate; then
		ok=false
		why="${why:+$why; }kernel held $kc of $n routes, $(kcount) left after the delete"
		log "kernel N=$n run $r: failed: $why"
	fi
	record kernel "$n" "$r" "$ok" "$secs" "$wsecs" $((z1 - z0)) "$kc" "$why"
	log "kernel N=$n run $r: $(fmt_s "$secs") to install, deleted in $(fmt_s "$wsecs")"
}

run_staticd() {
	local n=$1 r=$2 t z0 z1 s0 s1 kc=0 secs="" wsecs="" ok=true why=""
	local spid
	if [ -n "$STATICD_OFF" ]; then
		record staticd "$n" "$r" false "" "" 0 "" "skipped: $STATICD_OFF"
		return
	fi
	spid=$(cat "$DIR/staticd.pid")
	z0=$(ticks "$ZEBRA_PID")
	s0=$(ticks "$spid")
	t=$(now_us)
	if timeout "$DEADLINE" "$VTYSH" --vty_socket "$DIR" -f "$DIR/static-add-$n.conf" \
		>>"$DIR/staticd-vtysh.log" 2>&1 &&
		lab_wait "$DEADLINE" kcount_is "$PROTO_FRR_STATIC" "$n"; then
		secs=$(secs_since "$t")
	else
		why="not all $n routes in the kernel within ${DEADLINE} s"
	fi
	kc=$(kcount "$PROTO_FRR_STATIC")
	t=$(now_us)
	if timeout "$DEADLINE" "$VTYSH" --vty_socket "$DIR" -f "$DIR/static-del-$n.conf" \
		>>"$DIR/staticd-vtysh.log" 2>&1 &&
		lab_wait "$DEADLINE" kcount_is "$PROTO_FRR_STATIC" 0; then
		wsecs=$(secs_since "$t")
	else
		why="${why:+$why; }not all withdrawn within ${DEADLINE} s"
	fi
	z1=$(ticks "$ZEBRA_PID")
	s1=$(ticks "$spid")
	if [ -n "$why" ] || [ "$kc" != "$n" ]; then
		ok=false
		log "staticd N=$n run $r: failed: $why"
		# Too slow here: leave it out from now on, and clear what it left.
		STATICD_OFF="a run of $n routes missed the ${DEADLINE} s deadline"
		stop_daemon staticd
		lab_wait 10 clean_slate || die "routes left behind by staticd"
	fi
	record staticd "$n" "$r" "$ok" "$secs" "$wsecs" $((z1 - z0)) "$kc" "$why" \
		"$(jq -nc --argjson t $((s1 - s0)) --argjson hz "$CLK_TCK" '{staticd_cpu_s: ($t / $hz)}')"
	log "staticd N=$n run $r: $(fmt_s "$secs") to install, withdrawn in $(fmt_s "$wsecs")"
}

# Input files for N routes: route i is 10.128.0.0/24 + i.
make_inputs() {
	local n=$1
	awk -v n="$n" -v gw="$GATEWAY" -v dev="$IFNAME" -v d="$DIR" 'BEGIN {
		for (i = 0; i < n; i++) {
			p = sprintf("10.%d.%d.0/24", 128 + int(i / 256), i % 256)
			printf "route add %s via %s dev %s onlink proto static\n", p, gw, dev > (d "/kernel-add-" n ".batch")
			printf "route del %s proto static\n", p > (d "/kernel-del-" n ".batch")
			printf "ip route %s %s %s onlink\n", p, gw, dev > (d "/static-add-" n ".conf")
			printf "no ip route %s %s %s onlink\n", p, gw, dev > (d "/static-del-" n ".conf")
		}
	}'
}

# --------------------------------------------------------------- the run

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "counts: $COUNTS; runs: $RUNS; paths: $PATHS; $IFNAME is a $IFKIND (load average $LOAD_START)"
: >"$DIR/runs.jsonl"
for n in $COUNTS; do
	make_inputs "$n"
	for ((r = 1; r <= RUNS; r++)); do
		for p in $PATHS; do
			if ! clean_slate; then
				log "$(kcount) routes of $RANGE left over before $p N=$n run $r"
				lab_wait 10 clean_slate || die "routes in $RANGE that will not go away"
			fi
			"run_$p" "$n" "$r"
		done
	done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ZEBRA_HWM=$(awk '/^VmHWM/ { print $2 }' "/proc/$ZEBRA_PID/status" 2>/dev/null)

# ------------------------------------------------------------ reporting

# Per path and N: the per-run lists and medians (of the runs that succeeded).
SUMMARY=$(jq -sc --argjson runs "$RUNS" '
	def median: sort | if length == 0 then null
		elif length % 2 == 1 then .[(length - 1) / 2]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	def okvals(f): [.[] | select(.ok) | f | select(. != null)];
	group_by([.n, .path]) | map({
		path: .[0].path, n: .[0].n,
		ok_runs: ([.[] | select(.ok)] | length),
		secs: map(.secs), withdraw_secs: map(.withdraw_secs),
		zebra_cpu_s: map(.zebra_cpu_s), kernel_count: map(.kernel_count),
		median_s: okvals(.secs) | median,
		median_withdraw_s: okvals(.withdraw_secs) | median,
		median_zebra_cpu_s: okvals(.zebra_cpu_s) | median,
		errors: [.[] | .error // empty] | unique,
		runs: .})
	| map(. + {routes_per_s: (if .median_s then (.n / .median_s) else null end),
	           withdraw_routes_per_s: (if .median_withdraw_s then (.n / .median_withdraw_s) else null end)})
' "$DIR/runs.jsonl")
# vs kernel: median seconds / the ip -batch median for the same N.
SUMMARY=$(jq -c 'map(. as $x | . + {vs_kernel: (
	[$all[] | select(.n == $x.n and .path == "kernel") | .median_s][0] as $k
	| if $k and $x.median_s then ($x.median_s / $k) else null end)})' \
	--argjson all "$SUMMARY" <<<"$SUMMARY")

label() {
	case $1 in
	zapi) echo "zapi_push -> zebra -> kernel" ;;
	kernel) echo "ip -batch -> kernel" ;;
	staticd) echo "vtysh -> staticd -> zebra -> kernel" ;;
	esac
}

echo
echo "Routes into zebra: N routes 10.128.0.0/24 + i via $GATEWAY dev $IFNAME ($IFKIND) onlink, one namespace"
echo "(zapi: first route set -> zebra's last INSTALLED note, all N then in the kernel;"
echo " ip -batch: wall time of the command; staticd: vtysh -f start -> all N in the kernel, polled;"
echo " vs kernel: median time / ip -batch's; withdraw: until the kernel holds none;"
echo " zebra CPU: user+sys of zebra over the run; medians of $RUNS runs)"
echo "$(nproc) CPUs, load average at start $LOAD_START, at end $LOAD_END (other work skews the figures)"
echo
runhdr=""
for ((r = 1; r <= RUNS; r++)); do runhdr+=$(printf ' %7s' "run$r"); done
printf '%-36s %6s%s %8s %9s %9s %10s %9s\n' path N "$runhdr" "median s" "routes/s" "vs kernel" "withdraw s" "zebra CPU"
for n in $COUNTS; do
	for p in $PATHS; do
		row=$(jq -r --arg p "$p" --argjson n "$n" \
			'.[] | select(.path == $p and .n == $n)' <<<"$SUMMARY")
		[ -n "$row" ] || continue
		if [ "$(jq -r '.ok_runs' <<<"$row")" -eq 0 ]; then
			printf '%-36s %6s failed (%s)\n' "$(label "$p")" "$n" "$(jq -r '.errors | join("; ")' <<<"$row")"
			continue
		fi
		runs=""
		for v in $(jq -r '.runs[] | if .ok then .secs else "fail" end' <<<"$row"); do
			[ "$v" = fail ] && runs+=$(printf ' %7s' fail) || runs+=$(printf ' %7.3f' "$v")
		done
		vk=$(jq -r '.vs_kernel // empty' <<<"$row")
		[ -n "$vk" ] && vk=$(printf '%.2fx' "$vk") || vk=-
		ws=$(jq -r '.median_withdraw_s // empty' <<<"$row")
		[ -n "$ws" ] && ws=$(printf '%.3f' "$ws") || ws=-
		printf '%-36s %6s%s %8.3f %9.0f %9s %10s %8.2fs\n' "$(label "$p")" "$n" "$runs" \
			"$(jq -r '.median_s' <<<"$row")" "$(jq -r '.routes_per_s' <<<"$row")" "$vk" "$ws" \
			"$(jq -r '.median_zebra_cpu_s' <<<"$row")"
	done
done
TARGET=$(jq -c --argjson n "$TARGET_N" --argjson s "$TARGET_SECS" \
	'[.[] | select(.path == "zapi" and .n == $n)][0] // null
	 | {n: $n, secs: $s, median_s: (.median_s // null),
	    met: (if . and .median_s and .ok_runs > 0 then .median_s < $s else null end)}' <<<"$SUMMARY")
echo
case $(jq -r '.met' <<<"$TARGET") in
true) printf 'target: %s routes into zebra in under %s s: met (%.3f s, median)\n' "$TARGET_N" "$TARGET_SECS" "$(jq -r '.median_s' <<<"$TARGET")" ;;
false) printf 'target: %s routes into zebra in under %s s: NOT met (%.3f s, median)\n' "$TARGET_N" "$TARGET_SECS" "$(jq -r '.median_s' <<<"$TARGET")" ;;
*) echo "target: $TARGET_N routes into zebra in under $TARGET_SECS s: not measured (N=$TARGET_N zapi not run or failed)" ;;
esac
[ -z "$STATICD_OFF" ] || echo "staticd: $STATICD_OFF"

commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD -- 2>/dev/null || commit="$commit-dirty"
jq -nc --argjson results "$SUMMARY" --argjson target "$TARGET" --argjson runs "$RUNS" \
	--arg kernel "$(uname -r)" --arg cpus "$(nproc)" --arg commit "$commit" \
	--arg zebra "$("$ZEBRA" --version 2>/dev/null | head -n1)" --arg ifkind "$IFKIND" \
	--arg zp "$(sha256sum "$ZAPI_PUSH" 2>/dev/null | cut -c1-12)" --arg staticd_off "$STATICD_OFF" \
	--arg date "$(date -u +%FT%TZ)" --arg l0 "$LOAD_START" --arg l1 "$LOAD_END" \
	--arg hwm "${ZEBRA_HWM:-}" \
	'{bench: "zebra_routes", date: $date, commit: $commit, zapi_push_sha256: $zp, zebra: $zebra,
	  kernel: $kernel, cpus: ($cpus | tonumber), interface_kind: $ifkind,
	  loadavg_start: ($l0 | split(" ") | map(tonumber)), loadavg_end: ($l1 | split(" ") | map(tonumber)),
	  runs: $runs, zebra_vmhwm_kib: (if $hwm == "" then null else ($hwm | tonumber) end),
	  staticd_skipped: (if $staticd_off == "" then null else $staticd_off end),
	  target: $target, results: $results}' |
	sed 's/^/BENCH_JSON /'
exit 0
