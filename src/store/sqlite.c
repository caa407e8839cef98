/*
 * The query interface of store/internal.h on SQLite: a struct db_q is an
 * sqlite3_stmt, prepared once per connection and kept (db_stmt()).
 */
#include <string.h>

#include <sqlite3.h>

#include "store/internal.h"

static sqlite3_stmt *
q(struct db_q *st)
{
	return ((sqlite3_stmt *)(void *)st);
}

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

struct db_q *
db_stmt(struct db *db, enum stmt id)
{
	sqlite3_stmt *st;

	if ((unsigned int)id >= STMT__MAX)
		return (NULL);
	if ((st = q(db->stmts[id])) == NULL) {
		if (sqlite3_prepare_v3(db->conn, stmt_sql[id], -1,
			SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
			return (NULL);
		db->stmts[id] = (struct db_q *)(void *)st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return (db->stmts[id]);
}

void
db_bind_int64(struct db_q *st, int i, int64_t v)
{
	sqlite3_bind_int64(q(st), i, v);
}

void
db_bind_int(struct db_q *st, int i, int v)
{
	sqlite3_bind_int(q(st), i, v);
}

void
db_bind_text(struct db_q *st, int i, const char *v)
{
	sqlite3_bind_text(q(st), i, v, -1, SQLITE_STATIC);
}

void
db_bind_text_copy(struct db_q *st, int i, const char *v)
{
	sqlite3_bind_text(q(st), i, v, -1, SQLITE_TRANSIENT);
}

void
db_bind_blob(struct db_q *st, int i, const void *v, size_t len)
{
	sqlite3_bind_blob(q(st), i, v, (int)len, SQLITE_STATIC);
}

void
db_bind_null(struct db_q *st, int i)
{
	sqlite3_bind_null(q(st), i);
}

int
db_q_step(struct db_q *st)
{
	int rc = sqlite3_step(q(st));

	return (rc == SQLITE_ROW ? DBQ_ROW : rc == SQLITE_DONE ? DBQ_DONE : rc);
}

void
db_q_reset(struct db_q *st)
{
	sqlite3_reset(q(st));
}

int64_t
db_col_int64(struct db_q *st, int col)
{
	return (sqlite3_column_int64(q(st), col));
}

int
db_col_int(struct db_q *st, int col)
{
	return (sqlite3_column_int(q(st), col));
}

const unsigned char *
db_col_text(struct db_q *st, int col)
{
	return (sqlite3_column_text(q(st), col));
}

size_t
db_col_bytes(struct db_q *st, int col)
{
	int n = sqlite3_column_bytes(q(st), col);

	return (n > 0 ? (size_t)n : 0);
}

int64_t
db_last_id(struct db *db)
{
	return (sqlite3_last_insert_rowid(db->conn));
}

int64_t
db_changes(struct db *db)
{
	return (sqlite3_changes(db->conn));
}

int
db_in_transaction(struct db *db)
{
	return (!sqlite3_get_autocommit(db->conn));
}

/*
 * SQLite's data version of the main database (SQLITE_FCNTL_DATA_VERSION).
 * A connection notices others' commits when it next begins to read, so a
 * read (PRAGMA data_version) comes first.
 */
int
db_data_version(struct db *db, uint64_t *v)
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
