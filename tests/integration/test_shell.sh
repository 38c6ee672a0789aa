#!/usr/bin/env bash
# dmvpnsh, the router's shell, over mgred + nhrpd + iked reading ONE config
# file per router, with FRR's zebra on the hub:
#
#        hub r1 "hub1"  10.0.0.1 / NBMA 192.0.2.1   (zebra)
#                 |
#        spoke r2 "spoke2" 10.0.0.2 / NBMA 192.0.2.2
#
# - -c: every show command's JSON (jq), a bad command fails with a message
# - a real terminal (tmux): `?`, TAB, an abbreviation, history, and
#   configure terminal / interface tun0 / ip nhrp holdtime 300 / end on
#   the hub: the next Registration Reply carries 300 (tshark)
# - a refused line changes nothing; a malformed file is refused with
#   file:line by every daemon (-n)
# - write memory (atomic, backup, mode kept), every daemon restarted:
#   show running-config identical; no secret ever shown
# - show ip route through FRR's vtysh
# - a user outside the control group is refused with a clear message
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/../lab/frr.sh"
need_root
lab_init dmib
TM=dmib-$$
# The terminal session goes with the lab, whatever the exit.
trap 'rc=$?; set +e; tmux -L "$TM" kill-server 2>/dev/null; (exit $rc); lab_destroy' EXIT
lab_create 2

SH=${SH:-$REPO/build/asan/dmvpnsh}
IKED=${IKED:-$REPO/build/asan/iked}
GROUP=daemon
declare -A DPID
ctl_dir() { echo "$LAB_DIR/ctl-r$1"; }
conf() { echo "$LAB_DIR/r$1.conf"; }
vtysh_cmd() { echo "vtysh --vty_socket $(frr_dir "$1") --config_dir $(frr_dir "$1")"; }
# dsh SITE ARGS...: dmvpnsh for that router
dsh() {
	local i=$1
	shift
	"$SH" -d "$(ctl_dir "$i")" -f "$(conf "$i")" -V "$(vtysh_cmd "$i")" "$@"
}
# djq SITE JQ COMMAND: the command's JSON satisfies JQ
djq() { dsh "$1" -c "$3" | jq -e "$2" >/dev/null; }
dexpect() {
	lab_wait "${4:-10}" djq "$1" "$2" "$3" || fail "r$1 '$3': expected $2; got $(dsh "$1" -c "$3" 2>&1)"
}

# site_conf SITE HOSTNAME AUTH_LINE [ip nhrp lines...]
site_conf() {
	local i=$1 name=$2 auth=$3
	shift 3
	printf 'dmvpn-psk-%s\n' "lab" >"$LAB_DIR/psk-r$i"
	chmod 600 "$LAB_DIR/psk-r$i"
	{
		echo "! router $i"
		echo "hostname $name"
		echo "!"
		echo "interface tun0"
		echo " description DMVPN r$i"
		echo " tunnel mode gre multipoint"
		echo " tunnel source eth0"
		echo " tunnel key 42"
		echo " tunnel dataplane userspace"
		echo " ip address $(lab_overlay "$i")/24"
		echo " ip nhrp network-id 1"
		echo " $auth"
		for l in "$@"; do echo " $l"; done
		echo "!"
		echo "crypto ikev2 profile DMVPN"
		echo " authentication pre-shared-key file $LAB_DIR/psk-r$i"
		echo " proposal aes256gcm16-prfsha384-x25519"
		echo " esp-proposal aes256gcm16"
		echo " match identity remote address"
		echo "!"
	} >"$(conf "$i")"
	chmod 640 "$(conf "$i")"
}

# start_all SITE: mgred, nhrpd, iked on the same file, sockets for GROUP
start_all() {
	local i=$1 d
	d=$(ctl_dir "$i")
	mkdir -p "$d"
	lab_spawn "$i" "mgred-r$i" "$MGRED" -f "$(conf "$i")" -s "$d/mgred.sock" -g "$GROUP"
	DPID[$i:mgred]=$LAB_PID
	lab_wait 10 "$CTL" -s "$d/mgred.sock" show version || fail "mgred r$i: $(cat "$LAB_DIR/mgred-r$i.log")"
	lab_spawn "$i" "nhrpd-r$i" "$NHRPD" -f "$(conf "$i")" -s "$d/nhrpd.sock" -g "$GROUP" -d nhrp
	DPID[$i:nhrpd]=$LAB_PID
	lab_spawn "$i" "iked-r$i" "$IKED" -f "$(conf "$i")" -s "$d/iked.sock" -g "$GROUP"
	DPID[$i:iked]=$LAB_PID
	lab_wait 10 "$CTL" -s "$d/nhrpd.sock" show version || fail "nhrpd r$i: $(cat "$LAB_DIR/nhrpd-r$i.log")"
	lab_wait 10 "$CTL" -s "$d/iked.sock" show version || fail "iked r$i: $(cat "$LAB_DIR/iked-r$i.log")"
}

