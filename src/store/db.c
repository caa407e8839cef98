/*
 * Opening the database, transactions and the statement table's lifecycle.
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
db_open(struct db **out, const char *path, enum db_mode mode, char *err,
    size_t errlen)
{
	struct db *db;
	int	   flags, version, rc, i;

	*out = NULL;
	static _Atomic uint64_t opened;

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (DB_ERROR);
	}
	db->serial = ++opened;

	flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (mode == DB_MODE_ADMIN)
		flags |= SQLITE_OPEN_CREATE;
	if ((rc = sqlite3_open_v2(path, &db->conn, flags, db_clock_vfs())) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sqlite3_busy_timeout(db->conn, DB_BUSY_TIMEOUT_MS);

	if (exec_simple(db, "PRAGMA journal_mode=WAL") != 0 ||
	    exec_simple(db, "PRAGMA synchronous=FULL") != 0 ||
	    exec_simple(db, "PRAGMA foreign_keys=ON") != 0 ||
	    exec_simple(db, "PRAGMA trusted_schema=OFF") != 0) {
		snprintf(err, errlen, "cannot configure %s: %s", path,
		    sqlite3_errmsg(db->conn));
		goto fail;
	}

	if (mode == DB_MODE_SERVE) {
		if (db_schema_version(db, &version) != 0) {
			snprintf(err, errlen,
			    "cannot read the schema version "
			    "of %s: %s",
			    path, sqlite3_errmsg(db->conn));
			goto fail;
		}
		if (version != db_schema_latest()) {
			snprintf(err, errlen,
			    "%s is at schema version %d, "
			    "this program needs %d",
			    path, version, db_schema_latest());
			goto fail;
		}
		for (i = 0; i < STMT__MAX; i++) {
			if (db_stmt(db, (enum stmt)i) == NULL) {
				snprintf(err, errlen, "statement %d: %s", i,
				    sqlite3_errmsg(db->conn));
				goto fail;
			}
		}
	}

	*out = db;
	return (0);
fail:
	db_close(db);
	return (DB_ERROR);
}

void
db_close(struct db *db)
{
	int i;

	if (db == NULL)
		return;
	db_memo_clear(db);
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize((sqlite3_stmt *)(void *)db->stmts[i]);
	sqlite3_close(db->conn);
	free(db);
}

int
db_begin(struct db *db)
{
	return (exec_simple(db, "BEGIN IMMEDIATE"));
}

int
db_commit(struct db *db)
{
	int rc;

	if ((rc = exec_simple(db, "COMMIT")) != 0)
		db_rollback(db);
	return (rc);
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		(void)sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

int
db_integrity_check(struct db *db)
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
