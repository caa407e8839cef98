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

#include "store/internal.h"

#define DB_BUSY_TIMEOUT_MS 250

int
db_rc(struct db *db, int rc)
{
	(void)db;
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return (0);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return (DB_EBUSY);
	case SQLITE_CONSTRAINT:
		return (DB_ECONSTRAINT);
	case SQLITE_FULL:
		return (DB_EFULL);
	default:
		return (DB_ERROR);
	}
}

const char *
db_errmsg(struct db *db)
{
	if (db == NULL || db->conn == NULL)
		return ("no database connection");
	return (sqlite3_errmsg(db->conn));
}

sqlite3_stmt *
db_stmt(struct db *db, enum stmt id)
{
	sqlite3_stmt *st;

	if ((unsigned int)id >= STMT__MAX)
		return (NULL);
	if ((st = db->stmts[id]) == NULL) {
		if (sqlite3_prepare_v3(db->conn, stmt_sql[id], -1,
			SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
			return (NULL);
		db->stmts[id] = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (st);
}

void
db_column_text(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const unsigned char *t;
	size_t		     n;

	out[0] = '\0';
	if ((t = sqlite3_column_text(st, col)) == NULL || outlen == 0)
		return;
	n = (size_t)sqlite3_column_bytes(st, col);
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, t, n);
	out[n] = '\0';
}

int
db_row(struct db *db, sqlite3_stmt *st, void (*read)(sqlite3_stmt *, void *),
    void *out)
{
	int rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

int
db_step_done(struct db *db, sqlite3_stmt *st)
{
	int rc;

	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return (0);
	return (db_rc(db, rc));
}

void
db_read_int64(sqlite3_stmt *st, void *out)
{
	*(int64_t *)out = sqlite3_column_int64(st, 0);
}

int
db_changed(struct db *db, sqlite3_stmt *st)
{
	int rc;

	if ((rc = db_step_done(db, st)) != 0)
		return (rc);
	return (sqlite3_changes(db->conn) > 0);
}

int
db_each(struct db *db, sqlite3_stmt *st, int (*row)(sqlite3_stmt *, void *),
    void *arg)
{
	int rc, stop = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((stop = row(st, arg)) != 0)
			break;
	}
	sqlite3_reset(st);
	if (stop != 0)
		return (stop);
	return (rc == SQLITE_DONE ? 0 : db_rc(db, rc));
}

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
		sqlite3_finalize(db->stmts[i]);
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
db_scalar(struct db *db, enum stmt id, int64_t *out)
{
	sqlite3_stmt *st;
	int	      rc;

	if ((st = db_stmt(db, id)) == NULL)
		return (DB_ERROR);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (rc == SQLITE_ROW ? 0 : db_rc(db, rc));
}

int
db_any2(struct db *db, enum stmt id, int64_t a, int64_t b)
{
	sqlite3_stmt *st;
	int	      rc, n = 0;

	if ((st = db_stmt(db, id)) == NULL)
		return (DB_ERROR);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return (db_rc(db, rc));
	return (n > 0);
}

int
db_ping(struct db *db)
{
	int64_t one;

	return (db_scalar(db, STMT_PING, &one));
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
