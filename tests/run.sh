#!/bin/sh
# Runs every test: the unit tests of the pure and storage modules (cmocka,
# sanitizers), a short run of every fuzz target with its committed
# regression inputs (libFuzzer), the HTTP tests against the real server
# (pytest), and the browser tests in Debian's Chromium (node:test +
# playwright-core).
# Prints each suite's output, then one summary line: "N passed, N failed".
#
# Run it through `make test`, which builds what it needs first.
set -u
cd "$(dirname "$0")/.."

PY=/usr/bin/python3		# Debian's interpreter, which has pytest
passed=0
failed=0
work=$(mktemp -d /tmp/fellowship-tests.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

count() {	# count PASSED FAILED
	passed=$((passed + $1))
	failed=$((failed + $2))
}

echo "== unit tests"
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

echo "== fuzz targets"
# Each target replays fuzz/regressions/<target>/ and fuzzes for a few
# seconds from its seed corpus; each replay and each run counts as a test.
out="$work/fuzz.out"
targets=$(for f in fuzz/*.c; do basename "$f" .c; done)
# shellcheck disable=SC2086
sh fuzz/run.sh short $targets >"$out" 2>&1
grep -v '^fuzz: ' "$out"
p=$(grep -c '^ok ' "$out")
f=$(grep -c '^not ok ' "$out")
[ "$p" -eq 0 ] && [ "$f" -eq 0 ] && f=1	# nothing ran
count "$p" "$f"

echo "== HTTP tests"
out="$work/http.out"
$PY -m pytest -q -rfE -p no:cacheprovider tests/http 2>&1 | tee "$out"
last=$(grep -E '[0-9]+ (passed|failed|errors?)' "$out" | tail -n 1)
p=$(echo "$last" | awk '{ for (i = 1; i < NF; i++)
	if ($(i + 1) ~ /^passed/) s += $i } END { print s + 0 }')
f=$(echo "$last" | awk '{ for (i = 1; i < NF; i++)
	if ($(i + 1) ~ /^(failed|error)/) s += $i } END { print s + 0 }')
[ -z "$last" ] && f=1
count "$p" "$f"

echo "== browser tests"
bdir="$work/browser"
mkdir -p "$bdir"
# Demo accounts, and mail held in the outbox where the tests read it.
if started=$(DEMO=1 SENDMAIL=none $PY tests/lib/server.py start "$bdir"); then
	port=${started% *}
	out="$work/browser.out"
	# The files share one server and its data: one file at a time.
	BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 \
	    --test-reporter=tap \
	    tests/browser/ >"$out" 2>&1
	grep -E '^(not )?ok |^# (pass|fail)' "$out"
	p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$out")
	f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$out")
	[ -n "$f" ] && [ "$f" -ne 0 ] && cat "$out"
	[ -n "$p" ] || p=0
	[ -n "$f" ] || f=1
	count "$p" "$f"
	if $PY tests/lib/server.py stop "$bdir"; then
		count 1 0
		echo "ok - browser-test server log is clean"
	else
		count 0 1
		echo "not ok - browser-test server log has forbidden lines"
	fi
else
	echo "not ok - the server for the browser tests did not start"
	count 0 1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
