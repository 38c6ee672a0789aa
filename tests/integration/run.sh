#!/usr/bin/env bash
# Runs every integration test (as root), each in its own lab, and checks
# that none leaves a namespace or a process behind.
# Ends with the line "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
passed=0
failed=0
failed_names=()
leftovers() {
	{ ip netns list 2>/dev/null | grep -E '^dmi' || true; pgrep -f 'build/(asan|release)/(mgred|nhrpd|iked|dmvpnsh)|frr/(zebra|bgpd) .*/tmp/dmi' || true; }
}
for t in tests/integration/test_*.sh; do
	[ -n "${ONLY:-}" ] && [[ "$t" != *"$ONLY"* ]] && continue
	name=$(basename "$t" .sh)
	start=$(date +%s%N)
	echo "== $name"
	if bash "$t"; then
		ok=1
	else
		ok=0
	fi
	left=$(leftovers)
	if [ -n "$left" ]; then
		echo "   left behind: $left"
		ok=0
	fi
	ms=$((($(date +%s%N) - start) / 1000000))
	dur=$((ms / 1000)).$((ms % 1000 / 100))
	if [ "$ok" = 1 ]; then
		echo "   PASS $name (${dur}s)"
		passed=$((passed + 1))
	else
		echo "   FAIL $name (${dur}s)"
		failed=$((failed + 1))
		failed_names+=("$name")
	fi
done
[ "$failed" -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
