#!/usr/bin/env bash
# Two ikeds, where a CHILD_SA can be completed (charon cannot here):
#
#   router 1: iked (192.0.2.1) <== IKEv2 ==> router 2: iked (192.0.2.2)
#
#   - DH group negotiation: router 1 prefers x25519, router 2 ecp256; the
#     responder's INVALID_KE_PAYLOAD makes the initiator retry (RFC 7296
#     1.2), and the SA ends up in router 2's preferred group;
#   - the CHILD_SA is the same on both ends: SPIs crossed, keys equal
#     direction by direction (from the key logs);
#   - CHILD_SA rekey with PFS (CREATE_CHILD_SA with REKEY_SA and KE): new
#     SPIs and keys on both ends, consistent again;
#   - a wrong PSK: AUTHENTICATION_FAILED, nothing established, counted;
#   - router 2 restarts and initiates with INITIAL_CONTACT: router 1 drops
#     the old SA and keeps only the new one;
#   - live configuration through the control socket: a proposal changed
#     on both ends is what the next SA negotiates while the SA already up
#     keeps its algorithms; a removed profile leaves its SA running;
#     SIGHUP reads the file again.
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
need_root
lab_init dmia
lab_create 2

IKED=${IKED:-$REPO/build/asan/iked}
declare -A IPID
isock() { echo "$LAB_DIR/iked-r$1.sock"; }
ijson() { "$CTL" -s "$(isock "$1")" show crypto ikev2 sa json; }
itrue() { ijson "$1" | jq -e "$2" >/dev/null 2>&1; }
iexpect() { lab_wait "${3:-5}" itrue "$1" "$2" || fail "iked $1: expected $2; got $(ijson "$1")"; }

# iked_conf SITE PSK PROPOSAL...: a profile for the other router.
iked_conf() {
	local i=$1 key=$2 f
	shift 2
	f=$LAB_DIR/psk-r$i
	printf '%s\n' "$key" >"$f"
	chmod 600 "$f"
	{
		echo "crypto ikev2 profile DMVPN"
		echo " authentication pre-shared-key file $f"
		for p in "$@"; do echo " proposal $p"; done
		echo " esp-proposal aes256gcm16"
		echo " match identity remote address"
		echo "!"
	} >"$LAB_DIR/iked-r$i.conf"
}
iked_up() {
	local i=$1
	: >"$LAB_DIR/keys-r$i"
	lab_spawn "$i" "iked-r$i" "$IKED" -f "$LAB_DIR/iked-r$i.conf" -s "$(isock "$i")" -d ike \
		-K "$LAB_DIR/keys-r$i"
	IPID[$i]=$LAB_PID
	lab_wait 10 "$CTL" -s "$(isock "$i")" show version || fail "iked $i did not start"
}
iked_down() {
	local i=$1 rc=0
	kill -TERM "${IPID[$i]}"
	lab_wait 10 lab_proc_gone "${IPID[$i]}" || fail "iked $i ignored SIGTERM"
	wait "${IPID[$i]}" || rc=$?
	[ "$rc" = 0 ] || fail "iked $i exited with $rc: $(tail "$LAB_DIR/iked-r$i.log")"
	if grep -q Sanitizer "$LAB_DIR/iked-r$i.log"; then fail "sanitizer report from iked $i"; fi
}

