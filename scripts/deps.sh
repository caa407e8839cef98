#!/bin/sh
# Installs the Debian packages a target needs when they are missing.
#
#   scripts/deps.sh run    what building and serving needs
#   scripts/deps.sh test   that, plus what the test suite needs
#   scripts/deps.sh bench  that, plus the load generator
#   scripts/deps.sh security  what the tests need, plus the scanners
#   scripts/deps.sh lint   what building needs, plus the linters
#
# Packages already present are left alone, so on a prepared machine this
# prints nothing and changes nothing. Installing needs root or sudo; without
# either it says which packages are missing and stops.
set -eu

RUN_PKGS="kore gcc make libc6-dev libsqlite3-dev libpq-dev libsodium-dev libjansson-dev
	libqpdf-dev libseccomp-dev zlib1g-dev
	ca-certificates"
# clang and its runtimes (libFuzzer, the sanitizers) build the fuzz targets;
# postgresql gives tests/pg the programs of its throwaway clusters, and
# python3-psycopg2 the HTTP tests their reads of a server's database there.
TEST_PKGS="libcmocka-dev python3 python3-pytest python3-pytest-xdist chromium
	nginx-light openssl qpdf
	curl procps clang libclang-rt-14-dev python3-icalendar
	libreoffice-calc-nogui postgresql python3-psycopg2"
BENCH_PKGS="wrk"
SECURITY_PKGS="sqlmap sslscan"
LINT_PKGS="clang-format clang-tidy cppcheck"

case "${1:-run}" in
run)	want="$RUN_PKGS" ;;
test)	want="$RUN_PKGS $TEST_PKGS" ;;
bench)	want="$RUN_PKGS $TEST_PKGS $BENCH_PKGS" ;;
security) want="$RUN_PKGS $TEST_PKGS $SECURITY_PKGS" ;;
lint)	want="$RUN_PKGS $LINT_PKGS" ;;
*)	echo "usage: $0 run|test|bench|lint|security" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

# Node.js and npm fetch the front-end libraries; any install that provides
# the commands will do, Debian's packages are the fallback.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

[ -z "$missing" ] && exit 0

echo "deps: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: these packages are missing and I am neither root nor" \
	    "able to use sudo:$missing" >&2
	echo "deps: install them with apt-get as root, then run make again." >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
