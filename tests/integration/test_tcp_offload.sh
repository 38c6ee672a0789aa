#!/usr/bin/env bash
# Bulk TCP across the overlay exercises the TAP offload path: the kernel
# hands mgred 64 KiB GSO super-frames, which mgred cuts into MTU-sized
# segments with rebuilt IPv4 and TCP headers. tshark, with checksum
# validation on, must find every IPv4 header and TCP checksum inside the
# GRE packets correct; the transfer must complete; the same must hold with
# offloads off (-O).
set -eu
. "$(dirname "$0")/../lab/lab.sh"
. "$(dirname "$0")/common.sh"
need_root
lab_init dmi4
lab_create 2

run_transfer() {
	local label=$1
	shift
	for i in 1 2; do
		mgred_conf "$i" "$LAB_DIR/r$i.conf" 42
		mgred_start "$i" "$LAB_DIR/r$i.conf" "$@"
	done
	static_neigh 1 2
	static_neigh 2 1
	lab_spawn 2 "iperf-$label" iperf3 -s -1 -B 10.0.0.2
	lab_wait 5 sh -c "ip netns exec $(lab_ns_router 2) ss -ltn | grep -q ':5201'"
	capture_start "$LAB_DIR/$label.pcap" "ip proto 47"
	lab_r 1 iperf3 -c 10.0.0.2 -n 20M -J >"$LAB_DIR/$label.json" || fail "$label: iperf3 failed"
	capture_stop
	# iperf3 -n stops the clock when the sender has written 20 MB; most of
	# it has arrived by then.
	jq -e '.end.sum_received.bytes >= 10000000' "$LAB_DIR/$label.json" >/dev/null ||
		fail "$label: transfer incomplete: $(jq -c .end.sum_received "$LAB_DIR/$label.json")"
	tshark -r "$LAB_DIR/$label.pcap" -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-Y 'tcp.len > 0' -T fields -E occurrence=l -e ip.checksum.status -e tcp.checksum.status \
		-e tcp.len 2>/dev/null >"$LAB_DIR/$label.sums"
	local total bad
	total=$(wc -l <"$LAB_DIR/$label.sums")
	bad=$(awk '$1 != 1 || $2 != 1' "$LAB_DIR/$label.sums" | wc -l) # 1 = good, 0 = bad, 2 = unverified
	[ "$total" -gt 1000 ] || fail "$label: only $total data segments captured"
	[ -n "${KEEP_PCAP:-}" ] && cp "$LAB_DIR/$label.pcap" /tmp/
	[ "$bad" -eq 0 ] || fail "$label: $bad of $total segments with bad checksums: $(awk '$1 != 1 || $2 != 1' "$LAB_DIR/$label.sums" | head -3)"
	# Every data segment fits the overlay MTU (1472 - 20 - 20 = 1432 bytes).
	awk '$3 > 1432 { exit 1 }' "$LAB_DIR/$label.sums" || fail "$label: oversized segment"
	expect 1 '.interfaces[0].counters.drops.tx_malformed == 0 and .interfaces[0].counters.drops.tx_send_error == 0'
	if [ "$label" = offload ]; then
		expect 1 '.interfaces[0].offload == true and .interfaces[0].counters.tx_gso_frames > 100'
	else
		expect 1 '.interfaces[0].offload == false and .interfaces[0].counters.tx_gso_frames == 0'
	fi
	echo "    $label: $total data segments, checksums all good"
	[ -n "${KEEP_PCAP:-}" ] && cp "$LAB_DIR/$label.pcap" /tmp/ || true
	mgred_stop 1
	mgred_stop 2
}

step "offloads on: GSO frames are segmented in mgred"
run_transfer offload
step "offloads off (-O): the kernel segments"
run_transfer nooffload -O
echo "ok"
