#!/bin/sh
# Many programs in one installation, on SQLite and on PostgreSQL.
#
# On each backend, two release-build servers with the demo data (2 Kore
# workers each): the demo as it is (the baseline: one program under
# review), and the demo with its first program copied COPIES (49) times
# (bench/programs.sql, in one transaction, a second or two): 50 programs
# of 80 applicants, 6 faculty, a director and a coordinator each, every
# one with a cycle in review (submitted applications, assignments, score
# sheets, interviews) and next year's cycle open. On the last copy and
# on the demo's own program (wrk, 2 threads, 8 connections,
# PROGRAMS_DURATION s; each after GET /api/health on the same server):
#
#   faculty1's candidate list     GET /api/cycles/N/assignments (faculty)
#   the applications list         GET /api/cycles/N/applications
#                                 (coordinator)
#   the ranking                   GET /api/cycles/N/ranking (director)
#   saving a score sheet          PUT .../scores/screening (faculty1)
#
# each measured twice on each installation, one, 50, 50, one, so that the
# drift of whatever else the machine does falls on both alike; the rows
# give the means and the ratio of the rates, 50 programs / one.
#
# Then how long database work holds a worker's event loop, PostgreSQL
# against SQLite, on the 50-program installation restarted with one
# worker (so that every request shares the one loop): GET /api/health
# paced at 100 a second alone; the coordinator's GET /api/cycles (the
# door's session check, the cycles query) paced the same way; and health
# paced while one client loads the coordinator's applications list over
# and over, with that list's own latency (bench/pace.py: p50, p99 and
# the worst).
#
# PostgreSQL runs on a throwaway cluster in a directory of its own
# (bench/pg.py: tests/lib/pgcluster.py's, with fsync on as SQLite's
# synchronous=FULL), over its Unix socket.
#
#   sh bench/programs.sh          (after make; prints its own table)
#   BENCH_ROWS=file sh bench/programs.sh   appends the rows to file
#                                 (bench/suite.sh)
set -eu
cd "$(dirname "$0")/.."
DURATION=${PROGRAMS_DURATION:-2}
LOOP_SECONDS=${LOOP_SECONDS:-5}
COPIES=${COPIES:-49}
export DURATION
PY=/usr/bin/python3

BENCH_START=0 . bench/lib.sh
rows=${BENCH_ROWS:-$work/rows}
[ -n "${BENCH_ROWS:-}" ] || : > "$rows"
pgdir=""
trap 'server_stop; [ -z "$pgdir" ] || $PY bench/pg.py stop "$pgdir"; rm -rf "$work"' \
    EXIT

row() {	# figure measured baseline ratio
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$rows"
}

json() {	# file python-expression-of-d
	$PY -c 'import json,sys; d = json.load(open(sys.argv[1])); print('"$2"')' "$1"
}

# Starts a demo server for backend $1 on the data directory $2 (and, on
# PostgreSQL, a new database of that name): sets port, kpid, data and url.
start() {	# backend name
	url=""
	if [ "$1" = postgresql ]; then
		[ -n "$pgdir" ] || pgdir=$($PY bench/pg.py start)
		url=$($PY bench/pg.py createdb "$pgdir" "$2")
	fi
	export DATABASE_URL="$url" DEMO=1 CONF_EXTRA=""
	server_start "$work/$2"
	[ -z "$url" ] || settle "$2"
}

# A PostgreSQL database as a running installation's would be: vacuumed
# and its statistics gathered (as autovacuum would do within a minute,
# in the middle of a figure), its writes checkpointed.
settle() {	# database
	echo "VACUUM ANALYZE; CHECKPOINT;" |
	    $PY bench/pg.py psql "$pgdir" "$1" > /dev/null
}

# Copies the demo's first program COPIES times into the database of the
# server just started (backend $1, data directory or database named $2).
seed() {	# backend name
	{
		echo "BEGIN;"
		echo "CREATE TEMP TABLE bench_copies (k integer, program bigint, off bigint);"
		k=1
		while [ $k -le "$COPIES" ]; do
			echo "INSERT INTO bench_copies SELECT $k, max(id) + $k," \
			    "$((k * 100000)) FROM programs;"
			k=$((k + 1))
		done
		cat bench/programs.sql
	} > "$work/seed.sql"
	if [ "$1" = postgresql ]; then
		# Identity columns do not move past the ids given.
		for t in users programs cycles applications documents letters \
		    conflicts rubrics assignments score_sheets interview_days \
		    interview_slots; do
			echo "SELECT setval(pg_get_serial_sequence('$t', 'id')," \
			    "(SELECT max(id) FROM $t));"
		done >> "$work/seed.sql"
		echo "COMMIT;" >> "$work/seed.sql"
		$PY bench/pg.py psql "$pgdir" "$2" < "$work/seed.sql" \
		    > /dev/null
		settle "$2"
	else
		echo "COMMIT;" >> "$work/seed.sql"
		$PY - "$data/fellowship.db" "$work/seed.sql" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], timeout=10)
