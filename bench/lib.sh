# Shared by the bench scripts (sourced, not run): starts the release build
# on a free loopback port with a fresh data directory and waits until it
# answers. Sets work (the directory), port and kpid (Kore's parent), and
# stops the server and removes the directory on exit.
#
#   DEMO=1 . bench/lib.sh     (DEMO defaults to 0)

work=$(mktemp -d /tmp/fellowship-bench.XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export PORT=$port DATA_DIR=$work DEMO=${DEMO:-0} SENDMAIL=none
MODULE=./build/fellowship.so scripts/render-conf.sh conf/dev.conf > "$work/kore.conf"
stdbuf -oL -eL kore -f -n -r -c "$work/kore.conf" > "$work/server.log" 2>&1 &
kpid=$!
trap 'kill $kpid 2>/dev/null; wait $kpid 2>/dev/null; rm -rf "$work"' EXIT INT TERM
i=0
until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do
	i=$((i + 1))
	[ $i -gt 100 ] && { cat "$work/server.log"; exit 1; }
	sleep 0.1
done

# Fails the bench when the server logged what the tests forbid.
check_log() {
	if grep -E 'sandbox violation|ignoring "' "$work/server.log"; then
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