step "DH group negotiation through INVALID_KE_PAYLOAD; up events for nhrpd"
iked_conf 1 secret-psk aes256gcm16-prfsha384-x25519 aes128-sha256-ecp256
iked_conf 2 secret-psk aes128-sha256-ecp256 aes256gcm16-prfsha384-x25519
iked_up 1
iked_up 2
# The commands every daemon shares (lib/ctl_cmd.c).
"$CTL" -s "$(isock 1)" log level info >/dev/null || fail "log level refused"
"$CTL" -s "$(isock 1)" show debugging | grep -qx "log level info" || fail "show debugging: $("$CTL" -s "$(isock 1)" show debugging)"
"$CTL" -s "$(isock 1)" show debugging | grep -qx "debug ike" || fail "show debugging lacks debug ike"
if "$CTL" -s "$(isock 1)" log level loud >/dev/null 2>&1; then fail "log level accepted a bad level"; fi
# A subscriber, as nhrpd will be: it must hear the SA come up.
"$CTL" -s "$(isock 1)" -e 30 >"$LAB_DIR/events-r1" &
EVPID=$!
echo "$EVPID" >>"$LAB_DIR/pids"
lab_wait 5 grep -q "^subscribed$" "$LAB_DIR/events-r1" || fail "could not subscribe to iked's events"
capture_start "$LAB_DIR/ike.pcap" "udp port 500"
"$CTL" -s "$(isock 1)" initiate DMVPN 192.0.2.1 192.0.2.2 >/dev/null
iexpect 1 '.sas[0].state == "established" and .sas[0].dh == "ECP_256" and .sas[0].child.state == "installed"'
iexpect 2 '.sas[0].state == "established" and .sas[0].role == "responder" and .sas[0].dh == "ECP_256"'
capture_stop "isakmp.exchangetype == 35 && isakmp.flag_r == 1"
[ "$(tshark -r "$LAB_DIR/ike.pcap" -Y 'isakmp.notify.msgtype == 17' -T fields -e isakmp.notify.data.accepted_dh_group 2>/dev/null | head -1)" = 19 ] ||
	fail "no INVALID_KE_PAYLOAD naming group 19 on the wire"

child_ok() {
	local a b
	a=$(ijson 1 | jq -c '[.sas[] | select(.state == "established")][0].child | [.spi_in, .spi_out]')
	b=$(ijson 2 | jq -c '[.sas[] | select(.state == "established")][0].child | [.spi_out, .spi_in]')
	[ "$a" = "$b" ] && [ "$a" != "[null,null]" ]
}
# Each side logs, per direction, "spi 0x.. encr KEY integ KEY": the same
# lines on both ends (what one sends with, the other receives with).
keys_match() {
	diff <(grep '^# esp' "$LAB_DIR/keys-r1" | tail -2 | sed 's/ 192.0.2.[12] -> 192.0.2.[12]//' | sort) \
		<(grep '^# esp' "$LAB_DIR/keys-r2" | tail -2 | sed 's/ 192.0.2.[12] -> 192.0.2.[12]//' | sort) >/dev/null
}
lab_wait 5 grep -q "^ike-up id=1 local=192.0.2.1 remote=192.0.2.2 peer-id=192.0.2.2$" "$LAB_DIR/events-r1" ||
	fail "no ike-up event: $(cat "$LAB_DIR/events-r1")"
lab_wait 5 grep -q "^child-up id=1 spi-in=[0-9a-f]\{8\} spi-out=[0-9a-f]\{8\} mode=transport$" "$LAB_DIR/events-r1" ||
	fail "no child-up event: $(cat "$LAB_DIR/events-r1")"

step "the CHILD_SA is the same on both ends"
lab_wait 5 child_ok || fail "CHILD_SA SPIs differ: $(ijson 1) / $(ijson 2)"
keys_match || fail "CHILD_SA keys differ between the ends"
# Both ESP SAs reached the data plane interface, which says it protects nothing yet.
iexpect 1 '.dataplane_sas == 2 and .warning != null'
"$CTL" -s "$(isock 1)" show crypto ipsec sa json | jq -e '.protecting == false and .recorded_sas == 2 and (.sas | length) == 1' >/dev/null ||
	fail "show crypto ipsec sa: $("$CTL" -s "$(isock 1)" show crypto ipsec sa json)"

step "CHILD_SA rekey with PFS"
old=$(ijson 1 | jq -r '.sas[0].child.spi_in')
id=$(ijson 1 | jq '.sas[0].id')
"$CTL" -s "$(isock 1)" rekey child "$id" >/dev/null || fail "rekey child refused"
iexpect 1 ".sas[0].rekeys == 1 and .sas[0].child.spi_in != \"$old\" and .sas[0].child.state == \"installed\""
iexpect 2 '.sas[0].rekeys == 1 and .sas[0].child.state == "installed"'
lab_wait 5 child_ok || fail "CHILD_SA SPIs differ after the rekey: $(ijson 1) / $(ijson 2)"
keys_match || fail "CHILD_SA keys differ after the rekey"
iexpect 1 '.dataplane_sas == 2'