con.executescript(open(sys.argv[2]).read())
con.close()
PY
	fi
}

# Signs in the director, coordinator and faculty1 of the program whose
# accounts start with prefix $2 on the server of port $port, finds its
# cycle in review and one of faculty1's submitted screening sheets:
# sets <who>_port, _cycle, _fc (faculty1's cookie), _fx (CSRF), _cc, _dc,
# _app (the sheet's application) and _body (its values).
prepare() {	# who prefix
	set -- "$1" "$2" $(login "${2}faculty1@demo.test")
	eval "${1}_port=\$port ${1}_fc=\$3 ${1}_fx=\$4"
	set -- "$1" "$2" $(login "${2}coordinator@demo.test")
	eval "${1}_cc=\$3"
	set -- "$1" "$2" $(login "${2}director@demo.test")
	eval "${1}_dc=\$3"
	curl -s -H "Cookie: $3" "http://127.0.0.1:$port/api/cycles" > "$work/c"
	_cycle=$(json "$work/c" '[c["id"] for c in d["cycles"] if c["state"] == "review"][0]')
	eval "_fc=\$${1}_fc"
	curl -s -H "Cookie: $_fc" \
	    "http://127.0.0.1:$port/api/cycles/$_cycle/assignments?phase=screening" \
	    > "$work/a"
	_app=$(json "$work/a" '[a for a in d["assignments"] if a["sheet"] == "submitted"][0]["application_id"]')
	curl -s -H "Cookie: $_fc" \
	    "http://127.0.0.1:$port/api/applications/$_app/scores/screening" \
	    > "$work/s"
	_body=$(json "$work/s" 'json.dumps({"values": d["sheet"]["values"]})')
	eval "${1}_cycle=\$_cycle ${1}_app=\$_app ${1}_body=\$_body"
}

# One figure on the server of who $1, after health when $3 is 1: prints
# "rps p50 p99 health_rps" (health_rps 0 when not measured).
figure() {	# who kind health
	eval "port=\$${1}_port _cycle=\$${1}_cycle _fc=\$${1}_fc _fx=\$${1}_fx" \
	    "_cc=\$${1}_cc _dc=\$${1}_dc _app=\$${1}_app _body=\$${1}_body"
	case "$2" in
	faculty) _path="/api/cycles/$_cycle/assignments" _h="Cookie: $_fc" ;;
	apps) _path="/api/cycles/$_cycle/applications" _h="Cookie: $_cc" ;;
	ranking) _path="/api/cycles/$_cycle/ranking" _h="Cookie: $_dc" ;;
	esac
	_hrps=0
	[ "$3" = 0 ] || _hrps=$(wrk_get /api/health | cut -d' ' -f1)
	if [ "$2" = save ]; then
		BENCH_PATH="/api/applications/$_app/scores/screening" \
		BENCH_BODY="$_body" BENCH_COOKIE="$_fc" BENCH_CSRF="$_fx" \
		    wrk -t2 -c8 -d"${DURATION}s" --latency -s bench/score.lua \
		    "http://127.0.0.1:$port" > "$work/wrk.out"
		_refused=$(sed -n 's/^refused: //p' "$work/wrk.out")
		[ "$_refused" = 0 ] || {
			echo "bench: $_refused sheet saves refused" >&2
			exit 1
		}
		set -- $(wrk_summary "$work/wrk.out")
	else
		# Once first: the ranking's first request builds it.
		_code=$(curl -s -o /dev/null -w '%{http_code}' -H "$_h" \
		    "http://127.0.0.1:$port$_path")
		[ "$_code" = 200 ] || {
			echo "bench: $_path answered $_code" >&2
			exit 1
		}
		set -- $(wrk_get "$_path" "$_h")
	fi
	echo "$1 $2 $3 $_hrps"
}

