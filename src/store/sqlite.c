/*
 * The query interface of store/internal.h on SQLite: a statement's h is
 * an sqlite3_stmt, prepared once per connection and kept (db_stmt()).
 */
#include <string.h>

#include <sqlite3.h>

#include "store/internal.h"

static sqlite3_stmt *
q(struct db_q *st)
{
	return ((sqlite3_stmt *)st->h);
}

static int
sq_rc(struct db *db, int rc)
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

static const char *
sq_errmsg(struct db *db)
{
	if (db->conn == NULL)
		return ("no database connection");
	return (sqlite3_errmsg(db->conn));
}

static int
sq_prepare(struct db *db, enum stmt id, struct db_q *st)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v3(db->conn, stmt_sql[id].sql, -1,
		SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
		return (-1);
	st->h = s;
	return (0);
}

static int
sq_prepare_text(struct db *db, const char *sql, struct db_q *st)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db->conn, sql, -1, &s, NULL) != SQLITE_OK)
		return (-1);
	st->h = s;
	return (0);
}

static void
sq_finalize(struct db_q *st)
{
	sqlite3_finalize(q(st));
}

static void
sq_clear(struct db_q *st)
{
	sqlite3_reset(q(st));
	sqlite3_clear_bindings(q(st));
}

static void
sq_bind_int64(struct db_q *st, int i, int64_t v)
{
	sqlite3_bind_int64(q(st), i, v);
}

static void
sq_bind_text(struct db_q *st, int i, const char *v, int copy)
{
	sqlite3_bind_text(
	    q(st), i, v, -1, copy ? SQLITE_TRANSIENT : SQLITE_STATIC);
}

static void
sq_bind_blob(struct db_q *st, int i, const void *v, size_t len)
{
	sqlite3_bind_blob(q(st), i, v, (int)len, SQLITE_STATIC);
}

static void
sq_bind_null(struct db_q *st, int i)
{
	sqlite3_bind_null(q(st), i);
}

static int
sq_step(struct db_q *st)
{
	int rc = sqlite3_step(q(st));

	return (rc == SQLITE_ROW ? DBQ_ROW : rc == SQLITE_DONE ? DBQ_DONE : rc);
}

static void
sq_reset(struct db_q *st)
{
	sqlite3_reset(q(st));
}

static int64_t
sq_col_int64(struct db_q *st, int col)
{
	return (sqlite3_column_int64(q(st), col));
}

static const unsigned char *
sq_col_text(struct db_q *st, int col)
{
	return (sqlite3_column_text(q(st), col));
}

static size_t
sq_col_bytes(struct db_q *st, int col)
{
	int n = sqlite3_column_bytes(q(st), col);

	return (n > 0 ? (size_t)n : 0);
}

static int64_t
sq_last_id(struct db *db)
{
	return (sqlite3_last_insert_rowid(db->conn));
}

static int64_t
sq_changes(struct db *db)
{
	return (sqlite3_changes(db->conn));
}

static int
sq_in_transaction(struct db *db)
{
	return (!sqlite3_get_autocommit(db->conn));
}

/*
 * SQLite's data version of the main database (SQLITE_FCNTL_DATA_VERSION).
 * A connection notices others' commits when it next begins to read, so a
 * read (PRAGMA data_version) comes first.
 */
static int
sq_data_version(struct db *db, uint64_t *v)
{
	unsigned int n = 0;
	int64_t	     ignored;
	int	     rc;

	*v = 0;
	if ((rc = db_scalar(db, STMT_DATA_VERSION, &ignored)) != 0)
		return (rc);
	if (sqlite3_file_control(
		db->conn, "main", SQLITE_FCNTL_DATA_VERSION, &n) != SQLITE_OK)
		return (1);
	*v = n;
	return (0);
}

const struct db_engine db_engine_sqlite = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.errmsg = sq_errmsg,
	.rc = sq_rc,
	.prepare = sq_prepare,
	.prepare_text = sq_prepare_text,
	.finalize = sq_finalize,
	.clear = sq_clear,
	.bind_int64 = sq_bind_int64,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.col_int64 = sq_col_int64,
	.col_text = sq_col_text,
	.col_bytes = sq_col_bytes,
	.last_id = sq_last_id,
	.changes = sq_changes,
	.in_transaction = sq_in_transaction,
	.data_version = sq_data_version,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.integrity_check = sqlite_integrity_check,
	.migrate = sqlite_migrate,
	.backup = sqlite_backup,
};
