#!/bin/sh
# The benchmark suite: one table, every figure measured in this run next to
# its baseline, on the release build against a demo server on a free
# loopback port (2 Kore workers).
#
#   request rates and latencies (wrk, 2 threads, 8 connections, DURATION s)
#     GET /api/health            the framework's ceiling with a database
#                                round trip; baseline: a static asset
#     faculty1's candidate list  GET /api/cycles/1/assignments (faculty)
#     the coordinator's view     the same route, every assignment
#     the director's ranking     GET /api/cycles/1/ranking (aggregation,
#                                reliability, leniency of the demo cycle)
#                                plain, and gzip as browsers ask for it
#     the home pages             GET /api/home (coordinator; director,
#                                whose readiness builds the ranking)
#     the list's standing        GET /api/cycles/1/applications/scores
#     certification readiness    GET /api/cycles/1/ranklist/readiness
#     saving a score sheet       PUT .../scores/screening (a write
#                                transaction and its audit record)
#     the coordinator's view     the same view while one client saves
#       while a sheet is saved   the sheet over and over: rebuilt after
#                                each commit (against health under the
#                                same load)
#     (each against GET /api/health measured just before)
#   slow work off the loop       GET /api/health paced at 100/s while
#                                clients load the ranking, save the rank
#                                list, and sign in (Argon2id), all on
#                                task threads, against the same probe
#                                alone
#   sign-in under hostile PDFs   bench/hostile.py: sign-in latency while
#                                6 clients upload costly PDFs (50,000
#                                objects; a gigabyte-inflating stream),
#                                against sign-ins alone
#   sign-in bursts with uploads  the worst latency of tests/lib/soak.py:
#                                SOAK_BURSTS (50) bursts of 40 sign-ins
#                                from 20 threads while another account
#                                signs in and an applicant uploads,
#                                against the slowest of five sign-ins
#                                alone
#   upload memory                the largest worker's resident memory
#                                during a 10 MB upload (the largest
#                                accepted) and a 20 MB one (refused),
#                                against the same worker idle
#   aggregation at national size bench/scale.c: 10,000 candidates, 600
#                                raters, 60,000 sheets; against raw means
#   decision quality             bench/decision.c: 500 simulated cycles in
#                                six scenarios; the learned shrinkage
#                                against the raw mean, the fixed one (or
#                                each phase alone), the posterior under
#                                the simulation's spreads and an oracle
#                                that knows the leniencies
#   calibration                  bench/calibration.c: 1000 cycles; the
#                                largest gap between P(top 2) and the
#                                observed share, the flag's count and the
#                                mistakes at the top it marks
#   sheet save, then ranking     bench/fresh.py: against the ranking kept
#                                while nothing changes
#   50 programs against one      bench/programs.sh: faculty1's candidate
#                                list, the applications list, the
#                                ranking and a sheet save in an
#                                installation of 50 programs against the
#                                demo's one, on SQLite and on PostgreSQL
#                                (a cluster of its own); and the event
#                                loop's delays, PostgreSQL against SQLite
#
#   make bench            (or: sh bench/suite.sh after make)
#   DURATION=10 CYCLES=1000 CAL_CYCLES=2000 PROGRAMS_DURATION=5 sh bench/suite.sh
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}
CYCLES=${CYCLES:-500}
# Calibration bins hold about 70 candidates at 500 cycles, whose share
# alone wanders by 0.05: twice as many cycles halve that (6 s).
CAL_CYCLES=${CAL_CYCLES:-1000}
export DURATION

make --no-print-directory build/bench/decision build/bench/scale \
    build/bench/calibration
DEMO=1 . bench/lib.sh
rows="$work/rows"
: > "$rows"

row() {	# figure measured baseline ratio
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$rows"
}

echo "bench: measuring (about five minutes)..." >&2

# Request rates ----------------------------------------------------------
set -- $(login faculty1@demo.test)
fcookie=$1 fcsrf=$2
set -- $(login director@demo.test)
dcookie=$1 dcsrf=$2
set -- $(login coordinator@demo.test)
ccookie=$1

set -- $(wrk_get /assets/css/app.css)
asset_rps=$1
asset="$(rate "$@")"
measure() {	# label path header [header]
	label=$1 path=$2 header=$3 header2=${4:-}
	set -- $(wrk_get /api/health)
	health="$(rate "$@")" hrps=$1
	set -- $(wrk_get "$path" "$header" ${header2:+"$header2"})
	row "$label" "$(rate "$@")" "health $health" "$(ratio "$1" "$hrps")"
}
set -- $(wrk_get /api/health)
row "GET /api/health (framework ceiling)" "$(rate "$@")" \
    "static asset $asset" "$(ratio "$1" "$asset_rps")"