step "crossing CHILD_SA rekeys (RFC 7296 2.8.1, 2.25.1) end with one CHILD_SA, the same on both ends"
# IKE is blocked on router 1 while both ends are told to rekey: both
# requests are lost once and their retransmissions cross; whichever end
# sees the other's request while its own is out resolves the collision.
block_ike() {
	lab_r 1 nft -f - <<'EOF'
table inet blk {
	chain i { type filter hook input priority 0; udp dport 500 drop; }
	chain o { type filter hook output priority 0; udp dport 500 drop; }
}
EOF
}
id1=$(ijson 1 | jq '[.sas[] | select(.state == "established")][0].id')
id2=$(ijson 2 | jq '[.sas[] | select(.state == "established")][0].id')
block_ike
"$CTL" -s "$(isock 1)" rekey child "$id1" >/dev/null || fail "rekey child refused on router 1"
"$CTL" -s "$(isock 2)" rekey child "$id2" >/dev/null || fail "rekey child refused on router 2"
lab_r 1 nft delete table inet blk
lab_wait 10 eval 'itrue 1 "[.sas[] | select(.state == \"established\")][0].simultaneous_rekeys" && [ "$(ijson 1 | jq "[.sas[] | select(.state == \"established\")][0].simultaneous_rekeys + 0")$(ijson 2 | jq "[.sas[] | select(.state == \"established\")][0].simultaneous_rekeys + 0")" != 00 ]' ||
	fail "no end saw the collision: $(ijson 1) / $(ijson 2)"
lab_wait 10 child_ok || fail "CHILD_SA SPIs differ after the collision: $(ijson 1) / $(ijson 2)"
lab_wait 5 keys_match || fail "CHILD_SA keys differ after the collision"
# One CHILD_SA left on each end: the redundant one and the original are gone.
iexpect 1 '.dataplane_sas == 2' 10
iexpect 2 '.dataplane_sas == 2' 10

step "IKE SA rekey between two ikeds"
before=$(ijson 1 | jq '[.sas[] | select(.state == "established")][0].rekeys')
"$CTL" -s "$(isock 2)" rekey ike "$(ijson 2 | jq '[.sas[] | select(.state == "established")][0].id')" >/dev/null || fail "rekey ike refused"
iexpect 1 "[.sas[] | select(.state == \"established\" and .rekeys == $((before + 1)) and .child.state == \"installed\")] | length == 1"
iexpect 2 '[.sas[] | select(.state == "established" and .role == "initiator")] | length == 1'
lab_wait 5 child_ok || fail "the CHILD_SA did not move to the new IKE SA consistently"

step "crossing IKE SA rekeys (RFC 7296 2.8.2, 2.25) end with one IKE SA, the same on both ends"
id1=$(ijson 1 | jq '[.sas[] | select(.state == "established")][0].id')
id2=$(ijson 2 | jq '[.sas[] | select(.state == "established")][0].id')
block_ike
"$CTL" -s "$(isock 1)" rekey ike "$id1" >/dev/null || fail "rekey ike refused on router 1"
"$CTL" -s "$(isock 2)" rekey ike "$id2" >/dev/null || fail "rekey ike refused on router 2"
lab_r 1 nft delete table inet blk
one_sa() {
	local a b
	a=$(ijson 1 | jq -c '[.sas[] | select(.state == "established")] | map([.ispi, .rspi])')
	b=$(ijson 2 | jq -c '[.sas[] | select(.state == "established")] | map([.ispi, .rspi])')
	[ "$a" = "$b" ] && [ "$(echo "$a" | jq length)" = 1 ] &&
		itrue 1 '[.sas[] | select(.state == "deleting" or .state == "replaced" or .state == "rekeying" or .state == "half-open")] | length == 0' &&
		itrue 2 '[.sas[] | select(.state == "deleting" or .state == "replaced" or .state == "rekeying" or .state == "half-open")] | length == 0'
}
crossed() { grep -q "IKE SA rekey crossed ours" "$LAB_DIR/iked-r1.log" "$LAB_DIR/iked-r2.log"; }
lab_wait 15 crossed || fail "no end saw the crossing"
# Then the dust settles: one IKE SA, with the child, on both ends.
settled() { one_sa && child_ok; }
lab_wait 15 settled || fail "not one IKE SA on both ends after crossing rekeys: $(ijson 1) / $(ijson 2)"

