#!/bin/sh
# make security: injection and TLS scans against the real server.
#
# Starts the release build with the demo data on a free loopback port
# (bench/lib.sh), runs Debian's sqlmap against every route that takes
# input as each role, then puts nginx with the deployed site
# (deploy/nginx/fellowship.conf) in front and scans it with sslscan,
# then runs the abuse cases: the findings of the outside attack on the
# running product, each a test marked "abuse" (tests/http, against the
# sanitized build; make test runs them too). Prints each stage's table;
# exits non-zero when sqlmap finds an injectable parameter, a run cannot
# be judged, the TLS offer is weaker than TLS 1.2/1.3 with forward-secret
# AEAD suites, an abuse case fails, or the server logged what the tests
# forbid. Everything stays on loopback; the whole run takes about 7
# minutes on two cores.
set -u
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
DEMO=1 . bench/lib.sh

rc=0
echo "== sqlmap (server on 127.0.0.1:$port)"
$PY scripts/security.py sqlmap "http://127.0.0.1:$port" "$work" || rc=1
echo "== TLS"
mkdir -p "$work/nginx"
$PY scripts/security.py tls "$port" "$work/nginx" || rc=1
check_log
echo "== abuse cases (tests marked abuse)"
make --no-print-directory san >/dev/null || rc=1
$PY -m pytest -q -p no:cacheprovider -m abuse -rA tests/http \
    > "$work/abuse.out" 2>&1 || rc=1
grep -E '^(PASSED|FAILED|ERROR|SKIPPED) |[0-9]+ (passed|failed)' \
    "$work/abuse.out"
if [ "$rc" -eq 0 ]; then
	echo "security: no injectable parameter, TLS as required, every" \
	    "abuse case holds"
else
	echo "security: FAILED (see above)"
fi
exit "$rc"
