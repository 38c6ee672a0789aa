# shellcheck shell=bash
# A reusable lab of DMVPN sites in network namespaces. Source it, then:
#
#   lab_init NAME          choose a prefix; arms a trap that tears it all down
#   lab_create N           build N sites (site 1 is the hub by convention)
#   lab_spawn SITE CMD...  run a process in a router namespace; killed at exit
#   lab_wait SECS CMD...   poll CMD until it succeeds or the deadline passes
#
#               underlay namespace  ${LAB}-ul
#          +--------------------- br0 ----------------------+
#          | 192.0.2.0/24 (the NBMA network)                |
#     eth0 192.0.2.1             eth0 192.0.2.2        eth0 192.0.2.N
#   +-----------+              +-----------+         +-----------+
#   | ${LAB}-r1 |  router 1    | ${LAB}-r2 |  ...    | ${LAB}-rN |
#   +-----------+  (hub)       +-----------+         +-----------+
#     eth1 10.1.1.1/24           eth1 10.1.2.1/24      eth1 10.1.N.1/24
#          |                          |                     |
#     eth0 10.1.1.2/24           eth0 10.1.2.2/24      eth0 10.1.N.2/24
#   +-----------+              +-----------+         +-----------+
#   | ${LAB}-h1 |  LAN host    | ${LAB}-h2 |         | ${LAB}-hN |
#   +-----------+              +-----------+         +-----------+
#
# The overlay (tun0, 10.0.0.i/24) is the business of whoever runs on top.
# Every namespace, process and temporary file is removed on any exit.

LAB=""
LAB_DIR=""
LAB_SITES=0

lab_ns_ul() { echo "${LAB}-ul"; }
lab_ns_router() { echo "${LAB}-r$1"; }
lab_ns_host() { echo "${LAB}-h$1"; }
lab_nbma() { echo "192.0.2.$1"; }
lab_overlay() { echo "10.0.0.$1"; }
lab_lan_router() { echo "10.1.$1.1"; }
lab_lan_host() { echo "10.1.$1.2"; }
lab_lan_prefix() { echo "10.1.$1.0/24"; }

lab_log() { printf '[lab %s] %s\n' "$(date +%T)" "$*" >&2; }

# Run in a router / host namespace.
lab_r() { local i=$1; shift; ip netns exec "$(lab_ns_router "$i")" "$@"; }
lab_h() { local i=$1; shift; ip netns exec "$(lab_ns_host "$i")" "$@"; }

lab_init() {
	LAB=$1
	LAB_DIR=$(mktemp -d "/tmp/${LAB}.XXXXXX")
	touch "$LAB_DIR/pids"
	trap 'lab_destroy' EXIT
	trap 'exit 130' INT TERM HUP
}

lab_create() {
	local n=$1 i ul
	LAB_SITES=$n
	ul=$(lab_ns_ul)
	ip netns add "$ul"
	ip -n "$ul" link add br0 type bridge
	ip -n "$ul" link set br0 up
	ip -n "$ul" link set lo up
	# The underlay is a plain switch: bridged frames skip iptables (where
	# br_netfilter is present, its sysctls are per namespace).
	for t in iptables ip6tables arptables; do
		ip netns exec "$ul" sysctl -qw "net.bridge.bridge-nf-call-$t=0" 2>/dev/null || true
	done
	for ((i = 1; i <= n; i++)); do
		local r h
		r=$(lab_ns_router "$i")
		h=$(lab_ns_host "$i")
		ip netns add "$r"
		ip netns add "$h"
		# Underlay: router eth0 <-> bridge port u$i.
		ip link add "${LAB}u$i" type veth peer name "${LAB}e$i"
		ip link set "${LAB}u$i" netns "$ul"
		ip link set "${LAB}e$i" netns "$r"
		ip -n "$ul" link set "${LAB}u$i" name "u$i"
		ip -n "$ul" link set "u$i" master br0 up
		ip -n "$r" link set "${LAB}e$i" name eth0
		ip -n "$r" addr add "$(lab_nbma "$i")/24" dev eth0
		ip -n "$r" link set eth0 up
		ip -n "$r" link set lo up
		# LAN: router eth1 <-> host eth0.
		ip link add "${LAB}l$i" type veth peer name "${LAB}m$i"
		ip link set "${LAB}l$i" netns "$r"
		ip link set "${LAB}m$i" netns "$h"
		ip -n "$r" link set "${LAB}l$i" name eth1
		ip -n "$h" link set "${LAB}m$i" name eth0
		ip -n "$r" addr add "$(lab_lan_router "$i")/24" dev eth1
		ip -n "$h" addr add "$(lab_lan_host "$i")/24" dev eth0
		ip -n "$r" link set eth1 up
		ip -n "$h" link set eth0 up
		ip -n "$h" link set lo up
		ip -n "$h" route add default via "$(lab_lan_router "$i")"
		ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
	done
	lab_log "created $n sites under prefix $LAB"
}

# lab_spawn SITE NAME CMD...: start CMD in router SITE's namespace in the
# background, logging to $LAB_DIR/NAME.log; its pid is remembered for cleanup
# and left in LAB_PID.
lab_spawn() {
	local i=$1 name=$2
	shift 2
	ip netns exec "$(lab_ns_router "$i")" "$@" >"$LAB_DIR/$name.log" 2>&1 &
	LAB_PID=$!
	echo "$LAB_PID" >>"$LAB_DIR/pids"
}

# lab_wait SECONDS CMD...: poll CMD every 50 ms until it succeeds; fail
# (status 1) once the deadline passes. Never a bare sleep.
lab_wait() {
	local secs=$1 end
	shift
	end=$(($(date +%s%N) + secs * 1000000000))
	while ! "$@" >/dev/null 2>&1; do
		if (($(date +%s%N) > end)); then
			lab_log "timed out after ${secs}s waiting for: $*"
			return 1
		fi
		sleep 0.05
	done
}

lab_proc_gone() { ! kill -0 "$1" 2>/dev/null; }

# Stop a spawned process gracefully, then for certain.
lab_stop() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	lab_wait 5 lab_proc_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}

lab_destroy() {
	local rc=$? pid ns
	[ -n "$LAB" ] || return "$rc"
	trap - EXIT
	if [ -f "$LAB_DIR/pids" ]; then
		while read -r pid; do
			lab_stop "$pid"
		done <"$LAB_DIR/pids"
	fi
	# Anything else still running inside our namespaces (tshark, ping...).
	for ns in $(ip netns list | awk '{print $1}' | grep "^${LAB}-" || true); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null || true
		done
		ip netns del "$ns" 2>/dev/null || true
	done
	if [ -n "${LAB_KEEP_LOGS:-}" ] || [ "$rc" -ne 0 ]; then
		[ "$rc" -ne 0 ] && for f in "$LAB_DIR"/*.log; do
			[ -s "$f" ] || continue
			echo "---- $f (last 20 lines)" >&2
			tail -n 20 "$f" >&2
		done
	fi
	rm -rf "$LAB_DIR"
	LAB=""
	return "$rc"
}
