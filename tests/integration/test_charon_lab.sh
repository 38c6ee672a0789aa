#!/usr/bin/env bash
# The strongSwan helpers (tests/lab/charon.sh) themselves: two charons, one
# in each router namespace, negotiate PSK IKE_SAs over the underlay with
# three IKE proposals; tshark, given the keys charon_keys extracts from the
# logs, decrypts IKE_AUTH. The reference for tests of our own iked against
# charon.
#
#   r1 charon 192.0.2.1 (initiator) ==== udp/500 ==== 192.0.2.2 charon r2
#
# What happens to the CHILD_SA on this kernel (no esp4, no gcm(aes): every
# XFRM state add fails, "received netlink error: Function not implemented
# (38)" for AES-GCM, "Protocol not supported (93)" for AES-CBC with HMAC;
# SPI allocation works), as observed with strongSwan 5.9.8:
#
# - charon as responder (IKE_AUTH carrying SA, TSi, TSr, N(USE_TRANSPORT_MODE)):
#   it selects the proposal, allocates its SPI, fails to add both SAD
#   entries, logs "failed to establish CHILD_SA, keeping IKE_SA" and answers
#   IKE_AUTH with [ IDr AUTH N(NO_PROPOSAL_CHOSEN) ]: no SA, TSi, TSr. The
#   same for a child in CREATE_CHILD_SA: the answer is [ N(NO_PROP) ].
# - charon as initiator then logs "received NO_PROPOSAL_CHOSEN notify, no
#   CHILD_SA built" and "failed to establish CHILD_SA, keeping IKE_SA";
#   swanctl --initiate fails ("establishing CHILD_SA 'dmvpn' failed").
# - Both keep the IKE_SA: ESTABLISHED, the same SPIs and algorithms on both
#   sides, child-sas empty on both. No DELETE is sent.
# - charon as initiator when the responder accepts the child (what an iked
#   responder will do; shown here with a responder charon on kernel-libipsec,
#   which installs ESP in userspace but only in tunnel mode with UDP
#   encapsulation, so that exchange runs on port 4500): IKE_AUTH response
#   [ IDr AUTH SA TSi TSr ]; the initiator fails to add its SAD entries,
#   keeps the IKE_SA and at once sends INFORMATIONAL [ D ] deleting the ESP
#   SPI it proposed; the responder answers [ D ] with its own SPI. Both end
#   with the IKE_SA ESTABLISHED and no CHILD_SA.
#
# "Consistent" for an iked test on this kernel therefore means: IKE_SA
# ESTABLISHED on both sides with the same SPIs and algorithms, no CHILD_SA
# on charon's side, and iked's child state matching the notify or DELETE it
# got. Full ESP interop belongs in the VM tier.
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/../lab/charon.sh"
need_root
[ -x "$CHARON_BIN" ] || fail "$CHARON_BIN is missing (scripts/install-deps.sh test)"
command -v swanctl >/dev/null 2>&1 || fail "swanctl is missing (scripts/install-deps.sh test)"
command -v tshark >/dev/null 2>&1 || fail "tshark is not installed"

# The host's strongSwan files, before: none of them may change.
host_state() {
	stat -c '%n %s %Y %i' /run/charon.* /var/run/charon.* /etc/swanctl/swanctl.conf \
		/etc/strongswan.conf /etc/ipsec.secrets 2>/dev/null | sort || true
}
HOST_BEFORE=$(host_state)

lab_init dmi8
lab_create 2
export CHARON_DEBUG_KEYS=1