measure "faculty candidate list (faculty1)" \
    "/api/cycles/1/assignments" "Cookie: $fcookie"
measure "assignments, every rater (coordinator)" \
    "/api/cycles/1/assignments" "Cookie: $ccookie"
measure "ranking of the demo cycle (director)" \
    "/api/cycles/1/ranking" "Cookie: $dcookie"
# As a browser asks for it: the kept view's gzip form (about a tenth).
measure "ranking of the demo cycle, gzip (director)" \
    "/api/cycles/1/ranking" "Cookie: $dcookie" "Accept-Encoding: gzip"
measure "home page to-do list (coordinator)" \
    "/api/home" "Cookie: $ccookie"
measure "home page with readiness (director)" \
    "/api/home" "Cookie: $dcookie"
measure "applications list standing (coordinator)" \
    "/api/cycles/1/applications/scores" "Cookie: $ccookie"
measure "certification readiness (director)" \
    "/api/cycles/1/ranklist/readiness" "Cookie: $dcookie"

# One of faculty1's submitted screening sheets, saved again and again.
curl -s -H "Cookie: $fcookie" \
    "http://127.0.0.1:$port/api/cycles/1/assignments?phase=screening" > "$work/a"
app=$(/usr/bin/python3 -c 'import json,sys; print([a for a in json.load(open(sys.argv[1]))["assignments"] if a["sheet"] == "submitted"][0]["application_id"])' "$work/a")
curl -s -H "Cookie: $fcookie" \
    "http://127.0.0.1:$port/api/applications/$app/scores/screening" > "$work/s"
body=$(/usr/bin/python3 -c 'import json,sys; print(json.dumps({"values": json.load(open(sys.argv[1]))["sheet"]["values"]}))' "$work/s")
set -- $(wrk_get /api/health)
h_rps=$1 h50=$2 h99=$3
BENCH_PATH="/api/applications/$app/scores/screening" BENCH_BODY="$body" \
BENCH_COOKIE="$fcookie" BENCH_CSRF="$fcsrf" \
    wrk -t2 -c8 -d"${DURATION}s" --latency -s bench/score.lua \
    "http://127.0.0.1:$port" > "$work/wrk.out"
refused=$(sed -n 's/^refused: //p' "$work/wrk.out")
set -- $(wrk_summary "$work/wrk.out")
row "saving a score sheet (faculty1, write)" \
    "$(rate "$@"), $refused refused" "health $(rate "$h_rps" "$h50" "$h99")" \
    "$(ratio "$1" "$h_rps")"

# A sheet saved, then the ranking: the save moves the change counter
# (migrations/014), so the ranking is built again, resampling included.
set -- $(/usr/bin/python3 bench/fresh.py "http://127.0.0.1:$port" \
    "/api/applications/$app/scores/screening" "$body" "$fcookie" "$fcsrf" \
    "$dcookie" 40)
row "sheet save, then the ranking (director)" \
    "p50 $2 p99 $3 ms (the ranking alone p50 $5 p99 $6)" \
    "nothing changed: p50 $8 p99 $9 ms" "$(ratio "$3" "$9")"

# The coordinator's view while one client keeps saving that sheet: every
# save is a commit, after which each worker builds the view again rather
# than serving the one it kept (store/memo.c), so this is the view's cost
# when the data moves. Health is measured under the same load.
BENCH_PATH="/api/applications/$app/scores/screening" BENCH_BODY="$body" \
BENCH_COOKIE="$fcookie" BENCH_CSRF="$fcsrf" \
    wrk -t1 -c1 -d"$((2 * DURATION + 3))s" -s bench/score.lua \
    "http://127.0.0.1:$port" > "$work/bg.out" &
bgpid=$!
sleep 1
set -- $(wrk_get /api/health)
h_rps=$1 h50=$2 h99=$3
set -- $(wrk_get /api/cycles/1/assignments "Cookie: $ccookie")
wait $bgpid
saves=$(wrk_summary "$work/bg.out" | cut -d' ' -f1)
row "assignments, every rater, while a sheet is saved" \
    "$(rate "$@"); $(printf "%.0f" "$saves") saves/s" \
    "health $(rate "$h_rps" "$h50" "$h99") (same load)" \
    "$(ratio "$1" "$h_rps")"

