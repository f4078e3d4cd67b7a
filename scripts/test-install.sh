#!/bin/sh
# The install test: make install into a temporary DESTDIR (PREFIX=/usr/local)
# and run the installed binary from another directory with a clean
# environment (QUJAT_HOME pointing into DESTDIR, since the compiled-in path
# is /usr/local/share/qujat); then a real make install PREFIX=$tmp/prefix,
# run from / with no QUJAT_HOME at all. Each renders a certificate, a card
# and a plan, read back with pdftotext; a bogus templates/ in the current
# directory must be ignored; make uninstall must leave no file behind.
# Extra make arguments come from $QJT_MAKE_ARGS (make check passes the build
# under test). Prints one line per check; exit 1 when any failed.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qjt-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
fail=0
ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; fail=$((fail+1)); }
MAKE=${MAKE:-make}
TODAY=2026-11-23

# make ARGS...: quiet unless it fails
mk() {
	# shellcheck disable=SC2086
	if ! $MAKE -C "$TOP" --no-print-directory ${QJT_MAKE_ARGS:-} "$@" >"$tmp/make.log" 2>&1; then
		bad "make $*"; cat "$tmp/make.log"; return 1
	fi
}

# has PDF TEXT: the PDF's text (whitespace collapsed) holds TEXT
has() {
	if pdftotext -enc UTF-8 "$1" - 2>/dev/null | tr -s ' \n\f\t' '    ' | grep -qF "$2"; then
		ok "$(basename "$1") shows '$2'"
	else
		bad "$(basename "$1") does not show '$2'"
	fi
}

# a work directory away from the tree, with the inputs and a bogus data
# tree the installed binary must not read
work=$tmp/work
mkdir -p "$work/templates/i18n" "$work/standards" "$work/records" "$work/fonts"
cp "$TOP/examples/roster.xml" "$TOP/examples/emblem.png" "$TOP/standards/001.xml" \
   "$TOP/examples/records/elderly-alone-kk.xml" "$work/"
for f in certificate.xml profession-card.xml work-plan.xml certificate.rng i18n/kk.xml \
	 i18n/ru.xml i18n/codes.xml; do
	echo '<bogus' >"$work/templates/$f"
done
echo '<bogus' >"$work/standards/standard.rng"
echo '<bogus' >"$work/records/client-record.rng"
echo '<bogus' >"$work/fonts/fonts.xml"

# render BIN RUNDIR OUTDIR [VAR=VALUE...]: a certificate, a card and a plan
# of the inputs in $work, run from RUNDIR with only PATH (and the given
# variables) in the environment
render() {
	bin=$1 rundir=$2 out=$3; shift 3
	mkdir -p "$out"
	for job in "cert.pdf certificates $work/roster.xml" \
		   "card.pdf card $work/001.xml --card 1" \
		   "plan.pdf plan $work/elderly-alone-kk.xml"; do
		pdf=${job%% *} args=${job#* }
		# shellcheck disable=SC2086
		if (cd "$rundir" && env -i PATH=/usr/bin:/bin QUJAT_TODAY=$TODAY "$@" \
			"$bin" $args -o "$out/$pdf") >"$tmp/run.log" 2>&1; then
			ok "qujat ${args#"$work/"} (from $rundir)"
		else
			bad "qujat $args"; cat "$tmp/run.log"
		fi
	done
	has "$out/cert.pdf" "ҚЖ-2026-0001"
	has "$out/cert.pdf" "Әсел Қайратқызы Өмірбекова"
	has "$out/card.pdf" "Денсаулық сақтау саласындағы күтім жөніндегі әлеуметтік жұмыскері"
	has "$out/plan.pdf" "Тамақ дайындауға көмек"
}

# installed BASE: the files make install must put under BASE (=DESTDIR+PREFIX)
installed() {
	for f in bin/qujat share/man/man1/qujat.1 share/qujat/templates/certificate.xml \
		 share/qujat/templates/certificate.rng share/qujat/templates/i18n/kk.xml \
		 share/qujat/templates/i18n/codes.xml share/qujat/standards/001.xml \
		 share/qujat/standards/standard.rng share/qujat/records/client-record.rng \
		 share/qujat/fonts/fonts.xml share/qujat/fonts/PTSans-Regular.ttf \
		 share/qujat/fonts/LICENSE-PT.txt; do
		[ -f "$1/$f" ] || { bad "make install: no $1/$f"; return; }
	done
	ok "make install put the binary, data and man page under $1"
}

# uninstalled BASE: make uninstall left no file and no share/qujat
uninstalled() {
	left=$(find "$1" -type f | head -5)
	if [ -z "$left" ] && [ ! -e "$1/share/qujat" ]; then
		ok "make uninstall left nothing under $1"
	else
		bad "make uninstall left: $left $(ls -d "$1/share/qujat" 2>/dev/null)"
	fi
}

echo "test-install: DESTDIR=$tmp/dest PREFIX=/usr/local"
dest=$tmp/dest
if mk install PREFIX=/usr/local DESTDIR="$dest"; then
	installed "$dest/usr/local"
	render "$dest/usr/local/bin/qujat" "$work" "$tmp/out1" \
	       QUJAT_HOME="$dest/usr/local/share/qujat"
	# without QUJAT_HOME it looks in /usr/local/share/qujat, nowhere else
	if [ ! -e /usr/local/share/qujat ]; then
		(cd "$work" && env -i PATH=/usr/bin:/bin "$dest/usr/local/bin/qujat" \
			certificates roster.xml -o "$tmp/none.pdf") >"$tmp/run.log" 2>&1
		rc=$?
		if [ $rc -ne 0 ] && grep -q '/usr/local/share/qujat' "$tmp/run.log" &&
		   grep -q 'QUJAT_HOME' "$tmp/run.log" && [ ! -e "$tmp/none.pdf" ]; then
			ok "no data directory: exit $rc, names /usr/local/share/qujat and QUJAT_HOME"
		else
			bad "no data directory: exit $rc: $(cat "$tmp/run.log")"
		fi
	fi
	mk uninstall PREFIX=/usr/local DESTDIR="$dest" && uninstalled "$dest/usr/local"
fi

echo "test-install: PREFIX=$tmp/prefix (no DESTDIR, no QUJAT_HOME, run from /)"
prefix=$tmp/prefix
if mk install PREFIX="$prefix"; then
	installed "$prefix"
	render "$prefix/bin/qujat" / "$tmp/out2"
	# and from the directory with the bogus data tree
	render "$prefix/bin/qujat" "$work" "$tmp/out3"
	mk uninstall PREFIX="$prefix" && uninstalled "$prefix"
fi

echo "test-install: $fail failed"
[ "$fail" -eq 0 ]
