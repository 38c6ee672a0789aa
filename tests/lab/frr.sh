# shellcheck shell=bash
# FRRouting (Debian's frr 8.4: zebra + bgpd) in the lab's router namespaces.
# Source after lab.sh and tests/integration/common.sh, then:
#
#   frr_start SITE [ZEBRA_EXTRA_CONF]   zebra in router SITE's namespace
#   frr_bgpd SITE CONFIG_TEXT           bgpd for that site, on its zebra
#   frr_vtysh SITE CMD...               one vtysh -c per CMD, on that site
#   frr_zserv SITE                      path of the site's zserv.api socket
#   frr_stop SITE...                    stop bgpd and zebra of these sites
#   frr_restart_zebra SITE [zebra-only] zebra (and bgpd: see there)
#   frr_bgp_hub_conf / frr_bgp_spoke_conf SITE [redistribute-nhrp]
#
# Everything of a site lives in $LAB_DIR/frr-rSITE: configs, pid files,
# zserv.api, the vty sockets (zebra.vty, bgpd.vty), logs (also linked as
# $LAB_DIR/zebra-rSITE.log and bgpd-rSITE.log, so that a failing test's
# teardown shows their tails), vtysh's history.
#
# Nothing of the host's FRR is touched: every path the daemons use is given
# on the command line (-f -i -z --vty_socket --log, -P 0: no TCP vty), and
# each daemon runs in a private mount namespace (ip netns exec makes one)
# where /run and /var/tmp are the site's own directories: FRR 8.4 still
# mkdirs /var/run/frr and keeps a crash-log directory /var/tmp/frr/NAME.PID
# whatever the options. vtysh gets --config_dir and -H (it appends every -c
# to ~/.history_frr otherwise).
#
# The daemons run in the foreground as children of the test's shell, started
# with lab_spawn: lab_destroy stops them (SIGTERM, then SIGKILL) on any exit.
# (Not -d, see _frr_daemon.) Each one's pid file is still written.

FRR_SBIN=${FRR_SBIN:-/usr/lib/frr}
FRR_VTYSH=${FRR_VTYSH:-vtysh}
declare -gA FRR_PID # "SITE:DAEMON" -> pid

frr_dir() { echo "$LAB_DIR/frr-r$1"; }
frr_zserv() { echo "$(frr_dir "$1")/zserv.api"; }

frr_log() { lab_log "frr: $*"; }

# frr_vtysh SITE CMD...: every CMD is one -c.
frr_vtysh() {
	local i=$1 d c args=()
	shift
	d=$(frr_dir "$i")
	for c in "$@"; do args+=(-c "$c"); done
	"$FRR_VTYSH" --vty_socket "$d" --config_dir "$d" -H "$d/vtysh.history" "${args[@]}"
}

# _frr_pid_forget PID: no longer ours to kill at teardown (pids get reused).
_frr_pid_forget() {
	local f=$LAB_DIR/pids
	[ -f "$f" ] || return 0
	grep -vx "$1" "$f" >"$f.new" || true
	mv "$f.new" "$f"
}

# _frr_daemon SITE DAEMON ARGS...: start an FRR daemon in router SITE's
# namespace, in the foreground as a child of this shell (lab_spawn: in
# $LAB_DIR/pids, stopped by lab_destroy). Not -d: a daemonized process
# belongs to PID 1, which here reaps it ~2 s after it exits, and every
# "is it gone" wait (lab_stop's too) would pay that per daemon; bash reaps
# its own children at once. The caller waits until the daemon answers.
_frr_daemon() {
	local i=$1 name=$2 d
	shift 2
	d=$(frr_dir "$i")
	mkdir -p "$d/run" "$d/vartmp"
	rm -f "$d/$name.pid"
	ln -sf "frr-r$i/$name.log" "$LAB_DIR/$name-r$i.log"
	# ip netns exec has unshared the mount namespace (made it a slave of
	# the host's): these bind mounts stay private to the daemon. Both
	# execs keep the pid lab_spawn knows.
	# shellcheck disable=SC2016
	lab_spawn "$i" "frr-r$i/$name.stdout" sh -c '
		d=$1 bin=$2
		shift 2
		mount --bind "$d/run" /run && mount --bind "$d/vartmp" /var/tmp && exec "$bin" "$@"' \
		sh "$d" "$FRR_SBIN/$name" -u root -g frrvty -P 0 \
		-i "$d/$name.pid" --vty_socket "$d" --log "file:$d/$name.log" "$@"
	FRR_PID[$i:$name]=$LAB_PID
}

_frr_up_or_dead() { ! kill -0 "${FRR_PID[$1:$2]}" 2>/dev/null || "_frr_$2_up" "$1"; }

# _frr_wait_up SITE DAEMON: until it answers vtysh (10 s); fails at once
# if it exits.
_frr_wait_up() {
	local i=$1 name=$2 d
	d=$(frr_dir "$i")
	lab_wait 10 _frr_up_or_dead "$i" "$name" || true
	if ! kill -0 "${FRR_PID[$i:$name]}" 2>/dev/null; then
		frr_log "$name on router $i exited at start: $(tail -n 5 "$d/$name.stdout.log" "$d/$name.log" 2>/dev/null)"
		wait "${FRR_PID[$i:$name]}" 2>/dev/null || true
		_frr_pid_forget "${FRR_PID[$i:$name]}"
		unset "FRR_PID[$i:$name]"
		return 1
	fi
	"_frr_${name}_up" "$i" || { frr_log "$name on router $i does not answer vtysh"; return 1; }
}