# Slow work off the loop ---------------------------------------------------
probe() {	# "count p50 p99 max" of health at 100 requests/s
	/usr/bin/python3 bench/pace.py "$port" /api/health 100 "$DURATION"
}
# While wrk (its arguments given) loads the server: the probe's
# "p50 p99" and the load's "rps"; the load's output in $work/load.out.
during() {
	wrk -d"$((DURATION + 2))s" "$@" > "$work/load.out" &
	lpid=$!
	sleep 1
	set -- $(probe)
	wait $lpid
	echo "$2 $3 $(wrk_summary "$work/load.out" | cut -d' ' -f1)"
}
set -- $(probe)
a50=$2 a99=$3
set -- $(during -t2 -c4 -H "Cookie: $dcookie" \
    "http://127.0.0.1:$port/api/cycles/1/ranking")
row "health while 4 clients load the ranking" \
    "p50 $1 p99 $2 ms; $(printf "%.0f" "$3") rankings/s" \
    "alone p50 $a50 p99 $a99 ms" "p99 $(ratio "$2" "$a99")"
# Saving the rank list builds the ranking too (once, outside its write
# transaction): the director saves the list as computed, again and again.
curl -s -H "Cookie: $dcookie" \
    "http://127.0.0.1:$port/api/cycles/1/ranklist" > "$work/l"
BENCH_BODY=$(/usr/bin/python3 -c 'import json,sys; print(json.dumps({"entries": [{"application_id": e["application_id"]} for e in json.load(open(sys.argv[1]))["entries"]]}))' "$work/l")
BENCH_PATH=/api/cycles/1/ranklist BENCH_COOKIE=$dcookie BENCH_CSRF=$dcsrf
export BENCH_PATH BENCH_BODY BENCH_COOKIE BENCH_CSRF
set -- $(during -t2 -c2 -s bench/score.lua "http://127.0.0.1:$port")
failures=$(sed -n 's/^refused: //p' "$work/load.out")
row "health while 2 clients save the rank list" \
    "p50 $1 p99 $2 ms; $(printf "%.0f" "$3") saves/s, $failures refused" \
    "alone p50 $a50 p99 $a99 ms" "p99 $(ratio "$2" "$a99")"
unset BENCH_PATH BENCH_BODY BENCH_COOKIE BENCH_CSRF
set -- $(during -t4 -c4 -s bench/login.lua "http://127.0.0.1:$port/api/login")
failures=$(sed -n 's/^sign-in failures: //p' "$work/load.out")
row "health while 4 clients sign in" \
    "p50 $1 p99 $2 ms; $(printf "%.0f" "$3") sign-ins/s, $failures failed" \
    "alone p50 $a50 p99 $a99 ms" "p99 $(ratio "$2" "$a99")"

# Sign-ins while six clients upload PDFs made to be expensive to check:
# the checks run in the PDF check process, one waiting task thread per
# worker, so sign-ins keep theirs.
set -- $(/usr/bin/python3 bench/hostile.py "$port" "$((DURATION * 2))" 6)
row "sign-in while 6 clients upload hostile PDFs" \
    "p50 $3 p99 $4 ms; $5 sign-ins, $6 PDFs checked" \
    "alone p50 $1 p99 $2 ms" "p99 $(ratio "$4" "$2")"
# The hang detector's shape (tests/http/test_soak.py), timed: its
# worst answer, and how many were not answered within 5 s or otherwise
# than they may be.
set -- $(/usr/bin/python3 tests/lib/soak.py "$port" "$work" \
    "${SOAK_BURSTS:-50}")
row "sign-in bursts with uploads (worst of all)" \
    "worst $2 ms, p99 $3 ms of $1 requests, $4 failed" \
    "one sign-in alone: worst of 5 $5 ms" "$(ratio "$2" "$5")"

# Upload memory ------------------------------------------------------------
# A valid PDF padded to 10 MB and 20 MB (a string inside the file).
/usr/bin/python3 - "$work/10.pdf" "$work/20.pdf" <<'PY'
import sys
sys.path.insert(0, "tests/lib")
import pdfs
for path, size in ((sys.argv[1], 10), (sys.argv[2], 20)):
    with open(path, "wb") as f:
        f.write(pdfs.padded(size * 1024 * 1024 - 400))
PY
set -- $(login applicant@demo.test)
acookie=$1 acsrf=$2
aid=$(curl -s -H "Cookie: $acookie" "http://127.0.0.1:$port/api/cycles/2/application" |
    /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["application"]["id"])')
upload() {	# file -> "status peak_MiB" (sent at 4 MB/s)
	curl -s -o /dev/null -w '%{http_code}' --limit-rate 4M \
	    -H "Cookie: $acookie" -H "X-CSRF-Token: $acsrf" -H 'Expect:' \
	    -F kind=cv -F "file=@$1;type=application/pdf" \
	    "http://127.0.0.1:$port/api/applications/$aid/documents" \
	    > "$work/code" 2>/dev/null &
	cpid=$!
	peak=$(workers_rss)
	while kill -0 $cpid 2>/dev/null; do
		peak=$(awk -v a="$(workers_rss)" -v b="$peak" \
		    'BEGIN { print (a > b) ? a : b }')
		sleep 0.1
	done
	wait $cpid || true
	echo "$(cat "$work/code") $peak"
}
idle=$(workers_rss)
set -- $(upload "$work/10.pdf")
row "largest worker, 10 MB upload" "$2 MiB (HTTP $1)" "idle $idle MiB" \
    "$(ratio "$2" "$idle")"
