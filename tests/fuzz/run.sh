#!/bin/sh
# Run libFuzzer targets for a fixed time each.
#
#   tests/fuzz/run.sh SECONDS BIN...
#
# A binary named fuzz_X starts from the seeds in tests/fuzz/corpus/X. It
# runs over a temporary copy, so what it discovers does not change the
# committed corpus (see README.md for keeping a growing corpus). Prints one
# line per target, plus the tail of its log when it fails. The full log is
# left next to the binary as fuzz_X.log, and a crashing input as
# fuzz_X-crash-<sha1> (or -leak-, -timeout-, -oom-).
# Exits non-zero if any target fails.
set -u

usage() {
	echo "usage: $0 SECONDS BIN..." >&2
	exit 2
}

[ $# -ge 2 ] || usage
secs=$1
shift
case $secs in
'' | *[!0-9]*) usage ;;
esac
[ "$secs" -gt 0 ] || usage

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

status=0
for bin in "$@"; do
	name=$(basename "$bin")
	target=${name#fuzz_}
	seeds=$here/corpus/$target
	dir=$(dirname "$bin")
	log=$dir/$name.log

	if [ ! -x "$bin" ]; then
		echo "$name: FAILED (not an executable: $bin)"
		status=1
		continue
	fi
	corpus=$tmp/$target
	mkdir -p "$corpus"
	nseeds=0
	if [ -d "$seeds" ]; then
		cp -R "$seeds/." "$corpus/"
		nseeds=$(find "$corpus" -type f | wc -l)
	fi

	# -timeout: a codec that needs a second for one input is a bug too.
	"$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$dir/$name-" "$corpus" >"$log" 2>&1
	rc=$?

	runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	ncorpus=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		echo "$name: ok, ${runs:-?} runs in ${secs}s, corpus $nseeds -> $ncorpus inputs"
	else
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "$name: FAILED (exit $rc) after ${runs:-?} runs; log $log${art:+; input $art}"
		# The failed check or the sanitizer's verdict, not the whole trace.
		why=$(grep -E 'check failed|ERROR: |SUMMARY: |runtime error' "$log" | head -n 8)
		if [ -n "$why" ]; then
			printf '%s\n' "$why" | sed 's/^/  | /'
		else
			tail -n 10 "$log" | sed 's/^/  | /'
		fi
		status=1
	fi
done
exit $status
