#!/bin/sh
# Requests per second and latency percentiles of GET /api/health (a
# handler that touches the database) against a static asset (the baseline:
# no database, same headers), measured in one run with wrk against the
# release build on a free loopback port.
#
#   make bench            (or: sh bench/health.sh after make)
#   DURATION=10 CONNECTIONS=32 sh bench/health.sh
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}

DEMO=0 . bench/lib.sh

# Prints "rps p50 p90 p99 max" for one path.
measure() {
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency \
	    "http://127.0.0.1:$port$1" > "$work/wrk.out"
	awk '
	/^Requests\/sec:/ { rps = $2 }
	/^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
	/^ +Latency +[0-9]/ { max = $4 }
	END { printf "%s %s %s %s %s\n", rps, p50, p90, p99, max }
	' "$work/wrk.out"
}

rss() {	# total resident memory of the server's processes, in MiB
	ps -o rss= --ppid "$kpid" -p "$kpid" | awk '{ s += $1 } END { printf "%.1f", s / 1024 }'
}

echo "wrk: $THREADS threads, $CONNECTIONS connections, ${DURATION}s per path, 2 Kore workers"
printf '%-26s %10s %9s %9s %9s %9s\n' path req/s p50 p90 p99 max
set -- $(measure /assets/css/app.css)
base_rps=$1
printf '%-26s %10s %9s %9s %9s %9s\n' "/assets/css/app.css" "$1" "$2" "$3" "$4" "$5"
set -- $(measure /api/health)
printf '%-26s %10s %9s %9s %9s %9s\n' "/api/health" "$1" "$2" "$3" "$4" "$5"
awk -v a="$1" -v b="$base_rps" 'BEGIN { printf "health/asset throughput ratio: %.2f\n", a / b }'
echo "server memory (parent + workers): $(rss) MiB RSS"
check_log
