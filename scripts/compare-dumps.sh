#!/bin/sh
# compare-dumps.sh REF: the display lists (--dump) of every example, card
# and plan made by git revision REF and by the current tree, compared.
# REF is exported with git archive into a temporary directory and built
# there; each binary runs in its own tree (its own templates) on the same
# documents. Prints "N documents compared, M differ"; exit 1 on any
# difference (or a build failure), 0 otherwise.
set -u
ref=${1:?usage: scripts/compare-dumps.sh REF}
top=$(git rev-parse --show-toplevel) || exit 1
cd "$top" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qj-compare-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# the two binaries
mkdir -p "$tmp/ref" "$tmp/out" "$tmp/a" "$tmp/b"
git archive "$ref" | tar -x -C "$tmp/ref" || { echo "compare-dumps: cannot export $ref" >&2; exit 1; }
echo "building $ref in $tmp/ref" >&2
make -C "$tmp/ref" -j2 build/qujat >"$tmp/ref-build.log" 2>&1 ||
	{ tail -20 "$tmp/ref-build.log" >&2; echo "compare-dumps: $ref does not build" >&2; exit 1; }
echo "building the current tree" >&2
make -j2 build/qujat >"$tmp/cur-build.log" 2>&1 ||
	{ tail -20 "$tmp/cur-build.log" >&2; echo "compare-dumps: the current tree does not build" >&2; exit 1; }

# the documents: one line each, the arguments of a qujat command
list="$tmp/list"
: >"$list"
for l in kk ru en kk+ru; do
	echo "certificates examples/roster.xml --lang $l" >>"$list"
done
echo "certificates examples/roster.xml" >>"$list"
for f in standards/[0-9]*.xml; do
	echo "card $f --all" >>"$list"
	for l in kk ru en; do
		echo "card $f --all --lang $l" >>"$list"
	done
done
for f in examples/records/*.xml; do
	for l in kk ru kk+ru; do
		echo "plan $f --lang $l" >>"$list"
	done
done

# run both on each, in their own trees, to the same output path
export QUJAT_TODAY=2026-11-23
unset QUJAT_HOME QUJAT_FONTS
n=0 m=0 bad=0
while read -r args; do
	n=$((n + 1))
	for side in ref cur; do
		if [ $side = ref ]; then dir="$tmp/ref" d="$tmp/a"; else dir="$top" d="$tmp/b"; fi
		# shellcheck disable=SC2086 # args are words by design
		(cd "$dir" && ./build/qujat $args --dump -o "$tmp/out/doc.pdf" \
			>"$d/$n.out" 2>"$d/$n.err"; echo "exit $?" >>"$d/$n.out")
	done
	grep -qx 'exit 0' "$tmp/b/$n.out" || { bad=$((bad + 1)); echo "note: exit $(tail -1 "$tmp/b/$n.out"): qujat $args" >&2; }
	if ! cmp -s "$tmp/a/$n.out" "$tmp/b/$n.out"; then
		m=$((m + 1))
		echo "DIFFERS: qujat $args" >&2
		diff "$tmp/a/$n.out" "$tmp/b/$n.out" | head -10 >&2
	elif ! cmp -s "$tmp/a/$n.err" "$tmp/b/$n.err"; then
		echo "note: same display list, other diagnostics: qujat $args" >&2
		diff "$tmp/a/$n.err" "$tmp/b/$n.err" | head -6 >&2
	fi
done <"$list"
echo "$n documents compared, $m differ ($bad of them fail in the current tree)"
[ "$m" -eq 0 ]