# sa_true SITE JQ_FILTER: charon_sas_json satisfies the filter.
sa_true() { charon_sas_json "$1" | jq -e "$2" >/dev/null 2>&1; }
# sa_expect SITE SECONDS JQ_FILTER: poll until it does.
sa_expect() {
	local i=$1 secs=$2 filter=$3
	lab_wait "$secs" sa_true "$i" "$filter" ||
		fail "router $i: expected $filter of charon's SAs; got: $(charon_sas_json "$i")
log: $(tail -n 20 "$(charon_logfile "$i")")"
}
# log_since SITE FROM: the site's charon log from byte FROM on.
log_size() { stat -c %s "$(charon_logfile "$1")"; }
log_since() { tail -c +"$(($2 + 1))" "$(charon_logfile "$1")"; }
# log_has SITE FROM TEXT: a line of it holds TEXT (fixed string).
log_has() {
	log_since "$1" "$2" | grep -qF "$3" ||
		fail "router $1: charon did not log '$3': $(log_since "$1" "$2" | grep -E '\[(IKE|CHD|KNL|ENC|NET)\]' |
			grep -vE '^[^ ]+ [^ ]+ (<[^>]*> )? *[0-9]+: |=> [0-9]+ bytes' | tail -n 25)"
}

step "charon on both routers, private /run, vici sockets in the lab"
charon_start 1 || fail "charon on router 1"
charon_start 2 || fail "charon on router 2"
for i in 1 2; do
	[ -S "$(charon_vici "$i")" ] || fail "no vici socket $(charon_vici "$i")"
	[ -s "$(charon_dir "$i")/run/charon.pid" ] || fail "router $i: charon's pid file is not in its own /run"
	[ "$(cat "$(charon_dir "$i")/run/charon.pid")" = "${CHARON_PID[$i]}" ] ||
		fail "router $i: pid file $(cat "$(charon_dir "$i")/run/charon.pid"), lab_spawn pid ${CHARON_PID[$i]}"
	# charon's mount namespace is its own: the site's run/ is /run there only.
	[ "$(readlink "/proc/${CHARON_PID[$i]}/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] ||
		fail "router $i: charon shares the host's mount namespace"
	[ "$(readlink "/proc/${CHARON_PID[$i]}/ns/net")" = "$(lab_r "$i" readlink /proc/self/ns/net)" ] ||
		fail "router $i: charon is not in the router's network namespace"
done
[ "$(charon_procs | wc -l)" = 2 ] || fail "charon_procs: $(charon_procs)"

step "a configuration charon refuses makes charon_load fail"
if charon_load 1 "$(charon_conf_psk 1 2 aes999-nosuchprf-modp1 aes128gcm16)" 2>"$LAB_DIR/badload.err"; then
	fail "charon_load accepted proposal aes999-nosuchprf-modp1: $(cat "$(charon_dir 1)/load.log")"
fi
grep -q 'loading connection .dmvpn. failed' "$(charon_dir 1)/load.log" ||
	fail "no clear reason for the refused configuration: $(cat "$LAB_DIR/badload.err")"

capture_start "$LAB_DIR/ike.pcap" "udp port 500 or udp port 4500"

# IKE proposal | encr-alg | encr-keysize | integ-alg | prf-alg | dh-group |
# ESP proposal | its transforms in the SA payload (ENCR, INTEG, ESN: 3 each) |
# the kernel's answer to adding that ESP state
PROPOSALS=(
	"aes256gcm16-prfsha384-x25519|AES_GCM_16|256||PRF_HMAC_SHA2_384|CURVE_25519|aes128gcm16|3;3|Function not implemented (38)"
	"aes128-sha256-ecp256|AES_CBC|128|HMAC_SHA2_256_128|PRF_HMAC_SHA2_256|ECP_256|aes128-sha256|3;3;3|Protocol not supported (93)"
	"aes256-sha512-modp2048|AES_CBC|256|HMAC_SHA2_512_256|PRF_HMAC_SHA2_512|MODP_2048|aes256gcm16|3;3|Function not implemented (38)"
)
SPIS=() # "ispi rspi" of each IKE_SA, in order

