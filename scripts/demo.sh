#!/bin/sh
# make demo: renders the shipped examples into out/ and prints the paths.
set -u
Q=${1:-build/qujat}
mkdir -p out
rc=0
run() { # run OUT CMD...: prints OUT when the command succeeded
	out=$1; shift
	if "$@"; then echo "$out"; else echo "demo: failed: $*" >&2; rc=1; fi
}
run out/certificates.pdf "$Q" certificates examples/roster.xml -o out/certificates.pdf
run out/certificates-ru.pdf "$Q" certificates examples/roster.xml --lang ru -o out/certificates-ru.pdf
run out/certificates-kk+ru.pdf "$Q" certificates examples/roster.xml --lang kk+ru -o out/certificates-kk+ru.pdf
# profession cards: every card of every standard, one PDF per standard
if "$Q" --help | grep -q ' card '; then
	for f in standards/[0-9]*.xml; do
		[ -f "$f" ] || continue
		b=$(basename "$f" .xml)
		run "out/cards-$b.pdf" "$Q" card "$f" --all -o "out/cards-$b.pdf"
	done
fi
# work plans: every record in each language it can be printed in
if "$Q" --help | grep -q ' plan '; then
	mkdir -p out/plans
	for f in examples/records/*.xml; do
		[ -f "$f" ] || continue
		b=$(basename "$f" .xml)
		for l in kk ru kk+ru; do
			run "out/plans/$b-$l.pdf" "$Q" plan "$f" --lang "$l" -o "out/plans/$b-$l.pdf"
		done
	done
fi
exit $rc
