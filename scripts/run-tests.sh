#!/bin/sh
# Runs every test binary and fuzz replay driver of a build directory, first
# under C.UTF-8 and then under ru_RU.UTF-8; prints a summary, fails on any.
set -u
BDIR=${1:-build}
export QUJAT_BIN=${QUJAT_BIN:-$BDIR/qujat}
export QUJAT_FONTS=${QUJAT_FONTS:-$(pwd)/fonts}
fail=0; n=0
for loc in C.UTF-8 ru_RU.UTF-8; do
	for t in "$BDIR"/tests/test_* "$BDIR"/fuzz/fuzz_*; do
		[ -x "$t" ] || continue
		n=$((n+1))
		if ! LANG=$loc LC_ALL=$loc "$t" >"$t.$loc.log" 2>&1; then
			echo "FAIL ($loc): $t — see $t.$loc.log"; tail -20 "$t.$loc.log"
			fail=$((fail+1))
		fi
	done
done
echo "run-tests: $n runs, $fail failed"
[ "$fail" -eq 0 ]