set -- $(upload "$work/20.pdf")
row "largest worker, 20 MB upload" "$2 MiB (HTTP $1, over the limit)" \
    "idle $idle MiB" "$(ratio "$2" "$idle")"
check_log

# Aggregation at national size --------------------------------------------
build/bench/scale 5 > "$work/scale.out"
set -- $(awk '/^raw means alone/ { r = $4 } /^agg_phase \(everything\)/ { a = $3 }
    /KiB for it/ { sub(/^\(\+/, "", $(NF-3)); k = $(NF-3) }
    END { print a, r, k }' "$work/scale.out")
row "aggregation, 10,000 candidates / 60,000 sheets" \
    "$1 ms, +$(awk -v k="$3" 'BEGIN { printf "%.1f", k / 1024 }') MiB" \
    "raw means $2 ms" "$(ratio "$1" "$2")"

# Decision quality ---------------------------------------------------------
build/bench/decision "$CYCLES" > "$work/decision.out"
dq() {	# label -> "tau top2%"
	awk -v l="$1" 'index($0, l) == 1 {
		n = split($0, f, " "); print f[n - 2], f[n]; exit }' \
	    "$work/decision.out"
}
# Per scenario: the adjusted score (lambda estimated) against the raw
# mean, with the share of the oracle's gain it gets.
dqs() {	# scenario-prefix label -> "tau top2% gain"
	awk -v s="$1" -v l="$2" 'index($0, "== " s) == 1 { on = 1; next }
	    /^== / { on = 0 } on && index($0, l) == 1 {
		n = split($0, f, " "); print f[n - 3], f[n - 1], f[n]; exit }' \
	    "$work/decision.out"
}
for pair in "base|base" "equal raters|equal raters" "confounded|confounded" \
    "two phases:|two phases" "two phases confounded|two confounded phases" \
    "two phases, a rater|two phases, leniencies unrelated"; do
	sc=${pair%%|*} label=${pair#*|}
	set -- $(dqs "$sc" "raw mean")
	raw_tau=$1 raw_top=$2
	set -- $(dqs "$sc" "adjusted (lambda estimated)")
	est_tau=$1 est_top=$2 est_gain=$3
	set -- $(dqs "$sc" "posterior, spreads known (model known)")
	best="tau $1, $3"
	set -- $(dqs "$sc" "  adjusted, each phase alone")
	alone="tau $1, $3"
	set -- $(dqs "$sc" "  adjusted, fixed lambda 2")
	case "$sc" in two*) base="each phase alone: $alone" ;;
	*) base="fixed lambda 2: tau $1, $3" ;; esac
	row "adjusted, $label, $CYCLES cycles" \
	    "tau $est_tau, top 2 $est_top, $est_gain of the oracle's gain" \
	    "raw mean tau $raw_tau; $base; model known: $best" \
	    "tau $(awk -v a="$est_tau" -v b="$raw_tau" 'BEGIN { printf "%+.3f", a - b }')"
done

# Calibration of the uncertainty -------------------------------------------
build/bench/calibration "$CAL_CYCLES" > "$work/calibration.out"
awk '/^== / { sc = ($2 == "one") ? "one phase" : "two phases" }
    /^largest gap/ { gap[sc] = $NF } /^flagged per cycle/ { fl[sc] = $4 }
    /^mistakes at the top/ { mi[sc] = $(NF-1) }
    END { for (s in gap) print s "|" gap[s] "|" fl[s] "|" mi[s] }' \
    "$work/calibration.out" | sort | while IFS='|' read -r sc gap fl mi; do
	row "P(top 2) calibration, $sc, $CAL_CYCLES cycles" \
	    "largest gap $gap; flag marks $fl of 20, $mi of the mistakes at the top" \
	    "the old method flag: see README" "gap $gap"
done

# Many programs, SQLite and PostgreSQL --------------------------------------
BENCH_ROWS=$rows sh bench/programs.sh

# The table ----------------------------------------------------------------
echo "== make bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores" \
    "($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)), $(uname -sr)"
echo "   wrk 2 threads, 8 connections, ${DURATION}s per figure" \
    "(${PROGRAMS_DURATION:-2}s for 50 programs against one); Kore 2 workers"
table "$rows"
