# shellcheck shell=bash
# strongSwan's charon (Debian's 5.9) in the lab's router namespaces: an
# independent IKEv2 peer. Source after lab.sh and tests/integration/common.sh,
# then:
#
#   charon_start SITE [CHARON_SETTINGS]   charon in router SITE's namespace;
#                                         the text goes into charon { }
#   charon_load SITE SWANCTL_CONF_TEXT    write swanctl.conf and load it all
#   charon_conf_psk LOCAL REMOTE IKE_PROPOSAL ESP_PROPOSAL [MODE]
#                                         swanctl.conf text: connection and
#                                         child "dmvpn", PSK, GRE selectors
#   charon_initiate SITE [CHILD [IKE]]    swanctl --initiate, with a timeout
#   charon_terminate SITE [IKE]           swanctl --terminate the IKE_SA
#   charon_sas_json SITE                  the IKE_SAs as a JSON array (jq)
#   charon_keys SITE                      tshark ikev2_decryption_table lines
#                                         (needs CHARON_DEBUG_KEYS=1 at start)
#   charon_stop SITE...                   SIGTERM, deadline, clean exit
#   charon_swanctl SITE ARGS...           swanctl on that site's charon
#   charon_procs                          charons of this lab still running
#
# Everything of a site lives in $LAB_DIR/charon-rSITE: strongswan.conf,
# swanctl.conf (and SWANCTL_DIR's empty credential directories), the vici
# socket charon.vici, the log charon.log (linked as $LAB_DIR/charon-rSITE.log,
# so a failing test's teardown shows its tail), charon's stdout/stderr, and
# run/, which charon sees as /run: its pid file /run/charon.pid is compiled
# in, so two charons need two /run. charon runs in a private mount namespace
# (unshare -m inside ip netns exec) where that directory is bound over /run;
# nothing of the host's strongSwan (/etc/strongswan*, /etc/swanctl,
# /etc/ipsec*, /run/charon*) is read or written: STRONGSWAN_CONF names our
# strongswan.conf for charon and swanctl, SWANCTL_DIR our swanctl directory.
#
# charon runs in the foreground as a child of the test's shell (lab_spawn):
# lab_destroy stops it (SIGTERM, then SIGKILL) on any exit, and its mount
# namespace goes with its last process. charon forks nothing but updown
# scripts (only for installed CHILD_SAs).
#
# On the host kernel no CHILD_SA can be installed (no esp4: the XFRM state is
# refused); the IKE_SA establishes all the same. See test_charon_lab.sh for
# what each side then shows.
#
# Logging: to charon.log only (no syslog), levels default 1, ike 2, knl 1,
# cfg 2; with CHARON_DEBUG_KEYS=1 at charon_start: ike 4 and chd 4 (the IKE
# keys SK_d..SK_pr and the ESP keys, but also DH secrets, nonces, AUTH
# octets: a few hundred lines per IKE_SA) and mgr 2 (the SPIs of each IKE_SA,
# which ike 4 does not log), which charon_keys reads.

CHARON_BIN=${CHARON_BIN:-/usr/lib/ipsec/charon}
CHARON_SWANCTL=${CHARON_SWANCTL:-swanctl}
CHARON_PSK=${CHARON_PSK:-dmvpn-test-psk}
CHARON_PLUGINS=${CHARON_PLUGINS:-random nonce openssl kdf pem pkcs1 x509 revocation constraints pubkey kernel-netlink socket-default vici updown}
# swanctl itself parses credentials only; PSKs need no plugin.
CHARON_SWANCTL_PLUGINS=${CHARON_SWANCTL_PLUGINS:-pem pkcs1 pkcs8 x509 openssl random}
declare -gA CHARON_PID      # SITE -> pid
declare -gA CHARON_LOG_FROM # SITE -> size of charon.log when it started

charon_dir() { echo "$LAB_DIR/charon-r$1"; }
charon_vici() { echo "$(charon_dir "$1")/charon.vici"; }
charon_uri() { echo "unix://$(charon_vici "$1")"; }
charon_logfile() { echo "$(charon_dir "$1")/charon.log"; }

charon_log() { lab_log "charon: $*"; }

# charon_swanctl SITE ARGS...: swanctl on the site's charon; the command
# (--list-sas...) comes first in ARGS, --uri is added.
charon_swanctl() {
	local i=$1 d cmd
	shift
	d=$(charon_dir "$i")
	cmd=$1
	shift
	STRONGSWAN_CONF=$d/strongswan.conf SWANCTL_DIR=$d/swanctl \
		"$CHARON_SWANCTL" "$cmd" --uri "$(charon_uri "$i")" "$@"
}

