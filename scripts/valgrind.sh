#!/bin/sh
# make valgrind: memcheck over one run of each kind of work (a certificate
# batch, a profession card, a plan, a validate and an import) with the
# binary given (build/debug/qujat). Any memory error or definite leak fails;
# scripts/valgrind.supp holds only the libraries' own one-time allocations.
set -eu
bin=$(realpath "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/qujat-valgrind.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM
vg() {
	echo "== valgrind: qujat $*"
	(cd "$top" && QUJAT_TODAY=2026-11-23 valgrind -q --error-exitcode=1 \
		--leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --suppressions="$top/scripts/valgrind.supp" \
		"$bin" "$@" >/dev/null)
}
vg certificates examples/roster.xml -o "$out/certificates.pdf"
vg card standards/002.xml --card 13 -o "$out/card.pdf"
vg plan examples/records/elderly-alone-kk.xml -o "$out/plan.pdf"
vg validate examples/roster.xml
vg import tests/data/sources/003_b05b1dd4fbab55f7.txt -o "$out/003.xml"
for f in certificates.pdf card.pdf plan.pdf 003.xml; do
	[ -s "$out/$f" ] || { echo "valgrind.sh: $f was not written" >&2; exit 1; }
done
echo "valgrind: 5 runs, 0 errors, 0 definite leaks"
