#!/bin/sh
# make lint: the layering rules, formatting, cppcheck and clang-tidy.
# Exits non-zero on the first category that finds something.
set -u
cd "$(dirname "$0")/.."
status=0
fail() { echo "lint: $*" >&2; status=1; }

# 1. Layering (STYLE.md): only src/web includes Kore, only src/store
#    includes SQLite, and store/internal.h stays inside src/store.
for f in $(grep -rl '#include <kore/' src tests 2>/dev/null); do
	case "$f" in src/web/*) ;; *) fail "$f includes Kore outside src/web" ;; esac
done
for f in $(grep -rl '#include <sqlite3.h>' src 2>/dev/null); do
	case "$f" in src/store/*) ;; *) fail "$f includes sqlite3.h outside src/store" ;; esac
done
# Inside src/store, the tables' files use the query interface of
#    store/internal.h; only the engines' files name SQLite or libpq.
for f in $(grep -rlE '#include <sqlite3.h>|sqlite3_[a-z0-9_]+|SQLITE_[A-Z]' \
    src/store 2>/dev/null); do
	case "$f" in
	src/store/sqlite.c|src/store/db.c|src/store/migrate.c|\
	src/store/backup.c|src/store/clock.c|src/store/internal.h) ;;
	*) fail "$f names SQLite outside the engine's files" ;;
	esac
done
for f in $(grep -rlE '#include <libpq-fe.h>|[^a-z_]PQ[a-z][A-Za-z]+\(' \
    src tests 2>/dev/null); do
	case "$f" in
	src/store/pg.c|tests/lib/tempdb.h) ;;
	*) fail "$f names libpq outside PostgreSQL's engine (src/store/pg.c)" ;;
	esac
done
for f in $(grep -rl '"store/internal.h"' src 2>/dev/null); do
	case "$f" in src/store/*) ;; *) fail "$f uses the storage layer's internals" ;; esac
done
for f in $(grep -rlE '"(store|ops|web)/' src/core 2>/dev/null); do
	fail "$f: the domain (src/core) must not depend on other layers"
done
# The door (src/ops/common.h): the web layer reaches storage only through
#    src/ops; app.c alone wires the database up.
for f in $(grep -rlE '#include "store/' src/web 2>/dev/null); do
	case "$f" in src/web/app.c) ;; *) fail "$f includes a storage header" ;; esac
done
for f in $(grep -rlE '(^|[^a-z_])db_[a-z_]+\(' src/web 2>/dev/null); do
	case "$f" in src/web/app.c) ;; *) fail "$f calls the storage layer" ;; esac
done
# One clock (src/ops/clock.c): nothing else reads the time of day.
for f in $(grep -rlE '[^a-z_]time\((NULL|0)\)|gettimeofday\(|CLOCK_REALTIME' \
    src 2>/dev/null); do
	case "$f" in src/ops/clock.c) ;; *) fail "$f reads the time of day" ;; esac
done
# One way to end a transaction: ops_finish() (src/ops/common.c).
for f in $(grep -rlE '(^|[^a-z_])db_(commit|rollback)\(' src/ops src/cli \
    src/web 2>/dev/null); do
	case "$f" in src/ops/common.c) ;; *) fail "$f ends a transaction itself" ;; esac
done
# SQL text lives in the statement table (and the migrator, which runs files).
for f in $(grep -rlE '"(SELECT|INSERT|UPDATE|DELETE) ' src 2>/dev/null); do
	case "$f" in src/store/*) ;; *) fail "$f has SQL outside src/store" ;; esac
done
# The audit log in words: every action the program records has its
#    sentence in the one table of src/core/auditlog.c.
for a in $(grep -rhoE '"[a-z_]+\.[a-z_]+"' src/ops src/cli src/web |
    grep -vE '\.(html|css|js|svg|pdf|csv|json|ics|db|conf)"$' | sort -u); do
	grep -q "{ $a, " src/core/auditlog.c ||
	    fail "audit action $a has no sentence in src/core/auditlog.c"
done

# 2. Formatting (.clang-format).
if ! clang-format --dry-run --Werror src/*/*.c src/*/*.h tests/*/*.c \
    tools/*.c fuzz/*.c fuzz/*.h 2>/dev/null; then
	clang-format --dry-run src/*/*.c src/*/*.h tests/*/*.c tools/*.c \
	    fuzz/*.c fuzz/*.h 2>&1 |
	    head -20 >&2
	fail "formatting differs from .clang-format (run clang-format -i)"
fi

# 3. cppcheck.
if ! cppcheck --quiet --error-exitcode=1 --inline-suppr \
    --enable=warning,portability,performance --std=c11 \
    -Isrc -Ibuild/gen -D__linux__ -DKORE_USE_TASKS \
    --suppress=missingIncludeSystem \
    --suppress=syntaxError:src/web/sandbox.c src tools fuzz; then
	fail "cppcheck found problems"
fi

# 4. clang-tidy (checks in .clang-tidy).
flags="-std=gnu11 -D_GNU_SOURCE -Isrc -Ibuild/gen -I/usr/include/postgresql
    $(cat /usr/share/kore/features)"
if ! clang-tidy --quiet src/*/*.c tools/*.c -- $flags >build/clang-tidy.out 2>&1; then
	cat build/clang-tidy.out >&2
	fail "clang-tidy found problems"
elif ! clang-tidy --quiet fuzz/*.c -- $flags -Ifuzz -Itests \
    >>build/clang-tidy.out 2>&1; then
	cat build/clang-tidy.out >&2
	fail "clang-tidy found problems"
elif grep -q 'warning:' build/clang-tidy.out; then
	grep -A3 'warning:' build/clang-tidy.out >&2
	fail "clang-tidy found problems"
fi

[ "$status" -eq 0 ] && echo "lint: clean"
exit "$status"
