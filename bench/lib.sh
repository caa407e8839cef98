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