# _frr_conf_ok SITE DAEMON FROM: the daemon's log since byte FROM has no
# complaint about its config (FRR logs a bad line and carries on). The
# config is read by the first event of the daemon's main loop, so once the
# daemon answers vtysh, the complaints are in the log.
_frr_conf_ok() {
	local i=$1 name=$2 from=$3 d bad
	d=$(frr_dir "$i")
	bad=$(tail -c +"$((from + 1))" "$d/$name.log" | grep 'config line' || true)
	[ -z "$bad" ] && return 0
	frr_log "$name on router $i: bad configuration $d/$name.conf: $bad
$(cat -n "$d/$name.conf")"
	return 1
}

_frr_log_size() { stat -c %s "$(frr_dir "$1")/$2.log" 2>/dev/null || echo 0; }

_frr_zebra_up() {
	frr_vtysh "$1" 'show zebra client summary' 2>&1 | grep -q '^Name'
}

_frr_zebra_run() {
	local i=$1 d from
	d=$(frr_dir "$i")
	from=$(_frr_log_size "$i" zebra)
	_frr_daemon "$i" zebra -f "$d/zebra.conf" -z "$d/zserv.api"
	_frr_wait_up "$i" zebra || return 1
	_frr_conf_ok "$i" zebra "$from"
}

# frr_start SITE [ZEBRA_EXTRA_CONF]: zebra in router SITE's namespace.
frr_start() {
	local i=$1 extra=${2:-} d
	d=$(frr_dir "$i")
	[ -z "${FRR_PID[$i:zebra]:-}" ] || { frr_log "frr_start $i: zebra already runs"; return 1; }
	mkdir -p "$d"
	# vtysh --config_dir reads this one, not /etc/frr's (missing: a warning).
	: >"$d/vtysh.conf"
	{
		echo "hostname r$i"
		echo "log timestamp precision 3"
		[ -z "$extra" ] || printf '%s\n' "$extra"
	} >"$d/zebra.conf"
	_frr_zebra_run "$i"
}

_frr_bgpd_up() {
	frr_vtysh "$1" 'show bgp summary json' 2>/dev/null | jq -e 'type == "object"' >/dev/null
}

_frr_bgpd_run() {
	local i=$1 d from
	d=$(frr_dir "$i")
	from=$(_frr_log_size "$i" bgpd)
	_frr_daemon "$i" bgpd -f "$d/bgpd.conf" -z "$d/zserv.api"
	_frr_wait_up "$i" bgpd || return 1
	_frr_conf_ok "$i" bgpd "$from"
}

# frr_bgpd SITE CONFIG_TEXT: bgpd on the site's zebra.
frr_bgpd() {
	local i=$1 conf=$2 d
	d=$(frr_dir "$i")
	[ -n "${FRR_PID[$i:zebra]:-}" ] || { frr_log "frr_bgpd $i: no zebra (frr_start $i first)"; return 1; }
	[ -z "${FRR_PID[$i:bgpd]:-}" ] || { frr_log "frr_bgpd $i: bgpd already runs"; return 1; }
	{
		echo "hostname r$i"
		echo "log timestamp precision 3"
		printf '%s\n' "$conf"
	} >"$d/bgpd.conf"
	_frr_bgpd_run "$i"
}

# _frr_alive PID NAME: PID is that daemon and running (a zombie has exited:
# its sockets are closed, its routes gone; a pid of another name is a
# recycled one, not ours to signal).
_frr_alive() {
	local stat
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ] || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

_frr_gone() { ! _frr_alive "$1" "$2"; }

# _frr_signal SITE DAEMON: SIGTERM it; fails if it was already dead.
_frr_signal() {
	local pid=${FRR_PID[$1:$2]:-}
	[ -n "$pid" ] || return 0
	_frr_alive "$pid" "$2" && kill -TERM "$pid" 2>/dev/null && return 0
	frr_log "$2 on router $1 (pid $pid) had died: $(tail -n 5 "$(frr_dir "$1")/$2.log")"
	return 1
}

# _frr_reap SITE DAEMON: wait for it to go (SIGKILL after 10 s; that fails).
_frr_reap() {
	local i=$1 name=$2 pid=${FRR_PID[$1:$2]:-} rc=0
	[ -n "$pid" ] || return 0
	if ! lab_wait 10 _frr_gone "$pid" "$name"; then
		frr_log "$name on router $i ignored SIGTERM: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
		lab_wait 5 _frr_gone "$pid" "$name" || true
		rc=1
	fi
	local st=0
	wait "$pid" 2>/dev/null || st=$?
	# 127: not (or no longer) a child of this shell, status unknown.
	if [ "$rc" = 0 ] && [ "$st" != 0 ] && [ "$st" != 127 ]; then
		frr_log "$name on router $i exited with status $st"
		rc=1
	fi
	_frr_pid_forget "$pid"
	unset "FRR_PID[$i:$name]"
	if grep -qE 'Received signal|Backtrace|SEGV|assert' "$(frr_dir "$i")/$name.log"; then
		frr_log "$name on router $i crashed: $(tail -n 20 "$(frr_dir "$i")/$name.log")"
		rc=1
	fi
	return "$rc"
}