for entry in "${PROPOSALS[@]}"; do
	IFS='|' read -r ike encr keysize integ prf dh esp tf errno <<<"$entry"
	step "$ike: IKE_SA ESTABLISHED on both sides, CHILD_SA refused"
	charon_load 1 "$(charon_conf_psk 1 2 "$ike" "$esp")" || fail "load on router 1"
	charon_load 2 "$(charon_conf_psk 2 1 "$ike" "$esp")" || fail "load on router 2"
	from1=$(log_size 1)
	from2=$(log_size 2)
	if charon_initiate 1 2>/dev/null; then
		fail "swanctl --initiate succeeded: a CHILD_SA got installed on this kernel? $(cat "$(charon_dir 1)/initiate.log")"
	fi
	grep -qF "establishing CHILD_SA 'dmvpn' failed" "$(charon_dir 1)/initiate.log" ||
		fail "initiate failed otherwise: $(cat "$(charon_dir 1)/initiate.log")"
	ALGS=".\"encr-alg\" == \"$encr\" and .\"encr-keysize\" == \"$keysize\" and
		.\"prf-alg\" == \"$prf\" and .\"dh-group\" == \"$dh\" and
		(.\"integ-alg\" // \"\") == \"$integ\""
	sa_expect 1 5 "length == 1 and (.[0] | .name == \"dmvpn\" and .state == \"ESTABLISHED\" and
		.initiator == \"yes\" and .\"local-id\" == \"192.0.2.1\" and .\"remote-id\" == \"192.0.2.2\" and
		.\"child-sas\" == {} and $ALGS)"
	ispi=$(charon_sas_json 1 | jq -r '.[0]."initiator-spi"')
	rspi=$(charon_sas_json 1 | jq -r '.[0]."responder-spi"')
	[[ "$ispi" =~ ^[0-9a-f]{16}$ && "$rspi" =~ ^[0-9a-f]{16}$ && "$rspi" != 0000000000000000 ]] ||
		fail "SPIs '$ispi' '$rspi'"
	sa_expect 2 5 "length == 1 and (.[0] | .name == \"dmvpn\" and .state == \"ESTABLISHED\" and
		(has(\"initiator\") | not) and .\"local-id\" == \"192.0.2.2\" and .\"remote-id\" == \"192.0.2.1\" and
		.\"initiator-spi\" == \"$ispi\" and .\"responder-spi\" == \"$rspi\" and
		.\"child-sas\" == {} and $ALGS)"
	SPIS+=("$ispi $rspi")
	# The responder tried to install the child and could not; the initiator
	# was told NO_PROPOSAL_CHOSEN; both keep the IKE_SA.
	log_has 2 "$from2" "received netlink error: $errno"
	log_has 2 "$from2" "unable to add SAD entry with SPI"
	log_has 2 "$from2" "failed to establish CHILD_SA, keeping IKE_SA"
	log_has 2 "$from2" "generating IKE_AUTH response 1 [ IDr AUTH N(NO_PROP) ]"
	log_has 1 "$from1" "parsed IKE_AUTH response 1 [ IDr AUTH N(NO_PROP) ]"
	log_has 1 "$from1" "received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built"
	log_has 1 "$from1" "failed to establish CHILD_SA, keeping IKE_SA"
	if log_since 1 "$from1" | grep -qF 'sending DELETE for ESP'; then
		fail "router 1 deleted a CHILD_SA it never had"
	fi

	charon_terminate 1 || fail "terminate on router 1"
	sa_expect 1 5 'length == 0'
	sa_expect 2 5 'length == 0'
done

step "childless IKE_SA (swanctl --initiate --ike), then the child in CREATE_CHILD_SA: refused too"
IFS='|' read -r ike encr keysize integ prf dh esp tf errno <<<"${PROPOSALS[1]}"
charon_load 1 "$(charon_conf_psk 1 2 "$ike" "$esp")" || fail "load on router 1"
charon_load 2 "$(charon_conf_psk 2 1 "$ike" "$esp")" || fail "load on router 2"
from1=$(log_size 1)
from2=$(log_size 2)
charon_initiate 1 - || fail "IKE_SA alone: $(cat "$(charon_dir 1)/initiate.log")"
sa_expect 2 5 'length == 1 and .[0].state == "ESTABLISHED" and .[0]."child-sas" == {}'
if charon_initiate 1 2>/dev/null; then
	fail "CREATE_CHILD_SA succeeded: $(cat "$(charon_dir 1)/initiate.log")"
fi
log_has 2 "$from2" "generating CREATE_CHILD_SA response 2 [ N(NO_PROP) ]"
log_has 1 "$from1" "received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built"
sa_expect 1 5 'length == 1 and .[0].state == "ESTABLISHED" and .[0]."child-sas" == {}'
sa_expect 2 5 'length == 1 and .[0].state == "ESTABLISHED" and .[0]."child-sas" == {}'
SPIS+=("$(charon_sas_json 1 | jq -r '.[0] | "\(."initiator-spi") \(."responder-spi")"')")
charon_terminate 1 || fail "terminate on router 1"
sa_expect 2 5 'length == 0'

step "charon_keys: both sides extract the same keys for every IKE_SA"
charon_keys 1 >"$LAB_DIR/keys1" || fail "charon_keys 1"
charon_keys 2 >"$LAB_DIR/keys2" || fail "charon_keys 2"
[ "$(wc -l <"$LAB_DIR/keys1")" = 4 ] || fail "router 1: 4 IKE_SAs, keys: $(cat "$LAB_DIR/keys1")"
cmp -s "$LAB_DIR/keys1" "$LAB_DIR/keys2" ||
	fail "the two sides' keys differ: $(diff "$LAB_DIR/keys1" "$LAB_DIR/keys2")"
n=0
while IFS=, read -r ki kr _; do
	[ "$ki $kr" = "${SPIS[$n]}" ] || fail "charon_keys line $((n + 1)): SPIs $ki $kr, want ${SPIS[$n]}"
	n=$((n + 1))
done <"$LAB_DIR/keys1"
charon_keys 1 json | jq -e 'length == 4 and all(.[]; (.sk_d | length) > 0 and (.sk_pi | length) > 0)' >/dev/null ||
	fail "charon_keys json: $(charon_keys 1 json)"

step "charon as initiator when the responder accepts the child: DELETE at once"
# The responder charon installs ESP in userspace (kernel-libipsec): tunnel
# mode only, UDP-encapsulated (it fakes a NAT), its routes in table 220 via
# its TUN device, which IKE packets (fwmark 0x42) bypass. It must come
# before kernel-netlink: the first IPsec backend loaded is the one used.
charon_stop 2 || fail "stop charon on router 2"
CHARON_PLUGINS=${CHARON_PLUGINS/kernel-netlink/kernel-libipsec kernel-netlink} charon_start 2 "
	install_routes = yes
	routing_table = 220
	plugins {
		kernel-libipsec {
			allow_peer_ts = yes
		}
		kernel-netlink {
			fwmark = !0x42
		}
		socket-default {
			fwmark = 0x42
		}
	}" || fail "charon with kernel-libipsec on router 2"
IFS='|' read -r ike encr keysize integ prf dh esp tf errno <<<"${PROPOSALS[0]}"
charon_load 1 "$(charon_conf_psk 1 2 "$ike" "$esp" tunnel)" || fail "load on router 1"
charon_load 2 "$(charon_conf_psk 2 1 "$ike" "$esp" tunnel)" || fail "load on router 2"
from1=$(log_size 1)
from2=$(log_size 2)
if charon_initiate 1 2>/dev/null; then
	fail "a CHILD_SA got installed on router 1: $(cat "$(charon_dir 1)/initiate.log")"
fi
log_has 1 "$from1" "parsed IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]"
log_has 1 "$from1" "unable to install inbound and outbound IPsec SA (SAD) in kernel"
log_has 1 "$from1" "failed to establish CHILD_SA, keeping IKE_SA"
log_has 1 "$from1" "sending DELETE for ESP CHILD_SA with SPI"
log_has 2 "$from2" "received DELETE for ESP CHILD_SA with SPI"
sa_expect 1 5 'length == 1 and .[0].state == "ESTABLISHED" and .[0]."child-sas" == {}'
sa_expect 2 5 'length == 1 and .[0].state == "ESTABLISHED" and .[0]."child-sas" == {}'
LIBIPSEC_ISPI=$(charon_sas_json 1 | jq -r '.[0]."initiator-spi"')
charon_keys 1 >"$LAB_DIR/keys1" || fail "charon_keys 1"
[ "$(wc -l <"$LAB_DIR/keys1")" = 5 ] || fail "router 1: 5 IKE_SAs, keys: $(cat "$LAB_DIR/keys1")"
charon_terminate 1 || fail "terminate on router 1"
sa_expect 2 5 'length == 0'

step "tshark decrypts IKE_AUTH with charon_keys' table: IDi AUTH SA TSi TSr"
# The last packet: the answer to the DELETE of that IKE_SA (message 3).
capture_stop "isakmp.ispi == $(sed 's/../&:/g; s/:$//' <<<"$LIBIPSEC_ISPI") and isakmp.exchangetype == 37 and
	isakmp.flag_r == 1 and isakmp.messageid == 3"
UAT=()
while read -r line; do UAT+=(-o "uat:ikev2_decryption_table:$line"); done <"$LAB_DIR/keys1"
IFIELDS=(frame.number isakmp.ispi isakmp.exchangetype isakmp.flag_r isakmp.typepayload
	isakmp.id.type isakmp.id.data.ipv4_addr isakmp.auth.method isakmp.notify.msgtype
	isakmp.prop.protoid isakmp.spi isakmp.ts.type isakmp.ts.protoid isakmp.ts.start_ipv4
	isakmp.ts.end_ipv4 isakmp.delete.spi isakmp.enc.icd _ws.expert.message)
args=()
for f in "${IFIELDS[@]}"; do args+=(-e "$f"); done
tshark -r "$LAB_DIR/ike.pcap" "${UAT[@]}" -Y 'isakmp.exchangetype >= 35' -T fields \
	-E separator='|' -E aggregator=';' "${args[@]}" >"$LAB_DIR/ike.fields" 2>"$LAB_DIR/tshark.err" ||
	fail "tshark: $(cat "$LAB_DIR/tshark.err")"
# msg ISPI EXCHANGE RESPONSE FIELD: that field of that message.
msg() {
	local col=0 k
	for k in "${!IFIELDS[@]}"; do [ "${IFIELDS[$k]}" = "$4" ] && col=$((k + 1)); done
	[ "$col" -gt 0 ] || fail "test bug: $4 is not in IFIELDS"
	awk -F'|' -v s="$1" -v x="$2" -v r="$3" -v c="$col" \
		'$2 == s && $3 == x && $4 == r { print $c; exit }' "$LAB_DIR/ike.fields"
}
want() {
	local got
	got=$(msg "$1" "$2" "$3" "$4")
	[ "$got" = "$5" ] || fail "IKE_SA $1 exchange $2 $([ "$3" = 1 ] && echo response || echo request): $4 is '$got', want '$5'
$(cat "$LAB_DIR/ike.fields")"
}
# Payload types (isakmp.typepayload, the SK payload first, proposals and
# transforms among them): 46 SK, 35 IDi, 36 IDr, 39 AUTH, 41 N, 33 SA,
# 2 proposal, 3 transform, 44 TSi, 45 TSr, 40 Nonce, 42 D.
# Notify types: 16384 INITIAL_CONTACT, 16391 USE_TRANSPORT_MODE,
# 16404 MULTIPLE_AUTH_SUPPORTED, 16417 EAP_ONLY_AUTHENTICATION,
# 16420 IKEV2_MESSAGE_ID_SYNC_SUPPORTED, 14 NO_PROPOSAL_CHOSEN.
for k in 0 1 2; do
	IFS='|' read -r ike encr keysize integ prf dh esp tf errno <<<"${PROPOSALS[$k]}"
	s=${SPIS[$k]%% *}
	want "$s" 35 0 isakmp.typepayload "46;35;41;36;39;41;33;2;$tf;44;45;41;41;41"
	want "$s" 35 0 isakmp.id.type "1;1"
	want "$s" 35 0 isakmp.id.data.ipv4_addr "192.0.2.1;192.0.2.2"
	want "$s" 35 0 isakmp.auth.method 2
	want "$s" 35 0 isakmp.notify.msgtype "16384;16391;16404;16417;16420"
	want "$s" 35 0 isakmp.prop.protoid 3
	want "$s" 35 0 isakmp.ts.type "7;7"
	want "$s" 35 0 isakmp.ts.protoid "47;47"
	want "$s" 35 0 isakmp.ts.start_ipv4 "192.0.2.1;192.0.2.2"
	want "$s" 35 0 isakmp.ts.end_ipv4 "192.0.2.1;192.0.2.2"
	want "$s" 35 1 isakmp.typepayload "46;36;39;41"
	want "$s" 35 1 isakmp.id.data.ipv4_addr "192.0.2.2"
	want "$s" 35 1 isakmp.notify.msgtype 14
	want "$s" 35 1 isakmp.ts.type ""
done
# The childless one: IKE_AUTH without SA/TS; CREATE_CHILD_SA carries them.
s=${SPIS[3]%% *}
want "$s" 35 0 isakmp.typepayload "46;35;41;36;39;41;41;41"
want "$s" 35 1 isakmp.typepayload "46;36;39"
want "$s" 36 0 isakmp.notify.msgtype 16391
want "$s" 36 0 isakmp.ts.start_ipv4 "192.0.2.1;192.0.2.2"
want "$s" 36 1 isakmp.typepayload "46;41"
want "$s" 36 1 isakmp.notify.msgtype 14
# The libipsec responder accepted; the initiator deletes the SPI it proposed.
s=$LIBIPSEC_ISPI
want "$s" 35 0 isakmp.typepayload "46;35;41;36;39;33;2;3;3;44;45;41;41;41"
want "$s" 35 1 isakmp.typepayload "46;36;39;33;2;3;3;44;45"
proposed=$(msg "$s" 35 0 isakmp.spi)
[ -n "$proposed" ] || fail "no ESP SPI in the IKE_AUTH request"
want "$s" 37 0 isakmp.typepayload "46;42"
want "$s" 37 0 isakmp.delete.spi "$proposed"
want "$s" 37 1 isakmp.typepayload "46;42"
# Every encrypted payload decrypted: an integrity checksum each (AES-GCM's
# ICV or the HMAC), no "Integrity Checksum Data is incorrect", no malformed.
awk -F'|' '$18 != "" { print }' "$LAB_DIR/ike.fields" | grep . &&
	fail "tshark complained (wrong keys?): $(cat "$LAB_DIR/ike.fields")"
awk -F'|' '$3 >= 35 && $3 <= 37 && $17 == "" { print }' "$LAB_DIR/ike.fields" | grep . &&
	fail "an encrypted message without integrity data"
[ "$(awk -F'|' '$3 == 35' "$LAB_DIR/ike.fields" | wc -l)" = 10 ] ||
	fail "expected 5 IKE_AUTH exchanges: $(cat "$LAB_DIR/ike.fields")"

step "both charons stop cleanly; a crashed one makes charon_stop fail"
charon_stop 1 2 || fail "charon_stop"
[ -z "$(charon_procs)" ] || fail "charons left: $(charon_procs)"
charon_start 1 || fail "charon on router 1 again"
kill -SEGV "${CHARON_PID[1]}"
if charon_stop 1 2>"$LAB_DIR/crash.err"; then
	fail "charon_stop did not notice the crash"
fi
grep -q 'crashed' "$LAB_DIR/crash.err" || fail "no crash report: $(cat "$LAB_DIR/crash.err")"
[ -z "$(charon_procs)" ] || fail "charons left: $(charon_procs)"
[ "$(host_state)" = "$HOST_BEFORE" ] || fail "the host's strongSwan files changed:
before: $HOST_BEFORE
after: $(host_state)"
echo "charon lab OK"
