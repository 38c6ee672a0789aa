# shellcheck shell=bash
# Shared by the integration tests: mgred on lab routers, JSON assertions
# with deadlines, tshark captures on the underlay. Source after lab.sh.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MGRED=${MGRED:-$REPO/build/asan/mgred}
CTL=${CTL:-$REPO/build/asan/dmvpnctl}
DP_PROBE=${DP_PROBE:-$REPO/build/asan/dp_probe}
# ASan: a leak or error at exit must fail the test, not scroll by.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=66}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

declare -A MGRED_PID

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

step() { printf '  - %s\n' "$*"; }

# mgred_conf SITE FILE KEY [extra interface lines...]: one tunnel tun0.
mgred_conf() {
	local i=$1 file=$2 key=$3
	shift 3
	{
		echo "! site $i"
		echo "interface tun0"
		echo " tunnel mode gre multipoint"
		echo " tunnel source eth0"
		[ "$key" = none ] || echo " tunnel key $key"
		echo " tunnel dataplane userspace"
		echo " ip address $(lab_overlay "$i")/24"
		for l in "$@"; do echo " $l"; done
	} >"$file"
}

mgred_sock() { echo "$LAB_DIR/r$1.sock"; }

# mgred_start SITE CONF [mgred options...]
mgred_start() {
	local i=$1 conf=$2
	shift 2
	lab_spawn "$i" "mgred-r$i" "$MGRED" -f "$conf" -s "$(mgred_sock "$i")" "$@"
	MGRED_PID[$i]=$LAB_PID
	lab_wait 10 "$CTL" -s "$(mgred_sock "$i")" show version ||
		fail "mgred on router $i did not come up: $(cat "$LAB_DIR/mgred-r$i.log")"
}

# Stop mgred gracefully and insist on a clean exit (ASan leak check included).
mgred_stop() {
	local i=$1 pid=${MGRED_PID[$1]} rc=0
	kill -TERM "$pid" 2>/dev/null || fail "mgred on router $i is not running"
	lab_wait 10 lab_proc_gone "$pid" || fail "mgred on router $i ignored SIGTERM"
	wait "$pid" 2>/dev/null || rc=$?
	[ "$rc" -eq 0 ] || fail "mgred on router $i exited with $rc: $(tail -n 30 "$LAB_DIR/mgred-r$i.log")"
	if grep -q 'Sanitizer' "$LAB_DIR/mgred-r$i.log"; then
		fail "sanitizer report from mgred on router $i: $(cat "$LAB_DIR/mgred-r$i.log")"
	fi
	unset "MGRED_PID[$i]"
}

mgred_json() { "$CTL" -s "$(mgred_sock "$1")" show interface tunnel json; }

# jq_true SITE FILTER: the filter, applied to mgred's JSON, yields true.
jq_true() { mgred_json "$1" | jq -e "$2" >/dev/null; }

# expect SITE FILTER [SECONDS]: poll until the JSON satisfies FILTER.
expect() {
	local i=$1 filter=$2 secs=${3:-5}
	lab_wait "$secs" jq_true "$i" "$filter" ||
		fail "router $i: expected $filter; got: $(mgred_json "$i")"
}

# Map overlay address of site j to its NBMA address on router i, through
# the data plane API (gre/dataplane.h) that nhrpd will use.
static_neigh() {
	local i=$1 j=$2 dev=${3:-tun0}
	lab_r "$i" "$DP_PROBE" neigh "$dev" "$(lab_overlay "$j")" "$(lab_nbma "$j")" ||
		fail "dp_probe neigh on router $i"
}

ping_ok() {
	local i=$1 dst=$2
	lab_r "$i" ping -c 1 -W 1 "$dst" >/dev/null 2>&1
}

# capture_start FILE FILTER: capture on the underlay bridge, ready on return.
# tcpdump -U writes each packet as it comes, so the file can be polled;
# tshark, the independent decoder, reads it.
capture_start() {
	local file=$1 filter=$2 ul
	ul=$(lab_ns_ul)
	ip netns exec "$ul" tcpdump -U -n -i br0 -w "$file" "$filter" >"$file.log" 2>&1 &
	CAPTURE_PID=$!
	CAPTURE_FILE=$file
	echo "$CAPTURE_PID" >>"$LAB_DIR/pids"
	lab_wait 15 grep -q "listening on" "$file.log" || fail "tcpdump did not start: $(cat "$file.log")"
}

# capture_seen FILE DISPLAY_FILTER: the capture already holds such a packet.
capture_seen() {
	[ -n "$(tshark -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null)" ]
}

