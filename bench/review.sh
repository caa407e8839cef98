#!/bin/sh
# Review at the demo's size (55 candidates, 6 raters, about 250 sheets):
# the coordinator's assignments view (every assignment with its sheet's
# state, the raters' loads and the connectivity of both phases), the
# director's view of all sheets of a candidate, and a faculty member
# saving a score sheet (a write transaction each), against GET
# /api/health in the same run, with wrk on the release build.
#
#   make bench            (or: sh bench/review.sh after make)
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}

DEMO=1 . bench/lib.sh

login() {	# email -> "cookie csrf"
	curl -s -D "$work/h" -H 'Content-Type: application/json' \
	    -d "{\"email\":\"$1\",\"password\":\"fellowship-demo-2026\"}" \
	    "http://127.0.0.1:$port/api/login" > "$work/b"
	c=$(sed -n 's/^set-cookie: \([^;]*\).*/\1/p' "$work/h")
	t=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$work/b")
	echo "$c $t"
}

set -- $(login coordinator@demo.test)
coord=$1
set -- $(login director@demo.test)
director=$1
set -- $(login faculty1@demo.test)
fcookie=$1 fcsrf=$2

# One of faculty1's submitted screening sheets, and its values.
curl -s -H "Cookie: $fcookie" \
    "http://127.0.0.1:$port/api/cycles/1/assignments?phase=screening" > "$work/a"
app=$(/usr/bin/python3 -c 'import json,sys; print([a for a in json.load(open(sys.argv[1]))["assignments"] if a["sheet"] == "submitted"][0]["application_id"])' "$work/a")
curl -s -H "Cookie: $fcookie" \
    "http://127.0.0.1:$port/api/applications/$app/scores/screening" > "$work/s"
body=$(/usr/bin/python3 -c 'import json,sys; print(json.dumps({"values": json.load(open(sys.argv[1]))["sheet"]["values"]}))' "$work/s")

run() {	# path [header] -> "rps p50 p99"
	wrk -t2 -c8 -d"${DURATION}s" --latency ${2:+-H "$2"} \
	    "http://127.0.0.1:$port$1" > "$work/wrk.out"
	awk '/^Requests\/sec:/ { r = $2 } /^ +50%/ { a = $2 } /^ +99%/ { b = $2 }
	    END { print r, a, b }' "$work/wrk.out"
}

size=$(curl -s -H "Cookie: $coord" "http://127.0.0.1:$port/api/cycles/1/assignments" | wc -c)
echo "wrk: 2 threads, 8 connections, ${DURATION}s each; 2 Kore workers"
echo "assignments view: $size bytes of JSON per response"
printf '%-48s %10s %9s %9s\n' request req/s p50 p99
set -- $(run /api/health)
health=$1
printf '%-48s %10s %9s %9s\n' "GET /api/health" "$1" "$2" "$3"
set -- $(run /api/cycles/1/assignments "Cookie: $coord")
printf '%-48s %10s %9s %9s\n' "GET /api/cycles/1/assignments (coordinator)" "$1" "$2" "$3"
view=$1
set -- $(run "/api/applications/$app/scores/screening/all" "Cookie: $director")
printf '%-48s %10s %9s %9s\n' "GET .../scores/screening/all (director)" "$1" "$2" "$3"
BENCH_PATH="/api/applications/$app/scores/screening" BENCH_BODY="$body" \
BENCH_COOKIE="$fcookie" BENCH_CSRF="$fcsrf" \
    wrk -t2 -c8 -d"${DURATION}s" --latency -s bench/score.lua \
    "http://127.0.0.1:$port" > "$work/wrk.out"
set -- $(awk '/^Requests\/sec:/ { r = $2 } /^ +50%/ { a = $2 } /^ +99%/ { b = $2 }
    END { print r, a, b }' "$work/wrk.out")
printf '%-48s %10s %9s %9s\n' "PUT .../scores/screening (faculty, write)" "$1" "$2" "$3"
grep '^refused' "$work/wrk.out"
awk -v a="$view" -v b="$health" 'BEGIN { printf "assignments view/health throughput ratio: %.4f\n", a / b }'
rss=0
for p in $(pgrep -f "kore -f -n -r -c $work/kore.conf") $(pgrep -P "$kpid"); do
	r=$(awk '/^VmRSS/ { print $2 }' /proc/$p/status 2>/dev/null || echo 0)
	rss=$((rss + r))
done
echo "resident memory of the server's processes: $((rss / 1024)) MiB"
check_log
