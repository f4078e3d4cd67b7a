#!/bin/sh
# Installs the Debian packages qujat needs to build and test, when missing.
# Idempotent and quiet when everything is there; uses sudo when not root.
# valgrind is for make valgrind (CI); "deps.sh fuzz" also installs clang,
# for make fuzz (libFuzzer) only.
set -eu
PKGS="build-essential pkg-config libhpdf-dev libxml2-dev libxml2-utils libicu-dev
libcmocka-dev libharfbuzz-dev libpng-dev zlib1g-dev poppler-utils qpdf locales
libzip-dev libssl-dev openssl libqrencode-dev zbar-tools icc-profiles-free parallel
valgrind"
if [ "${1:-}" = fuzz ]; then PKGS="$PKGS clang"; fi
# Hyphenation: libhyphen and the ru/en dictionaries, without what they
# recommend (hyphen-ru recommends LibreOffice Writer).
# PDF/A: the validator of tests/test_pdfa.c, Apache PDFBox Preflight, and
# the Java it runs on.
NOREC_PKGS="libhyphen-dev hyphen-ru hyphen-en-us
default-jre-headless libpdfbox2-java libactivation-java libjaxb-api-java"
is_missing() {
	st=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)
	[ "$st" != installed ]
}
missing=""
for p in $PKGS; do
	if is_missing "$p"; then missing="$missing $p"; fi
done
missing_norec=""
for p in $NOREC_PKGS; do
	if is_missing "$p"; then missing_norec="$missing_norec $p"; fi
done
need_locale=""
if ! locale -a 2>/dev/null | grep -qi '^ru_RU\.utf-\?8$'; then need_locale=1; fi
[ -z "$missing" ] && [ -z "$missing_norec" ] && [ -z "$need_locale" ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if [ -n "$missing" ]; then
	echo "deps.sh: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! $SUDO apt-get install -y -qq $missing >/dev/null 2>&1; then
		$SUDO apt-get update -qq >/dev/null
		$SUDO apt-get install -y -qq $missing >/dev/null
	fi
fi
if [ -n "$missing_norec" ]; then
	echo "deps.sh: installing:$missing_norec" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! $SUDO apt-get install -y -qq --no-install-recommends $missing_norec >/dev/null 2>&1; then
		$SUDO apt-get update -qq >/dev/null
		$SUDO apt-get install -y -qq --no-install-recommends $missing_norec >/dev/null
	fi
fi
if [ -n "$need_locale" ]; then
	# The suite runs a second time under a non-English locale.
	echo "deps.sh: generating ru_RU.UTF-8 locale" >&2
	if [ -f /etc/locale.gen ]; then
		$SUDO sed -i 's/^# *ru_RU.UTF-8 UTF-8/ru_RU.UTF-8 UTF-8/' /etc/locale.gen
		grep -q '^ru_RU.UTF-8 UTF-8' /etc/locale.gen || echo 'ru_RU.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
	fi
	$SUDO locale-gen >/dev/null 2>&1 || $SUDO localedef -i ru_RU -f UTF-8 ru_RU.UTF-8
fi