step "router 2 restarts and comes back with INITIAL_CONTACT"
iked_down 2
iked_up 2
"$CTL" -s "$(isock 2)" initiate DMVPN 192.0.2.2 192.0.2.1 >/dev/null
iexpect 2 '.sas[0].state == "established"'
iexpect 1 '[.sas[] | select(.state == "established")] | length == 1 and .[0].role == "responder"'
iexpect 1 '[.sas[] | select(.error == "replaced: the peer sent INITIAL_CONTACT")] | length == 1'
lab_wait 5 grep -q "^ike-down id=.* reason=replaced: the peer sent INITIAL_CONTACT$" "$LAB_DIR/events-r1" ||
	fail "no ike-down event: $(cat "$LAB_DIR/events-r1")"

step "a wrong PSK is refused and counted"
iked_down 2
iked_conf 2 wrong-psk aes128-sha256-ecp256
iked_up 2
"$CTL" -s "$(isock 2)" initiate DMVPN 192.0.2.2 192.0.2.1 >/dev/null
iexpect 2 '.sas[0].state == "dead" and (.sas[0].error | test("AUTHENTICATION_FAILED"))'
iexpect 1 '[.sas[] | select(.state == "dead" and (.error | test("AUTH mismatch")))] | length == 1'
if grep -q "secret-psk\|wrong-psk" "$LAB_DIR"/iked-r*.log; then fail "a PSK in a log"; fi

step "a responder under load asks for a COOKIE first (RFC 7296 2.6); FQDN and key-id identities"
iked_down 2
iked_down 1
iked_conf 1 secret-psk aes128-sha256-ecp256
iked_conf 2 secret-psk aes128-sha256-ecp256
sed -i 's/^ match identity remote address$/ identity local fqdn hub1.example.net\n match identity remote key-id spoke-2/' "$LAB_DIR/iked-r1.conf"
sed -i 's/^ match identity remote address$/ identity local key-id spoke-2\n match identity remote fqdn hub1.example.net/' "$LAB_DIR/iked-r2.conf"
echo "crypto ikev2 cookie-challenge 0" >>"$LAB_DIR/iked-r2.conf"
iked_up 1
iked_up 2
capture_start "$LAB_DIR/cookie.pcap" "udp port 500"
"$CTL" -s "$(isock 1)" initiate DMVPN 192.0.2.1 192.0.2.2 >/dev/null
iexpect 1 '[.sas[] | select(.state == "established" and .role == "initiator")] | length == 1'
iexpect 1 '.sas[0].remote_id == "keyid:spoke-2" and .sas[0].local_id == "fqdn:hub1.example.net"'
iexpect 2 '.sas[0].remote_id == "fqdn:hub1.example.net"'

step "IPv6 address identities (ID_IPV6_ADDR) over the IPv4 underlay"
iked_down 2
iked_down 1
iked_conf 1 secret-psk aes128-sha256-ecp256
iked_conf 2 secret-psk aes128-sha256-ecp256
sed -i 's/^ match identity remote address$/ identity local address 2001:db8::1\n match identity remote address 2001:db8::2/' "$LAB_DIR/iked-r1.conf"
sed -i 's/^ match identity remote address$/ identity local address 2001:db8::2\n match identity remote address 2001:db8::1/' "$LAB_DIR/iked-r2.conf"
iked_up 1
iked_up 2
"$CTL" -s "$(isock 2)" initiate DMVPN 192.0.2.2 192.0.2.1 >/dev/null
iexpect 2 '.sas[0].state == "established" and .sas[0].remote_id == "2001:db8::1" and .sas[0].local_id == "2001:db8::2"'
iexpect 1 '.sas[0].state == "established" and .sas[0].remote_id == "2001:db8::2"'
capture_stop "isakmp.exchangetype == 35 && isakmp.flag_r == 1"
# The responder's cookie, then the same request with it, first.
tshark -r "$LAB_DIR/cookie.pcap" -Y 'isakmp.exchangetype == 34' -T fields -e isakmp.flag_r \
	-e isakmp.notify.msgtype -E occurrence=f 2>/dev/null >"$LAB_DIR/cookie.txt"
grep -q "^1	16390$" "$LAB_DIR/cookie.txt" || fail "no COOKIE response on the wire: $(cat "$LAB_DIR/cookie.txt")"
grep -q "^0	16390$" "$LAB_DIR/cookie.txt" || fail "the initiator did not return the cookie first: $(cat "$LAB_DIR/cookie.txt")"