# _charon_alive PID: that pid is a charon and running (not a zombie, not a
# recycled pid).
_charon_alive() {
	local stat
	[ "$(cat "/proc/$1/comm" 2>/dev/null)" = charon ] || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

_charon_gone() { ! _charon_alive "$1"; }

# _charon_pid_forget PID: no longer ours to kill at teardown.
_charon_pid_forget() {
	local f=$LAB_DIR/pids
	[ -f "$f" ] || return 0
	grep -vx "$1" "$f" >"$f.new" || true
	mv "$f.new" "$f"
}

_charon_answers() { charon_swanctl "$1" --stats >/dev/null 2>&1; }

# Up, or dead (then there is nothing to wait for).
_charon_up_or_dead() {
	local pid=${CHARON_PID[$1]}
	! kill -0 "$pid" 2>/dev/null || { _charon_alive "$pid" && _charon_answers "$1"; }
}

# charon_start SITE [CHARON_SETTINGS]: write the site's strongswan.conf, start
# charon in router SITE's namespace, wait (10 s) until it answers on vici.
# CHARON_SETTINGS (strongswan.conf lines) goes into the charon section, e.g.
# "retransmit_tries = 2" or "block_threshold = 10000".
charon_start() {
	local i=$1 extra=${2:-} d levels
	d=$(charon_dir "$i")
	[ -z "${CHARON_PID[$i]:-}" ] || { charon_log "charon_start $i: charon already runs"; return 1; }
	mkdir -p "$d/run" "$d/swanctl"
	# The credential directories swanctl --load-all reads (all empty).
	local sub
	for sub in x509 x509ca x509aa x509ocsp x509crl x509ac pubkey private rsa ecdsa bliss pkcs8 pkcs12 conf.d; do
		mkdir -p "$d/swanctl/$sub"
	done
	rm -f "$d/charon.vici" "$d/run/charon.pid"
	levels="default = 1
				ike = 2
				knl = 1
				cfg = 2"
	if [ "${CHARON_DEBUG_KEYS:-0}" = 1 ]; then
		levels="default = 1
				ike = 4
				chd = 4
				mgr = 2
				knl = 1
				cfg = 2"
	fi
	cat >"$d/strongswan.conf" <<EOF
# charon of lab $LAB, router $i (tests/lab/charon.sh)
charon {
	load_modular = no
	load = $CHARON_PLUGINS
	# Leave the router's routing alone: no table 220, no routing rule.
	install_routes = no
	install_virtual_ip = no
	routing_table = 0
	plugins {
		vici {
			socket = unix://$d/charon.vici
		}
	}
	syslog {
		daemon {
			default = -1
		}
	}
	filelog {
		lab {
			path = $d/charon.log
			time_format = %H:%M:%S
			ike_name = yes
			append = yes
			flush_line = yes
			$levels
		}
	}
$extra
}
swanctl {
	load = $CHARON_SWANCTL_PLUGINS
}
EOF
	ln -sf "charon-r$i/charon.log" "$LAB_DIR/charon-r$i.log"
	CHARON_LOG_FROM[$i]=$(stat -c %s "$d/charon.log" 2>/dev/null || echo 0)
	# ip netns exec makes a mount namespace already; unshare -m with private
	# propagation makes charon's own, where the site's run/ is /run. All
	# three exec: the pid lab_spawn knows is charon's.
	# shellcheck disable=SC2016
	lab_spawn "$i" "charon-r$i/charon.stdout" unshare -m --propagation private sh -c '
		d=$1 bin=$2
		mount --bind "$d/run" /run && STRONGSWAN_CONF=$d/strongswan.conf exec "$bin"' \
		sh "$d" "$CHARON_BIN"
	CHARON_PID[$i]=$LAB_PID
	lab_wait 10 _charon_up_or_dead "$i" || true
	if ! _charon_alive "${CHARON_PID[$i]}"; then
		charon_log "charon on router $i exited at start: $(tail -n 10 "$d/charon.stdout.log" "$d/charon.log" 2>/dev/null)"
		wait "${CHARON_PID[$i]}" 2>/dev/null || true
		_charon_pid_forget "${CHARON_PID[$i]}"
		unset "CHARON_PID[$i]"
		return 1
	fi
	_charon_answers "$i" || { charon_log "charon on router $i does not answer on $(charon_uri "$i")"; return 1; }
}

# charon_load SITE SWANCTL_CONF_TEXT: write the site's swanctl.conf and load
# connections and secrets (swanctl --load-all: what the file no longer has
# is unloaded). Fails, showing swanctl's output and the numbered file, on a
# parse error or anything charon refused.
charon_load() {
	local i=$1 conf=$2 d out rc=0
	d=$(charon_dir "$i")
	# swanctl looks for credentials (x509/, private/...) next to the file.
	printf '%s\n' "$conf" >"$d/swanctl/swanctl.conf"
	out=$(charon_swanctl "$i" --load-all --noprompt --file "$d/swanctl/swanctl.conf" 2>&1) || rc=$?
	printf '%s\n' "$out" >"$d/load.log"
	if [ "$rc" != 0 ] || grep -qiE 'fail|error|invalid|unknown|ignored' <<<"$out"; then
		charon_log "router $i: loading $d/swanctl/swanctl.conf failed (status $rc): $out
$(cat -n "$d/swanctl/swanctl.conf")"
		return 1
	fi
}

# charon_conf_psk LOCAL_SITE REMOTE_SITE IKE_PROPOSAL ESP_PROPOSAL [MODE]:
# swanctl.conf text for connection "dmvpn" from LOCAL_SITE's NBMA address to
# REMOTE_SITE's: IKEv2, PSK $CHARON_PSK, ids the addresses (type IPv4), no
# MOBIKE (IKE_AUTH stays on port 500), no NAT-T forcing; child "dmvpn" in
# MODE (transport unless told) protecting GRE between the two addresses,
# started by nobody but charon_initiate.
# Proposals are swanctl's: aes256gcm16-prfsha384-x25519, aes128-sha256-ecp256,
# aes256-sha512-modp2048; ESP e.g. aes128gcm16, aes256-sha256.
charon_conf_psk() {
	local l=$1 r=$2 ike=$3 esp=$4 mode=${5:-transport} la ra
	la=$(lab_nbma "$l")
	ra=$(lab_nbma "$r")
	cat <<EOF
# router $l -> router $r (charon_conf_psk)
connections {
	dmvpn {
		version = 2
		local_addrs = $la
		remote_addrs = $ra
		proposals = $ike
		mobike = no
		encap = no
		local {
			auth = psk
			id = $la
		}
		remote {
			auth = psk
			id = $ra
		}
		children {
			dmvpn {
				mode = $mode
				local_ts = $la/32[gre]
				remote_ts = $ra/32[gre]
				esp_proposals = $esp
				start_action = none
			}
		}
	}
}
secrets {
	ike-dmvpn {
		id-local = $la
		id-remote = $ra
		secret = "$CHARON_PSK"
	}
}
EOF
}

# charon_initiate SITE [CHILD [IKE]]: initiate CHILD (default dmvpn) of IKE
# (default: CHILD's connection) and wait for the outcome, at most
# CHARON_TIMEOUT seconds (10). swanctl's status: 0 only if the CHILD_SA was
# established too. Its output (charon's log of the exchange) is in
# $LAB_DIR/charon-rSITE/initiate.log. With CHILD "-", the IKE_SA alone.
charon_initiate() {
	local i=$1 child=${2:-dmvpn} ike=${3:-} d args=() rc=0
	d=$(charon_dir "$i")
	if [ "$child" = - ]; then
		args=(--ike "${ike:-dmvpn}")
	else
		args=(--child "$child")
		[ -z "$ike" ] || args+=(--ike "$ike")
	fi
	charon_swanctl "$i" --initiate "${args[@]}" --timeout "${CHARON_TIMEOUT:-10}" >"$d/initiate.log" 2>&1 || rc=$?
	[ "$rc" = 0 ] || charon_log "router $i: initiate ${args[*]}: status $rc: $(tail -n 3 "$d/initiate.log")"
	return "$rc"
}

# charon_terminate SITE [IKE]: delete the IKE_SAs of connection IKE (default
# dmvpn), waiting at most CHARON_TIMEOUT seconds for the peer's answer.
charon_terminate() {
	local i=$1 ike=${2:-dmvpn} d rc=0
	d=$(charon_dir "$i")
	charon_swanctl "$i" --terminate --ike "$ike" --timeout "${CHARON_TIMEOUT:-10}" >"$d/terminate.log" 2>&1 || rc=$?
	[ "$rc" = 0 ] || charon_log "router $i: terminate $ike: status $rc: $(tail -n 3 "$d/terminate.log")"
	return "$rc"
}

# _charon_vici2json: swanctl's vici dump (--pretty: one element a line,
# "name {", "key = value", "name = [", an item, "]", "}") of the messages
# of one command, as JSON: a list of every event's sections, each with
# its name as "name". Values stay strings, as vici has them (non-printable
# ones come as 0x hex). --pretty, not --raw: --raw puts all on one line
# with values unquoted, so a value with a space or "=" (an identity such
# as "C=CH, O=x") cannot be told from the next key.
_CHARON_VICI2JSON='
import json, sys

def parse(lines):
    out = []
    stack = []  # [container, is_list]
    for raw in lines:
        line = raw.rstrip("\n").lstrip()  # "key = " is an empty value
        if not line.strip():
            continue
        if not stack:
            if line.endswith(" {"):  # "list-sa event {", "list-sas reply {"
                label = line[:-2]
                top = {}
                out.append((label, top))
                stack.append([top, False])
            continue
        cur, is_list = stack[-1]
        if line.rstrip() in ("}", "]"):
            stack.pop()
            continue
        if is_list:
            cur.append(line)
            continue
        # Names (keys, sections, lists) have no " = "; values may.
        k, sep, v = line.partition(" = ")
        if sep and v == "[":
            lst = []
            cur[k] = lst
            stack.append([lst, True])
        elif sep:
            cur[k] = v
        elif line.endswith(" {"):
            sec = {}
            cur[line[:-2]] = sec
            stack.append([sec, False])
        else:
            raise SystemExit("vici2json: cannot parse: %r" % raw)
    if stack:
        raise SystemExit("vici2json: truncated input")
    return out

res = []
for label, top in parse(sys.stdin):
    if label.endswith(" reply"):
        continue
    for name, sec in top.items():
        if isinstance(sec, dict):
            sec = dict(sec)
            sec["name"] = name
            res.append(sec)
json.dump(res, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
'

# charon_sas_json SITE: the site's IKE_SAs (swanctl --list-sas) as a JSON
# array; each element is vici's IKE_SA section plus "name" (the connection),
# e.g. {"name": "dmvpn", "uniqueid": "1", "state": "ESTABLISHED",
# "initiator": "yes" (on the initiator only), "initiator-spi": "a1b2...",
# "responder-spi": "...", "encr-alg": "AES_GCM_16", "encr-keysize": "256",
# "prf-alg": "PRF_HMAC_SHA2_384", "dh-group": "CURVE_25519",
# "child-sas": {"dmvpn-2": {"state": "INSTALLED", ...}}}. All values are
# strings. Fails if charon does not answer.
charon_sas_json() {
	local i=$1 out err
	err=$(charon_dir "$i")/list-sas.err
	out=$(charon_swanctl "$i" --list-sas --noblock --pretty 2>"$err") ||
		{ charon_log "router $i: list-sas failed: $(cat "$err")"; return 1; }
	python3 -c "$_CHARON_VICI2JSON" <<<"$out"
}

# _CHARON_KEYS: read charon's log (ike = 4, mgr = 2) on stdin; for each
# IKE_SA of the last charon run (unique ids restart with every run) that
# has keys and both SPIs, print either tshark's ikev2_decryption_table line
# (argv[1] "uat") or a JSON object (argv[1] "json"). The keys come from
# "Sk_ei secret => 36 bytes @ ..." and the hex dump lines that follow, the
# SPIs from the manager's "checkin IKEv2 SA dmvpn[1] with SPIs X_i Y_r", the
# algorithms from "selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/...".
_CHARON_KEYS='
import json, re, sys

ENCR = {}
for bits in (128, 192, 256):
    ENCR["AES_CBC_%d" % bits] = "AES-CBC-%d [RFC3602]" % bits
    ENCR["AES_CTR_%d" % bits] = "AES-CTR-%d [RFC5930]" % bits
    for icv in (8, 12, 16):
        ENCR["AES_GCM_%d_%d" % (icv, bits)] = "AES-GCM-%d with %d octet ICV [RFC5282]" % (bits, icv)
        ENCR["AES_CCM_%d_%d" % (icv, bits)] = "AES-CCM-%d with %d octet ICV [RFC5282]" % (bits, icv)
INTEG = {
    "HMAC_SHA2_256_128": "HMAC_SHA2_256_128 [RFC4868]",
    "HMAC_SHA2_384_192": "HMAC_SHA2_384_192 [RFC4868]",
    "HMAC_SHA2_512_256": "HMAC_SHA2_512_256 [RFC4868]",
    "HMAC_SHA1_96": "HMAC_SHA1_96 [RFC2404]",
    "HMAC_MD5_96": "HMAC_MD5_96 [RFC2403]",
}
# "07:17:36 06[IKE] <dmvpn|1> Sk_ei secret => 36 bytes @ 0x7f..."
PFX = re.compile(r"^\S+ (\d+)\[(\w+)\] (?:<(?:[^>]*\|)?(\d+)> )?(.*)$")
KEY = re.compile(r"^(Sk_(?:d|ei|er|ai|ar|pi|pr)) secret => (\d+) bytes")
DUMP = re.compile(r"^\s*\d+: (.*)$")
SPIS = re.compile(r"\[(\d+)\] with SPIs ([0-9a-f]{16})_i ([0-9a-f]{16})_r")
PROP = re.compile(r"^selected proposal: IKE:(\S+)")

sas = {}
pending = None  # [sa, name, remaining bytes, thread, hex list]
for line in sys.stdin:
    m = PFX.match(line.rstrip("\n"))
    if not m:
        continue
    thread, group, uid, msg = m.groups()
    if pending and thread == pending[3] and uid == pending[0]:
        d = DUMP.match(msg)
        if d and pending[2] > 0:
            n = min(16, pending[2])
            pending[4] += d.group(1).split()[:n]
            pending[2] -= n
            if pending[2] == 0:
                sas.setdefault(uid, {})[pending[1]] = "".join(pending[4]).lower()
                pending = None
            continue
    pending = None
    if "Starting IKE charon daemon" in msg:
        sas = {}
        continue
    s = SPIS.search(msg)
    if s and group == "MGR":
        if s.group(3) != "0" * 16:
            sa = sas.setdefault(s.group(1), {})
            sa["spi_i"], sa["spi_r"] = s.group(2), s.group(3)
        continue
    if uid is None:
        continue
    k = KEY.match(msg)
    if k and group == "IKE":
        pending = [uid, k.group(1).lower(), int(k.group(2)), thread, []]
        if pending[2] == 0:
            sas.setdefault(uid, {})[pending[1]] = ""
            pending = None
        continue
    p = PROP.match(msg)
    if p:
        algs = p.group(1).split("/")
        sa = sas.setdefault(uid, {})
        sa["encr"] = algs[0]
        sa["integ"] = next((a for a in algs[1:] if not a.startswith("PRF_") and
                            (a.startswith("HMAC_") or a.startswith("AES_XCBC") or
                             a.startswith("AES_CMAC"))), "NONE")
        sa["prf"] = next((a for a in algs if a.startswith("PRF_")), "")
        sa["dh"] = algs[-1] if len(algs) > 2 else ""

out = []
for uid in sorted(sas, key=int):
    sa = sas[uid]
    if not all(k in sa for k in ("spi_i", "spi_r", "sk_ei", "sk_er", "encr")):
        continue
    sa["uniqueid"] = uid
    out.append(sa)
if sys.argv[1] == "json":
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    sys.exit(0)
for sa in out:
    encr = ENCR.get(sa["encr"])
    if encr is None:
        sys.exit("charon_keys: no tshark name for %s" % sa["encr"])
    integ = "NONE [RFC4306]" if sa["integ"] == "NONE" else INTEG.get(sa["integ"])
    if integ is None:
        sys.exit("charon_keys: no tshark name for %s" % sa["integ"])
    print("%s,%s,%s,%s,\"%s\",%s,%s,\"%s\"" % (sa["spi_i"], sa["spi_r"], sa["sk_ei"], sa["sk_er"],
          encr, sa.get("sk_ai", ""), sa.get("sk_ar", ""), integ))
'

# charon_keys SITE [json]: the IKE keys of every IKE_SA the site's charon
# (started with CHARON_DEBUG_KEYS=1) has negotiated since it started, one
# tshark ikev2_decryption_table UAT record a line:
#   SPIi,SPIr,SK_ei,SK_er,"ENCR",SK_ai,SK_ar,"INTEG"
# (hex without 0x; for AES-GCM the keys include the 4-byte salt, SK_a* are
# empty and INTEG is "NONE [RFC4306]"), for
#   tshark -o "uat:ikev2_decryption_table:$line" ...
# With "json": an array of objects with uniqueid, spi_i, spi_r, encr, integ,
# prf, dh (strongSwan's names) and sk_d, sk_ei, sk_er, sk_ai, sk_ar, sk_pi,
# sk_pr (hex), to compare with another implementation's key log.
# IKE_SAs made by IKE_SA_INIT only: the keys of a rekeyed IKE_SA (derived in
# CREATE_CHILD_SA, logged under the old IKE_SA's name) are not told apart.
charon_keys() {
	local i=$1 form=${2:-uat} log
	log=$(charon_logfile "$i")
	case "$form" in uat | json) ;; *)
		charon_log "charon_keys: unknown form '$form'"
		return 1
		;;
	esac
	grep -q 'Sk_ei secret' "$log" 2>/dev/null ||
		{ charon_log "router $i: no keys in $log (CHARON_DEBUG_KEYS=1 at charon_start?)"; return 1; }
	python3 -c "$_CHARON_KEYS" "$form" <"$log"
}

