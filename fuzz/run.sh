#!/bin/sh
# Runs the fuzz targets built by `make fuzz-build` (fuzz/fuzz.mk).
#
#   fuzz/run.sh short TARGET...   for make test: each target replays its
#                                 regression inputs, then fuzzes for
#                                 FUZZ_SHORT_SECONDS (3) with a fixed seed
#                                 from its committed corpus (the inputs it
#                                 finds are thrown away)
#   fuzz/run.sh long TARGET...    for make fuzz: FUZZ_SECONDS (120) each,
#                                 keeping new inputs in build/fuzz/corpus/
#
# A target's dictionary of tokens, if any, is fuzz/dict/<target>.dict.
# Prints "ok - ..." or "not ok - ..." for each replay and each run (the
# fuzzer's output only when it fails), then "fuzz: N passed, N failed".
# A crashing input is kept in build/fuzz/crashes/<target>/: check it, fix
# the product, and add it to fuzz/regressions/<target>/.
set -u
cd "$(dirname "$0")/.."

mode=${1:-}
case "$mode" in
short)	secs=${FUZZ_SHORT_SECONDS:-3}; seed="-seed=1" ;;
long)	secs=${FUZZ_SECONDS:-120}; seed="" ;;
*)	echo "usage: $0 short|long TARGET..." >&2; exit 2 ;;
esac
shift
passed=0
failed=0
tmp=$(mktemp -d /tmp/fellowship-fuzz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

result() {	# result OK DESCRIPTION LOG
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		tail -n 60 "$3"
		echo "not ok - $2"
	fi
}

# Per input, a time far above what any input should take: a PDF's check
# gives up after 10 seconds by itself; ASan slows everything down.
opts="-timeout=30 -rss_limit_mb=2048 -print_final_stats=0"

for t in "$@"; do
	bin=build/fuzz/$t
	log=$tmp/$t.log
	crashes=build/fuzz/crashes/$t
	mkdir -p "$crashes"

	# Every committed regression input, once each.
	set -- fuzz/regressions/"$t"/*
	if [ -e "$1" ]; then
		"$bin" $opts "$@" >"$log" 2>&1
		result $? "fuzz $t: $# regression inputs" "$log"
	fi

	if [ "$mode" = short ]; then
		corpus=$tmp/corpus-$t
	else
		corpus=build/fuzz/corpus/$t
	fi
	mkdir -p "$corpus"
	dict=""
	[ -f fuzz/dict/"$t".dict ] && dict="-dict=fuzz/dict/$t.dict"
	# shellcheck disable=SC2086
	"$bin" $opts $seed $dict -max_total_time="$secs" \
	    -artifact_prefix="$crashes/" "$corpus" fuzz/corpus/"$t" \
	    >"$log" 2>&1
	result $? "fuzz $t: ${secs}s" "$log"
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
