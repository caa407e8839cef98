# Shared by the bench scripts (sourced, not run): starts the release build
# on a free loopback port with a fresh data directory and waits until it
# answers. Sets work (the directory, also the server's data directory),
# port and kpid (Kore's parent), and stops the server and removes the
# directory on exit.
#
#   DEMO=1 . bench/lib.sh     (DEMO defaults to 0)
#   BENCH_START=0 . bench/lib.sh   only the directory and the functions:
#                             the script starts its servers (server_start)

work=$(mktemp -d /tmp/fellowship-bench.XXXXXX)
kpids=""

# Starts a server with the data directory $1 (made when missing), the
# environment's DEMO, DATABASE_URL and CONF_EXTRA, and waits until it
# answers: sets data, port and kpid. Earlier servers keep running.
server_start() {	# data_dir
	data=$1
	mkdir -p "$data"
	port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	export PORT=$port DATA_DIR=$data DEMO=${DEMO:-0} SENDMAIL=none
	MODULE=./build/fellowship.so scripts/render-conf.sh conf/dev.conf \
	    > "$data/kore.conf"
	stdbuf -oL -eL kore -f -n -r -c "$data/kore.conf" \
	    >> "$data/server.log" 2>&1 &
	kpid=$!
	kpids="$kpids $kpid"
	_i=0
	until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do
		_i=$((_i + 1))
		if [ $_i -gt 300 ] || ! kill -0 $kpid 2>/dev/null; then
			cat "$data/server.log" >&2
			exit 1
		fi
		sleep 0.1
	done
}

# Stops the server of Kore parent $1 (all of them without one).
server_stop() {	# [kpid]
	for _k in ${1:-$kpids}; do
		kill "$_k" 2>/dev/null || true
		wait "$_k" 2>/dev/null || true
	done
}

# On exit the servers stop and the directory goes; an interrupt exits.
trap 'server_stop; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
[ "${BENCH_START:-1}" = 0 ] || server_start "$work"

# Fails the bench when the server logged what the tests forbid.
check_log() {
	if grep -E 'sandbox violation|ignoring "' "$data/server.log"; then
		echo "bench: the server log has forbidden lines" >&2
		exit 1
	fi
}

# Milliseconds of a wrk latency figure ("812.00us", "1.25ms", "1.02s").
ms() {
	awk -v v="$1" 'BEGIN {
		if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
		else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
		else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
		else { sub(/s$/, "", v); printf "%.2f", v * 1000 } }'
}

# "rps p50_ms p99_ms" of a wrk output file (the percentiles 0 when it ran
# without --latency, as the background loads do).
wrk_summary() {
	set -- $(awk '/^Requests\/sec:/ { r = $2 } /^ +50%/ { a = $2 }
	    /^ +99%/ { b = $2 } END { print r, a, b }' "$1")
	echo "$1 $(ms "${2:-0}") $(ms "${3:-0}")"
}

# GET a path with wrk (2 threads, CONNECTIONS connections, DURATION
# seconds), with any headers: prints "rps p50_ms p99_ms".
wrk_get() {	# path [header...]
	_url="http://127.0.0.1:$port$1"
	shift
	for _h in "$@"; do
		set -- "$@" -H "$_h"
		shift
	done
	wrk -t2 -c"${CONNECTIONS:-8}" -d"${DURATION:-5}s" --latency \
	    "$@" "$_url" > "$work/wrk.out"
	wrk_summary "$work/wrk.out"
}

# Signs a demo account in: prints "cookie csrf_token".
login() {	# email
	curl -s -D "$work/login.h" -H 'Content-Type: application/json' \
	    -d "{\"email\":\"$1\",\"password\":\"fellowship-demo-2026\"}" \
	    "http://127.0.0.1:$port/api/login" > "$work/login.b"
	echo "$(sed -n 's/^set-cookie: \([^;]*\).*/\1/p' "$work/login.h")" \
	    "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$work/login.b")"
}

# Largest resident set among the Kore workers, in MiB.
workers_rss() {
	ps -o rss= --ppid "$kpid" | sort -n | tail -1 |
	    awk '{ printf "%.1f", $1 / 1024 }'
}

# Prints rows (figure, measured, baseline, ratio; tab-separated) as the
# bench's table, under its headings.
table() {	# rows_file
	awk -F '\t' '
		{ for (i = 1; i <= 4; i++) { c[NR, i] = $i
		    if (length($i) > w[i]) w[i] = length($i) } }
		END {
			h[1] = "figure"; h[2] = "measured"; h[3] = "baseline (same run)"
			h[4] = "ratio"
			for (i = 1; i <= 4; i++) if (length(h[i]) > w[i]) w[i] = length(h[i])
			f = "%-" w[1] "s  %-" w[2] "s  %-" w[3] "s  %s\n"
			printf f, h[1], h[2], h[3], h[4]
			for (r = 1; r <= NR; r++)
				printf f, c[r, 1], c[r, 2], c[r, 3], c[r, 4]
		}' "$1"
}

rate() {	# "rps p50 p99" -> "N/s p50 X p99 Y ms"
	printf "%.0f/s p50 %s p99 %s ms" "$1" "$2" "$3"
}

ratio() {	# a b -> a / b
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }'
}
