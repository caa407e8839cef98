/*
 * SQLite: opening the database, transactions and the statement table's
 * lifecycle (store/engine.c calls these through db_engine_sqlite).
 *
 * Each Kore worker owns one connection, opened after its sandbox is up;
 * fellowctl opens its own. WAL lets readers run beside the one writer;
 * synchronous=FULL makes a COMMIT durable before the server answers; the
 * busy timeout is short because a worker waiting on a lock stalls every
 * connection it holds: past it the caller answers 503 and the client retries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/internal.h"

#define DB_BUSY_TIMEOUT_MS 250

static int
exec_simple(struct db *db, const char *sql)
{
	return (db_rc(db, sqlite3_exec(db->conn, sql, NULL, NULL, NULL)));
}

int
sqlite_open(struct db *db, const char *path, enum db_mode mode, char *err,
    size_t errlen)
{
	int flags, rc;

	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (mode == DB_MODE_ADMIN)
		flags |= SQLITE_OPEN_CREATE;
	if ((rc = sqlite3_open_v2(path, &db->conn, flags, db_clock_vfs())) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
		return (DB_ERROR);
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sqlite3_busy_timeout(db->conn, DB_BUSY_TIMEOUT_MS);

	if (exec_simple(db, "PRAGMA journal_mode=WAL") != 0 ||
	    exec_simple(db, "PRAGMA synchronous=FULL") != 0 ||
	    exec_simple(db, "PRAGMA foreign_keys=ON") != 0 ||
	    exec_simple(db, "PRAGMA trusted_schema=OFF") != 0) {
		snprintf(err, errlen, "cannot configure %s: %s", path,
		    sqlite3_errmsg(db->conn));
		return (DB_ERROR);
	}
	return (0);
}

void
sqlite_close(struct db *db)
{
	int i;

	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize((sqlite3_stmt *)db->stmts[i].h);
	sqlite3_close(db->conn);
}

int
sqlite_begin(struct db *db)
{
	return (exec_simple(db, "BEGIN IMMEDIATE"));
}

int
sqlite_commit(struct db *db)
{
	int rc;

	if ((rc = exec_simple(db, "COMMIT")) != 0)
		sqlite_rollback(db);
	return (rc);
}

void
sqlite_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		(void)sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

int
sqlite_integrity_check(struct db *db)
{
	sqlite3_stmt *st = NULL;
	int	      rc, ok;

	if (sqlite3_prepare_v2(
		db->conn, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return (DB_ERROR);
	ok = 0;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ok =
		    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return (ok && rc == SQLITE_DONE ? 0 : DB_ERROR);
}