stop_all() {
	local i=$1 n pid rc
	for n in iked nhrpd mgred; do
		pid=${DPID[$i:$n]}
		rc=0
		kill -TERM "$pid"
		lab_wait 10 lab_proc_gone "$pid" || fail "$n r$i ignored SIGTERM"
		wait "$pid" 2>/dev/null || rc=$?
		[ "$rc" = 0 ] || fail "$n r$i exited with $rc: $(tail -n 30 "$LAB_DIR/$n-r$i.log")"
		! grep -q Sanitizer "$LAB_DIR/$n-r$i.log" || fail "sanitizer report from $n r$i"
	done
}

printf 's3cret\n' >"$LAB_DIR/nhrp-auth-r2"
chmod 600 "$LAB_DIR/nhrp-auth-r2"
site_conf 1 hub1 "ip nhrp authentication s3cret" "ip nhrp holdtime 600" "ip nhrp map multicast dynamic"
site_conf 2 spoke2 "ip nhrp authentication file $LAB_DIR/nhrp-auth-r2" "ip nhrp holdtime 600" \
	"ip nhrp nhs 10.0.0.1 nbma 192.0.2.1 multicast" "ip nhrp registration timeout 2"

step "every daemon checks the shared file (-n); FRR's zebra on the hub"
for i in 1 2; do
	for bin in "$MGRED" "$NHRPD" "$IKED"; do
		lab_r "$i" "$bin" -n -f "$(conf "$i")" >"$LAB_DIR/check.out" 2>&1 ||
			fail "$(basename "$bin") -n refused r$i's config: $(cat "$LAB_DIR/check.out")"
	done
done
frr_start 1
start_all 1
start_all 2

step "-c: each show command's JSON (docs/json.md)"
dexpect 1 '.interfaces[0].type == "hub" and (.interfaces[0].peers | length) == 1' "show dmvpn json"
dexpect 2 '.interfaces[0].nhs[0].state == "up"' "show ip nhrp nhs json"
djq 1 '.interfaces[0].entries | map(select(.type == "dynamic")) | length == 1' "show ip nhrp json" ||
	fail "show ip nhrp json: $(dsh 1 -c 'show ip nhrp json')"
djq 1 '.interfaces[0].entries | length >= 1' "sh ip nhrp cache json" || fail "show ip nhrp cache json"
djq 1 '.interfaces[0].name == "tun0"' "show ip nhrp traffic json" || fail "show ip nhrp traffic json"
djq 1 '.interfaces | type == "array"' "show ip nhrp shortcut json" || fail "show ip nhrp shortcut json"
djq 1 '.interfaces[0].name == "tun0" and .interfaces[0].key == 42' "show interface tunnel tun0 json" ||
	fail "show interface tunnel json: $(dsh 1 -c 'show interface tunnel tun0 json')"
djq 1 '.lines | index(["interface tun0"]) != null' "show running-config json" ||
	fail "show running-config json: $(dsh 1 -c 'show running-config json')"
djq 1 '.nhrpd.version and .mgred.version and .iked.version' "show version json" || fail "show version json"
djq 1 '.mgred.log_level and (.nhrpd.debug | index(["nhrp"]) != null)' "show debugging json" ||
	fail "show debugging json: $(dsh 1 -c 'show debugging json')"
# An IKE SA spoke -> hub: show dmvpn detail puts it beside the NHRP peer.
dsh 2 -c "initiate DMVPN 192.0.2.2 192.0.2.1" >/dev/null || fail "initiate refused"
dexpect 2 '.sas | map(select(.state == "established")) | length == 1' "show crypto ikev2 sa json"
djq 2 '.sas | type == "array"' "show crypto ipsec sa json" || fail "show crypto ipsec sa json"
dexpect 2 '.ikev2.available and (.interfaces[0].peers[] | select(.nbma == "192.0.2.1") | .ike.state == "established")' \
	"show dmvpn detail json"