# capture_stop [DISPLAY_FILTER]: first wait (with a deadline) until the last
# packet we care about reached the file, so stopping cannot race it.
capture_stop() {
	[ -n "${1:-}" ] && { lab_wait 10 capture_seen "$CAPTURE_FILE" "$1" || true; }
	kill -INT "$CAPTURE_PID" 2>/dev/null
	lab_wait 10 lab_proc_gone "$CAPTURE_PID" || kill -KILL "$CAPTURE_PID"
	wait "$CAPTURE_PID" 2>/dev/null || true
}

need_root() {
	[ "$(id -u)" -eq 0 ] || fail "integration tests need root (network namespaces)"
}

# ---- nhrpd ----

NHRPD=${NHRPD:-$REPO/build/asan/nhrpd}
declare -A NHRPD_PID

nhrpd_sock() { echo "$LAB_DIR/nhrpd-r$1.sock"; }

# nhrpd_conf SITE FILE [ip nhrp lines...]: tun0 with the lab's addresses,
# holding time 10 s unless a line says otherwise. OVERLAY overrides the
# overlay address (a spoke that claims someone else's).
nhrpd_conf() {
	local i=$1 file=$2
	shift 2
	{
		echo "interface tun0"
		echo " tunnel mode gre multipoint"
		echo " tunnel source eth0"
		echo " tunnel key 42"
		echo " tunnel dataplane userspace"
		echo " ip address ${OVERLAY:-$(lab_overlay "$i")}/24"
		echo " ip nhrp network-id 1"
		for l in "$@"; do echo " $l"; done
	} >"$file"
}

# nhrpd_start SITE CONF [options]
nhrpd_start() {
	local i=$1 conf=$2
	shift 2
	lab_spawn "$i" "nhrpd-r$i" "$NHRPD" -f "$conf" -s "$(nhrpd_sock "$i")" -d nhrp "$@"
	NHRPD_PID[$i]=$LAB_PID
	lab_wait 10 "$CTL" -s "$(nhrpd_sock "$i")" show version ||
		fail "nhrpd on router $i did not come up: $(cat "$LAB_DIR/nhrpd-r$i.log")"
}

# Stop nhrpd gracefully and insist on a clean exit (ASan leak check included).
nhrpd_stop() {
	local i=$1 pid=${NHRPD_PID[$1]} rc=0
	kill -TERM "$pid" 2>/dev/null || fail "nhrpd on router $i is not running"
	lab_wait 10 lab_proc_gone "$pid" || fail "nhrpd on router $i ignored SIGTERM"
	wait "$pid" 2>/dev/null || rc=$?
	[ "$rc" -eq 0 ] || fail "nhrpd on router $i exited with $rc: $(tail -n 40 "$LAB_DIR/nhrpd-r$i.log")"
	if grep -q 'Sanitizer' "$LAB_DIR/nhrpd-r$i.log"; then
		fail "sanitizer report from nhrpd on router $i: $(cat "$LAB_DIR/nhrpd-r$i.log")"
	fi
	unset "NHRPD_PID[$i]"
}

# nhrp_show SITE WORDS...: nhrpd's JSON for a show command.
nhrp_show() {
	local i=$1
	shift
	"$CTL" -s "$(nhrpd_sock "$i")" "$@" json
}

nhrp_true() {
	local i=$1 filter=$2
	shift 2
	nhrp_show "$i" "$@" | jq -e "$filter" >/dev/null 2>&1
}

# nexpect SITE SECONDS FILTER WORDS...: poll nhrpd's JSON until FILTER holds.
nexpect() {
	local i=$1 secs=$2 filter=$3
	shift 3
	lab_wait "$secs" nhrp_true "$i" "$filter" "$@" ||
		fail "router $i: expected $filter of '$*'; got: $(nhrp_show "$i" "$@")
log: $(tail -n 20 "$LAB_DIR/nhrpd-r$i.log")"
}

# The dynamic entries of the hub's cache, as "overlay nbma" lines.
nhrp_dynamic() {
	nhrp_show "$1" show ip nhrp | jq -r '.interfaces[0].entries[] | select(.type == "dynamic") | "\(.protocol) \(.nbma)"' | sort
}

# The neighbour entry's lladdr for an overlay address on tun0 (mgred
# encodes an IPv4 NBMA address a.b.c.d as 02:04:a:b:c:d).
neigh_lladdr() {
	lab_r "$1" ip -j neigh show dev tun0 to "$2" | jq -r '.[0].lladdr // empty'
}
nbma_lladdr() {
	local IFS=.
	# shellcheck disable=SC2086
	set -- $1
	printf '02:04:%02x:%02x:%02x:%02x' "$1" "$2" "$3" "$4"
}
