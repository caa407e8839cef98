#!/bin/sh
# make security: injection and TLS scans against the real server.
#
# Starts the release build with the demo data on a free loopback port
# (bench/lib.sh), runs Debian's sqlmap against every route that takes
# input as each role, then puts nginx with the deployed site
# (deploy/nginx/fellowship.conf) in front and scans it with sslscan.
# Prints each scan's table; exits non-zero when sqlmap finds an
# injectable parameter, a run cannot be judged, the TLS offer is weaker
# than TLS 1.2/1.3 with forward-secret AEAD suites, or the server logged
# what the tests forbid. Everything stays on loopback; the whole run
# takes about 6 minutes on two cores.
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
if [ "$rc" -eq 0 ]; then
	echo "security: no injectable parameter, TLS as required"
else
	echo "security: FAILED (see above)"
fi
exit "$rc"