dsh 2 -c "show dmvpn detail" | grep -E '^ 192\.0\.2\.1 +10\.0\.0\.1 +up .*established #' >/dev/null ||
	fail "show dmvpn detail: $(dsh 2 -c 'show dmvpn detail')"

step "-c: an invalid command fails with a message; abbreviations resolve"
if dsh 1 -c "show dmvpn bogus" >"$LAB_DIR/out" 2>"$LAB_DIR/err"; then fail "an invalid command succeeded"; fi
grep -q "Invalid input at 'bogus'" "$LAB_DIR/err" || fail "no message: $(cat "$LAB_DIR/err")"
if dsh 1 -c "c" 2>"$LAB_DIR/err"; then fail "an ambiguous command succeeded"; fi
grep -q "Ambiguous command" "$LAB_DIR/err" || fail "no message: $(cat "$LAB_DIR/err")"
printf 'show version\nshow nothing\n' | dsh 1 >/dev/null 2>"$LAB_DIR/err" && fail "a script with a bad line exited 0"
grep -q "failed: show nothing" "$LAB_DIR/err" || fail "script error not reported: $(cat "$LAB_DIR/err")"

step "secrets are never shown"
dsh 1 -c "show running-config" >"$LAB_DIR/run1"
grep -qx " ip nhrp authentication <secret-hidden>" "$LAB_DIR/run1" || fail "inline secret not masked: $(cat "$LAB_DIR/run1")"
dsh 2 -c "show running-config" >"$LAB_DIR/run2"
grep -qx " ip nhrp authentication file $LAB_DIR/nhrp-auth-r2" "$LAB_DIR/run2" || fail "file form: $(cat "$LAB_DIR/run2")"
if grep -rq "s3cret\|dmvpn-psk" "$LAB_DIR/run1" "$LAB_DIR/run2"; then fail "a secret in show running-config"; fi
grep -qx "hostname hub1" "$LAB_DIR/run1" || fail "no hostname in $(cat "$LAB_DIR/run1")"
# The merged blocks: one interface tun0 with mgred's and nhrpd's lines.
[ "$(grep -c '^interface tun0$' "$LAB_DIR/run1")" = 1 ] || fail "interface tun0 twice: $(cat "$LAB_DIR/run1")"
[ "$(grep -c '^ tunnel source eth0$' "$LAB_DIR/run1")" = 1 ] || fail "tunnel source twice"
grep -qx " tunnel key 42" "$LAB_DIR/run1" && grep -qx " ip nhrp holdtime 600" "$LAB_DIR/run1" &&
	grep -qx " proposal aes256gcm16-prfsha384-x25519" "$LAB_DIR/run1" || fail "lines missing: $(cat "$LAB_DIR/run1")"

step "show running-config pasted back into configure terminal changes nothing"
dsh 2 -c "show running-config" >"$LAB_DIR/paste"
{ echo "configure terminal"; cat "$LAB_DIR/paste"; } | dsh 2 >"$LAB_DIR/paste.out" 2>&1 ||
	fail "pasting the running-config back failed: $(cat "$LAB_DIR/paste.out")"
dsh 2 -c "show running-config" | diff -u "$LAB_DIR/paste" - || fail "running-config changed by its own text"
grep -q '^%' "$LAB_DIR/paste.out" && fail "notices or errors on a paste of the same config: $(cat "$LAB_DIR/paste.out")"
djq 2 '.interfaces[0].nhs[0].state == "up"' "show ip nhrp nhs json" || fail "the spoke lost its NHS"

step "a terminal: ?, TAB, abbreviation, history, live holding time"
capture_start "$LAB_DIR/reg.pcap" "ip proto 47"
tmux -L "$TM" new-session -d -s sh -x 150 -y 50 \
	"$SH -d $(ctl_dir 1) -f $(conf 1) -V '$(vtysh_cmd 1)'; echo SHELL-EXITED \$?; sleep 60"