# _charon_reap SITE: wait for the SIGTERMed charon (10 s, then SIGKILL: a
# failure), reap it, check its exit status and log.
_charon_reap() {
	local i=$1 pid=${CHARON_PID[$1]:-} rc=0 st=0 d
	[ -n "$pid" ] || return 0
	d=$(charon_dir "$i")
	if ! lab_wait 10 _charon_gone "$pid"; then
		charon_log "charon on router $i ignored SIGTERM: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
		lab_wait 5 _charon_gone "$pid" || true
		rc=1
	fi
	wait "$pid" 2>/dev/null || st=$?
	# 127: not (or no longer) a child of this shell, status unknown.
	if [ "$rc" = 0 ] && [ "$st" != 0 ] && [ "$st" != 127 ]; then
		charon_log "charon on router $i exited with status $st: $(tail -n 5 "$d/charon.stdout.log" "$d/charon.log" 2>/dev/null)"
		rc=1
	fi
	_charon_pid_forget "$pid"
	unset "CHARON_PID[$i]"
	# charon's segv handler logs "thread N received 11", a backtrace and
	# "killing ourself, received critical signal" (this run's part only).
	local crash
	crash=$(tail -c +"$((${CHARON_LOG_FROM[$i]:-0} + 1))" "$d/charon.log" 2>/dev/null |
		grep -E -A 20 'thread [0-9]+ received [0-9]+|killing ourself' | head -n 30)
	if [ -n "$crash" ]; then
		charon_log "charon on router $i crashed: $crash"
		rc=1
	fi
	# A clean stop removes the pid file.
	if [ -e "$d/run/charon.pid" ]; then
		charon_log "charon on router $i left $d/run/charon.pid behind"
		rc=1
	fi
	return "$rc"
}

