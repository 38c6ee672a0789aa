#!/bin/sh
# Run cmocka unit test binaries and total their test cases.
#
#   tests/run-unit.sh BIN...
#
# Prints each binary's output, then one closing line "N passed, N failed".
# Exits non-zero if any binary failed a test or crashed (an ASan/UBSan
# report aborts the binary before cmocka prints its summary, so a binary
# with no summary counts the tests it finished plus one failure).
set -u

if [ $# -eq 0 ]; then
	echo "usage: $0 BIN..." >&2
	exit 2
fi

# cmocka's plain-text summary is what we parse; a caller's TAP or XML
# setting would hide it.
CMOCKA_MESSAGE_OUTPUT=stdout
export CMOCKA_MESSAGE_OUTPUT

out=$(mktemp) || exit 2
trap 'rm -f "$out"' EXIT INT TERM

total_pass=0
total_fail=0
status=0

for bin in "$@"; do
	echo "=== $bin"
	# cmocka writes the summary to stderr and the rest to stdout; one file
	# keeps them in order (cmocka flushes after each message).
	"$bin" >"$out" 2>&1
	rc=$?
	cat "$out"

	pass=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$out" | tail -n 1)
	fail=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$out" | tail -n 1)
	if [ -z "$pass" ]; then
		# No summary: the binary died mid-run (or never started).
		pass=$(grep -c '^\[       OK \]' "$out")
		fail=1
		echo "=== $bin: no cmocka summary (exit status $rc); counted as 1 failure"
	fi
	: "${fail:=0}"
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		# A clean summary but a bad exit status (a leak report at exit).
		fail=1
		echo "=== $bin: exit status $rc after its summary; counted as 1 failure"
	fi
	if [ "$rc" -ne 0 ] || [ "$fail" -ne 0 ]; then
		status=1
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

echo "$total_pass passed, $total_fail failed"
exit $status
