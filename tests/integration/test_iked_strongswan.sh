#!/usr/bin/env bash
# iked against strongSwan's charon, both directions, three suites.
#
#   router 1: iked (192.0.2.1)  <== IKEv2, UDP 500 ==>  router 2: charon (192.0.2.2)
#
# For each of aes256gcm16-prfsha384-x25519, aes128-sha256-ecp256 and
# aes256-sha512-modp2048:
#   - iked initiates: both sides show the IKE_SA established with the same
#     SPIs and algorithms; tshark, given iked's key log, decrypts IKE_AUTH
#     and shows IDi, AUTH (PSK), SA, TSi/TSr for GRE and USE_TRANSPORT_MODE;
#   - charon initiates to iked: the same, iked as responder;
#   - on this kernel charon cannot install ESP (no esp4): as responder it
#     refuses the CHILD_SA (NO_PROPOSAL_CHOSEN), as initiator it deletes it
#     at once; iked must end consistent: IKE_SA established, its CHILD_SA
#     failed or deleted accordingly, nothing half-open;
#   - clear crypto ikev2 sa deletes the IKE_SA on both sides.
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/../lab/charon.sh"
need_root
lab_init dmi9
lab_create 2

IKED=${IKED:-$REPO/build/asan/iked}
ISOCK=$LAB_DIR/iked.sock
psk=$LAB_DIR/psk
printf '%s\n' "$CHARON_PSK" >"$psk"
chmod 600 "$psk"
iked_json() { "$CTL" -s "$ISOCK" show crypto ikev2 sa json; }
iked_true() { iked_json | jq -e "$1" >/dev/null 2>&1; }
iexpect() { lab_wait "${2:-5}" iked_true "$1" || fail "iked: expected $1; got $(iked_json)
$(tail -20 "$LAB_DIR/iked.log")"; }
charon_true() { charon_sas_json 2 | jq -e "$1" >/dev/null 2>&1; }
cexpect() { lab_wait "${2:-5}" charon_true "$1" || fail "charon: expected $1; got $(charon_sas_json 2)"; }

step "a PSK readable by others is refused"
chmod 644 "$psk"
printf 'crypto ikev2 profile DMVPN\n authentication pre-shared-key file %s\n' "$psk" >"$LAB_DIR/bad.conf"
if lab_r 1 "$IKED" -n -f "$LAB_DIR/bad.conf" >"$LAB_DIR/bad.out" 2>&1; then fail "iked accepted a PSK readable by others"; fi
grep -q "bad.conf:2: pre-shared key file .* accessible by group or others" "$LAB_DIR/bad.out" ||
	fail "no clear error: $(cat "$LAB_DIR/bad.out")"
chmod 600 "$psk"

# Small IKE fragments, so that charon fragments its IKE_AUTH when told to
# (RFC 7383): iked must reassemble them.
CHARON_DEBUG_KEYS=1 charon_start 2 "fragment_size = 200"
declare -A ENCR=([aes256gcm16-prfsha384-x25519]=AES_GCM_16_256 [aes128-sha256-ecp256]=AES_CBC_128
	[aes256-sha512-modp2048]=AES_CBC_256)
declare -A PRF=([aes256gcm16-prfsha384-x25519]=PRF_HMAC_SHA2_384 [aes128-sha256-ecp256]=PRF_HMAC_SHA2_256
	[aes256-sha512-modp2048]=PRF_HMAC_SHA2_512)
declare -A DH=([aes256gcm16-prfsha384-x25519]=CURVE_25519 [aes128-sha256-ecp256]=ECP_256
	[aes256-sha512-modp2048]=MODP_2048)
declare -A ESP=([aes256gcm16-prfsha384-x25519]=aes256gcm16 [aes128-sha256-ecp256]=aes128-sha256
	[aes256-sha512-modp2048]=aes128gcm16)
n=0
for prop in aes256gcm16-prfsha384-x25519 aes128-sha256-ecp256 aes256-sha512-modp2048; do
	n=$((n + 1))
	esp=${ESP[$prop]}
	step "$prop: iked (re)started with it, charon loaded with it"
	[ -z "${IKED_PID:-}" ] || { kill -TERM "$IKED_PID"; lab_wait 10 lab_proc_gone "$IKED_PID" || fail "iked ignored SIGTERM"; wait "$IKED_PID" || fail "iked exited badly: $(tail "$LAB_DIR/iked-$((n - 1)).log")"; }
	cat >"$LAB_DIR/iked.conf" <<EOF
crypto ikev2 profile DMVPN
 authentication pre-shared-key file $psk
 proposal $prop
 esp-proposal $esp
 match identity remote address
!
EOF
	: >"$LAB_DIR/keys"
	lab_spawn 1 "iked-$n" "$IKED" -f "$LAB_DIR/iked.conf" -s "$ISOCK" -d ike -K "$LAB_DIR/keys"
	IKED_PID=$LAB_PID
	ln -sf "$LAB_DIR/iked-$n.log" "$LAB_DIR/iked.log"
	lab_wait 10 "$CTL" -s "$ISOCK" show version || fail "iked did not start: $(cat "$LAB_DIR/iked-$n.log")"
	charon_load 2 "$(charon_conf_psk 2 1 "$prop" "$esp")"

	step "$prop: iked initiates; both sides agree; tshark decrypts IKE_AUTH"
	capture_start "$LAB_DIR/ike-$n.pcap" "udp port 500"
	"$CTL" -s "$ISOCK" initiate DMVPN 192.0.2.1 192.0.2.2 >/dev/null || fail "initiate refused"
	iexpect '.sas[0].state == "established" and .sas[0].role == "initiator"'
	ispi=$(iked_json | jq -r '.sas[0].ispi')
	rspi=$(iked_json | jq -r '.sas[0].rspi')
	cexpect "map(select(.state == \"ESTABLISHED\" and .\"initiator-spi\" == \"$ispi\" and .\"responder-spi\" == \"$rspi\")) | length == 1"
	iexpect ".sas[0] | .encr == \"${ENCR[$prop]}\" and .prf == \"${PRF[$prop]}\" and .dh == \"${DH[$prop]}\" and .remote_id == \"192.0.2.2\""
	cexpect ".[0] | .\"prf-alg\" == \"${PRF[$prop]}\" and .\"dh-group\" == \"${DH[$prop]}\""
	# charon cannot install ESP here and refuses the CHILD_SA: iked records that.
	iexpect '.sas[0].child.state == "failed" and .sas[0].child.failure == "NO_PROPOSAL_CHOSEN"'
	iked_true '[.sas[] | select(.state == "half-open" or .state == "init-sent" or .state == "auth-sent")] | length == 0' ||
		fail "half-open SAs left: $(iked_json)"
	capture_stop "isakmp.exchangetype == 35 && isakmp.flag_r == 1"
	uat=$(head -1 "$LAB_DIR/keys")
	[ -n "$uat" ] || fail "iked wrote no key log"
	tshark -r "$LAB_DIR/ike-$n.pcap" -o "uat:ikev2_decryption_table:$uat" -Y "isakmp.exchangetype == 35 && isakmp.flag_r == 0" \
		-T fields -E occurrence=a -E separator='|' -e isakmp.id.data.ipv4_addr -e isakmp.auth.method \
		-e isakmp.ts.protoid -e isakmp.ts.start_ipv4 -e isakmp.notify.msgtype -e isakmp.prop.protoid \
		2>/dev/null | head -1 >"$LAB_DIR/auth-$n.txt"
	IFS='|' read -r idi authm tsproto tsstart notes protos <"$LAB_DIR/auth-$n.txt" || true
	[ "$idi" = "192.0.2.1" ] || fail "tshark: IDi '$idi' ($(cat "$LAB_DIR/auth-$n.txt"))"
	[ "$authm" = "2" ] || fail "tshark: AUTH method '$authm' is not the shared key MIC"
	[ "$tsproto" = "47,47" ] || fail "tshark: TSi/TSr protocols '$tsproto' are not GRE"
	[ "$tsstart" = "192.0.2.1,192.0.2.2" ] || fail "tshark: selectors '$tsstart'"
	[[ ",$notes," == *",16391,"* ]] || fail "tshark: no USE_TRANSPORT_MODE in '$notes'"
	[ "$protos" = "3" ] || fail "tshark: SA proposal protocol '$protos' is not ESP"

	if [ "$n" = 1 ]; then
		step "$prop: IKE SA rekeyed by iked, then by charon (CREATE_CHILD_SA, RFC 7296 2.18)"
		id=$(iked_json | jq '.sas[0].id')
		"$CTL" -s "$ISOCK" rekey ike "$id" >/dev/null || fail "iked refused to rekey"
		iexpect "[.sas[] | select(.state == \"established\" and .rekeys == 1)] | length == 1"
		ispi=$(iked_json | jq -r '[.sas[] | select(.state == "established")][0].ispi')
		cexpect "map(select(.state == \"ESTABLISHED\" and .\"initiator-spi\" == \"$ispi\")) | length == 1"
		cexpect 'length == 1'
		charon_swanctl 2 --rekey --ike dmvpn >/dev/null || fail "charon could not rekey"
		iexpect "[.sas[] | select(.state == \"established\" and .rekeys == 2)] | length == 1"
		ispi=$(iked_json | jq -r '[.sas[] | select(.state == "established")][0].ispi')
		cexpect "map(select(.state == \"ESTABLISHED\" and .\"initiator-spi\" == \"$ispi\")) | length == 1"
		iexpect '[.sas[] | select(.state == "established")] | length == 1'
	fi

	step "$prop: clear on iked deletes it on both sides"
	"$CTL" -s "$ISOCK" clear crypto ikev2 sa >/dev/null
	cexpect 'length == 0'
	iexpect '[.sas[] | select(.state == "established")] | length == 0'

	step "$prop: charon initiates to iked$([ "$n" = 1 ] && echo ', its IKE_AUTH in RFC 7383 fragments')"
	if [ "$n" = 1 ]; then
		charon_load 2 "$(charon_conf_psk 2 1 "$prop" "$esp" | sed 's/^\(\t*\)version = 2$/&\n\1fragmentation = force/')"
		capture_start "$LAB_DIR/frag.pcap" "udp port 500"
	fi
	charon_initiate 2 >/dev/null 2>&1 || true
	cexpect 'map(select(.state == "ESTABLISHED")) | length == 1'
	ispi=$(charon_sas_json 2 | jq -r '.[0]."initiator-spi"')
	rspi=$(charon_sas_json 2 | jq -r '.[0]."responder-spi"')
	iexpect "[.sas[] | select(.state == \"established\" and .role == \"responder\" and .ispi == \"$ispi\" and .rspi == \"$rspi\")] | length == 1"
	iexpect "[.sas[] | select(.state == \"established\")][0] | .encr == \"${ENCR[$prop]}\" and .dh == \"${DH[$prop]}\" and .remote_id == \"192.0.2.2\""
	if [ "$n" = 1 ]; then
		capture_stop "isakmp.exchangetype == 35 && isakmp.flag_r == 1"
		frags=$(tshark -r "$LAB_DIR/frag.pcap" -Y 'isakmp.exchangetype == 35 && isakmp.flag_r == 0' -T fields -e isakmp.nextpayload -E occurrence=f 2>/dev/null | grep -c '^53$' || true)
		[ "$frags" -ge 2 ] || fail "charon did not fragment IKE_AUTH ($frags SKF messages)"
	fi
	# charon, as initiator, deletes the CHILD_SA it could not install.
	iexpect '[.sas[] | select(.state == "established")][0].child.state == "deleted"'
	charon_terminate 2 >/dev/null 2>&1 || true
	iexpect '[.sas[] | select(.state == "established" or .state == "half-open")] | length == 0'
done

step "no key, no PSK in iked's show output or log"
for c in "show crypto ikev2 sa detail" "show crypto ipsec sa"; do
	# shellcheck disable=SC2086
	if "$CTL" -s "$ISOCK" $c | grep -q "$CHARON_PSK"; then fail "'$c' shows the PSK"; fi
done
if grep -q "$CHARON_PSK" "$LAB_DIR"/iked-*.log; then fail "iked logged the PSK"; fi
kill -TERM "$IKED_PID"
lab_wait 10 lab_proc_gone "$IKED_PID" || fail "iked ignored SIGTERM"
wait "$IKED_PID" || fail "iked exited badly: $(tail "$LAB_DIR/iked-$n.log")"
if grep -q Sanitizer "$LAB_DIR"/iked-*.log; then fail "sanitizer report from iked"; fi
charon_stop 2
echo "ok"