# charon_stop SITE...: SIGTERM each site's charon, then wait for all (10 s
# each, SIGKILL after that); fails if one had died before, crashed, exited
# non-zero or needed SIGKILL. At SIGTERM charon sends a DELETE for each
# established IKE_SA but does not wait for the answer.
charon_stop() {
	local i pid rc=0
	for i in "$@"; do
		pid=${CHARON_PID[$i]:-}
		[ -n "$pid" ] || { charon_log "charon_stop $i: no charon started there"; rc=1; continue; }
		if ! { _charon_alive "$pid" && kill -TERM "$pid" 2>/dev/null; }; then
			charon_log "charon on router $i (pid $pid) had died: $(tail -n 10 "$(charon_logfile "$i")")"
			rc=1
		fi
	done
	for i in "$@"; do _charon_reap "$i" || rc=1; done
	return "$rc"
}

# charon_procs: pids of charons of this lab still running: in its
# namespaces, or using its directory (STRONGSWAN_CONF in the environment).
charon_procs() {
	local ns pid
	{
		for ns in $(ip netns list | awk '{print $1}' | grep "^${LAB}-" || true); do
			for pid in $(ip netns pids "$ns" 2>/dev/null); do
				[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = charon ] && echo "$pid"
			done
		done
		for pid in $(pgrep -x charon || true); do
			tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "STRONGSWAN_CONF=$LAB_DIR/.*" && echo "$pid"
		done
	} | sort -u
}
