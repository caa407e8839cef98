#!/bin/sh
# Does password hashing stall other requests? Latency of GET /api/health
# alone, then while clients sign in continuously (each sign-in verifies an
# Argon2id hash on a Kore task thread), in one run against the release
# build, and the ratio of the two. Prints the sign-in throughput too.
#
#   make bench            (or: sh bench/login.sh after make)
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-8}
LOGIN_CLIENTS=${LOGIN_CLIENTS:-4}

DEMO=1 . bench/lib.sh

# Prints "rps p50_ms" of a wrk output file.
summary() {
	awk '
	function ms(v) {
		if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
		if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
		sub(/s$/, "", v); return v * 1000
	}
	/^Requests\/sec:/ { rps = $2 }
	/^ +50%/ { p50 = ms($2) }
	END { printf "%s %.0f\n", rps, p50 }' "$1"
}

# 100 requests a second for DURATION seconds: "count p50 p99 max" in ms.
probe() {
	/usr/bin/python3 bench/pace.py "$port" /api/health 100 "$DURATION"
}

set -- $(probe); q_n=$1; q50=$2; q99=$3; qmax=$4
wrk -t"$LOGIN_CLIENTS" -c"$LOGIN_CLIENTS" -d"$((DURATION + 2))s" --latency \
    -s bench/login.lua "http://127.0.0.1:$port/api/login" > "$work/login.out" &
lpid=$!
sleep 1
set -- $(probe); b_n=$1; b50=$2; b99=$3; bmax=$4
wait $lpid
set -- $(summary "$work/login.out"); l_rps=$1; l50=$2

echo "GET /api/health at 100 requests/s for ${DURATION}s, alone and while"
echo "$LOGIN_CLIENTS clients sign in without pause (2 workers, 2 task threads each)"
printf '%-30s %8s %8s %8s %8s\n' "" requests "p50 ms" "p99 ms" "max ms"
printf '%-30s %8s %8s %8s %8s\n' "health alone" "$q_n" "$q50" "$q99" "$qmax"
printf '%-30s %8s %8s %8s %8s\n' "health during sign-ins" "$b_n" "$b50" "$b99" "$bmax"
printf 'sign-ins: %s per second, p50 %s ms (Argon2id, interactive limits); %s\n' \
    "$l_rps" "$l50" "$(grep 'sign-in failures' "$work/login.out")"
awk -v a="$b50" -v b="$q50" -v c="$b99" -v d="$q99" 'BEGIN {
	printf "ratio during/alone: p50 %.2f, p99 %.2f\n", a / b, c / d }'
check_log