step "live: a proposal changed on both ends is what a new SA gets; the SA up keeps its own"
# iked_cfg SITE LINE: a live line in the profile (configure, lib/cmd_conf.h).
iked_cfg() { "$CTL" -s "$(isock "$1")" "$(printf 'configure\ncrypto ikev2 profile DMVPN\n%s' "$2")"; }
runconf() { "$CTL" -s "$(isock "$1")" show running-config; }
iexpect 1 '[.sas[] | select(.state == "established")] | length == 1 and .[0].encr == "AES_CBC_128" and .[0].dh == "ECP_256"'
oldid=$(ijson 1 | jq '[.sas[] | select(.state == "established")][0].id')
# configure-check says yes and changes nothing; a refused line changes nothing.
"$CTL" -s "$(isock 1)" "$(printf 'configure-check\ncrypto ikev2 profile DMVPN\nproposal aes256gcm16-prfsha384-x25519')" >/dev/null ||
	fail "configure-check refused a good proposal"
before=$(runconf 1)
if iked_cfg 1 "proposal des-sha1-modp1024" >/dev/null 2>&1; then fail "a bad proposal was accepted"; fi
if iked_cfg 1 "authentication pre-shared-key file /nonexistent/psk" >/dev/null 2>&1; then fail "a missing PSK file was accepted"; fi
[ "$(runconf 1)" = "$before" ] || fail "a check or a refused line changed the configuration: $(runconf 1)"
iked_cfg 2 "proposal aes256gcm16-prfsha384-x25519" >/dev/null || fail "router 2 refused the new proposal"
iked_cfg 1 "proposal aes256gcm16-prfsha384-x25519" >/dev/null || fail "router 1 refused the new proposal"
iked_cfg 1 "no proposal aes128-sha256-ecp256" >/dev/null || fail "router 1 refused to drop its old proposal"
runconf 1 | grep -qx " proposal aes256gcm16-prfsha384-x25519" || fail "running-config: $(runconf 1)"
if runconf 1 | grep -q "proposal aes128-sha256-ecp256"; then fail "the old proposal is still configured: $(runconf 1)"; fi
"$CTL" -s "$(isock 1)" initiate DMVPN 192.0.2.1 192.0.2.2 >/dev/null || fail "initiate refused after the change"
iexpect 1 '[.sas[] | select(.state == "established" and .role == "initiator")] | length == 1 and .[0].encr == "AES_GCM_16_256" and .[0].dh == "CURVE_25519" and .[0].child.state == "installed"'
# The SA negotiated before the change, while up, still has its algorithms.
iexpect 1 "[.sas[] | select(.id == $oldid)] | all(.encr == \"AES_CBC_128\" and .dh == \"ECP_256\")"

step "live: a profile removed leaves its SAs running; SIGHUP reads the file again"
"$CTL" -s "$(isock 1)" "$(printf 'configure\n\nno crypto ikev2 profile DMVPN')" >/dev/null || fail "no crypto ikev2 profile refused"
[ -z "$(runconf 1)" ] || fail "the profile is still configured: $(runconf 1)"
if "$CTL" -s "$(isock 1)" initiate DMVPN 192.0.2.1 192.0.2.2 >/dev/null 2>&1; then fail "initiate under a removed profile"; fi
iexpect 1 '[.sas[] | select(.state == "established" and .role == "initiator" and .profile == "DMVPN")] | length == 1'
"$CTL" -s "$(isock 1)" rekey ike "$(ijson 1 | jq '[.sas[] | select(.state == "established" and .role == "initiator")][0].id')" >/dev/null ||
	fail "the SA of a removed profile cannot be rekeyed"
iexpect 1 '[.sas[] | select(.state == "established" and .rekeys == 1 and .encr == "AES_GCM_16_256")] | length == 1'
kill -HUP "${IPID[1]}"
lab_wait 5 eval 'runconf 1 | grep -qx " proposal aes128-sha256-ecp256"' || fail "SIGHUP did not read the file again: $(runconf 1)"
iexpect 1 '[.sas[] | select(.state == "established" and .encr == "AES_GCM_16_256")] | length == 1'
grep -q "profile DMVPN changed: new SAs use the new version" "$LAB_DIR/iked-r1.log" || fail "no log of the live change"

iked_down 2
iked_down 1
echo "ok"