# The mean of two "rps p50 p99 health" lines: "rps p50 p99" (health the
# first's).
mean2() {	# line line
	echo "$1 $2" | awk '{ printf "%.1f %.2f %.2f %.0f\n", ($1 + $5) / 2,
	    ($2 + $6) / 2, ($3 + $7) / 2, $4 }'
}

backend() {	# sqlite|postgresql label
	be=$1 label=$2
	start "$be" "$be-one"
	one_kpid=$kpid
	prepare one ""
	start "$be" "$be-many"
	many_url=$url many_data=$data
	seed "$be" "$be-many"
	prepare many "p$COPIES."
	for kind in "faculty|faculty candidate list (faculty1)" \
	    "apps|applications list (coordinator)" \
	    "ranking|ranking (director)" \
	    "save|saving a score sheet (faculty1)"; do
		k=${kind%%|*}
		# One, many, many, one: a drift of the machine's other work
		# falls on both alike.
		o1=$(figure one "$k" 1)
		m1=$(figure many "$k" 1)
		m2=$(figure many "$k" 0)
		o2=$(figure one "$k" 0)
		set -- $(mean2 "$o1" "$o2")
		o_rps=$1 o50=$2 o99=$3 o_h=$4
		set -- $(mean2 "$m1" "$m2")
		row "${kind#*|}, 50 programs, $label" \
		    "$(rate "$1" "$2" "$3"); health $4/s" \
		    "one program $(rate "$o_rps" "$o50" "$o99"); health $o_h/s" \
		    "$(ratio "$1" "$o_rps")"
	done
	check_log
	server_stop "$kpid"
	server_stop "$one_kpid"
	data=$work/$be-one
	check_log
	# The loop: the same installation on one worker.
	export DATABASE_URL="$many_url" CONF_EXTRA="workers 1"
	server_start "$many_data"
	set -- $($PY bench/pace.py "$port" /api/health 100 "$LOOP_SECONDS")
	eval "${be}_alone='p50 $2 p99 $3 max $4 ms' ${be}_alone_max=$4"
	set -- $($PY bench/pace.py "$port" /api/cycles 100 "$LOOP_SECONDS" \
	    "Cookie: $many_cc")
	eval "${be}_cycles='p50 $2 p99 $3 max $4 ms' ${be}_cycles_p99=$3"
	_path="/api/cycles/$many_cycle/applications"
	wrk -t1 -c1 -d"$((LOOP_SECONDS + 2))s" --latency -H "Cookie: $many_cc" \
	    "http://127.0.0.1:$port$_path" > "$work/load.out" &
	lpid=$!
	sleep 1
	set -- $($PY bench/pace.py "$port" /api/health 100 "$LOOP_SECONDS")
	wait $lpid
	h50=$2 h99=$3 hmax=$4
	set -- $(wrk_summary "$work/load.out")
	eval "${be}_busy='health p50 $h50 p99 $h99 max $hmax ms; list p50 $2 ms, $(printf %.0f "$1")/s'" \
	    "${be}_busy_max=$hmax"
	check_log
	server_stop "$kpid"
}

echo "bench: 50 programs against one, SQLite and PostgreSQL (about three minutes)..." >&2
backend sqlite SQLite
backend postgresql PostgreSQL

row "loop: health at 100/s alone (1 worker, 50 programs)" \
    "PostgreSQL $postgresql_alone" "SQLite $sqlite_alone" \
    "max $(ratio "$postgresql_alone_max" "$sqlite_alone_max")"
row "loop: GET /api/cycles at 100/s (coordinator)" \
    "PostgreSQL $postgresql_cycles" "SQLite $sqlite_cycles" \
    "p99 $(ratio "$postgresql_cycles_p99" "$sqlite_cycles_p99")"
row "loop: health while 1 client loads the applications list" \
    "PostgreSQL $postgresql_busy" "SQLite $sqlite_busy" \
    "max $(ratio "$postgresql_busy_max" "$sqlite_busy_max")"

if [ -z "${BENCH_ROWS:-}" ]; then
	echo "== bench/programs.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores" \
	    "($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)), $(uname -sr)"
	echo "   wrk 2 threads, 8 connections, ${DURATION}s per figure; Kore 2 workers;" \
	    "ratio: 50 programs / one program"
	table "$rows"
fi