pane() { tmux -L "$TM" capture-pane -t sh -p -S -200; }
pane_has() { pane | grep -qE -- "$1"; }
# last_is RE: the line the cursor is on (the prompt and what is typed)
last_is() { pane | sed '/^$/d' | tail -n 1 | grep -qE -- "$1"; }
# keys KEY...: named keys (Enter, Tab, Up); text TEXT: literal characters
# (tmux would take "end" for the End key)
keys() { tmux -L "$TM" send-keys -t sh "$@"; }
text() { tmux -L "$TM" send-keys -t sh -l "$1"; }
lab_wait 10 last_is '^hub1# ?$' || fail "no hub1# prompt: $(pane)"
text '?'
lab_wait 5 pane_has '^  configure +Enter configuration mode' || fail "? at exec: $(pane)"
pane_has '^  show +Show running' && pane_has '^  write ' || fail "? misses commands: $(pane)"
text 'sh'
keys Tab
lab_wait 5 last_is '^hub1# show ?$' || fail "TAB did not complete show: $(pane)"
text 'dm'
keys Tab Enter
lab_wait 5 pane_has '^hub1# show dmvpn ?$' || fail "TAB did not complete dmvpn: $(pane)"
lab_wait 5 pane_has '192\.0\.2\.2 +10\.0\.0\.2' || fail "show dmvpn printed no peer: $(pane)"
text 'sh ip nh traf'
keys Enter
lab_wait 5 pane_has '^  registration-request +[0-9]+' || fail "abbreviation sh ip nh traf: $(pane)"
before=$(pane | grep -c '^hub1# sh ip nh traf' || true)
keys Up
lab_wait 5 last_is '^hub1# sh ip nh traf$' || fail "history Up: $(pane)"
keys Enter
lab_wait 5 test "$(pane | grep -c '^hub1# sh ip nh traf')" -gt "$before" || fail "history line not run: $(pane)"
text 'configure terminal'
keys Enter
lab_wait 5 last_is '^hub1\(config\)# ?$' || fail "no config prompt: $(pane)"
text 'interface tun0'
keys Enter
lab_wait 5 last_is '^hub1\(config-if\)# ?$' || fail "no config-if prompt: $(pane)"
text 'ip nhrp holdtime 300'
keys Enter
text 'end'
keys Enter
lab_wait 5 last_is '^hub1# ?$' || fail "end did not leave config mode: $(pane)"
! pane_has '^%' || fail "an error in the session: $(pane)"
# The next Registration Reply from the hub grants 300 s (spoke asks 600).
lab_wait 15 capture_seen "$LAB_DIR/reg.pcap" 'nhrp.hdr.op.type == 4 && ip.src == 192.0.2.1 && nhrp.htime == 300' ||
	fail "no Registration Reply with holding time 300: $(tshark -r "$LAB_DIR/reg.pcap" -Y 'nhrp.hdr.op.type == 4' -T fields -e nhrp.htime 2>/dev/null | sort | uniq -c)"
capture_stop
dsh 1 -c "show running-config" | grep -qx " ip nhrp holdtime 300" || fail "running-config lacks holdtime 300"
# The pager, and its off switch.
text 'terminal length 6'
keys Enter
text 'show running-config'
keys Enter
lab_wait 5 last_is '--More--' || fail "no pager prompt: $(pane)"
keys q
lab_wait 5 last_is '^hub1# ?$' || fail "q did not end the page: $(pane)"
text 'terminal length 0'
keys Enter
text 'show running-config'
keys Enter
lab_wait 5 last_is '^hub1# ?$' || fail "no prompt after the full config: $(pane)"
[ "$(pane | sed '/^$/d' | tail -n 2 | head -n 1)" = "end" ] || fail "terminal length 0 still pages: $(pane)"
text 'exit'
keys Enter
lab_wait 5 pane_has '^SHELL-EXITED 0' || fail "exit: $(pane)"

step "a refused line changes nothing; a malformed file is refused with file:line"
dsh 1 -c "show running-config" >"$LAB_DIR/before"
if dsh 1 -c "configure terminal" -c "interface tun0" -c "ip nhrp holdtime 0" 2>"$LAB_DIR/err"; then
	fail "holdtime 0 accepted"
fi
if dsh 1 -c "configure terminal" -c "interface tun0" -c "ip nhrp map 10.0.0.9 192.0.2.9" -c "ip nhrp map 10.0.0.9 192.0.2.10" 2>"$LAB_DIR/err"; then
	fail "a second map for 10.0.0.9 accepted"
fi
grep -q "10.0.0.9" "$LAB_DIR/err" || fail "duplicate map refusal says: $(cat "$LAB_DIR/err")"
dsh 1 -c "configure terminal" -c "interface tun0" -c "no ip nhrp map 10.0.0.9" >/dev/null ||
	fail "no ip nhrp map refused"
