#!/bin/sh
# Runs every test: the unit tests of the pure and storage modules (cmocka,
# sanitizers), a short run of every fuzz target with its committed
# regression inputs (libFuzzer), the HTTP tests against the real server
# (pytest) on SQLite and again on PostgreSQL, the PostgreSQL schema's
# tests (tests/pg), both on clusters they start themselves, and the
# browser tests in Debian's Chromium (node:test + playwright-core).
# Prints each suite's output and how long it took, then one summary
# line: "N passed, N failed".
#
# Work runs side by side where it is safe: the browser tests in JOBS
# groups (each with its own server) beside the fuzz targets (in JOBS
# groups) and the HTTP test files (on JOBS pytest-xdist workers, each file
# on one worker with its own servers); the HTTP tests marked "serial"
# (they measure time, or load the machine) run alone at the end, on
# SQLite only. JOBS defaults to the number of processors.
#
# Run it through `make test`, which builds what it needs first.
set -u
cd "$(dirname "$0")/.."

PY=/usr/bin/python3		# Debian's interpreter, which has pytest
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 1)}
passed=0
failed=0
work=$(mktemp -d /tmp/fellowship-tests.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
run_started=$(date +%s)

count() {	# count PASSED FAILED
	passed=$((passed + $1))
	failed=$((failed + $2))
}

took() {	# took WHAT SINCE
	echo "-- $1 took $(($(date +%s) - $2)) s"
}

# Passed and failed counts from pytest's last summary line in file $1
# ("3 failed, 120 passed, 2 deselected in 80.1s"); "no tests ran" is
# nothing run, not a failure.
pytest_counts() {
	last=$(grep -E '[0-9]+ (passed|failed|errors?|deselected)|no tests ran' \
	    "$1" | tail -n 1)
	p=$(echo "$last" | awk '{ for (i = 1; i < NF; i++)
		if ($(i + 1) ~ /^passed/) s += $i } END { print s + 0 }')
	f=$(echo "$last" | awk '{ for (i = 1; i < NF; i++)
		if ($(i + 1) ~ /^(failed|error)/) s += $i } END { print s + 0 }')
	[ -z "$last" ] && f=1
	count "$p" "$f"
}

echo "== unit tests"
t0=$(date +%s)
for t in build/tests/*/*; do
	[ -x "$t" ] || continue
	out="$work/unit.out"
	CMOCKA_MESSAGE_OUTPUT=tap ASAN_OPTIONS=detect_leaks=1 "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed or a sanitizer stopped it
	fi
	[ "$f" -ne 0 ] && cat "$out"
	echo "$t: $p passed, $f failed"
	count "$p" "$f"
done
took "unit tests" "$t0"

# The browser tests mostly wait (on Chromium, the network, the page): they
# start now and run beside the fuzz targets and the HTTP tests; their
# results come after those, and the serial HTTP tests run once they are
# done.
browser_t0=$(date +%s)
# The files are dealt into JOBS groups (the longest first, round the
# groups), each group with its own server and demo data, the groups at
# once; inside a group the files share the server: one file at a time.
files=$(for f in ranking review xss accounts applications shell; do
	[ -f tests/browser/$f.test.mjs ] && echo tests/browser/$f.test.mjs
done
ls tests/browser/*.test.mjs | grep -v -E \
    '/(ranking|review|xss|accounts|applications|shell)\.test\.mjs$')

# browser_group G FILES...: runs the files against a server of their own;
# writes $work/browser.G.out and .status (the server's start and stop).
browser_group() {
	g=$1
	shift
	bdir="$work/browser.$g"
	mkdir -p "$bdir"
	# Demo accounts, and mail held in the outbox where the tests read it.
	if ! started=$(DEMO=1 SENDMAIL=none $PY tests/lib/server.py start \
	    "$bdir"); then
		echo "start" >"$work/browser.$g.status"
		return
	fi
	BASE_URL="http://127.0.0.1:${started% *}" node --test \
	    --test-concurrency=1 --test-reporter=tap "$@" \
	    >"$work/browser.$g.out" 2>&1
	if $PY tests/lib/server.py stop "$bdir"; then
		echo "ok" >"$work/browser.$g.status"
	else
		echo "log" >"$work/browser.$g.status"
	fi
}

browser_pids=""
g=0
while [ "$g" -lt "$JOBS" ]; do
	group=$(echo "$files" | awk -v g="$g" -v n="$JOBS" '(NR - 1) % n == g')
	# shellcheck disable=SC2086
	if [ -n "$group" ]; then
		browser_group "$g" $group &
		browser_pids="$browser_pids $!"
	fi
	g=$((g + 1))
done

echo "== fuzz targets"
# Each target replays fuzz/regressions/<target>/ and fuzzes for a few
# seconds from its seed corpus; each replay and each run counts as a test.
# The targets are dealt into JOBS groups that run at once.
t0=$(date +%s)
targets=$(for f in fuzz/*.c; do basename "$f" .c; done)
fuzz_pids=""
g=0
while [ "$g" -lt "$JOBS" ]; do
	group=$(echo "$targets" | awk -v g="$g" -v n="$JOBS" 'NR % n == g')
	# shellcheck disable=SC2086
	if [ -n "$group" ]; then
		sh fuzz/run.sh short $group >"$work/fuzz.$g" 2>&1 &
		fuzz_pids="$fuzz_pids $!"
	fi
	g=$((g + 1))
done
# shellcheck disable=SC2086
wait $fuzz_pids
cat "$work"/fuzz.* >"$work/fuzz.out"
out="$work/fuzz.out"
grep -v '^fuzz: ' "$out"
p=$(grep -c '^ok ' "$out")
f=$(grep -c '^not ok ' "$out")
[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && f=1	# nothing ran
count "$p" "$f"
took "fuzz targets" "$t0"

echo "== HTTP tests"
t0=$(date +%s)
serial=0
if [ "$JOBS" -gt 1 ] && $PY -c 'import xdist' 2>/dev/null; then
	serial=1
	$PY -m pytest -q -rfE -p no:cacheprovider -n "$JOBS" \
	    --dist loadfile -m "not serial" tests/http 2>&1 |
	    tee "$work/http.out"
	pytest_counts "$work/http.out"
else
	$PY -m pytest -q -rfE -p no:cacheprovider tests/http 2>&1 |
	    tee "$work/http.out"
	pytest_counts "$work/http.out"
fi
took "HTTP tests" "$t0"

# The same files again with every server on PostgreSQL: TEST_DATABASE
# gives each data directory a database of its own on a cluster each
# pytest process starts in a temporary directory (tests/lib/server.py,
# pgcluster.py). Left out: the tests about the SQLite file itself
# (marked sqlite_only), and the serial ones, which would take the run
# past ten minutes (README: "The two commands").
echo "== HTTP tests on PostgreSQL"
t0=$(date +%s)
if [ "$serial" -eq 1 ]; then
	TEST_DATABASE=postgresql $PY -m pytest -q -rfE -p no:cacheprovider \
	    -n "$JOBS" --dist loadfile -m "not serial and not sqlite_only" \
	    tests/http 2>&1 | tee "$work/http-pg.out"
else
	TEST_DATABASE=postgresql $PY -m pytest -q -rfE -p no:cacheprovider \
	    -m "not serial and not sqlite_only" tests/http 2>&1 |
	    tee "$work/http-pg.out"
fi
pytest_counts "$work/http-pg.out"
took "HTTP tests on PostgreSQL" "$t0"

# Its own run: tests/pg has a conftest.py of its own, which a run shared
# with tests/http would confuse with theirs (both are "conftest").
echo "== PostgreSQL schema tests"
t0=$(date +%s)
$PY -m pytest -q -rfE -p no:cacheprovider tests/pg 2>&1 | tee "$work/pg.out"
pytest_counts "$work/pg.out"
took "PostgreSQL schema tests" "$t0"

echo "== browser tests"
# shellcheck disable=SC2086
wait $browser_pids
for st in "$work"/browser.*.status; do
	g=$(basename "$st" .status)
	g=${g#browser.}
	out="$work/browser.$g.out"
	case "$(cat "$st")" in
	start)
		echo "not ok - the server for browser group $g did not start"
		count 0 1
		continue
		;;
	esac
	grep -E '^(not )?ok |^# (pass|fail)' "$out"
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out")
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out")
	[ -n "$f" ] && [ "$f" -ne 0 ] && cat "$out"
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=1
	count "$p" "$f"
	if [ "$(cat "$st")" = ok ]; then
		count 1 0
		echo "ok - browser group $g: the server's log is clean"
	else
		count 0 1
		echo "not ok - browser group $g: the server's log has forbidden lines"
	fi
done

took "browser tests (from their start)" "$browser_t0"

if [ "$serial" -eq 1 ]; then
	echo "== HTTP tests marked serial, alone"
	t0=$(date +%s)
	$PY -m pytest -q -rfE -p no:cacheprovider -m serial tests/http 2>&1 |
	    tee "$work/http-serial.out"
	pytest_counts "$work/http-serial.out"
	took "serial HTTP tests" "$t0"
fi
took "the whole run" "$run_started"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
