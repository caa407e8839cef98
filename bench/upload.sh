#!/bin/sh
# Memory of the Kore workers while a document uploads: before, during and
# after a 10 MB PDF (the largest accepted) sent slowly, and the answer to a
# 20 MB one (refused on its Content-Length before any of it is read).
# Bodies over 1 MiB stream to disk (http_body_disk_offload), so a worker's
# memory should not grow with the upload's size.
#
#   make bench            (or: sh bench/upload.sh after make)
set -eu
cd "$(dirname "$0")/.."

DEMO=1 . bench/lib.sh

# A valid PDF padded to 10 MB with a comment after its end.
/usr/bin/python3 - "$work/big.pdf" "$work/huge.pdf" <<'PY'
import sys
sys.path.insert(0, "tests/lib")
import pdfs
base = pdfs.valid()
open(sys.argv[1], "wb").write(base + b"%" + b"x" * (10 * 1024 * 1024 - len(base) - 2) + b"\n")
open(sys.argv[2], "wb").write(base + b"%" + b"x" * (20 * 1024 * 1024) + b"\n")
PY

hdrs=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d '{"email":"applicant@demo.test","password":"fellowship-demo-2026"}' \
    "http://127.0.0.1:$port/api/login")
cookie=$(echo "$hdrs" | sed -n 's/^set-cookie: \([^;]*\).*/\1/p')
csrf=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/me" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
app=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$port/api/cycles/1/application" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["application"]["id"])')

# Largest resident set among the workers, in MiB.
workers_rss() {
	ps -o rss= --ppid "$kpid" | sort -n | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'
}

before=$(workers_rss)
curl -s -o "$work/reply" -w '%{http_code}' --limit-rate 2M \
    -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Expect:' \
    -F kind=cv -F "file=@$work/big.pdf;type=application/pdf" \
    "http://127.0.0.1:$port/api/applications/$app/documents" > "$work/code" &
cpid=$!
peak=$before
while kill -0 $cpid 2>/dev/null; do
	now=$(workers_rss)
	peak=$(awk -v a="$now" -v b="$peak" 'BEGIN { print (a > b) ? a : b }')
	sleep 0.2
done
wait $cpid || true
sleep 0.5
after=$(workers_rss)
code=$(cat "$work/code")
huge=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" \
    -H "X-CSRF-Token: $csrf" -H 'Expect:' -F kind=cv \
    -F "file=@$work/huge.pdf;type=application/pdf" \
    "http://127.0.0.1:$port/api/applications/$app/documents" || true)

echo "10 MB PDF upload at 2 MB/s: HTTP $code"
echo "largest worker RSS: before ${before} MiB, peak during ${peak} MiB, after ${after} MiB"
echo "20 MB upload: HTTP $huge (refused before the body is read)"
check_log