dsh 1 -c "show running-config" >"$LAB_DIR/after"
diff -u "$LAB_DIR/before" "$LAB_DIR/after" || fail "running-config changed by refused lines"
cp "$(conf 1)" "$LAB_DIR/bad.conf"
printf 'interface tun0\n ip nhrp holdtime 70000\n!\n' >>"$LAB_DIR/bad.conf"
bad_line=$(($(wc -l <"$LAB_DIR/bad.conf") - 1))
for bin in "$NHRPD" "$MGRED" "$IKED"; do
	if lab_r 1 "$bin" -n -f "$LAB_DIR/bad.conf" >"$LAB_DIR/check.out" 2>&1; then
		fail "$(basename "$bin") -n accepted a bad file"
	fi
	grep -q "$LAB_DIR/bad.conf:$bad_line:" "$LAB_DIR/check.out" ||
		fail "$(basename "$bin") -n: no file:line: $(cat "$LAB_DIR/check.out")"
done
djq 1 '.interfaces[0].peers | length == 1' "show dmvpn json" || fail "the hub lost its spoke"

step "write memory: atomic, backup kept, mode kept; restart all: same running-config"
cp "$(conf 1)" "$LAB_DIR/original.conf"
dsh 1 -c "write memory" | grep -q '\[OK\]' || fail "write memory failed"
cmp -s "$LAB_DIR/original.conf" "$(conf 1).bak" || fail "no backup of the previous file"
[ "$(stat -c %a "$(conf 1)")" = 640 ] || fail "mode not kept: $(stat -c %a "$(conf 1)")"
grep -qx " ip nhrp holdtime 300" "$(conf 1)" || fail "saved file lacks the live change"
grep -qx " ip nhrp authentication s3cret" "$(conf 1)" || fail "saved file lost the NHRP secret"
ls "$(dirname "$(conf 1)")" | grep -q '\.tmp\.' && fail "a temporary file was left"
dsh 1 -c "show running-config" >"$LAB_DIR/run-before"
stop_all 1
start_all 1
dsh 1 -c "show running-config" >"$LAB_DIR/run-after"
diff -u "$LAB_DIR/run-before" "$LAB_DIR/run-after" || fail "running-config differs after the restart"
dexpect 1 '(.interfaces[0].peers | length) == 1' "show dmvpn json" 15
dsh 1 -c "copy running-config startup-config" | grep -q '\[OK\]' || fail "copy running-config startup-config"
dsh 1 -c "show startup-config" >"$LAB_DIR/startup"
grep -qx " ip nhrp authentication <secret-hidden>" "$LAB_DIR/startup" && ! grep -q s3cret "$LAB_DIR/startup" ||
	fail "show startup-config shows the secret: $(cat "$LAB_DIR/startup")"
djq 1 '(.lines | index([" ip nhrp holdtime 300"]) != null) and (.path | endswith("r1.conf"))' \
	"show startup-config json" || fail "show startup-config json"

step "FRR in the same shell: show ip route through vtysh"
lab_wait 10 sh -c "$(printf '%q ' "$SH" -d "$(ctl_dir 1)" -V "$(vtysh_cmd 1)" -c "show ip route") | grep -q 'C>\* 10.0.0.0/24 is directly connected, tun0'" ||
	fail "show ip route: $(dsh 1 -c 'show ip route' 2>&1)"

step "access: outside the control group refused, inside allowed"
chmod o+x "$LAB_DIR" "$(ctl_dir 1)"
[ "$(stat -c '%a %G' "$(ctl_dir 1)/nhrpd.sock")" = "660 $GROUP" ] ||
	fail "socket mode/group: $(stat -c '%a %G' "$(ctl_dir 1)/nhrpd.sock")"
if setpriv --reuid nobody --regid nogroup --clear-groups "$SH" -d "$(ctl_dir 1)" -c "show dmvpn" \
	>/dev/null 2>"$LAB_DIR/err"; then
	fail "a user outside $GROUP was let in"
fi
grep -q "Permission denied.*control group" "$LAB_DIR/err" || fail "refusal message: $(cat "$LAB_DIR/err")"
setpriv --reuid nobody --regid nogroup --groups "$(getent group "$GROUP" | cut -d: -f3)" \
	"$SH" -d "$(ctl_dir 1)" -c "show dmvpn json" | jq -e '.interfaces[0].name == "tun0"' >/dev/null ||
	fail "a member of $GROUP was refused"
# ... and a member still gets no secrets (root only).
if setpriv --reuid nobody --regid nogroup --groups "$(getent group "$GROUP" | cut -d: -f3)" \
	"$SH" -d "$(ctl_dir 1)" -f "$LAB_DIR/nobody.conf" -c "write memory" >/dev/null 2>&1; then
	fail "write memory with secrets as non-root"
fi

stop_all 2
stop_all 1
frr_stop 1
echo "ok"
