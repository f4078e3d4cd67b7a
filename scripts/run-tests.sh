#!/bin/sh
# Runs every test binary and fuzz replay driver of a build directory, first
# under C.UTF-8 and then under ru_RU.UTF-8, then the install test once;
# prints a summary, fails on any. Every run gets TMPDIR set to a fresh
# private directory that must be empty again when it ends: anything a test
# leaves behind (in TMPDIR, where the tests and qujat make their temporary
# files) is reported as a failure, and then removed.
set -u
BDIR=${1:-build/debug}
export QUJAT_BIN=${QUJAT_BIN:-$BDIR/qujat}
fail=0; n=0
base=$(mktemp -d "${TMPDIR:-/tmp}/qjt-run.XXXXXX") || exit 1
trap 'rm -rf "$base"' EXIT
trap 'exit 1' INT TERM

# one NAME LOG CMD...: runs CMD with a private TMPDIR; counts it
one() {
	name=$1 log=$2; shift 2
	n=$((n+1))
	t=$base/$n
	mkdir "$t"
	if ! TMPDIR=$t "$@" >"$log" 2>&1; then
		echo "FAIL $name — see $log"; tail -20 "$log"
		fail=$((fail+1))
	elif [ -n "$(ls -A "$t")" ]; then
		echo "FAIL $name: left in TMPDIR: $(ls -A "$t" | head -5 | tr '\n' ' ')"
		fail=$((fail+1))
	fi
	rm -rf "$t"
}

for loc in C.UTF-8 ru_RU.UTF-8; do
	for t in "$BDIR"/tests/test_* "$BDIR"/fuzz/fuzz_*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		case $t in *.log|*.d) continue ;; esac
		one "($loc): $t" "$t.$loc.log" env LANG=$loc LC_ALL=$loc "$t"
	done
done
one "scripts/test-install.sh" "$BDIR/test-install.log" ./scripts/test-install.sh
echo "run-tests: $n runs, $fail failed"
[ "$fail" -eq 0 ]