# frr_stop SITE...: bgpd and zebra of each site, all at once (each exits
# within ~70 ms of SIGTERM, zebra after removing its kernel routes); fails
# if one had died before, crashed, exited non-zero or needed SIGKILL.
frr_stop() {
	local i n rc=0
	for i in "$@"; do
		for n in bgpd zebra; do _frr_signal "$i" "$n" || rc=1; done
	done
	for i in "$@"; do
		for n in bgpd zebra; do _frr_reap "$i" "$n" || rc=1; done
	done
	return "$rc"
}

# frr_restart_zebra SITE [zebra-only]: restart zebra (same paths and
# config: clients such as nhrpd must reconnect to the same zserv.api).
# FRR 8.4's bgpd does reconnect to a new zebra, but only after its 10 s
# zclient retry, and then never installs its routes again (bgp_zebra_connected
# does not re-send routes nor nexthop registrations); FRR's own watchfrr
# restarts every daemon when zebra restarts. So does this, for bgpd, unless
# told zebra-only.
frr_restart_zebra() {
	local i=$1 opt=${2:-} rc=0 bgpd=0
	case "$opt" in "" | zebra-only) ;; *)
		frr_log "frr_restart_zebra: unknown option '$opt'"
		return 1
		;;
	esac
	[ -n "${FRR_PID[$i:bgpd]:-}" ] && [ "$opt" != zebra-only ] && bgpd=1
	if [ "$bgpd" = 1 ]; then
		_frr_signal "$i" bgpd || rc=1
		_frr_reap "$i" bgpd || rc=1
	fi
	_frr_signal "$i" zebra || rc=1
	_frr_reap "$i" zebra || rc=1
	_frr_zebra_run "$i" || return 1
	if [ "$bgpd" = 1 ]; then _frr_bgpd_run "$i" || return 1; fi
	return "$rc"
}

# frr_procs: pids of FRR daemons of this lab still running: in its
# namespaces, or using its directory.
frr_procs() {
	local ns pid
	{
		for ns in $(ip netns list | awk '{print $1}' | grep "^${LAB}-" || true); do
			for pid in $(ip netns pids "$ns" 2>/dev/null); do
				case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
				zebra | bgpd | staticd) echo "$pid" ;;
				esac
			done
		done
		pgrep -f "^$FRR_SBIN/[a-z]+ .*$LAB_DIR/" || true
	} | sort -u
}

# ---- BGP over the overlay (AS 65000, iBGP, the hub reflects) ----

# Fast timers so that tests converge in seconds: keepalive 1 s, hold 3 s,
# connect retry 1 s, no advertisement interval.

# frr_bgp_hub_conf: the hub (site 1, 10.0.0.1) accepts any spoke of the
# overlay, advertises its LAN and the summary 10.1.0.0/16 only: the spokes
# learn no LAN of each other, so spoke-to-spoke traffic starts through the
# hub (DMVPN phase 3).
frr_bgp_hub_conf() {
	cat <<EOF
router bgp 65000
 bgp router-id $(lab_overlay 1)
 bgp log-neighbor-changes
 timers bgp 1 3
 neighbor SPOKES peer-group
 neighbor SPOKES remote-as 65000
 neighbor SPOKES timers 1 3
 neighbor SPOKES advertisement-interval 0
 bgp listen range 10.0.0.0/24 peer-group SPOKES
 !
 address-family ipv4 unicast
  network $(lab_lan_prefix 1)
  aggregate-address 10.1.0.0/16 summary-only
  neighbor SPOKES activate
  neighbor SPOKES route-reflector-client
 exit-address-family
EOF
}

# frr_bgp_spoke_conf SITE [redistribute-nhrp]: a spoke peering with the hub,
# advertising its LAN; with redistribute-nhrp, NHRP's routes (shortcuts
# nhrpd gives to zebra) go to BGP too.
frr_bgp_spoke_conf() {
	local i=$1 opt=${2:-} hub
	hub=$(lab_overlay 1)
	case "$opt" in "" | redistribute-nhrp) ;; *)
		frr_log "frr_bgp_spoke_conf: unknown option '$opt'"
		return 1
		;;
	esac
	cat <<EOF
router bgp 65000
 bgp router-id $(lab_overlay "$i")
 bgp log-neighbor-changes
 timers bgp 1 3
 neighbor $hub remote-as 65000
 neighbor $hub timers 1 3
 neighbor $hub timers connect 1
 neighbor $hub advertisement-interval 0
 !
 address-family ipv4 unicast
  network $(lab_lan_prefix "$i")
EOF
	[ "$opt" = redistribute-nhrp ] && echo "  redistribute nhrp"
	echo " exit-address-family"
}
