#!/bin/sh
# The staff's applications list at a realistic size: 1,000 applications in
# one cycle (the demo's 80 plus 920 generated), fetched whole
# (GET /api/cycles/1/applications?limit=1000, about 250 KB of JSON) by a
# signed-in coordinator, against GET /api/health in the same run, with
# wrk on the release build.
#
#   sh bench/applications.sh     (after make)
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5}

DEMO=1 . bench/lib.sh

# 920 more applicants with complete, submitted applications.
/usr/bin/python3 - "$work/fellowship.db" <<'PY'
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
cycle = con.execute("SELECT id FROM cycles LIMIT 1").fetchone()[0]
for i in range(920):
    cur = con.execute("INSERT INTO users (email, name, role) VALUES (?, ?, "
                      "'applicant')", ("bench%04d@example.org" % i,
                                       "Bench %d" % i))
    fields = {"first_name": "Bench", "last_name": "Applicant %04d" % i,
              "email": "bench%04d@example.org" % i,
              "phone": "+1 617 555 0100", "mailing_address": "Boston",
              "medical_school": "University %d" % (i % 50),
              "medical_school_year": 2018, "residency_program":
              "Program %d" % (i % 40), "residency_year": 2025,
              "publications_count": i % 20,
              "research_summary": "Research " * 40}
    con.execute("INSERT INTO applications (cycle_id, applicant_id, fields, "
                "status, submitted_at) VALUES (?, ?, ?, 'submitted', "
                "'2026-11-01T00:00:00Z')",
                (cycle, cur.lastrowid, json.dumps(fields)))
con.commit()
PY

set -- $(login coordinator@demo.test)
cookie=$1
count=$(curl -s -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/api/cycles/1/applications?limit=1000" |
    /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["applications"]))')
size=$(curl -s -H "Cookie: $cookie" \
    "http://127.0.0.1:$port/api/cycles/1/applications?limit=1000" | wc -c)

echo "wrk: 2 threads, 8 connections, ${DURATION}s each; 2 Kore workers"
echo "list: $count applications, $size bytes of JSON per response"
printf '%-44s %10s %9s %9s\n' path req/s 'p50 ms' 'p99 ms'
set -- $(wrk_get /api/health)
health=$1
printf '%-44s %10s %9s %9s\n' "/api/health" "$1" "$2" "$3"
set -- $(wrk_get "/api/cycles/1/applications?limit=1000" "Cookie: $cookie")
printf '%-44s %10s %9s %9s\n' "/api/cycles/1/applications?limit=1000" "$1" "$2" "$3"
awk -v a="$1" -v b="$health" 'BEGIN { printf "list/health throughput ratio: %.4f\n", a / b }'
check_log
